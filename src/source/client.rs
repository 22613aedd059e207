//! The engine behind [`run`](super::websocket::run): one logical session across many physical
//! connections. It owns the connect / serve / back-off loop, the order in which things are
//! emitted (each received frame before anything is done with it), the queue of frames the user
//! asked to send (kept across drops until written) and turning library errors into reasons.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::error::{CapacityError, Error as WsError, UrlError};
use tokio_tungstenite::tungstenite::handshake::client::Request;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Bytes, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::relabel::Relabel;
use super::wire::{describe, is_json_ping, scaled, ClientConfig, Command, SourceMsg};
use super::{backoff, tls, Dir};
use crate::core::link::{LinkState, Retry};

/// How long one connection attempt (TCP, TLS and handshake) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a user shutdown waits for the close handshake.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a connection must stay up before the back-off starts again from its first step.
const STABLE: Duration = Duration::from_secs(5);
/// Our answer to a server's JSON ping.
const PONG: &str = r#"{"type":"pong"}"#;

type Ws = WebSocketStream<Relabel<MaybeTlsStream<TcpStream>>>;

/// The end of a connection the server closed; `refused` makes it final.
fn closed(reason: String, refused: bool) -> Halt {
    if refused {
        Halt::Fatal(format!("{reason}; check the token or auth headers"))
    } else {
        Halt::Dropped(reason)
    }
}

/// Why a connection (or the whole source) ended.
pub(super) enum Halt {
    /// The connection ended or could not be made; reconnecting may help.
    Dropped(String),
    /// The configuration can never connect (bad URL, bad header): give up at once.
    Fatal(String),
    /// The user asked to stop.
    Shutdown,
    /// Nobody listens any more.
    ReceiverGone,
}

pub(super) struct Source {
    config: ClientConfig,
    tx: mpsc::Sender<SourceMsg>,
    cmds: mpsc::Receiver<Command>,
    /// False once every command sender is gone (the source still runs).
    cmds_open: bool,
    start: Instant,
    /// Frames to send, oldest first, kept across reconnections until written.
    pending: VecDeque<String>,
    /// The TLS configuration, built on the first wss:// attempt and reused after.
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl Source {
    pub(super) fn new(
        config: ClientConfig,
        tx: mpsc::Sender<SourceMsg>,
        cmds: mpsc::Receiver<Command>,
    ) -> Self {
        Source {
            config,
            tx,
            cmds,
            cmds_open: true,
            start: Instant::now(),
            pending: VecDeque::new(),
            tls: None,
        }
    }

    fn t(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Records the message (before anything else is done with it), then hands it on. The
    /// channel is small and `send` waits while it is full (or its byte budget spent), so a
    /// reader that falls behind stops this task reading the socket: the server meets TCP flow
    /// control, not a growing queue.
    async fn emit(&self, msg: SourceMsg) -> Result<(), Halt> {
        if let Some(recorder) = &self.config.recorder {
            recorder.record(&msg);
        }
        if let Some(budget) = &self.config.budget {
            budget.take(&msg).await;
        }
        self.tx.send(msg).await.map_err(|_| Halt::ReceiverGone)
    }

    async fn link(
        &self,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    ) -> Result<(), Halt> {
        let reason = reason.map(|r| self.config.redact(&r));
        self.emit(SourceMsg::Link {
            t: self.t(),
            state,
            reason,
            size,
        })
        .await
    }

    async fn frame(&self, dir: Dir, text: String) -> Result<(), Halt> {
        self.emit(SourceMsg::Frame {
            t: self.t(),
            dir,
            text,
        })
        .await
    }

    pub(super) async fn main(&mut self) -> Result<(), Halt> {
        let mut attempt: u32 = 0;
        loop {
            self.link(LinkState::Connecting, None, None).await?;
            let mut connected = false;
            let halt = match self.connect().await {
                Ok(ws) => {
                    connected = true;
                    self.link(LinkState::Connected, None, None).await?;
                    let up = Instant::now();
                    let halt = self.session(ws).await;
                    // Only a connection that stayed up a while resets the back-off: a server
                    // that accepts and drops at once is retried ever more slowly.
                    if up.elapsed() >= STABLE {
                        attempt = 0;
                    }
                    halt
                }
                Err(halt) => halt,
            };
            match halt {
                Halt::Dropped(reason) if !self.config.reconnect => {
                    // Giving up says why: the drop that ended the only connection allowed.
                    self.link(LinkState::Disconnected, Some(reason.clone()), None)
                        .await?;
                    return self.link(LinkState::GaveUp, Some(reason), None).await;
                }
                Halt::Dropped(reason) => {
                    self.link(LinkState::Disconnected, Some(reason), None)
                        .await?
                }
                Halt::Fatal(reason) => {
                    // A connection that was made ends in the recording like any other.
                    if connected {
                        self.link(LinkState::Disconnected, Some(reason.clone()), None)
                            .await?;
                    }
                    return self.link(LinkState::GaveUp, Some(reason), None).await;
                }
                Halt::Shutdown | Halt::ReceiverGone => return Ok(()),
            }
            attempt = attempt.saturating_add(1);
            let delay = scaled(
                backoff::delay(attempt - 1, fastrand::f64()),
                self.config.backoff_scale,
            );
            let retry = Retry { attempt, delay };
            self.link(LinkState::Reconnecting(Some(retry)), None, None)
                .await?;
            self.wait(delay).await?;
        }
    }

    /// A command that arrives while there is no connection.
    fn offline_command(&mut self, cmd: Option<Command>) -> Result<(), Halt> {
        match cmd {
            Some(Command::Send(text)) => self.pending.push_back(text),
            Some(Command::Shutdown) => return Err(Halt::Shutdown),
            None => self.cmds_open = false,
        }
        Ok(())
    }

    /// Sleeps out a back-off delay, still taking commands.
    async fn wait(&mut self, delay: Duration) -> Result<(), Halt> {
        let sleep = tokio::time::sleep(delay);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                biased;
                cmd = self.cmds.recv(), if self.cmds_open => self.offline_command(cmd)?,
                _ = self.tx.closed() => return Err(Halt::ReceiverGone),
                _ = &mut sleep => return Ok(()),
            }
        }
    }

