//! The demo server's network side: the accept loop, the WebSocket handshake (a slot among the
//! bounded handshakes in progress, 10 s to finish it, path `/ws` only, capped sessions with
//! `503` beyond, 1 MiB inbound frame cap, `--token` checked by `gate`, close 1008 otherwise,
//! `426`/`400` to plain HTTP), and each connection's loop: greeting, client requests and pings
//! in, the player's frames out.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::gate::{authorised, refusal_for, reply, Logbook, Pending};
use super::player::{play, Out, Request as PlayRequest, Shared};
use super::DemoConfig;
use crate::core::frame::layers::field;

/// A client's WebSocket, over the connection's socket.
type Ws<'a> = WebSocketStream<&'a mut TcpStream>;

/// Most simultaneous sessions; a further client is answered `503`.
const MAX_CONNECTIONS: usize = 64;
/// Largest frame or message a client may send.
const MAX_INBOUND: usize = 1 << 20;
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// A bound demo server; [`DemoServer::run`] serves it.
pub struct DemoServer {
    listener: TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl DemoServer {
    /// Bind the listening socket (port 0 picks a free port).
    pub async fn bind(config: DemoConfig) -> std::io::Result<DemoServer> {
        if let Err(problem) = super::check_speed(config.speed) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                problem,
            ));
        }
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        Ok(DemoServer {
            listener,
            addr,
            shared: Arc::new(Shared::new(config)),
        })
    }

    /// A counter of the text frames this server has sent (written and flushed), over every
    /// connection; keeps counting while [`DemoServer::run`] serves.
    pub fn sent_frames(&self) -> SentFrames {
        SentFrames(self.shared.sent.clone())
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `ws://ADDR/ws`.
    pub fn url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// Serve until this future is dropped (which ends every connection too).
    pub async fn run(self) -> std::io::Result<()> {
        let door = Arc::new(Door {
            sessions: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            pending: Pending::default(),
            log: Logbook {
                enabled: self.shared.config.log,
            },
        });
        let ids = Arc::new(AtomicU64::new(0));
        let mut tasks = JoinSet::new();
        loop {
            while tasks.try_join_next().is_some() {}
            let (stream, peer) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of descriptors or a reset before accept: wait and go on.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let id = ids.fetch_add(1, Ordering::Relaxed) + 1;
            let evicted = door.pending.admit(id);
            let (shared, door) = (self.shared.clone(), door.clone());
            tasks.spawn(async move {
                serve_connection(stream, peer, shared, &door, id, evicted).await;
            });
        }
    }
}

/// How many text frames a [`DemoServer`] has sent so far (for tests and the P4 bench).
#[derive(Debug, Clone)]
pub struct SentFrames(Arc<AtomicU64>);

impl SentFrames {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// What every connection of one server shares at the door.
struct Door {
    /// Established sessions (a permit each, taken during the handshake).
    sessions: Arc<Semaphore>,
    pending: Pending,
    log: Logbook,
}

/// What the handshake callback decided.
#[derive(Default)]
struct Admission {
    allowed: bool,
    permit: Option<OwnedSemaphorePermit>,
    refused: Option<&'static str>,
}

// The handshake callback's error type is tungstenite's, not ours to shrink.
#[allow(clippy::result_large_err)]
fn admit(
    request: &Request,
    mut response: Response,
    token: Option<&str>,
    sessions: &Arc<Semaphore>,
    admission: &mut Admission,
) -> Result<Response, ErrorResponse> {
    let refuse = |status: StatusCode, text: &str| {
        let mut refusal = ErrorResponse::new(Some(text.to_owned()));
        *refusal.status_mut() = status;
        refusal
    };
    if request.uri().path() != "/ws" {
        admission.refused = Some("refused: not the /ws endpoint (404)");
        return Err(refuse(
            StatusCode::NOT_FOUND,
            "not found: the endpoint is /ws\n",
        ));
    }
    let protocols: Vec<String> = request
        .headers()
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_string())
        .collect();
    if protocols.iter().any(|p| p == "jwt-auth") {
        response.headers_mut().insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("jwt-auth"),
        );
    }
    admission.allowed = authorised(request, token, &protocols);
    match sessions.clone().try_acquire_owned() {
        Ok(permit) => admission.permit = Some(permit),
        Err(_) => {
            admission.refused = Some("refused: at the connection limit (503)");
            return Err(refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is at its connection limit; try again later\n",
            ));
        }
    }
    Ok(response)
}

