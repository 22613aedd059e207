//! Opening an input: a recording, bare JSONL, or another framework's stream (detected from
//! the first lines, or named with `--format-in`), fed into a [`Log`]. Recordings and bare JSONL
//! are streamed line by line (a 400 MB file is never held whole); foreign formats go through
//! their importer. Errors a user can make come back as one plain sentence.

use super::carries::Carries;
use super::import::{self, Format};
use super::log::{Keep, Log};
use super::recording::{FrameBody, Header, Item, Reader};
use super::session::StreamIssue;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

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
pub fn load_reader<R: BufRead>(
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

/// Streams a recording or bare JSONL into the log; returns the first header.
fn read_recording<R: BufRead>(r: R, log: &mut Log) -> io::Result<Option<Header>> {
    let mut reader = Reader::new(r);
    let mut header = None;
    while let Some(item) = reader.next_item()? {
        match item {
            Item::Header(h) => {
                header.get_or_insert(h);
            }
            Item::Frame { t, dir, body, .. } => match body {
                FrameBody::Json(text) => log.push_frame(t, dir, text),
                FrameBody::Text(text) => log.push_frame(t, dir, &text),
                FrameBody::Binary(bytes) => log.push_binary(t, dir, bytes.len()),
            },
            Item::Link {
                t,
                state,
                reason,
                size,
                ..
            } => log.push_link(t, state, reason, size),
            Item::Mark { t, text, .. } => log.push_mark(t, text),
            Item::Bad { line, error } => log.push_note(StreamIssue::BadLine { line, error }),
            Item::TruncatedTail { line } => log.push_note(StreamIssue::TruncatedTail { line }),
        }
    }
    Ok(header)
}
