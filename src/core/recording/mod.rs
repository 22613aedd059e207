//! The recording file format (spec: recording.md): the vocabulary shared by the streaming
//! reader and the append-only writer. A recording is JSON Lines: a header line, then one line
//! per frame, link change, marker or note. A file without the header is read as bare JSONL (one frame
//! per line, no timing). This module owns the record types; `reader` turns bytes into items one
//! line at a time and `writer` appends lines, flushing each.

mod classify;
mod line;
mod reader;
mod writer;

pub use classify::is_recording_line;
pub use reader::{open, Reader, Verbatim, DEFAULT_MAX_LINE};
pub use writer::{default_file_name, replace_file, Existing, Writer};

use std::borrow::Cow;

/// The format version written in, and accepted from, the header's `orchscope_recording` key.
pub const FORMAT_VERSION: u32 = 1;

pub use super::link::{Dir, LinkState};

/// The header line: `{"orchscope_recording": 1, "started_at": …, "source": …, "title": …,
/// "meta": {}}`. Every field is optional when reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    /// RFC 3339 wall-clock time at which `t` = 0.
    pub started_at: Option<String>,
    /// Where the frames came from, e.g. `{"kind": "websocket", "url": "ws://…"}`.
    pub source: Option<serde_json::Value>,
    pub title: Option<String>,
    pub meta: Option<serde_json::Value>,
}

/// The payload of a recorded frame.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameBody<'a> {
    /// The verbatim JSON text of a `frame` field (any JSON value; usually an object).
    Json(&'a str),
    /// A `text` frame, or any line of a bare JSONL file (whether it is JSON is decided later).
    Text(Cow<'a, str>),
    /// A `binary` frame, decoded from base64.
    Binary(Vec<u8>),
    /// A text frame whose bytes are not UTF-8 (valid up to byte `valid_up_to`), recorded as
    /// `binary` with `invalid_utf8`.
    InvalidText { bytes: Vec<u8>, valid_up_to: u64 },
}

/// One thing read from a recording. Borrows the reader's line buffer.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<'a> {
    /// A header line. One in the middle of a file starts a new segment.
    Header(Header),
    /// A frame. `line` is the 1-based physical line; `t` is seconds since the start of the
    /// recording (continuing across concatenated segments), `None` in bare JSONL.
    Frame {
        line: usize,
        t: Option<f64>,
        dir: Dir,
        body: FrameBody<'a>,
    },
    /// A connection change.
    Link {
        line: usize,
        t: Option<f64>,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    },
    /// A marker added by a user or announced by the demo server.
    Mark {
        line: usize,
        t: Option<f64>,
        text: String,
    },
    /// A bookmark, note or deletion anchored to frame `at` (0-based), wherever it stands.
    Anchored {
        line: usize,
        t: Option<f64>,
        at: u32,
        what: crate::core::bookmarks::Anchored,
    },
    /// Spans a live receiver dropped (`dropped` with its `reason`).
    Dropped {
        line: usize,
        t: Option<f64>,
        spans: u64,
        reason: String,
    },
    /// A recording line that is not valid JSON or not a known record: report it and go on.
    Bad { line: usize, error: String },
    /// The last line was cut short (no trailing newline and it does not parse): a warning.
    TruncatedTail { line: usize },
    /// The header line is missing, damaged or of another version; the records are read anyway.
    HeaderProblem { line: usize, problem: String },
    /// A line began with NUL bytes (a crash's padding), skipped before reading its record.
    Padding { line: usize, bytes: usize },
}

impl Item<'_> {
    /// The 1-based physical line of this item, if it has one (headers do not carry it).
    pub fn line(&self) -> Option<usize> {
        match self {
            Item::Header(_) => None,
            Item::Frame { line, .. }
            | Item::Link { line, .. }
            | Item::Mark { line, .. }
            | Item::Anchored { line, .. }
            | Item::Dropped { line, .. }
            | Item::Bad { line, .. }
            | Item::TruncatedTail { line }
            | Item::HeaderProblem { line, .. }
            | Item::Padding { line, .. } => Some(*line),
        }
    }
}
