//! Test support for the WebSocket source: a real tokio-tungstenite server side on 127.0.0.1
//! (accepting one connection at a time and capturing its request headers), a handle on a
//! running client, and a time-free view of what it emitted for comparing sequences.
// The handshake callback's error type is fixed by tungstenite.
#![allow(clippy::result_large_err, dead_code)]

use std::future::Future;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use orchscope::core::link::{LinkState, Retry};
use orchscope::source::websocket::{run, ClientConfig, Command, SourceMsg};
use orchscope::source::Dir;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderMap, HeaderValue};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

pub const LIMIT: Duration = Duration::from_secs(10);
pub const TOKEN: &str = "tok-Secret-4711";

pub async fn bounded<T>(what: &str, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(LIMIT, fut).await {
        Ok(v) => v,
        Err(_) => panic!("timed out waiting for {what}"),
    }
}

pub struct Conn {
    pub ws: WebSocketStream<TcpStream>,
    pub headers: HeaderMap,
}

impl Conn {
    pub async fn send(&mut self, text: &str) {
        self.ws
            .send(Message::text(text))
            .await
            .expect("server send");
    }

    /// The next text frame the client sent (pings are answered by the library meanwhile).
    pub async fn recv_text(&mut self) -> String {
        loop {
            match bounded("a client frame", self.ws.next()).await {
                Some(Ok(Message::Text(t))) => return t.as_str().to_owned(),
                Some(Ok(_)) => continue,
                other => panic!("expected a text frame, got {other:?}"),
            }
        }
    }
}

/// Accepts one connection; echoes `jwt-auth` when the client offers subprotocols.
pub async fn accept(listener: &TcpListener) -> Conn {
    let (tcp, _) = bounded("a TCP connection", listener.accept())
        .await
        .expect("accept");
    let (htx, hrx) = std::sync::mpsc::channel();
    let callback = move |req: &Request, mut resp: Response| {
        let _ = htx.send(req.headers().clone());
        if req.headers().contains_key("sec-websocket-protocol") {
            resp.headers_mut().insert(
                "sec-websocket-protocol",
                HeaderValue::from_static("jwt-auth"),
            );
        }
        Ok(resp)
    };
    let ws = bounded(
        "the handshake",
        tokio_tungstenite::accept_hdr_async(tcp, callback),
    )
    .await
    .expect("handshake");
    let headers = hrx.recv().expect("headers");
    Conn { ws, headers }
}

pub async fn listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}/ws", listener.local_addr().expect("addr"));
    (listener, url)
}

pub fn config(url: &str) -> ClientConfig {
    let mut c = ClientConfig::new(url);
    c.ping_interval = Duration::from_secs(600);
    c.backoff_scale = 0.01;
    c
}

pub struct Client {
    pub rx: mpsc::Receiver<SourceMsg>,
    pub cmds: mpsc::Sender<Command>,
    pub task: JoinHandle<()>,
    pub seen: Vec<SourceMsg>,
}

pub fn start(config: ClientConfig) -> Client {
    let (tx, rx) = mpsc::channel(1024);
    let (cmds, crx) = mpsc::channel(64);
    let task = tokio::spawn(run(config, tx, crx));
    Client {
        rx,
        cmds,
        task,
        seen: Vec::new(),
    }
}

/// What a message says, without its time, for comparing sequences.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    In(String),
    Out(String),
    Bin(Vec<u8>),
    Link(LinkState),
}

pub fn shape(msg: &SourceMsg) -> Option<Seen> {
    match msg {
        SourceMsg::Frame {
            dir: Dir::In, text, ..
        } => Some(Seen::In(text.clone())),
        SourceMsg::Frame {
            dir: Dir::Out,
            text,
            ..
        } => Some(Seen::Out(text.clone())),
        SourceMsg::Binary { bytes, .. } => Some(Seen::Bin(bytes.clone())),
        // The delay is random: compare the attempt only.
        SourceMsg::Link {
            state: LinkState::Reconnecting(Some(Retry { attempt, .. })),
            ..
        } => Some(reconnecting(*attempt)),
        SourceMsg::Link { state, .. } => Some(Seen::Link(*state)),
        SourceMsg::Rtt { .. } | SourceMsg::Receiver { .. } => None,
    }
}

impl Client {
    /// Messages (without RTTs) until one matching `stop`, inclusive.
    pub async fn until(&mut self, stop: impl Fn(&Seen) -> bool) -> Vec<Seen> {
        let mut out = Vec::new();
        loop {
            let msg = bounded("a source message", self.rx.recv())
                .await
                .unwrap_or_else(|| panic!("source ended; saw {out:?}"));
            self.seen.push(msg.clone());
            if let Some(s) = shape(&msg) {
                let done = stop(&s);
                out.push(s);
                if done {
                    return out;
                }
            }
        }
    }

    /// Everything left until the source ends.
    pub async fn rest(&mut self) -> Vec<Seen> {
        let mut out = Vec::new();
        while let Some(msg) = bounded("the source to end", self.rx.recv()).await {
            self.seen.push(msg.clone());
            out.extend(shape(&msg));
        }
        out
    }

    pub async fn command(&self, cmd: Command) {
        self.cmds.send(cmd).await.expect("command");
    }
}

pub fn inn(s: &str) -> Seen {
    Seen::In(s.to_owned())
}
pub fn out(s: &str) -> Seen {
    Seen::Out(s.to_owned())
}
pub fn link(e: LinkState) -> Seen {
    Seen::Link(e)
}
pub fn reconnecting(attempt: u32) -> Seen {
    link(LinkState::Reconnecting(Some(Retry {
        attempt,
        delay: Duration::ZERO,
    })))
}

pub fn assert_no_secret(seen: &[SourceMsg], secrets: &[&str]) {
    for msg in seen {
        let shown = format!("{msg:?}");
        for secret in secrets {
            assert!(!shown.contains(secret), "secret shown in {shown}");
        }
    }
}
