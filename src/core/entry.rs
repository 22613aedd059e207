//! What is pushed into the log: one [`Entry`] per frame, link change, marker, note or new
//! segment, from every source alike (the live sink, the file loader, importers, tests). The log
//! applies every per-entry rule (see [`crate::core::log::Log::push`]); an entry is only data.

use super::bookmarks::Anchored;
use super::event::Event;
use super::frame::Malformed;
use super::link::{Dir, LinkState};
use super::session::StreamIssue;

/// One entry to append to the log, in arrival order.
// An entry lives only from its source to `Log::push`: boxing a decoded event would allocate
// once per frame on the hottest path.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Entry<'a> {
    /// A text frame.
    Frame(Frame<'a>),
    /// A binary frame; or, with `invalid_utf8` (where its bytes stop being UTF-8), a text frame
    /// whose bytes are not UTF-8, kept as bytes and reported.
    Bytes {
        t: Option<f64>,
        dir: Dir,
        bytes: &'a [u8],
        invalid_utf8: Option<u64>,
    },
    /// A link change, marker, note or new segment.
    Other(Other),
}

/// A text frame to append.
#[derive(Debug)]
pub struct Frame<'a> {
    /// Seconds on the source's clock, when it has one.
    pub t: Option<f64>,
    pub dir: Dir,
    pub text: &'a str,
    /// How to get its event.
    pub decode: Decode<'a>,
    /// The text's byte offset in the file the log is backed with, when it is there verbatim.
    pub at: Option<u64>,
}

/// Where a frame's event comes from.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Decode<'a> {
    /// The log decodes the frame's text.
    Text,
    /// The log decodes this instead: the same frame with what the decoder never reads left out
    /// (an imported frame without its source record).
    Head(&'a str),
    /// Decoded elsewhere (a parsing thread), interned with the log's interner.
    Done(Result<Event, Malformed>),
}

impl<'a> Entry<'a> {
    /// A text frame the log decodes.
    pub fn frame(t: Option<f64>, dir: Dir, text: &'a str) -> Entry<'a> {
        Entry::Frame(Frame {
            t,
            dir,
            text,
            decode: Decode::Text,
            at: None,
        })
    }

    /// A binary frame.
    pub fn binary(t: Option<f64>, dir: Dir, bytes: &'a [u8]) -> Entry<'a> {
        Entry::Bytes {
            t,
            dir,
            bytes,
            invalid_utf8: None,
        }
    }

    /// A link change.
    pub fn link(
        t: Option<f64>,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    ) -> Self {
        Entry::Other(Other::Link {
            t,
            state,
            reason,
            size,
        })
    }

    /// A marker.
    pub fn mark(t: Option<f64>, text: String) -> Entry<'a> {
        Entry::Other(Other::Mark { t, text })
    }

    /// A bookmark, user note or deletion on frame `at`.
    pub fn anchored(t: Option<f64>, at: u32, what: Anchored) -> Entry<'a> {
        Entry::Other(Other::Anchored { t, at, what })
    }

    /// A note about the input.
    pub fn note(issue: StreamIssue) -> Entry<'a> {
        Entry::Other(Other::Note(issue))
    }
}

/// What the log holds besides frames.
#[derive(Debug, Clone)]
pub enum Other {
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
    /// A bookmark, user note or deletion anchored to frame `at` (0-based), wherever its line
    /// stands (see [`crate::core::bookmarks`]).
    Anchored {
        t: Option<f64>,
        at: u32,
        what: Anchored,
    },
    /// A header line in the middle of a recording: another recording appended to it.
    Segment,
}

impl Other {
    /// Whether it stands between two frames so that the second cannot repeat the first (a
    /// reconnection attempt, a marker or a note does not).
    pub fn breaks_repeats(&self) -> bool {
        match self {
            Other::Link { state, .. } => {
                !matches!(state, LinkState::Reconnecting(_) | LinkState::Connecting)
            }
            Other::Segment => true,
            Other::Mark { .. } | Other::Note(_) | Other::Anchored { .. } => false,
        }
    }
}