    /// One connection attempt, still taking commands.
    async fn connect(&mut self) -> Result<Ws, Halt> {
        let request = self
            .config
            .auth
            .request(&self.config.url)
            .map_err(|e| Halt::Fatal(e.to_string()))?;
        let connector = if request.uri().scheme_str() == Some("wss") {
            let connector = match self.tls.take() {
                Some(c) => c,
                None => tls::connector().map_err(Halt::Fatal)?,
            };
            self.tls = Some(connector.clone());
            Some(connector)
        } else {
            None
        };
        let limit = Some(self.config.max_frame_size);
        let ws_config = WebSocketConfig::default()
            .max_frame_size(limit)
            .max_message_size(limit);
        let attempt = tokio::time::timeout(CONNECT_TIMEOUT, open(request, connector, ws_config));
        tokio::pin!(attempt);
        loop {
            tokio::select! {
                biased;
                cmd = self.cmds.recv(), if self.cmds_open => self.offline_command(cmd)?,
                _ = self.tx.closed() => return Err(Halt::ReceiverGone),
                result = &mut attempt => return match result {
                    Ok(Ok(ws)) => Ok(ws),
                    Ok(Err(e)) => Err(Halt::Dropped(format!("connect failed: {}", describe(&e)))),
                    Err(_) => Err(Halt::Dropped(format!(
                        "connect timed out after {} s",
                        CONNECT_TIMEOUT.as_secs()
                    ))),
                },
            }
        }
    }

    /// Serves one connection until it ends; returns why.
    async fn session(&mut self, mut ws: Ws) -> Halt {
        match self.serve(&mut ws).await {
            Ok(never) => match never {},
            Err(halt) => halt,
        }
    }

