//! The streaming recording reader: one physical line at a time into a reused buffer, each
//! recording line parsed once into a small borrowing struct (the `frame` stays a `RawValue`
//! slice of the line). Owns the reading rules of recording.md: blank and `#` lines skipped,
//! header detection (recording vs bare JSONL), segments of concatenated recordings, bad lines
//! and a cut-off last line reported without failing. Never holds more than one line.

use super::line::{into_string, RawLine};
use super::{Dir, FrameBody, Header, Item, LinkState};
use base64::Engine as _;
use serde::de::IgnoredAny;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read as _};
use std::path::Path;

/// Lines longer than this are skipped whole and reported as [`Item::Bad`].
pub const DEFAULT_MAX_LINE: usize = 64 << 20;

/// Above this, the line buffer is given back after use instead of kept for the next line.
const KEEP_BUF: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Recording,
    Bare,
}

#[derive(Debug)]
struct State {
    mode: Mode,
    /// Added to every `t` of the current segment.
    offset: f64,
    /// The last `t` produced (offset included).
    last_t: Option<f64>,
    /// Split frame lines of the writer's own layout without validating the frame.
    split_layout: bool,
}

/// Reads a recording (or bare JSONL) item by item; see [`Reader::next_item`].
#[derive(Debug)]
pub struct Reader<R: BufRead> {
    r: R,
    buf: Vec<u8>,
    line: usize,
    max_line: usize,
    st: State,
    /// Bytes consumed so far.
    read: u64,
    /// Byte offset in the input of the line in `buf`.
    line_at: u64,
}

/// Opens a file for reading.
pub fn open(path: &Path) -> io::Result<Reader<BufReader<File>>> {
    let f = File::open(path)?;
    Ok(Reader::new(BufReader::with_capacity(256 << 10, f)))
}

impl<R: BufRead> Reader<R> {
    pub fn new(r: R) -> Self {
        Reader {
            r,
            buf: Vec::with_capacity(8 << 10),
            line: 0,
            read: 0,
            line_at: 0,
            max_line: DEFAULT_MAX_LINE,
            st: State {
                mode: Mode::Unknown,
                offset: 0.0,
                last_t: None,
                split_layout: false,
            },
        }
    }

    /// Changes the longest line accepted (default [`DEFAULT_MAX_LINE`] bytes).
    pub fn with_max_line(mut self, bytes: usize) -> Self {
        self.max_line = bytes.max(1);
        self
    }

    /// Frame lines in exactly the writer's layout come back without their frame being scanned
    /// (a `FrameBody::Json` that may not be valid JSON): for callers that decode every frame
    /// anyway and report an invalid one as a bad line. Halves the scanning of large files.
    pub fn split_writer_layout(mut self, on: bool) -> Self {
        self.st.split_layout = on;
        self
    }

    /// True when the file has no header line (known after the first non-blank, non-`#` line).
    pub fn is_bare(&self) -> bool {
        self.st.mode == Mode::Bare
    }

