//! A WebSocket server that speaks another framework's format (`connect|record|validate ws://…
//! --format-in X`): each text frame it sends is one line of X, read through the same line
//! importer as a followed file (`core::import::LineImporter`). The socket is read by the
//! ordinary client (reconnection, pings, frame-size limit) into a small channel; the importing
//! happens in a task of its own behind it, so a slow import holds the socket back through that
//! bounded channel (and TCP flow control) instead of queueing without end. What is recorded
//! and handed on is what following records: native frames, each keeping its source line under
//! `payload.foreign` (a replay gives the same session), the link's changes as they came, and a
//! frame that is not a line of X reported as a problem (`stream-health` counts it). The
//! connections are one input: when the source ends (stopped, or given up), the importer closes
//! what was left open as at the end of a file.

use tokio::sync::mpsc;

use super::budget::Budget;
use super::message::SourceMsg;
use super::recorder::Recorder;
use super::wire::{ClientConfig, Command};
use crate::core::import::{Format, LineImporter};
use crate::core::link::{Dir, LinkState};

/// Messages the socket may have read ahead of the importer.
const AHEAD: usize = 64;

/// A WebSocket read as format `format`.
#[derive(Debug)]
pub struct ForeignSocket {
    /// The socket's client (its own recorder and budget stay unset: what it reads is raw).
    pub client: ClientConfig,
    pub format: Format,
    /// Where the native frames are written as they are made (none: not recorded).
    pub recorder: Option<Recorder>,
    pub budget: Option<Budget>,
}

impl ForeignSocket {
    /// Reads `url`'s frames as `format` (`None` for orchscope's own frames: no importer).
    pub fn new(client: ClientConfig, format: Format) -> Option<ForeignSocket> {
        LineImporter::new(format)?;
        Some(ForeignSocket {
            client,
            format,
            recorder: None,
            budget: None,
        })
    }

    /// Records and hands on one message; false once nobody listens.
    async fn emit(&self, tx: &mpsc::Sender<SourceMsg>, msg: SourceMsg) -> bool {
        if let Some(r) = &self.recorder {
            r.record(&msg);
        }
        if let Some(b) = &self.budget {
            b.take(&msg).await;
        }
        tx.send(msg).await.is_ok()
    }

    /// Hands on what `importer` made of a line (or of the input's end) read at `t`.
    async fn imported(
        &self,
        tx: &mpsc::Sender<SourceMsg>,
        t: f64,
        imported: crate::core::import::Imported,
    ) -> bool {
        for msg in super::imported::messages(t, imported) {
            if !self.emit(tx, msg).await {
                return false;
            }
        }
        true
    }
}

impl ForeignSocket {
    /// Hands on how many events the importer holds, when that changed.
    async fn told(&self, tx: &mpsc::Sender<SourceMsg>, held: Option<SourceMsg>) -> bool {
        match held {
            Some(m) => self.emit(tx, m).await,
            None => true,
        }
    }
}

/// Runs the socket and its importer until the socket's client ends (`Shutdown`, given up).
pub async fn run(
    config: ForeignSocket,
    tx: mpsc::Sender<SourceMsg>,
    cmds: mpsc::Receiver<Command>,
) {
    let (raw_tx, mut raw) = mpsc::channel::<SourceMsg>(AHEAD);
    let mut client = config.client.clone();
    client.recorder = None;
    client.budget = None;
    let socket = tokio::spawn(super::websocket::run(client, raw_tx, cmds));
    let mut importer = LineImporter::new(config.format);
    let (mut last_t, mut told) = (0.0, 0);
    while let Some(msg) = raw.recv().await {
        let handed = match msg {
            SourceMsg::Frame {
                t,
                dir: Dir::In,
                text,
            } => {
                last_t = t;
                match importer.as_mut() {
                    Some(i) => {
                        let ok = config.imported(&tx, t, i.push(&text)).await;
                        let held = super::imported::pending(t, &mut told, i.pending());
                        ok && config.told(&tx, held).await
                    }
                    None => true,
                }
            }
            SourceMsg::Link {
                state: LinkState::GaveUp,
                t,
                ..
            } => {
                // The input's end: what it left open is closed before the link says so.
                let closed = importer.take().map(LineImporter::close);
                let ok = match closed {
                    Some(c) => config.imported(&tx, t, c).await,
                    None => true,
                };
                let held = super::imported::pending(t, &mut told, 0);
                let ok = ok && config.told(&tx, held).await;
                ok && config.emit(&tx, msg).await
            }
            other => config.emit(&tx, other).await,
        };
        if !handed {
            socket.abort();
            return;
        }
    }
    if let Some(i) = importer {
        let held = super::imported::pending(last_t, &mut told, 0);
        let _ = config.imported(&tx, last_t, i.close()).await && config.told(&tx, held).await;
    }
}
