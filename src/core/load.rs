//! Opening an input: a recording, bare JSONL, or another framework's stream (detected from
//! the first lines, or named with `--format-in`), fed into a [`Log`]. Recordings and bare JSONL
//! are streamed line by line (a 400 MB file is never held whole); foreign formats go through
//! their importer. Errors a user can make come back as one plain sentence.

use super::carries::Carries;
use super::frame::{parse, ContextCache, Malformed};
use super::import::{self, Format};
use super::intern::hash_str;
use super::link::{Dir, LinkState};
use super::log::{Keep, Log};
use super::parsed::{Parsed, TextOf};
use super::recording::{FrameBody, Header, Item, Reader};
use super::session::StreamIssue;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::mpsc;

/// How many non-blank, non-`#` lines detection looks at.
const DETECT_LINES: usize = 5;

/// What was opened.
pub struct Loaded {
    pub log: Log,
    pub format: Format,
    pub carries: Carries,
    pub header: Option<Header>,
}

/// Why an input could not be opened.
#[derive(Debug)]
pub enum LoadError {
    Io {
        source: String,
        error: io::Error,
    },
    /// The first line is not a JSON object, so no format matches.
    Unrecognized {
        source: String,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { source, error } if error.kind() == io::ErrorKind::NotFound => {
                write!(f, "{source}: no such file")
            }
            LoadError::Io { source, error } => write!(f, "{source}: cannot read: {error}"),
            LoadError::Unrecognized { source } => write!(
                f,
                "{source}: not a recording or a known event stream (the first line is not a JSON object); name the format with --format-in"
            ),
        }
    }
}

/// Opens a file (or `-` for stdin) into a finished log.
pub fn load(source: &str, format_in: Option<Format>, keep: Keep) -> Result<Loaded, LoadError> {
    let io_err = |error| LoadError::Io {
        source: source.to_string(),
        error,
    };
    if source == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes).map_err(io_err)?;
        return load_reader(source, &bytes[..], format_in, keep);
    }
    let path = Path::new(source);
    if path.is_dir() {
        return Err(io_err(io::Error::other("is a directory")));
    }
    let file = File::open(path).map_err(io_err)?;
    load_reader(
        source,
        BufReader::with_capacity(256 << 10, file),
        format_in,
        keep,
    )
}

/// Reads any buffered input into a finished log.
pub fn load_reader<R: BufRead + Send>(
    source: &str,
    mut r: R,
    format_in: Option<Format>,
    keep: Keep,
) -> Result<Loaded, LoadError> {
    let io_err = |error| LoadError::Io {
        source: source.to_string(),
        error,
    };
    // Detection needs the first lines; keep what was read and chain it back in front.
    let mut head = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    while lines.len() < DETECT_LINES {
        let start = head.len();
        let n = r.read_until(b'\n', &mut head).map_err(io_err)?;
        if n == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&head[start..]).trim().to_string();
        if !line.is_empty() && !line.starts_with('#') {
            lines.push(line);
        }
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let format = match format_in {
        Some(f) => f,
        None if refs.is_empty() => Format::Jsonl,
        None => import::detect(&refs).ok_or_else(|| LoadError::Unrecognized {
            source: source.to_string(),
        })?,
    };
    let chained = io::Cursor::new(head).chain(r);
    let mut log = Log::new(keep);
    let header = match format {
        Format::Orchscope | Format::Jsonl => {
            read_recording(BufReader::new(chained), &mut log).map_err(io_err)?
        }
        foreign => {
            let mut bytes = Vec::new();
            BufReader::new(chained)
                .read_to_end(&mut bytes)
                .map_err(io_err)?;
            let imported = import::import(foreign, &String::from_utf8_lossy(&bytes));
            for frame in &imported.frames {
                log.push_frame(None, super::link::Dir::In, &frame.text);
            }
            for p in imported.problems {
                log.push_note(StreamIssue::Import {
                    line: p.line,
                    message: p.message,
                });
            }
            None
        }
    };
    log.finish();
    Ok(Loaded {
        log,
        format,
        carries: format.carries(),
        header,
    })
}

