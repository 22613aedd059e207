//! The OTLP receiver, a live source: OpenTelemetry exporters send it spans over OTLP/HTTP
//! (`otlp://HOST:PORT`) or gRPC (`otlp+grpc://HOST:PORT`); it holds them per trace until the
//! trace completes and hands each on as native frames, as the WebSocket client hands on what
//! it reads (same messages, same recorder, same byte budget). Owns the receiver's
//! configuration: its URL, address, token and bounds.

use std::net::SocketAddr;
use std::time::Duration;

use super::budget::Budget;
use super::recorder::Recorder;

mod body;
mod grpc;
mod http;
mod intake;

pub use intake::run;

/// The OTLP/HTTP port a URL without one listens on (the OpenTelemetry default).
pub const DEFAULT_HTTP_PORT: u16 = 4318;
/// The OTLP gRPC port a URL without one listens on (the OpenTelemetry default).
pub const DEFAULT_GRPC_PORT: u16 = 4317;
/// Default `--straggler`: seconds a trace's frames wait after its root span for late children.
pub const DEFAULT_STRAGGLER: f64 = 2.0;
/// Default `--max-held-spans`: spans held at most while their traces are open.
pub const DEFAULT_MAX_HELD: usize = 1_000_000;
/// The largest request body taken, after decompression.
pub(crate) const MAX_BODY: usize = 32 << 20;
/// Connections served at once (the next wait in the kernel's queue): with [`MAX_BODY`], a bound
/// on what senders can make the receiver hold before the intake takes it.
const MAX_CONNECTIONS: usize = 32;

/// How the receiver listens and what it holds.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    pub addr: SocketAddr,
    /// gRPC (`otlp+grpc://`) rather than HTTP.
    pub grpc: bool,
    /// The bearer token senders must present (none: anyone on the address may send).
    pub token: Option<String>,
    /// How long a trace waits after its last span, once its root is in (seconds).
    pub straggler: f64,
    /// A trace whose root never comes is shown after this long without a span (seconds).
    pub max_quiet: f64,
    pub max_held: usize,
    /// Where every frame and report is written the moment it is made (none: not recorded).
    pub recorder: Option<Recorder>,
    /// The bytes of frames that may wait in the channel to the session.
    pub budget: Option<Budget>,
}

impl ReceiverConfig {
    /// The configuration for an `otlp://` or `otlp+grpc://` URL; `Ok(None)` for any other.
    /// A host left out is loopback; a port left out is the protocol's default.
    pub fn parse(url: &str) -> Result<Option<ReceiverConfig>, String> {
        let (rest, grpc) = if let Some(r) = url.strip_prefix("otlp+grpc://") {
            (r, true)
        } else if let Some(r) = url.strip_prefix("otlp://") {
            (r, false)
        } else {
            return Ok(None);
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains('/') || rest.contains('@') {
            return Err(format!(
                "{}: an OTLP receiver URL is otlp://HOST:PORT or otlp+grpc://HOST:PORT (no path, no user)",
                super::url::shown_url(url)
            ));
        }
        let default = if grpc {
            DEFAULT_GRPC_PORT
        } else {
            DEFAULT_HTTP_PORT
        };
        let addr = address(rest, default).ok_or_else(|| {
            format!("{url}: not an address to listen on (HOST:PORT, e.g. otlp://127.0.0.1:4318)")
        })?;
        Ok(Some(ReceiverConfig {
            addr,
            grpc,
            token: None,
            straggler: DEFAULT_STRAGGLER,
            max_quiet: 300.0,
            max_held: DEFAULT_MAX_HELD,
            recorder: None,
            budget: None,
        }))
    }

    /// The URL as shown and recorded (the address it listens on).
    pub fn shown_url(&self) -> String {
        let scheme = if self.grpc { "otlp+grpc" } else { "otlp" };
        format!("{scheme}://{}", self.addr)
    }

    /// Binds the address (before any runtime, so a command can refuse at once); a taken port
    /// or a foreign address is one line saying so.
    pub fn bind(&self) -> Result<std::net::TcpListener, String> {
        std::net::TcpListener::bind(self.addr)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| {
                let why = match e.kind() {
                    std::io::ErrorKind::AddrInUse => format!(
                        "port {} is taken by another program; give another port",
                        self.addr.port()
                    ),
                    std::io::ErrorKind::AddrNotAvailable => {
                        "this machine has no such address".to_string()
                    }
                    _ => e.to_string(),
                };
                format!("{}: cannot listen: {why}", self.shown_url())
            })
    }
}

/// `HOST:PORT`, `HOST`, `:PORT` or nothing, as a socket address (loopback and `default` for
/// what is left out). Only literal addresses and `localhost`: a receiver binds, it resolves
/// nothing.
fn address(text: &str, default: u16) -> Option<SocketAddr> {
    if let Ok(a) = text.parse::<SocketAddr>() {
        return Some(a);
    }
    // A bracketed IPv6 address without a port, or a host with or without one.
    let (host, port) = match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) => (inner, default),
        None => match text.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, p.parse().ok()?),
            _ => (text, default),
        },
    };
    let ip = match host {
        "" | "localhost" => std::net::IpAddr::from([127, 0, 0, 1]),
        h => h.parse().ok()?,
    };
    Some(SocketAddr::new(ip, port))
}

/// How often the intake looks for traces ready to show.
const TICK: Duration = Duration::from_millis(100);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_give_addresses_with_loopback_and_default_ports() {
        let parse = |u: &str| ReceiverConfig::parse(u).map(|c| c.map(|c| c.shown_url()));
        assert_eq!(parse("otlp://").unwrap().unwrap(), "otlp://127.0.0.1:4318");
        assert_eq!(
            parse("otlp+grpc://").unwrap().unwrap(),
            "otlp+grpc://127.0.0.1:4317"
        );
        assert_eq!(
            parse("otlp://:9000").unwrap().unwrap(),
            "otlp://127.0.0.1:9000"
        );
        assert_eq!(
            parse("otlp://localhost:9").unwrap().unwrap(),
            "otlp://127.0.0.1:9"
        );
        assert_eq!(
            parse("otlp://0.0.0.0:9/").unwrap().unwrap(),
            "otlp://0.0.0.0:9"
        );
        assert_eq!(parse("otlp://[::1]:9").unwrap().unwrap(), "otlp://[::1]:9");
        assert_eq!(parse("otlp://[::1]").unwrap().unwrap(), "otlp://[::1]:4318");
        assert!(parse("ws://x").unwrap().is_none());
        assert!(parse("otlp://host:9/v1/traces").is_err());
        assert!(
            parse("otlp://example.com:9").is_err(),
            "names are not resolved"
        );
        assert!(parse("otlp://127.0.0.1:99999").is_err());
    }
}
