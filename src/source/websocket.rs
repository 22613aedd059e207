//! The live WebSocket client. [`run`] owns one logical session with a server across any number
//! of physical connections: it connects (ws:// or wss:// via rustls), emits every frame in and
//! out as a [`SourceMsg`] the moment it happens, answers JSON pings, measures round-trip time
//! with WebSocket pings, enforces the frame-size limit through tungstenite, and on a drop
//! reconnects with back-off, keeping commands the user issued meanwhile until they can be sent.
//! Tokens never appear in anything it emits: every reason passes through [`Auth::redact`].

use tokio::sync::mpsc;

use super::client::Source;
pub use super::wire::{
    user_message, ClientConfig, Command, SourceMsg, DEFAULT_MAX_FRAME_SIZE, DEFAULT_PING_INTERVAL,
};

/// Runs the source until [`Command::Shutdown`], until the receiver of `tx` is dropped, or
/// (without `reconnect`) until the first drop, which it reports as `GaveUp`.
pub async fn run(config: ClientConfig, tx: mpsc::Sender<SourceMsg>, cmds: mpsc::Receiver<Command>) {
    let mut source = Source::new(config, tx, cmds);
    // Every way out of the loop is a normal end; there is nobody left to tell otherwise.
    let _ = source.main().await;
}
