//! The demo server's door: the bounded set of handshakes in progress (a new connection that
//! finds it full evicts the oldest unfinished one, so idle or slow-header sockets cannot lock
//! real clients out), who may pass (the token, the `Bearer` scheme in any letter case, or the
//! `jwt.<base64url>` subprotocol), what a request that is no WebSocket upgrade is answered
//! (`426 Upgrade Required` or `400 Bad Request`), and the one log line per connection or
//! rejection (never a token, never text the client sent).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Mutex;

use base64::Engine as _;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::handshake::server::Request;
use tokio_tungstenite::tungstenite::Error as WsError;

/// Most handshakes in progress at once; the oldest is evicted for a newcomer.
pub const MAX_PENDING: usize = 64;

/// The handshakes in progress, oldest first, each with the way to evict it.
#[derive(Default)]
pub struct Pending {
    slots: Mutex<VecDeque<(u64, oneshot::Sender<()>)>>,
}

impl Pending {
    /// Takes a slot for connection `id`, evicting the oldest handshake when all are taken;
    /// the receiver fires when this one is evicted in turn.
    pub fn admit(&self, id: u64) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        while slots.len() >= MAX_PENDING {
            match slots.pop_front() {
                Some((_, evict)) => {
                    let _ = evict.send(());
                }
                None => break,
            }
        }
        slots.push_back((id, tx));
        rx
    }

    /// Connection `id` finished its handshake (either way): its slot is free.
    pub fn done(&self, id: u64) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.retain(|(i, _)| *i != id);
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the request presents `token` (always true without one): `Authorization: Bearer T`
/// (the scheme in any case, RFC 7235) or the `jwt.<base64url(T)>` subprotocol.
pub fn authorised(request: &Request, token: Option<&str>, protocols: &[String]) -> bool {
    let Some(token) = token else { return true };
    let bearer = request
        .headers()
        .get_all("authorization")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .any(|(_, t)| constant_time_eq(t.trim().as_bytes(), token.as_bytes()));
    let jwt = format!(
        "jwt.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token)
    );
    bearer
        || protocols
            .iter()
            .any(|p| constant_time_eq(p.as_bytes(), jwt.as_bytes()))
}

/// The HTTP reply owed to a request the WebSocket handshake refused without answering:
/// `426` for an HTTP request that is no upgrade, `400` for one that is not good HTTP.
pub fn refusal_for(error: &WsError) -> Option<(u16, &'static str)> {
    match error {
        WsError::Protocol(
            ProtocolError::MissingConnectionUpgradeHeader
            | ProtocolError::MissingUpgradeWebSocketHeader
            | ProtocolError::MissingSecWebSocketVersionHeader
            | ProtocolError::MissingSecWebSocketKey,
        ) => Some((426, "Upgrade Required")),
        WsError::Protocol(_)
        | WsError::HttpFormat(_)
        | WsError::Capacity(_)
        | WsError::AttackAttempt => Some((400, "Bad Request")),
        _ => None,
    }
}

/// Writes a short plain-text HTTP reply and closes the write side.
pub async fn reply(stream: &mut TcpStream, status: u16, reason: &str) {
    let body = if status == 426 {
        "this is a WebSocket endpoint: connect with a WebSocket client to /ws\n"
    } else {
        "bad request: this is a WebSocket endpoint (/ws)\n"
    };
    let upgrade = if status == 426 {
        "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
    } else {
        ""
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\n{upgrade}Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Where the server's log lines go (stderr for `serve`; nowhere under the TUI of `demo`).
#[derive(Debug, Clone, Copy)]
pub struct Logbook {
    pub enabled: bool,
}

impl Logbook {
    /// One line about connection `id` from `peer`. `what` is the server's own words.
    pub fn line(self, id: u64, peer: Option<SocketAddr>, what: &str) {
        if self.enabled {
            // Written like every stderr line: escaped, and a closed stderr ends nothing.
            crate::console::note(&match peer {
                Some(peer) => format!("serve: #{id} {peer} {what}"),
                None => format!("serve: #{id} {what}"),
            });
        }
    }
}
