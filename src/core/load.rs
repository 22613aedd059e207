//! Opening an input: a recording, bare JSONL, or another framework's stream (detected from
//! the first lines, or named with `--format-in`), fed into a [`Log`]. Recordings and bare JSONL
//! are streamed line by line (a 400 MB file is never held whole); foreign formats go through
//! their importer. Errors a user can make come back as one plain sentence.

use super::carries::Carries;
use super::import::{self, Format};
use super::link::{Dir, LinkState};
use super::log::{Keep, Log};
use super::recording::{FrameBody, Header, Item, Reader};
use super::session::StreamIssue;
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
enum Owned {
    Header(Header),
    Frame {
        t: Option<f64>,
        dir: Dir,
        range: (usize, usize),
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
    text: String,
    items: Vec<Owned>,
}

/// Items per batch: large enough to make hand-over cheap, small enough to keep memory flat.
const BATCH: usize = 2048;
/// Batches in circulation between the two threads.
const POOL: usize = 4;

/// Streams a recording or bare JSONL into the log; returns the first header. Reading and
/// line parsing run on a second thread while this one decodes and derives, in order.
fn read_recording<R: BufRead + Send>(r: R, log: &mut Log) -> io::Result<Option<Header>> {
    let (full_tx, full_rx) = mpsc::sync_channel::<io::Result<Batch>>(POOL);
    let (empty_tx, empty_rx) = mpsc::channel::<Batch>();
    // A fixed pool of batches goes round: no allocation in the steady state.
    for _ in 0..POOL {
        let _ = empty_tx.send(Batch::default());
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut reader = Reader::new(r);
            let Ok(mut batch) = empty_rx.recv() else {
                return;
            };
            loop {
                let item = match reader.next_item() {
                    Ok(Some(item)) => item,
                    Ok(None) => break,
                    Err(e) => {
                        let _ = full_tx.send(Err(e));
                        return;
                    }
                };
                batch.items.push(own(item, &mut batch.text));
                if batch.items.len() >= BATCH {
                    let Ok(next) = empty_rx.recv() else { return };
                    if full_tx
                        .send(Ok(std::mem::replace(&mut batch, next)))
                        .is_err()
                    {
                        return;
                    }
                }
            }
            let _ = full_tx.send(Ok(batch));
        });
        let mut header = None;
        for batch in full_rx {
            let mut batch = batch?;
            for item in batch.items.drain(..) {
                match item {
                    Owned::Header(h) => {
                        header.get_or_insert(h);
                    }
                    Owned::Frame {
                        t,
                        dir,
                        range: (a, b),
                    } => log.push_frame(t, dir, &batch.text[a..b]),
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
            batch.text.clear();
            let _ = empty_tx.send(batch);
        }
        Ok(header)
    })
}

fn own(item: Item<'_>, text: &mut String) -> Owned {
    let mut frame = |t, dir, s: &str| {
        let start = text.len();
        text.push_str(s);
        Owned::Frame {
            t,
            dir,
            range: (start, text.len()),
        }
    };
    match item {
        Item::Header(h) => Owned::Header(h),
        Item::Frame { t, dir, body, .. } => match body {
            FrameBody::Json(s) => frame(t, dir, s),
            FrameBody::Text(s) => frame(t, dir, &s),
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
