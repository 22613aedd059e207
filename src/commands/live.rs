//! Shared pieces of the commands that talk to a live server: turning flags into a client
//! configuration (checking URL and headers up front, so a mistake is one plain line) and running
//! a headless capture on a tokio runtime.

use crate::cli::{AuthArgs, Fatal, LiveArgs};
use crate::core::import::Format;
use crate::source::auth::{parse_header, Auth};
use crate::source::capture::{capture, CaptureOptions, Stop};
use crate::source::foreign_socket::ForeignSocket;
use crate::source::otlp::ReceiverConfig;
use crate::source::sink::Sink;
use crate::source::spec::Spec;
use crate::source::websocket::ClientConfig;
use std::time::Duration;

/// The live source `url` names, checked (and, for a receiver, listening) before anything
/// starts: a WebSocket server's client, or an OTLP receiver.
pub fn source(
    url: &str,
    auth: &AuthArgs,
    live: &LiveArgs,
    format: Option<Format>,
) -> Result<Spec, Fatal> {
    if live.follow || url == "-" {
        return follow(url, live, format);
    }
    if let Some(f) = format.filter(|f| !matches!(f, Format::Orchscope | Format::Jsonl)) {
        return foreign_socket(url, auth, live, f);
    }
    let Some(mut config) = ReceiverConfig::parse(url).map_err(Fatal)? else {
        return client_config(url, auth, live).map(Spec::Ws);
    };
    if !live.sends.is_empty() {
        return Err(Fatal(format!(
            "{}: a receiver only listens; --send needs a ws:// or wss:// source",
            config.shown_url()
        )));
    }
    if !auth.headers.is_empty() || auth.subprotocol_token {
        return Err(Fatal(format!(
            "{}: a receiver checks only a bearer token (--token, --token-file, ORCHSCOPE_TOKEN)",
            config.shown_url()
        )));
    }
    let r = &live.receiver;
    config.straggler = seconds(r.straggler, "--straggler")?.as_secs_f64();
    config.max_held = r.max_held_spans;
    config.token = auth.token()?;
    let listener = config.bind().map_err(Fatal)?;
    // Port 0 picks a free port: show the one it got.
    if let Ok(addr) = listener.local_addr() {
        config.addr = addr;
    }
    Ok(Spec::Otlp(config, listener))
}

/// A WebSocket whose text frames are lines of `format` (an OTLP receiver has its own).
fn foreign_socket(
    url: &str,
    auth: &AuthArgs,
    live: &LiveArgs,
    format: Format,
) -> Result<Spec, Fatal> {
    let shown = crate::source::url::shown_url(url);
    if !(url.starts_with("ws://") || url.starts_with("wss://")) {
        return Err(Fatal(format!(
            "{shown}: --format-in {} is read from a ws:// or wss:// server, a followed file or a pipe",
            format.name()
        )));
    }
    if !live.sends.is_empty() {
        return Err(Fatal(format!(
            "{shown}: a server read as {} only listens; --send needs orchscope's own frames",
            format.name()
        )));
    }
    let client = client_config(url, auth, live)?;
    ForeignSocket::new(client, format)
        .map(Spec::ForeignWs)
        .ok_or_else(|| {
            Fatal(format!(
                "{shown}: --format-in {} has no importer",
                format.name()
            ))
        })
}

/// A file (or with `-`, standard input) followed as it grows.
fn follow(path: &str, live: &LiveArgs, format: Option<Format>) -> Result<Spec, Fatal> {
    let shown = if path == "-" { "stdin" } else { path };
    if !live.sends.is_empty() {
        return Err(Fatal(format!(
            "{shown}: a followed input only listens; --send needs a ws:// or wss:// source"
        )));
    }
    let path = (path != "-").then(|| std::path::PathBuf::from(path));
    if let Some(p) = &path {
        std::fs::metadata(p).map_err(|e| Fatal(crate::cli::open_error(p, &e)))?;
    }
    Ok(Spec::Follow(crate::source::follow::FollowConfig {
        path,
        recorder: None,
        budget: None,
        format,
    }))
}

/// Builds the client configuration, validating the URL and headers.
pub fn client_config(url: &str, auth: &AuthArgs, live: &LiveArgs) -> Result<ClientConfig, Fatal> {
    if !(url.starts_with("ws://") || url.starts_with("wss://")) {
        let shown = crate::source::url::shown_url(url);
        return Err(Fatal(format!(
            "{shown}: not a ws://, wss://, otlp:// or otlp+grpc:// URL"
        )));
    }
    let headers = auth
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| parse_header(i + 1, h))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Fatal(e.to_string()))?;
    let auth = Auth {
        token: auth.token()?,
        subprotocol_token: auth.subprotocol_token,
        headers,
    };
    let mut config = ClientConfig::new(url);
    config.auth = auth;
    config
        .auth
        .request(url)
        .map_err(|e| Fatal(config.redact(&e.to_string())))?;
    config.max_frame_size = live.max_frame_size;
    config.reconnect = !live.no_reconnect;
    Ok(config)
}

fn seconds(v: f64, flag: &str) -> Result<Duration, Fatal> {
    Duration::try_from_secs_f64(v).map_err(|_| {
        Fatal(format!(
            "{flag} needs a non-negative number of seconds, got {v}"
        ))
    })
}

/// A multi-threaded tokio runtime.
pub fn runtime() -> Result<tokio::runtime::Runtime, Fatal> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the runtime: {e}")))
}

/// Captures a live session into `sink` headlessly; `Err` when no frame was ever received.
pub fn run_capture(source: Spec, live: &LiveArgs, sink: &mut Sink) -> Result<Stop, Fatal> {
    let opts = CaptureOptions {
        source,
        sends: live.sends.clone(),
        until_idle: seconds(live.until_idle, "--until-idle")?,
        timeout: live.timeout.map(|t| seconds(t, "--timeout")).transpose()?,
        progress: true,
    };
    let url = opts.source.shown_url();
    let stop = runtime()?.block_on(capture(opts, sink));
    if sink.frames_in == 0 {
        return Err(Fatal(match &sink.link_reason {
            Some(reason) => format!("{url}: no frame was received ({reason})"),
            None => format!("{url}: no frame was received"),
        }));
    }
    Ok(stop)
}