// The handshake callback's error type is tungstenite's, not ours to shrink.
#[allow(clippy::result_large_err)]
async fn serve_connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    door: &Door,
    id: u64,
    evicted: tokio::sync::oneshot::Receiver<()>,
) {
    let log = |what: &str| door.log.line(id, Some(peer), what);
    let mut admission = Admission::default();
    let token = shared.config.token.clone();
    let callback = |request: &Request, response: Response| {
        admit(
            request,
            response,
            token.as_deref(),
            &door.sessions,
            &mut admission,
        )
    };
    let config = WebSocketConfig::default()
        .max_frame_size(Some(MAX_INBOUND))
        .max_message_size(Some(MAX_INBOUND));
    let handshake =
        tokio_tungstenite::accept_hdr_async_with_config(&mut stream, callback, Some(config));
    let outcome = tokio::select! {
        outcome = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake) => outcome,
        _ = evicted => {
            log("dropped: handshake unfinished while newer connections waited");
            return;
        }
    };
    door.pending.done(id);
    let mut ws = match outcome {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => {
            if let Some(refused) = admission.refused {
                log(refused);
            } else if let Some((status, reason)) = refusal_for(&e) {
                log(&format!("refused: not a WebSocket handshake ({status})"));
                reply(&mut stream, status, reason).await;
            } else {
                log("dropped: the handshake failed");
            }
            return;
        }
        Err(_) => {
            log("dropped: no complete handshake within 10 s");
            return;
        }
    };
    if !admission.allowed {
        log("refused: no valid token (close 1008)");
        let frame = CloseFrame {
            code: CloseCode::Policy,
            reason: "a valid token is required".into(),
        };
        let _ = ws.close(Some(frame)).await;
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(Ok(_)) = ws.next().await {}
        })
        .await;
        return;
    }
    log("connected");
    let _permit = admission.permit;
    shared.clock().client_connected();
    let (request_tx, request_rx) = mpsc::channel(64);
    let (out_tx, out_rx) = mpsc::channel(1024);
    let player = play(shared.clone(), request_rx, out_tx);
    let connection = converse(ws, &shared, id, request_tx, out_rx);
    tokio::join!(player, connection);
}

/// The connection's loop; returns (dropping its channel ends) when the client leaves or the
/// player asks for a drop. Marks the client gone before returning so the clock pauses.
async fn converse(
    mut ws: Ws<'_>,
    shared: &Shared,
    id: u64,
    requests: mpsc::Sender<PlayRequest>,
    mut out: mpsc::Receiver<Out>,
) {
    let greeting = {
        let clock = shared.clock();
        let renderer = super::dialect::Renderer::new(shared.config.dialect);
        renderer.connection_established(
            clock.now_ms(),
            &format!("conn-{id}"),
            shared.config.scenario.name(),
        )
    };
    let sent = &shared.sent;
    let mut open = ws.send(Message::text(greeting)).await.is_ok();
    if open {
        sent.fetch_add(1, Ordering::SeqCst);
    }
    while open {
        tokio::select! {
            incoming = ws.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    open = on_text(&mut ws, text.as_str(), &requests, sent).await;
                }
                Some(Ok(Message::Ping(_))) => open = ws.flush().await.is_ok(),
                Some(Ok(Message::Close(_))) => {
                    let _ = ws.close(None).await;
                    open = false;
                }
                Some(Ok(_)) => {}
                None | Some(Err(_)) => open = false,
            },
            next = out.recv() => match next {
                Some(Out::Text(text)) => {
                    open = ws.feed(Message::text(text)).await.is_ok();
                    let mut fed = u64::from(open);
                    let mut batch = 0;
                    let mut dropping = false;
                    while open && !dropping && batch < 512 {
                        match out.try_recv() {
                            Ok(Out::Text(text)) => {
                                open = ws.feed(Message::text(text)).await.is_ok();
                                fed += u64::from(open);
                            }
                            Ok(Out::Drop) => dropping = true,
                            Err(_) => break,
                        }
                        batch += 1;
                    }
                    // What was queued before a drop still goes out.
                    open = open && ws.flush().await.is_ok();
                    if open {
                        sent.fetch_add(fed, Ordering::SeqCst);
                    }
                    open = open && !dropping;
                }
                Some(Out::Drop) | None => open = false,
            },
        }
    }
    shared.clock().client_left();
}

/// A client text frame: answer `ping`, forward `user_message` / `start_agent`.
async fn on_text(
    ws: &mut Ws<'_>,
    text: &str,
    requests: &mpsc::Sender<PlayRequest>,
    sent: &AtomicU64,
) -> bool {
    let reply = |ok: bool| {
        if ok {
            sent.fetch_add(1, Ordering::SeqCst);
        }
        ok
    };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        let text = r#"{"type":"error","payload":{"message":"frame is not JSON"}}"#;
        return reply(ws.send(Message::text(text)).await.is_ok());
    };
    match value.get("type").and_then(Value::as_str) {
        Some("ping") => reply(ws.send(Message::text(r#"{"type":"pong"}"#)).await.is_ok()),
        Some("user_message" | "start_agent") => {
            let thread_id = field(&value, "thread_id")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            requests.send(PlayRequest { thread_id }).await.is_ok()
        }
        _ => true,
    }
}
