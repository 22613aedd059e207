//! The streaming read of a recording or bare JSONL into a log, in three overlapping stages (see
//! `ordered`): reading and line splitting, frame parsing (both cores: fields, context hashes,
//! interner hashes), and — on the caller's thread, in order — interning and derivation. Batches
//! of items go round a fixed pool, so memory stays flat on a file of any size.

use crate::core::entry::{Decode, Entry, Frame, Other};
use crate::core::frame::{parse, ContextCache, Malformed};
use crate::core::intern::hash_str;
use crate::core::link::Dir;
use crate::core::log::Log;
use crate::core::parsed::{Parsed, TextOf};
use crate::core::recording::{FrameBody, Header, Item, Reader, Verbatim};
use crate::core::session::StreamIssue;
use std::borrow::Cow;
use std::io::{self, BufRead};
use std::sync::mpsc;

use super::ordered;

/// One item read, owning its text (frames point into their batch's text).
// Frames are nearly every item: boxing their parsed fields would allocate once per frame.
#[allow(clippy::large_enum_variant)]
enum Owned {
    Header(Header),
    Frame {
        t: Option<f64>,
        dir: Dir,
        range: (usize, usize),
        /// The text's byte offset in the input, when it is there verbatim.
        at: Option<u64>,
        /// The recording line of a `frame` record (split by layout, so not yet validated).
        json_line: Option<usize>,
        /// Filled in by the parsing stage.
        parsed: Option<Result<Parsed<Span>, Malformed>>,
    },
    Binary {
        t: Option<f64>,
        dir: Dir,
        bytes: Vec<u8>,
        /// Set for a text frame whose bytes are not UTF-8: where they stop being valid.
        bad: Option<u64>,
    },
    /// A link change, marker or note, as the log keeps it.
    Other(Other),
}

/// A run of items handed from the reading thread to the deriving one.
#[derive(Default)]
struct Batch {
    /// The frames' text, one after another.
    text: String,
    /// Strings that had escapes, unescaped.
    extra: String,
    items: Vec<Owned>,
}

/// Where a parsed string lives in its batch.
#[derive(Debug, Clone, Copy)]
struct Span {
    in_extra: bool,
    start: u32,
    end: u32,
    /// Computed on the parsing thread, so interning does not hash again.
    hash: u64,
}

impl TextOf<Span> for Batch {
    fn text<'a>(&'a self, s: &'a Span) -> &'a str {
        let buf = if s.in_extra { &self.extra } else { &self.text };
        buf.get(s.start as usize..s.end as usize).unwrap_or("")
    }

    fn hash(&self, s: &Span) -> Option<u64> {
        Some(s.hash)
    }
}

/// Items per batch: large enough to make hand-over cheap, small enough to keep memory flat.
pub(super) const BATCH: usize = 1024;
/// Batches in circulation between the threads.
const POOL: usize = 3 * ordered::WORKERS;

/// Streams a recording or bare JSONL into the log; returns the first header. Three stages
/// run at once: reading and line parsing, frame parsing (fields, context hashes; on both
/// cores), and — on this thread, in order — interning and derivation. Batches go round a
/// fixed pool.
pub(super) fn read_recording<R: BufRead + Send>(r: R, log: &mut Log) -> io::Result<Option<Header>> {
    let (empty_tx, empty_rx) = mpsc::channel::<Batch>();
    for _ in 0..POOL {
        let _ = empty_tx.send(Batch::default());
    }
    let mut header = None;
    let mut failed = None;
    ordered::in_order(
        move |send| read_stage(r, empty_rx, send),
        |cache: &mut ContextCache, batch: io::Result<Batch>| {
            batch.map(|mut b| {
                parse_batch(&mut b, cache);
                b
            })
        },
        |batch| match batch {
            Ok(mut batch) => {
                derive_batch(&mut batch, log, &mut header);
                let _ = empty_tx.send(batch);
                true
            }
            Err(e) => {
                failed = Some(e);
                false
            }
        },
    );
    match failed {
        Some(e) => Err(e),
        None => Ok(header),
    }
}

/// The last stage, for one batch: its items into the log, in order (the log applies every
/// per-entry rule, the duplicate-frame rule among them).
fn derive_batch(batch: &mut Batch, log: &mut Log, header: &mut Option<Header>) {
    let mut items = std::mem::take(&mut batch.items);
    for item in items.drain(..) {
        push_item(log, batch, item, header);
    }
    batch.text.clear();
    batch.extra.clear();
    batch.items = items;
}

/// One item into the log, in order (the log applies every per-entry rule); the first header is
/// kept in `header`, a later one starts a new segment.
fn push_item(log: &mut Log, batch: &Batch, item: Owned, header: &mut Option<Header>) {
    let entry = match item {
        Owned::Header(h) if header.is_none() => {
            *header = Some(h);
            return;
        }
        Owned::Header(_) => Entry::Other(Other::Segment),
        Owned::Frame {
            t,
            dir,
            range: (a, b),
            parsed,
            at,
            json_line: _,
        } => {
            let decoded = match parsed {
                Some(p) => p.map(|p| p.intern(&mut log.interner, batch)),
                None => Err(Malformed::NotJson),
            };
            Entry::Frame(Frame {
                t,
                dir,
                text: &batch.text[a..b],
                decode: Decode::Done(decoded),
                at,
            })
        }
        Owned::Binary { t, dir, bytes, bad } => {
            log.push(Entry::Bytes {
                t,
                dir,
                bytes: &bytes,
                invalid_utf8: bad,
            });
            return;
        }
        Owned::Other(other) => Entry::Other(other),
    };
    log.push(entry);
}