    async fn serve(&mut self, ws: &mut Ws) -> Result<std::convert::Infallible, Halt> {
        self.flush_pending(ws).await?;
        let period = self.config.ping_interval.max(Duration::from_millis(10));
        let mut pinger = tokio::time::interval_at(Instant::now() + period, period);
        pinger.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut ping_seq: u64 = 0;
        let mut ping_out: Option<(u64, Instant)> = None;
        let mut close_reason: Option<String> = None;
        // A policy close (1008) before any frame on this connection refuses our credentials;
        // the same ones would be refused again, so it ends the source.
        let mut refused = false;
        let mut frames: u64 = 0;
        // After the server's close frame tungstenite waits for the server to end TCP; a server
        // that never does would keep the link half-dead, so the wait is bounded.
        let mut close_deadline: Option<Instant> = None;
        loop {
            tokio::select! {
                biased;
                cmd = self.cmds.recv(), if self.cmds_open => match cmd {
                    Some(Command::Send(text)) => {
                        self.pending.push_back(text);
                        // Once the server is closing, keep it for the next connection.
                        if close_reason.is_none() {
                            self.flush_pending(ws).await?;
                        }
                    }
                    Some(Command::Shutdown) => {
                        self.close(ws).await?;
                        return Err(Halt::Shutdown);
                    }
                    None => self.cmds_open = false,
                },
                msg = ws.next() => match msg {
                    Some(Ok(msg)) => {
                        if let Message::Close(Some(f)) = &msg {
                            refused = frames == 0 && f.code == CloseCode::Policy;
                        }
                        if matches!(msg, Message::Text(_) | Message::Binary(_)) {
                            frames += 1;
                        }
                        if let Some(reason) = self.on_message(ws, msg, &mut ping_out).await? {
                            close_reason = Some(reason);
                            close_deadline = Some(Instant::now() + CLOSE_TIMEOUT);
                        }
                    }
                    Some(Err(e)) => {
                        return Err(match close_reason.take() {
                            Some(reason) => closed(reason, refused),
                            None => self.on_error(e).await?,
                        })
                    }
                    None => {
                        let reason = close_reason
                            .take()
                            .unwrap_or_else(|| "connection closed".to_owned());
                        return Err(closed(reason, refused));
                    }
                },
                _ = pinger.tick() => {
                    ping_seq = ping_seq.wrapping_add(1);
                    let payload = Bytes::copy_from_slice(&ping_seq.to_be_bytes());
                    ws.send(Message::Ping(payload))
                        .await
                        .map_err(|e| Halt::Dropped(describe(&e)))?;
                    ping_out = Some((ping_seq, Instant::now()));
                }
                _ = self.tx.closed() => return Err(Halt::ReceiverGone),
                _ = tokio::time::sleep_until(close_deadline.unwrap_or_else(Instant::now)),
                    if close_deadline.is_some() =>
                {
                    let reason = close_reason.take().unwrap_or_else(|| "closed".to_owned());
                    return Err(closed(reason, refused));
                }
            }
        }
    }

    /// Sends queued frames oldest first; a frame leaves the queue only once written.
    async fn flush_pending(&mut self, ws: &mut Ws) -> Result<(), Halt> {
        while let Some(text) = self.pending.front() {
            ws.send(Message::text(text.as_str()))
                .await
                .map_err(|e| Halt::Dropped(describe(&e)))?;
            if let Some(text) = self.pending.pop_front() {
                self.frame(Dir::Out, text).await?;
            }
        }
        Ok(())
    }

    /// A normal close on user request: send the close frame, keep emitting what still
    /// arrives until the server answers (bounded), then report the disconnection.
    async fn close(&mut self, ws: &mut Ws) -> Result<(), Halt> {
        let frame = CloseFrame {
            code: CloseCode::Normal,
            reason: "".into(),
        };
        if let Ok(Ok(())) = tokio::time::timeout(CLOSE_TIMEOUT, ws.close(Some(frame))).await {
            let deadline = Instant::now() + CLOSE_TIMEOUT;
            while let Ok(Some(Ok(msg))) = tokio::time::timeout_at(deadline, ws.next()).await {
                if let Some(data) = self.data(ws, msg) {
                    self.emit(data).await?;
                }
            }
        }
        self.link(
            LinkState::Disconnected,
            Some("closed by the user".to_owned()),
            None,
        )
        .await
    }
}

mod dial;
mod inbound;

use dial::open;
