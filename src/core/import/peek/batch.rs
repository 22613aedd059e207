//! The lines of an input read in batches on one thread, for the workers to peek and parse, and
//! the records they built given back to them to drop.

use super::Rec;
use crate::core::load::ordered::WORKERS;

/// Lines read at once: a batch holds this many lines or this many bytes, whichever comes first.
const BATCH_LINES: usize = 1024;
const BATCH_BYTES: usize = 1 << 20;

/// Lines read, one after another, with their numbers and where each ends.
pub(super) struct Lines {
    /// The batch's rank in the input (so which worker parses it: see [`Graves`]).
    pub seq: usize,
    pub text: Vec<u8>,
    /// (line number, end of the line in `text`).
    pub ends: Vec<(usize, usize)>,
}

/// Batches the workers are done with, for the reader to fill again (never more than were in
/// flight at once).
pub(super) type Pool = std::sync::Mutex<Vec<Lines>>;

impl Lines {
    /// An empty batch: one handed back, else a new one sized for a whole batch.
    pub(super) fn from(pool: &Pool) -> Lines {
        match pool.lock().ok().and_then(|mut p| p.pop()) {
            Some(mut lines) => {
                lines.text.clear();
                lines.ends.clear();
                lines
            }
            None => Lines {
                seq: 0,
                text: Vec::with_capacity(BATCH_BYTES + (64 << 10)),
                ends: Vec::with_capacity(BATCH_LINES),
            },
        }
    }

    /// The batch handed back once read.
    pub(super) fn give_back(self, pool: &Pool) {
        if let Ok(mut p) = pool.lock() {
            p.push(self);
        }
    }
}

/// Records a reader is done with, per worker: each is dropped by the worker that built it
/// (before its next batch), where freeing it is cheapest — a record freed on another thread
/// waits on the lock of the allocator's arena that worker is allocating from.
#[derive(Default)]
pub(super) struct Graves([std::sync::Mutex<Vec<Rec>>; WORKERS]);

impl Graves {
    /// Records worker `k` built, handed back to it.
    pub(super) fn hand(&self, k: usize, spent: &mut Vec<Rec>) {
        if !spent.is_empty() {
            if let Ok(mut grave) = self.0[k].lock() {
                grave.append(spent);
            }
        }
    }

    /// Worker `k` drops what was handed back to it.
    pub(super) fn bury(&self, k: usize) {
        let dead = self.0[k].lock().map(|mut g| std::mem::take(&mut *g));
        drop(dead);
    }
}

/// The reading thread: lines in batches, until the end or nobody takes them.
pub(super) fn read_lines(
    mut r: impl std::io::BufRead,
    pool: &Pool,
    send: &mut dyn FnMut(std::io::Result<Lines>) -> bool,
) -> std::io::Result<()> {
    let mut n = 0;
    let mut lines = Lines::from(pool);
    let mut seq = 0;
    loop {
        let got = r.read_until(b'\n', &mut lines.text)?;
        if got > 0 {
            n += 1;
            lines.ends.push((n, lines.text.len()));
        }
        let full = lines.ends.len() >= BATCH_LINES || lines.text.len() >= BATCH_BYTES;
        if (got == 0 || full) && !lines.ends.is_empty() {
            lines.seq = seq;
            seq += 1;
            if !send(Ok(std::mem::replace(&mut lines, Lines::from(pool)))) {
                return Ok(());
            }
        }
        if got == 0 {
            return Ok(());
        }
    }
}