/// The first stage: lines into owned items, batch by batch. Lines are read straight into the
/// batch's text; a line stays there only when it holds a frame's text verbatim.
fn read_stage<R: BufRead>(
    r: R,
    empty: mpsc::Receiver<Batch>,
    send: &mut dyn FnMut(io::Result<Batch>) -> bool,
) {
    let mut reader = Reader::new(r).split_writer_layout(true);
    let Ok(mut batch) = empty.recv() else { return };
    let mut text = std::mem::take(&mut batch.text).into_bytes();
    loop {
        let start = text.len();
        let (mut owned, copy) = match reader.next_item_into(&mut text) {
            Ok(Some((item, verbatim))) => own(item, verbatim),
            Ok(None) => break,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        if !matches!(owned, Owned::Frame { at: Some(_), .. }) {
            text.truncate(start);
        }
        if let (Owned::Frame { range, .. }, Some(copy)) = (&mut owned, copy) {
            let a = text.len();
            text.extend_from_slice(copy.as_bytes());
            *range = (a, text.len());
        }
        batch.items.push(owned);
        if batch.items.len() >= BATCH {
            let Ok(mut next) = empty.recv() else { return };
            let full = std::mem::replace(&mut text, std::mem::take(&mut next.text).into_bytes());
            let ready = with_text(std::mem::replace(&mut batch, next), full);
            if !send(ready) {
                return;
            }
        }
    }
    send(with_text(batch, text));
}

/// A batch with its lines as text: they are valid UTF-8, as the reader kept only lines that
/// decoded as such.
fn with_text(mut batch: Batch, lines: Vec<u8>) -> io::Result<Batch> {
    batch.text =
        String::from_utf8(lines).map_err(|_| io::Error::other("a kept line is not UTF-8"))?;
    Ok(batch)
}

/// The second stage: every frame of a batch parsed, its strings as spans of the batch.
fn parse_batch(batch: &mut Batch, cache: &mut ContextCache) {
    let Batch { text, extra, items } = batch;
    for item in items.iter_mut() {
        let Owned::Frame {
            range: (start, end),
            parsed,
            json_line,
            ..
        } = item
        else {
            continue;
        };
        let s = &text[*start..*end];
        let result = parse(s, cache);
        if let (Some(line), Err(Malformed::NotJson)) = (*json_line, &result) {
            // A `frame` record whose frame is not JSON is not a valid recording line (frames
            // too deep to decode are valid JSON: those stay malformed frames).
            if serde_json::from_str::<serde::de::IgnoredAny>(s).is_err() {
                *item = Owned::Other(Other::Note(StreamIssue::BadLine {
                    line,
                    error: "not a valid recording line: its frame is not valid JSON".into(),
                }));
                continue;
            }
        }
        *parsed = Some(result.map(|p| {
            p.map(|cow| match cow {
                Cow::Borrowed(b) => {
                    let off = *start + (b.as_ptr() as usize - s.as_ptr() as usize);
                    Span {
                        in_extra: false,
                        start: off as u32,
                        end: (off + b.len()) as u32,
                        hash: hash_str(b),
                    }
                }
                Cow::Owned(o) => {
                    let off = extra.len();
                    extra.push_str(&o);
                    Span {
                        in_extra: true,
                        start: off as u32,
                        end: extra.len() as u32,
                        hash: hash_str(&o),
                    }
                }
            })
        }));
    }
}

/// An item read, owned; for a frame whose text its line does not hold verbatim, also the text
/// to copy into the batch (the caller sets its range then).
fn own(item: Item<'_>, verbatim: Option<Verbatim>) -> (Owned, Option<String>) {
    let frame = |t, dir, text: Cow<'_, str>, json_line| {
        let owned = Owned::Frame {
            t,
            dir,
            range: verbatim.map_or((0, 0), |v| v.range),
            at: verbatim.map(|v| v.at),
            json_line,
            parsed: None,
        };
        (owned, verbatim.is_none().then(|| text.into_owned()))
    };
    let owned = match item {
        Item::Header(h) => Owned::Header(h),
        Item::Frame { t, dir, body, line } => match body {
            FrameBody::Json(s) => return frame(t, dir, Cow::Borrowed(s), Some(line)),
            FrameBody::Text(s) => return frame(t, dir, s, None),
            FrameBody::Binary(bytes) => Owned::Binary {
                t,
                dir,
                bytes,
                bad: None,
            },
            FrameBody::InvalidText { bytes, valid_up_to } => Owned::Binary {
                t,
                dir,
                bytes,
                bad: Some(valid_up_to),
            },
        },
        Item::Link {
            t,
            state,
            reason,
            size,
            ..
        } => Owned::Other(Other::Link {
            t,
            state,
            reason,
            size,
        }),
        Item::Mark { t, text, .. } => Owned::Other(Other::Mark { t, text }),
        Item::Anchored { t, at, what, .. } => Owned::Other(Other::Anchored { t, at, what }),
        Item::Dropped { spans, reason, .. } => {
            Owned::Other(Other::Note(StreamIssue::Dropped { spans, reason }))
        }
        Item::Bad { line, error } => {
            Owned::Other(Other::Note(StreamIssue::BadLine { line, error }))
        }
        Item::TruncatedTail { line } => {
            Owned::Other(Other::Note(StreamIssue::TruncatedTail { line }))
        }
        Item::HeaderProblem { line, problem } => {
            Owned::Other(Other::Note(StreamIssue::Header { line, problem }))
        }
        Item::Padding { line, bytes } => {
            Owned::Other(Other::Note(StreamIssue::Padding { line, bytes }))
        }
    };
    (owned, None)
}
