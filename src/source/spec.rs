//! Which live source a URL names: a WebSocket server to connect to (`ws://`, `wss://`) or an
//! OTLP receiver to listen as (`otlp://`, `otlp+grpc://`), a WebSocket read as another
//! format, a followed file; and starting it, with the recorder
//! and byte budget every live source writes through.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::budget::Budget;
use super::follow::{self, FollowConfig};
use super::foreign_socket::ForeignSocket;
use super::message::SourceMsg;
use super::otlp::{self, ReceiverConfig};
use super::recorder::Recorder;
use super::wire::{ClientConfig, Command};
use crate::core::link::LinkState;

/// A live source, configured and (for a receiver) already listening.
#[derive(Debug)]
pub enum Spec {
    Ws(ClientConfig),
    Otlp(ReceiverConfig, std::net::TcpListener),
    /// A growing file or a pipe of native frames.
    Follow(FollowConfig),
    /// A WebSocket whose text frames are lines of another format (`--format-in`).
    ForeignWs(ForeignSocket),
}

impl Spec {
    /// Whether `url` names a live source rather than a file.
    pub fn is_live(url: &str) -> bool {
        ["ws://", "wss://", "otlp://", "otlp+grpc://"]
            .iter()
            .any(|s| url.starts_with(s))
    }

    /// The URL as shown, recorded and logged (credentials masked).
    pub fn shown_url(&self) -> String {
        match self {
            Spec::Ws(c) => c.shown_url(),
            Spec::Otlp(c, _) => c.shown_url(),
            Spec::Follow(c) => c.shown(),
            Spec::ForeignWs(c) => c.client.shown_url(),
        }
    }

    /// The recording header's `source.kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Spec::Ws(_) | Spec::ForeignWs(_) => "websocket",
            Spec::Otlp(..) => "otlp",
            Spec::Follow(_) => "follow",
        }
    }

    /// Whether the user's messages can be sent to it (a receiver or a file only listens).
    pub fn can_send(&self) -> bool {
        matches!(self, Spec::Ws(_))
    }

    /// Writes through `recorder` and counts frames against `budget`.
    pub fn attach(&mut self, recorder: Option<Recorder>, budget: Budget) {
        match self {
            Spec::Ws(c) => {
                c.recorder = recorder;
                c.budget = Some(budget);
            }
            Spec::Otlp(c, _) => {
                c.recorder = recorder;
                c.budget = Some(budget);
            }
            Spec::Follow(c) => {
                c.recorder = recorder;
                c.budget = Some(budget);
            }
            Spec::ForeignWs(c) => {
                c.recorder = recorder;
                c.budget = Some(budget);
            }
        }
    }

    /// Starts the source on the current runtime.
    pub fn spawn(
        self,
        tx: mpsc::Sender<SourceMsg>,
        cmds: mpsc::Receiver<Command>,
    ) -> JoinHandle<()> {
        match self {
            Spec::Ws(c) => tokio::spawn(super::websocket::run(c, tx, cmds)),
            Spec::Follow(c) => tokio::spawn(follow::run(c, tx, cmds)),
            Spec::ForeignWs(c) => tokio::spawn(super::foreign_socket::run(c, tx, cmds)),
            Spec::Otlp(c, listener) => tokio::spawn(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => otlp::run(c, l, tx, cmds).await,
                    Err(e) => {
                        let reason = Some(format!("{}: cannot listen: {e}", c.shown_url()));
                        let state = LinkState::GaveUp;
                        let _ = tx
                            .send(SourceMsg::Link {
                                t: 0.0,
                                state,
                                reason,
                                size: None,
                            })
                            .await;
                    }
                }
            }),
        }
    }
}
