//! The lines of an input read in batches on one thread, for the workers to peek and parse, and
//! the records they built given back to them to drop.

use std::io::Read as _;

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

/// Bytes read from the input at once, straight into a batch's text.
const BLOCK: u64 = 256 << 10;

/// The reading thread: lines in batches, until the end or nobody takes them. The input is read
/// a block at a time straight into the batch (no copy through a buffer), and split at its
/// newlines; a line cut by the end of a batch is carried into the next.
pub(super) fn read_lines(
    mut r: impl std::io::Read,
    pool: &Pool,
    send: &mut dyn FnMut(std::io::Result<Lines>) -> bool,
) -> std::io::Result<()> {
    let (mut n, mut seq) = (0, 0);
    let mut lines = Lines::from(pool);
    // Where the text not yet split into lines starts, and whether the input has ended.
    let (mut scan, mut ended) = (0, false);
    loop {
        // Lines carried over are split before more is read: a batch never holds more than its
        // lines and one block.
        if !ended && scan == lines.text.len() {
            ended = (&mut r).take(BLOCK).read_to_end(&mut lines.text)? == 0;
        }
        for i in memchr::memchr_iter(b'\n', &lines.text[scan..]) {
            n += 1;
            lines.ends.push((n, scan + i + 1));
            if lines.ends.len() >= BATCH_LINES {
                break;
            }
        }
        let split = lines.ends.last().map_or(0, |e| e.1);
        scan = if lines.ends.len() >= BATCH_LINES {
            split
        } else {
            lines.text.len()
        };
        if ended && scan == lines.text.len() && split < scan {
            // The last line, with no newline after it.
            n += 1;
            lines.ends.push((n, scan));
        }
        let full = lines.ends.len() >= BATCH_LINES || lines.text.len() >= BATCH_BYTES;
        if (full || ended) && !lines.ends.is_empty() {
            let cut = lines.ends.last().map_or(0, |e| e.1);
            let mut next = Lines::from(pool);
            next.text.extend_from_slice(&lines.text[cut..]);
            lines.text.truncate(cut);
            scan -= cut;
            lines.seq = seq;
            seq += 1;
            if !send(Ok(std::mem::replace(&mut lines, next))) {
                return Ok(());
            }
        }
        if ended && lines.text.is_empty() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines a reader hands on, each with its number, as text; and the batches' ranks.
    fn read(input: &[u8]) -> (Vec<(usize, String)>, Vec<usize>) {
        let pool = Pool::default();
        let (mut got, mut seqs) = (Vec::new(), Vec::new());
        read_lines(input, &pool, &mut |batch| {
            let batch = batch.expect("in memory");
            assert!(!batch.ends.is_empty());
            let longest = batch.ends.windows(2).map(|w| w[1].1 - w[0].1).max();
            // What the batch grew to while it was read: its lines and a block or two.
            let bound = 2 * (BATCH_BYTES + 2 * BLOCK as usize + longest.unwrap_or(0));
            assert!(
                batch.text.capacity() <= bound,
                "a batch of {} lines grew to {} bytes",
                batch.ends.len(),
                batch.text.capacity()
            );
            seqs.push(batch.seq);
            let mut start = 0;
            for &(n, end) in &batch.ends {
                got.push((
                    n,
                    String::from_utf8_lossy(&batch.text[start..end]).into_owned(),
                ));
                start = end;
            }
            assert_eq!(start, batch.text.len(), "a batch holds whole lines only");
            true
        })
        .expect("read");
        (got, seqs)
    }

    /// What `BufRead::read_until` gives, line after line.
    fn expected(input: &[u8]) -> Vec<(usize, String)> {
        let mut r = input;
        let mut out = Vec::new();
        loop {
            let mut line = Vec::new();
            let got = std::io::BufRead::read_until(&mut r, b'\n', &mut line).expect("read");
            if got == 0 {
                return out;
            }
            out.push((out.len() + 1, String::from_utf8_lossy(&line).into_owned()));
        }
    }

    #[test]
    fn lines_come_whole_numbered_and_in_order_whatever_the_batches() {
        let long = "x".repeat(3 * BLOCK as usize + 17);
        let many: String = (0..3 * BATCH_LINES).map(|i| format!("{i}\n")).collect();
        // Far more lines in a block than a batch takes.
        let short: String = (0..1_500_000).map(|i| format!("{i:08}\n")).collect();
        let cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            b"a\n".to_vec(),
            b"\n\n{\"x\":1}\r\n\nlast".to_vec(),
            format!("a\n{long}\nb\n{long}").into_bytes(),
            many.clone().into_bytes(),
            format!("{many}tail").into_bytes(),
            short.into_bytes(),
        ];
        for input in cases {
            let (got, seqs) = read(&input);
            assert_eq!(got, expected(&input), "{} bytes", input.len());
            assert_eq!(seqs, (0..seqs.len()).collect::<Vec<_>>());
        }
        assert!(read(many.as_bytes()).1.len() >= 3, "batches are bounded");
    }
}