    /// The next item, or `None` at the end of input. Lending-iterator style: the item borrows
    /// the reader's line buffer. Only I/O errors are errors; bad content becomes an item.
    pub fn next_item(&mut self) -> io::Result<Option<Item<'_>>> {
        if self.buf.capacity() > KEEP_BUF {
            self.buf = Vec::with_capacity(8 << 10);
        }
        let mut buf = std::mem::take(&mut self.buf);
        let read = self.read_line_at(&mut buf, 0);
        self.buf = buf;
        Ok(match read? {
            Err(bad) => Some(bad),
            Ok(None) => None,
            Ok(Some(has_nl)) => Some(classify(&mut self.st, &self.buf, self.line, has_nl)),
        })
    }

    /// As [`Reader::next_item`], reading the line onto the end of `out` instead of into the
    /// reader's own buffer (so a caller collecting lines copies nothing). A frame held
    /// verbatim comes with where its text is: its range in `out` and its offset in the input.
    /// The caller may cut anything else off `out` again.
    pub fn next_item_into<'b>(
        &mut self,
        out: &'b mut Vec<u8>,
    ) -> io::Result<Option<(Item<'b>, Option<Verbatim>)>> {
        let start = out.len();
        match self.read_line_at(out, start)? {
            Err(bad) => Ok(Some((bad, None))),
            Ok(None) => Ok(None),
            Ok(Some(has_nl)) => {
                let out: &'b Vec<u8> = out;
                let line = &out[start..];
                let item = classify(&mut self.st, line, self.line, has_nl);
                let place = verbatim_at(&item, line).map(|(off, len)| Verbatim {
                    at: self.line_at + off as u64,
                    range: (start + off, start + off + len),
                });
                Ok(Some((item, place)))
            }
        }
    }

    /// Reads the next line that is not skipped onto `buf` from `start` (which it truncates to
    /// first), without its line end: `Some(has_newline)`, `None` at the end of input, or the
    /// item for a line too long to keep.
    fn read_line_at(
        &mut self,
        buf: &mut Vec<u8>,
        start: usize,
    ) -> io::Result<Result<Option<bool>, Item<'static>>> {
        loop {
            buf.truncate(start);
            let limit = u64::try_from(self.max_line)
                .unwrap_or(u64::MAX)
                .saturating_add(1);
            let n = (&mut self.r).take(limit).read_until(b'\n', buf)?;
            if n == 0 {
                return Ok(Ok(None));
            }
            self.line_at = self.read;
            self.read += n as u64;
            self.line += 1;
            let has_nl = buf.last() == Some(&b'\n');
            if !has_nl && buf.len() - start > self.max_line {
                buf.truncate(start);
                self.skip_rest_of_line()?;
                if self.st.mode == Mode::Unknown {
                    self.st.mode = Mode::Bare;
                }
                let error = format!("line longer than {} bytes, skipped", self.max_line);
                return Ok(Err(Item::Bad {
                    line: self.line,
                    error,
                }));
            }
            if has_nl {
                buf.pop();
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
            }
            if self.line == 1 && buf[start..].starts_with(b"\xEF\xBB\xBF") {
                buf.drain(start..start + 3);
                self.line_at += 3;
            }
            if !is_skipped(&buf[start..]) {
                return Ok(Ok(Some(has_nl)));
            }
        }
    }

    /// Discards input up to and including the next newline; true if one was found.
    fn skip_rest_of_line(&mut self) -> io::Result<bool> {
        loop {
            let avail = match self.r.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(false);
            }
            match avail.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    self.r.consume(i + 1);
                    self.read += i as u64 + 1;
                    return Ok(true);
                }
                None => {
                    let n = avail.len();
                    self.r.consume(n);
                    self.read += n as u64;
                }
            }
        }
    }
}

/// Where a frame's text is, when its line holds it verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verbatim {
    /// Byte offset in the input.
    pub at: u64,
    /// Byte range in the caller's buffer.
    pub range: (usize, usize),
}

/// Where a frame's text is in its line (offset, length), when the line holds it verbatim.
fn verbatim_at(item: &Item<'_>, line: &[u8]) -> Option<(usize, usize)> {
    match item {
        Item::Frame {
            body: FrameBody::Json(s) | FrameBody::Text(Cow::Borrowed(s)),
            ..
        } => (s.as_ptr() as usize)
            .checked_sub(line.as_ptr() as usize)
            .filter(|off| off + s.len() <= line.len())
            .map(|off| (off, s.len())),
        _ => None,
    }
}

/// Blank lines and `#` comments are skipped.
fn is_skipped(line: &[u8]) -> bool {
    match line.iter().find(|b| !b.is_ascii_whitespace()) {
        None => true,
        Some(&b) => b == b'#',
    }
}

fn classify<'a>(st: &mut State, bytes: &'a [u8], line: usize, has_nl: bool) -> Item<'a> {
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
        match &parsed {
            Ok(r) if r.orchscope_recording.is_some() => st.mode = Mode::Recording,
            _ => {
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
            | Item::Mark { t: Some(t), .. } = item
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
    if rec.orchscope_recording.is_some() {
        if let Some(last) = st.last_t {
            st.offset = last;
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
    if let Some(text) = rec.mark {
        return Item::Mark { line, t, text };
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
                Ok(bytes) => FrameBody::Binary(bytes),
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

fn bad(line: usize, error: &str) -> Item<'static> {
    Item::Bad {
        line,
        error: error.to_owned(),
    }
}
