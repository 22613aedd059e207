//! The streaming recording reader: one physical line at a time into a reused buffer (or onto
//! the caller's), each recording line parsed once into a small borrowing struct (the `frame`
//! stays a `RawValue` slice of the line) by the rules of `classify.rs`. Owns the line rules:
//! blank and `#` lines skipped, a byte-order mark, CRLF, overlong lines skipped and reported,
//! and where a verbatim frame's text is in the input. Never holds more than one line.

use super::classify::{classify, Mode, State};
use super::{FrameBody, Item};
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read as _};
use std::path::Path;

/// Lines longer than this are skipped whole and reported as [`Item::Bad`].
pub const DEFAULT_MAX_LINE: usize = 64 << 20;

/// Above this, the line buffer is given back after use instead of kept for the next line.
const KEEP_BUF: usize = 1 << 20;

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
                pending: Vec::new(),
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
        if !self.st.pending.is_empty() {
            let item = self.st.pending.remove(0);
            return Ok(Some(item));
        }
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
        if !self.st.pending.is_empty() {
            let item = self.st.pending.remove(0);
            return Ok(Some((item, None)));
        }
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
            let nuls = buf[start..].iter().take_while(|&&b| b == 0).count();
            if nuls > 0 {
                buf.drain(start..start + nuls);
                self.line_at += nuls as u64;
                self.st.pending.push(Item::Padding {
                    line: self.line,
                    bytes: nuls,
                });
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
