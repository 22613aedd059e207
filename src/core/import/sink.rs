//! Frames and markers an importer hands on as it makes them, in batches, to a log on another
//! thread: an import at scale never holds its frames.

use super::ImportedFrame;

/// What an importer hands on as it goes, in order: a frame, or a marker before the next one.
pub enum Emitted {
    Frame(ImportedFrame),
    Mark(String),
    /// Everything handed on before is taken back: the import starts over.
    Restart,
}

/// Frames and markers handed on as they are made, in batches (to a log on another thread),
/// instead of collected: an import at scale never holds its frames.
pub struct Sink {
    tx: std::sync::mpsc::SyncSender<Vec<Emitted>>,
    buf: Vec<Emitted>,
}

/// What a sink hands on at once.
const SINK_BATCH: usize = 512;

impl Sink {
    /// A sink, and where its batches arrive.
    pub fn channel() -> (Sink, std::sync::mpsc::Receiver<Vec<Emitted>>) {
        let (tx, rx) = std::sync::mpsc::sync_channel(4);
        let buf = Vec::with_capacity(SINK_BATCH);
        (Sink { tx, buf }, rx)
    }

    pub(super) fn push(&mut self, e: Emitted) {
        self.buf.push(e);
        if self.buf.len() >= SINK_BATCH {
            self.flush();
        }
    }

    pub(super) fn flush(&mut self) {
        if !self.buf.is_empty() {
            let batch = std::mem::replace(&mut self.buf, Vec::with_capacity(SINK_BATCH));
            // Nobody reading any more: what is left is not wanted.
            let _ = self.tx.send(batch);
        }
    }

    /// What was handed on is taken back, what was not yet is dropped: the import starts over.
    pub(super) fn restart(&mut self) {
        self.buf.clear();
        self.push(Emitted::Restart);
        self.flush();
    }
}
