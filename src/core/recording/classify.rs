//! The reading rules for one line of a recording (recording.md): header detection (recording
//! vs bare JSONL), segments of concatenated recordings and their time offsets, the writer's own
//! layout split without a scan, records of every kind, bad lines and a cut-off last line.

use super::line::{into_string, RawLine};
use super::{Dir, FrameBody, Header, Item, LinkState};
use base64::Engine as _;
use serde::de::IgnoredAny;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Unknown,
    Recording,
    Bare,
}

#[derive(Debug)]
pub(super) struct State {
    pub(super) mode: Mode,
    /// Added to every `t` of the current segment.
    pub(super) offset: f64,
    /// The last `t` produced (offset included).
    pub(super) last_t: Option<f64>,
    /// Split frame lines of the writer's own layout without validating the frame.
    pub(super) split_layout: bool,
    /// An item to give before reading the next line (a header problem found on this one).
    pub(super) pending: Vec<Item<'static>>,
}

pub(super) fn classify<'a>(st: &mut State, bytes: &'a [u8], line: usize, has_nl: bool) -> Item<'a> {
    if st.mode == Mode::Bare {
        return bare_item(bytes, line, has_nl);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            if st.mode == Mode::Unknown {
                st.mode = Mode::Bare;
                return bare_item(bytes, line, has_nl);
            }
            if !has_nl {
                return Item::TruncatedTail { line };
            }
            return Item::Bad {
                line,
                error: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
            };
        }
    };
    if st.mode == Mode::Recording && has_nl && st.split_layout {
        if let Some(item) = writer_layout_frame(st, text, line) {
            return item;
        }
    }
    // A derived struct would also accept a JSON array; a record is always an object.
    let parsed = if text.trim_start().starts_with('{') {
        serde_json::from_str::<RawLine<'_>>(text).map_err(Some)
    } else {
        Err(None)
    };
    if st.mode == Mode::Unknown {
        match first_line(text, parsed.as_ref().ok()) {
            First::Header => st.mode = Mode::Recording,
            First::Record => {
                st.mode = Mode::Recording;
                st.pending.push(header_problem(line, "there is no header line (the file starts with a record); its records are read without a start time or source"));
            }
            First::DamagedHeader => {
                st.mode = Mode::Recording;
                let why = parsed
                    .err()
                    .flatten()
                    .map_or("not a header".into(), |e| e.to_string());
                return header_problem(line, &format!("the header line is damaged ({why}); the records after it are read without it"));
            }
            First::Other => {
                st.mode = Mode::Bare;
                return bare_item(bytes, line, has_nl);
            }
        }
    }
    match parsed {
        Ok(rec) => {
            let item = record_item(st, rec, line);
            if let Item::Frame { t: Some(t), .. }
            | Item::Link { t: Some(t), .. }
            | Item::Mark { t: Some(t), .. }
            | Item::Anchored { t: Some(t), .. }
            | Item::Dropped { t: Some(t), .. } = item
            {
                st.last_t = Some(t);
            }
            item
        }
        Err(Some(e)) if !has_nl && (e.is_eof() || e.is_syntax()) => Item::TruncatedTail { line },
        Err(Some(e)) => Item::Bad {
            line,
            error: format!("not a valid recording line: {e}"),
        },
        Err(None) if !has_nl && serde_json::from_str::<IgnoredAny>(text).is_err() => {
            Item::TruncatedTail { line }
        }
        Err(None) => bad(line, "not a recording line (not a JSON object)"),
    }
}

/// With [`Reader::split_writer_layout`], a frame line in exactly the layout the writer produces,
/// `{"t":T,"dir":"in"|"out","frame":{…}}`, is split by that layout without scanning the frame:
/// the caller decodes the frame anyway, and must report one that is not valid JSON as a bad
/// line. Any other line takes the general path.
fn writer_layout_frame<'a>(st: &mut State, text: &'a str, line: usize) -> Option<Item<'a>> {
    let rest = text.strip_prefix("{\"t\":")?;
    let comma = rest.find(',')?;
    let t: f64 = rest[..comma].parse().ok().filter(|t: &f64| t.is_finite())?;
    let rest = &rest[comma..];
    let (dir, rest) = if let Some(r) = rest.strip_prefix(",\"dir\":\"in\",\"frame\":") {
        (Dir::In, r)
    } else {
        (Dir::Out, rest.strip_prefix(",\"dir\":\"out\",\"frame\":")?)
    };
    let frame = rest.strip_suffix('}')?;
    if !frame.starts_with('{') || !frame.ends_with('}') {
        return None;
    }
    let t = t + st.offset;
    st.last_t = Some(t);
    Some(Item::Frame {
        line,
        t: Some(t),
        dir,
        body: FrameBody::Json(frame),
    })
}

/// What the first line of an input says about it.
enum First {
    /// A header: a recording.
    Header,
    /// A recording's record (`t` and a frame, link or mark): a recording whose header is gone.
    Record,
    /// A line that means to be a header but does not read as one: a damaged recording.
    DamagedHeader,
    /// Anything else: bare JSONL.
    Other,
}

