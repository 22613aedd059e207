//! Opening an input: a recording, bare JSONL, or another framework's stream (detected from
//! the first lines, or named with `--format-in`), fed into a [`Log`]. Recordings and bare JSONL
//! are streamed line by line (a 400 MB file is never held whole); foreign formats go through
//! their importer. Errors a user can make come back as one plain sentence.

use super::carries::Carries;
use super::event::Kind;
use super::import::{self, Format};
use super::log::{Keep, Log};
use super::recording::Header;
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
    /// Fields of a foreign format orchscope does not know (empty for its own formats).
    pub unknowns: Vec<import::Unknown>,
}

/// Why an input could not be opened.
#[derive(Debug)]
pub enum LoadError {
    Io {
        source: String,
        error: io::Error,
    },
    /// No byte but blanks and `#` comments.
    Empty {
        source: String,
    },
    /// No importer recognises the input.
    Unrecognized {
        source: String,
        why: &'static str,
    },
    /// The input was read as `format` (named with `--format-in`, or detected) and holds
    /// nothing of it.
    NotFormat {
        source: String,
        format: Format,
        named: bool,
    },
}

/// What detection tries, in its order (importers.md), for the message that says so.
const TRIED: &str =
    "an orchscope recording, otlp, langgraph, openai-agents, codex, claude-code and bare frames";

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Io { source, error } if error.kind() == io::ErrorKind::NotFound => {
                write!(f, "{source}: no such file")
            }
            LoadError::Io { source, error } => write!(f, "{source}: cannot read: {error}"),
            LoadError::Empty { source } => write!(f, "{source}: empty file"),
            LoadError::Unrecognized { source, why } => write!(
                f,
                "{source}: no importer recognises this input ({why}; tried {TRIED}); name the format with --format-in"
            ),
            LoadError::NotFormat {
                source,
                format,
                named: true,
            } => write!(
                f,
                "{source}: not {} input (--format-in {}): nothing in it could be read as that format",
                format.name(),
                format.name()
            ),
            LoadError::NotFormat {
                source, format, ..
            } => write!(
                f,
                "{source}: looked like {} input, but nothing in it could be read as that format; name the format with --format-in",
                format.name()
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
    let mut log = Log::new(keep);
    // Frames read verbatim from the file keep their text there, not in memory.
    if let Ok(backing) = file.try_clone() {
        log.back_with(backing);
    }
    load_into(
        source,
        Some(path),
        BufReader::with_capacity(256 << 10, file),
        format_in,
        log,
    )
}

/// Reads any buffered input into a finished log.
pub fn load_reader<R: BufRead + Send>(
    source: &str,
    r: R,
    format_in: Option<Format>,
    keep: Keep,
) -> Result<Loaded, LoadError> {
    load_into(source, None, r, format_in, Log::new(keep))
}

fn load_into<R: BufRead + Send>(
    source: &str,
    path: Option<&Path>,
    mut r: R,
    format_in: Option<Format>,
    mut log: Log,
) -> Result<Loaded, LoadError> {
    let io_err = |error| LoadError::Io {
        source: source.to_string(),
        error,
    };
    // Detection needs the first lines; keep what was read and chain it back in front.
    let (head, lines, at_end) = first_lines(&mut r).map_err(io_err)?;
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    if refs.is_empty() && at_end {
        // Nothing at all, or only blank and `#` lines.
        return Err(LoadError::Empty {
            source: source.to_string(),
        });
    }
    let format = match format_in {
        Some(f) => f,
        None if refs.is_empty() => Format::Jsonl,
        None => import::detect(&refs).ok_or_else(|| LoadError::Unrecognized {
            source: source.to_string(),
            why: "the first line is not a JSON object",
        })?,
    };
    let not_format = || LoadError::NotFormat {
        source: source.to_string(),
        format,
        named: format_in.is_some(),
    };
    let chained = io::Cursor::new(head).chain(r);
    let mut unknowns = Vec::new();
    let header = match format {
        Format::Orchscope | Format::Jsonl => {
            read_recording(BufReader::new(chained), &mut log).map_err(io_err)?
        }
        foreign => {
            let imported = import_foreign(foreign, path, chained, &mut log).map_err(io_err)?;
            if imported.frames.is_empty() && imported.streamed == 0 {
                return Err(not_format());
            }
            unknowns = push_imported(&mut log, imported);
            None
        }
    };
    log.finish();
    if header.is_none() && matches!(format, Format::Orchscope | Format::Jsonl) {
        // Bare lines: at least one must be a frame orchscope knows, or nothing was read.
        let s = log.session();
        let known = s.events - s.kind_counts.get(&Kind::Other).copied().unwrap_or(0);
        if known == 0 {
            return Err(match format_in {
                Some(_) => not_format(),
                None => LoadError::Unrecognized {
                    source: source.to_string(),
                    why: "no line is a frame of a known event type",
                },
            });
        }
    }
    // Frames imported live (a followed file, a WebSocket read as another format) are judged
    // as the format they came from, as they were while live.
    let from = (matches!(format, Format::Orchscope | Format::Jsonl))
        .then(|| refs.iter().find_map(|l| recorded_from(l)))
        .flatten();
    Ok(Loaded {
        log,
        format,
        carries: from.unwrap_or(format).carries(),
        header,
        unknowns,
    })
}

/// The foreign format a recorded (or bare) native frame was imported from, if it was.
fn recorded_from(line: &str) -> Option<Format> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let frame = v.get("frame").unwrap_or(&v);
    let name = frame
        .get("payload")?
        .get("foreign")?
        .get("format")?
        .as_str()?;
    Format::from_name(name)
}

/// The first lines detection looks at (non-blank, not `#`), the bytes read for them, and
/// whether the input ended there. A line longer than any line read is not looked at (nor
/// held whole).
fn first_lines(r: &mut impl BufRead) -> io::Result<(Vec<u8>, Vec<String>, bool)> {
    let mut head = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let cap = super::recording::DEFAULT_MAX_LINE as u64 + 1;
    let mut at_end = false;
    while lines.len() < DETECT_LINES {
        let start = head.len();
        let n = r.take(cap).read_until(b'\n', &mut head)?;
        at_end = n == 0;
        if n == 0 || (n as u64 == cap && head.last() != Some(&b'\n')) {
            break;
        }
        let line = String::from_utf8_lossy(&head[start..]).trim().to_string();
        if !line.is_empty() && !line.starts_with('#') {
            lines.push(line);
        }
    }
    Ok((head, lines, at_end))
}

mod foreign;
use foreign::{import_foreign, push_imported};
pub(crate) mod ordered;
mod pipeline;
use pipeline::read_recording;

#[cfg(test)]
mod tests;