/// One item read, owning its text (frames point into their batch's text).
// Frames are nearly every item: boxing their parsed fields would allocate once per frame.
#[allow(clippy::large_enum_variant)]
enum Owned {
    Header(Header),
    Frame {
        t: Option<f64>,
        dir: Dir,
        range: (usize, usize),
        /// The recording line of a `frame` record (split by layout, so not yet validated).
        json_line: Option<usize>,
        /// Filled in by the parsing stage.
        parsed: Option<Result<Parsed<Span>, Malformed>>,
    },
    Binary {
        t: Option<f64>,
        dir: Dir,
        len: usize,
    },
    Link {
        t: Option<f64>,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    },
    Mark {
        t: Option<f64>,
        text: String,
    },
    Note(StreamIssue),
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
const BATCH: usize = 1024;
/// Batches in circulation between the two threads.
const POOL: usize = 3;
/// Threads parsing frames at once (besides the reading and the deriving one).
const PARSERS: usize = 2;

/// Streams a recording or bare JSONL into the log; returns the first header. Three stages
/// run at once: reading and line parsing, frame parsing (fields, context hashes; two threads),
/// and — on this thread, in order — interning and derivation. Batches go round a fixed pool.
fn read_recording<R: BufRead + Send>(r: R, log: &mut Log) -> io::Result<Option<Header>> {
    // Batches alternate between the parsers and are taken back in the same alternation, so the
    // order of the log is kept while both parse at once.
    let mut to_parsers = Vec::new();
    let mut from_parsers = Vec::new();
    let mut parsers = Vec::new();
    for _ in 0..PARSERS {
        let (in_tx, in_rx) = mpsc::sync_channel::<io::Result<Batch>>(POOL);
        let (out_tx, out_rx) = mpsc::sync_channel::<io::Result<Batch>>(POOL);
        to_parsers.push(in_tx);
        from_parsers.push(out_rx);
        parsers.push((in_rx, out_tx));
    }
    let (empty_tx, empty_rx) = mpsc::channel::<Batch>();
    for _ in 0..POOL * PARSERS {
        let _ = empty_tx.send(Batch::default());
    }
    std::thread::scope(|scope| {
        scope.spawn(move || read_stage(r, empty_rx, to_parsers));
        for (in_rx, out_tx) in parsers {
            scope.spawn(move || {
                let mut cache = ContextCache::default();
                for batch in in_rx {
                    let batch = batch.map(|mut b| {
                        parse_batch(&mut b, &mut cache);
                        b
                    });
                    if out_tx.send(batch).is_err() {
                        return;
                    }
                }
            });
        }
        let parsed_rx = (0..).map_while(|i| from_parsers[i % PARSERS].recv().ok());
        let mut header = None;
        // The previous frame (for the duplicate check): within a batch by range, across
        // batches by a copy of the last one.
        let mut last: Option<(Dir, String)> = None;
        for batch in parsed_rx {
            let mut batch = batch?;
            let mut items = std::mem::take(&mut batch.items);
            let mut prev: Option<(Dir, usize, usize)> = None;
            let mut broken = false;
            for item in items.drain(..) {
                // A binary frame or a link change between two frames breaks "twice in a row".
                if matches!(&item, Owned::Binary { .. })
                    || matches!(&item, Owned::Link { state, .. } if *state != LinkState::Reconnecting)
                {
                    prev = None;
                    broken = true;
                }
                match item {
                    Owned::Header(h) => {
                        header.get_or_insert(h);
                    }
                    Owned::Frame {
                        t,
                        dir,
                        range: (a, b),
                        parsed,
                        json_line: _,
                    } => {
                        let decoded = match parsed {
                            Some(p) => p.map(|p| p.intern(&mut log.interner, &batch)),
                            None => Err(Malformed::NotJson),
                        };
                        let text = &batch.text[a..b];
                        let duplicate = match prev {
                            Some((d, pa, pb)) => d == dir && &batch.text[pa..pb] == text,
                            None => {
                                !broken
                                    && last.as_ref().is_some_and(|(d, l)| *d == dir && l == text)
                            }
                        };
                        prev = Some((dir, a, b));
                        log.push_decoded(t, dir, text, decoded, Some(duplicate));
                    }
                    Owned::Binary { t, dir, len } => log.push_binary(t, dir, len),
                    Owned::Link {
                        t,
                        state,
                        reason,
                        size,
                    } => log.push_link(t, state, reason, size),
                    Owned::Mark { t, text } => log.push_mark(t, text),
                    Owned::Note(issue) => log.push_note(issue),
                }
            }
            if let Some((d, a, b)) = prev {
                let slot = last.get_or_insert_with(|| (d, String::new()));
                slot.0 = d;
                slot.1.clear();
                slot.1.push_str(&batch.text[a..b]);
            } else if broken {
                last = None;
            }
            batch.text.clear();
            batch.extra.clear();
            batch.items = items;
            let _ = empty_tx.send(batch);
        }
        Ok(header)
    })
}

/// The first stage: lines into owned items, batch by batch.
fn read_stage<R: BufRead>(
    r: R,
    empty: mpsc::Receiver<Batch>,
    out: Vec<mpsc::SyncSender<io::Result<Batch>>>,
) {
    let mut reader = Reader::new(r).split_writer_layout(true);
    let mut sent = 0usize;
    let mut send = |b: io::Result<Batch>| {
        let ok = out[sent % out.len()].send(b).is_ok();
        sent += 1;
        ok
    };
    let Ok(mut batch) = empty.recv() else { return };
    loop {
        let item = match reader.next_item() {
            Ok(Some(item)) => item,
            Ok(None) => break,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        let owned = own(item, &mut batch.text);
        batch.items.push(owned);
        if batch.items.len() >= BATCH {
            let Ok(next) = empty.recv() else { return };
            if !send(Ok(std::mem::replace(&mut batch, next))) {
                return;
            }
        }
    }
    send(Ok(batch));
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
                *item = Owned::Note(StreamIssue::BadLine {
                    line,
                    error: "not a valid recording line: its frame is not valid JSON".into(),
                });
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

fn own(item: Item<'_>, text: &mut String) -> Owned {
    let mut frame = |t, dir, s: &str, json_line| {
        let start = text.len();
        text.push_str(s);
        Owned::Frame {
            t,
            dir,
            range: (start, text.len()),
            json_line,
            parsed: None,
        }
    };
    match item {
        Item::Header(h) => Owned::Header(h),
        Item::Frame { t, dir, body, line } => match body {
            FrameBody::Json(s) => frame(t, dir, s, Some(line)),
            FrameBody::Text(s) => frame(t, dir, &s, None),
            FrameBody::Binary(bytes) => Owned::Binary {
                t,
                dir,
                len: bytes.len(),
            },
        },
        Item::Link {
            t,
            state,
            reason,
            size,
            ..
        } => Owned::Link {
            t,
            state,
            reason,
            size,
        },
        Item::Mark { t, text, .. } => Owned::Mark { t, text },
        Item::Bad { line, error } => Owned::Note(StreamIssue::BadLine { line, error }),
        Item::TruncatedTail { line } => Owned::Note(StreamIssue::TruncatedTail { line }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicates(text: &str) -> Vec<u32> {
        let loaded = load_reader("test", text.as_bytes(), None, Keep::Summary).expect("load");
        loaded
            .log
            .session()
            .stream
            .iter()
            .filter_map(|i| match i {
                StreamIssue::Duplicate { pos } => Some(*pos),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn duplicates_are_found_within_and_across_batches() {
        let mut lines: Vec<String> = (0..BATCH + 10)
            .map(|i| format!(r#"{{"type":"ping","payload":{{"n":{i}}}}}"#))
            .collect();
        // Within a batch, and straddling the first batch boundary.
        lines[11] = lines[10].clone();
        lines[BATCH] = lines[BATCH - 1].clone();
        assert_eq!(
            duplicates(&(lines.join("\n") + "\n")),
            vec![11, BATCH as u32]
        );
    }

    #[test]
    fn the_headless_pipeline_derives_what_the_log_derives() {
        let mut text = String::new();
        for run in 0..300 {
            text.push_str(&format!(
                "{{\"type\":\"agent_started\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"context\":{{\"user_request\":\"q\\u00e9{run}\"}}}}}}\n\
                 {{\"type\":\"tool_executing\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"tool_name\":\"t\\\"x\",\"tool_call_id\":\"c{run}\"}}}}\n\
                 not json {run}\n\
                 {{\"type\":\"tool_completed\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\",\"tool_name\":\"t\\\"x\",\"tool_call_id\":\"c{run}\"}}}}\n\
                 {{\"type\":\"agent_completed\",\"payload\":{{\"run_id\":\"r{run}\",\"agent_name\":\"sup\"}}}}\n"
            ));
        }
        let piped = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
        let mut direct = Log::new(Keep::Summary);
        for line in text.lines() {
            direct.push_frame(None, Dir::In, line);
        }
        direct.finish();
        let a = crate::core::summary::build(piped.log.session(), &piped.log.interner, "x");
        let b = crate::core::summary::build(direct.session(), &direct.interner, "x");
        assert_eq!(
            serde_json::to_string(&a).ok(),
            serde_json::to_string(&b).ok()
        );
        assert_eq!(piped.log.session().stream.len(), 300);
        assert_eq!(piped.log.session().calls.len(), 300);
    }

    #[test]
    fn frames_split_by_layout_are_still_checked() {
        let deep = format!("{}1{}", "[".repeat(500), "]".repeat(500));
        let text = format!(
            "{{\"orchscope_recording\":1}}\n\
             {{\"t\":0.1,\"dir\":\"in\",\"frame\":{{\"type\":\"ping\"}}}}\n\
             {{\"t\":0.2,\"dir\":\"in\",\"frame\":{{\"type\":\"a\u{0}b\"}}}}\n\
             {{\"t\":0.3,\"dir\":\"in\",\"frame\":{{\"type\":\"x\",\"d\":{deep}}}}}\n\
             {{\"t\":0.4,\"dir\":\"out\",\"frame\":{{\"type\":\"user_message\"}}}}\n"
        );
        let loaded = load_reader("x", text.as_bytes(), None, Keep::Summary).expect("load");
        let s = loaded.log.session();
        assert_eq!(
            loaded.log.frames(),
            3,
            "the line with a raw NUL is not a frame"
        );
        assert!(
            s.stream
                .iter()
                .any(|i| matches!(i, StreamIssue::BadLine { line: 3, .. })),
            "{:?}",
            s.stream
        );
        assert!(
            s.stream
                .iter()
                .any(|i| matches!(i, StreamIssue::UnknownType { pos: 1, .. })),
            "{:?}",
            s.stream
        );
        assert_eq!(s.messages.len(), 1);
        assert_eq!(s.facts[2].dir, Dir::Out);
        assert_eq!(s.facts[2].at.recv(), Some(400.0));
    }
}