/// The one rule telling a recording from bare JSONL by its first line: a header, a damaged
/// header (the header key is still there, or the header's own keys are) or a record.
fn first_line(text: &str, parsed: Option<&RawLine<'_>>) -> First {
    match parsed {
        Some(r) if r.orchscope_recording.is_some() => First::Header,
        Some(r) if r.t.is_some() && r.has_body() => First::Record,
        Some(r) if r.started_at.is_some() && (r.source.is_some() || r.meta.is_some()) => {
            First::DamagedHeader
        }
        _ if text.contains("\"orchscope_recording\"") => First::DamagedHeader,
        _ => First::Other,
    }
}

/// True when `line` (the first non-blank line of an input) starts an orchscope recording,
/// whole or damaged: the detection rule, the same the reader applies.
pub fn is_recording_line(line: &str) -> bool {
    let text = line.trim_start_matches(['\0', '\u{feff}']).trim();
    let parsed = if text.starts_with('{') {
        serde_json::from_str::<RawLine<'_>>(text).ok()
    } else {
        None
    };
    !matches!(first_line(text, parsed.as_ref()), First::Other)
}

fn header_problem(line: usize, problem: &str) -> Item<'static> {
    Item::HeaderProblem {
        line,
        problem: problem.to_owned(),
    }
}

/// In bare JSONL every line is a frame, except a cut-off last line.
fn bare_item(bytes: &[u8], line: usize, has_nl: bool) -> Item<'_> {
    if !has_nl && serde_json::from_slice::<IgnoredAny>(bytes).is_err() {
        return Item::TruncatedTail { line };
    }
    Item::Frame {
        line,
        t: None,
        dir: Dir::In,
        body: FrameBody::Text(String::from_utf8_lossy(bytes)),
    }
}

fn record_item<'a>(st: &mut State, rec: RawLine<'a>, line: usize) -> Item<'a> {
    if let Some(version) = rec.orchscope_recording {
        if let Some(last) = st.last_t {
            st.offset = last;
        }
        if version.get() != super::FORMAT_VERSION.to_string() {
            st.pending.push(header_problem(line, &format!("the header declares format version {}; this orchscope reads version {}, and reads the records as that", version.get(), super::FORMAT_VERSION)));
        }
        return Item::Header(Header {
            started_at: rec.started_at.and_then(into_string),
            source: rec.source,
            title: rec.title.and_then(into_string),
            meta: rec.meta,
        });
    }
    let t = match rec.t {
        Some(t) if !t.is_finite() => return bad(line, "`t` is out of range"),
        Some(t) => Some(t + st.offset),
        None => None,
    };
    if let Some(link) = rec.link {
        let Some(state) = LinkState::parse(&link.0) else {
            return bad(line, &format!("unknown link state {:?}", &*link.0));
        };
        return Item::Link {
            line,
            t,
            state,
            reason: rec.reason,
            size: rec.size,
        };
    }
    if rec.at.is_some() || rec.note.is_some() || rec.delete.is_some() {
        return anchored_item(rec, line, t);
    }
    if let Some(text) = rec.mark {
        return Item::Mark { line, t, text };
    }
    if let Some(spans) = rec.dropped {
        let reason = rec.reason.unwrap_or_default();
        return Item::Dropped {
            line,
            t,
            spans,
            reason,
        };
    }
    let dir = match rec.dir {
        None => Dir::In,
        Some(d) => match Dir::parse(&d.0) {
            Some(d) => d,
            None => return bad(line, &format!("unknown dir {:?}", &*d.0)),
        },
    };
    let body = match (rec.frame, rec.text, rec.binary) {
        (Some(raw), None, None) => FrameBody::Json(raw.get()),
        (None, Some(text), None) => FrameBody::Text(text.0),
        (None, None, Some(b64)) => {
            match base64::engine::general_purpose::STANDARD.decode(b64.0.as_bytes()) {
                Ok(bytes) => match rec.invalid_utf8 {
                    Some(valid_up_to) => FrameBody::InvalidText { bytes, valid_up_to },
                    None => FrameBody::Binary(bytes),
                },
                Err(e) => return bad(line, &format!("bad base64 in `binary`: {e}")),
            }
        }
        (None, None, None) => {
            return bad(
                line,
                "not a known record (no frame, text, binary, link or mark)",
            )
        }
        _ => return bad(line, "more than one of `frame`, `text`, `binary`"),
    };
    Item::Frame { line, t, dir, body }
}

/// A line anchored to a frame: `mark`, `note` or `delete` with `at`, exactly one of them.
fn anchored_item<'a>(rec: RawLine<'a>, line: usize, t: Option<f64>) -> Item<'a> {
    use crate::core::bookmarks::{Anchored, Marking};
    let Some(at) = rec.at.and_then(|at| u32::try_from(at).ok()) else {
        return bad(line, "a note or deletion needs `at`, a frame number");
    };
    let what = match (rec.mark, rec.note, rec.delete) {
        (Some(text), None, None) => Anchored::Bookmark(text),
        (None, Some(text), None) => Anchored::Note(text),
        (None, None, Some(word)) => match Marking::parse(&word.0) {
            Some(m) => Anchored::Delete(m),
            None => return bad(line, &format!("unknown `delete` {:?}", &*word.0)),
        },
        _ => return bad(line, "`at` needs exactly one of `mark`, `note`, `delete`"),
    };
    Item::Anchored { line, t, at, what }
}

fn bad(line: usize, error: &str) -> Item<'static> {
    Item::Bad {
        line,
        error: error.to_owned(),
    }
}
