//! The recording writer: appends one line per frame, link change or marker to a file created
//! owner-only (0600), writing each line with a single `write_all` so it reaches the OS at once
//! (a `kill -9` loses at most the line being written). Owns the line layout (`t` first, with
//! millisecond precision), the default file name, and what happens to a file already there:
//! refused unless replaced whole or appended to as a new segment, a symbolic link never
//! followed. Writes exactly what it is given.

use super::{Dir, Header, LinkState, FORMAT_VERSION};
use crate::core::bookmarks::Anchored;
use base64::Engine as _;
use serde_json::value::RawValue;
use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Appends records to a recording file.
#[derive(Debug)]
pub struct Writer {
    file: File,
    path: PathBuf,
    line: String,
}

/// What to do when the file to write already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Existing {
    /// Fail with [`io::ErrorKind::AlreadyExists`] (the default: never mix two recordings).
    #[default]
    Refuse,
    /// Replace it whole with a new file (a symbolic link is replaced, not followed).
    Replace,
    /// Add to its end: the new header line starts a new segment.
    Append,
}

impl Writer {
    /// Creates `path` (which must not exist), creating its parent directories, and writes the
    /// header.
    pub fn create(path: &Path, header: &Header) -> io::Result<Writer> {
        Writer::open(path, header, Existing::Refuse)
    }

    /// Opens `path` for a new recording, doing `existing` if it is already there, and writes
    /// the header. The file ends up owner-only (0600); a symbolic link is never followed.
    pub fn open(path: &Path, header: &Header, existing: Existing) -> io::Result<Writer> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let file = open_file(path, existing)?;
        let mut w = Writer {
            file,
            path: path.to_owned(),
            line: String::with_capacity(4 << 10),
        };
        w.write_header(header)?;
        Ok(w)
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a header line: the file's first, or one that starts a new segment.
    pub fn write_header(&mut self, h: &Header) -> io::Result<()> {
        self.line.clear();
        let _ = write!(self.line, "{{\"orchscope_recording\":{FORMAT_VERSION}");
        if let Some(s) = &h.started_at {
            self.line.push_str(",\"started_at\":");
            push_json_str(&mut self.line, s);
        }
        if let Some(v) = &h.source {
            self.line.push_str(",\"source\":");
            push_json_value(&mut self.line, v)?;
        }
        if let Some(s) = &h.title {
            self.line.push_str(",\"title\":");
            push_json_str(&mut self.line, s);
        }
        self.line.push_str(",\"meta\":");
        match &h.meta {
            Some(v) => push_json_value(&mut self.line, v)?,
            None => self.line.push_str("{}"),
        }
        self.line.push('}');
        self.finish_line()
    }

    /// Records a text frame: a JSON object goes in `frame` (verbatim when it is one line,
    /// else with the whitespace between tokens removed); anything else goes in `text`.
    pub fn frame_text(&mut self, t: f64, dir: Dir, text: &str) -> io::Result<()> {
        self.start(t);
        push_dir(&mut self.line, dir);
        match serde_json::from_str::<&RawValue>(text) {
            Ok(raw) if raw.get().starts_with('{') => {
                self.line.push_str(",\"frame\":");
                let raw = raw.get();
                if raw.contains(['\n', '\r']) {
                    push_compact(&mut self.line, raw);
                } else {
                    self.line.push_str(raw);
                }
            }
            _ => {
                self.line.push_str(",\"text\":");
                push_json_str(&mut self.line, text);
            }
        }
        self.line.push('}');
        self.finish_line()
    }

    /// Records a binary frame, base64-encoded.
    pub fn frame_binary(&mut self, t: f64, dir: Dir, bytes: &[u8]) -> io::Result<()> {
        self.binary_line(t, dir, bytes, None)
    }

    /// Records a text frame whose bytes are not UTF-8 (valid up to byte `valid_up_to`): its
    /// bytes as `binary`, base64-encoded, and `invalid_utf8` saying where they stop being UTF-8.
    pub fn frame_invalid_text(
        &mut self,
        t: f64,
        dir: Dir,
        bytes: &[u8],
        valid_up_to: u64,
    ) -> io::Result<()> {
        self.binary_line(t, dir, bytes, Some(valid_up_to))
    }

    fn binary_line(
        &mut self,
        t: f64,
        dir: Dir,
        bytes: &[u8],
        invalid_utf8: Option<u64>,
    ) -> io::Result<()> {
        self.start(t);
        push_dir(&mut self.line, dir);
        self.line.push_str(",\"binary\":\"");
        base64::engine::general_purpose::STANDARD.encode_string(bytes, &mut self.line);
        self.line.push('"');
        if let Some(at) = invalid_utf8 {
            let _ = write!(self.line, ",\"invalid_utf8\":{at}");
        }
        self.line.push('}');
        self.finish_line()
    }

    /// Records a connection change (a connection attempt is not one: nothing is written).
    pub fn link(
        &mut self,
        t: f64,
        state: LinkState,
        reason: Option<&str>,
        size: Option<u64>,
    ) -> io::Result<()> {
        let Some(name) = state.as_str() else {
            return Ok(());
        };
        self.start(t);
        let _ = write!(self.line, ",\"link\":\"{name}\"");
        if let Some(r) = reason {
            self.line.push_str(",\"reason\":");
            push_json_str(&mut self.line, r);
        }
        if let Some(n) = size {
            let _ = write!(self.line, ",\"size\":{n}");
        }
        self.line.push('}');
        self.finish_line()
    }

    /// Records spans a live receiver dropped, and why.
    pub fn dropped(&mut self, t: f64, spans: u64, reason: &str) -> io::Result<()> {
        self.start(t);
        let _ = write!(self.line, ",\"dropped\":{spans},\"reason\":");
        push_json_str(&mut self.line, reason);
        self.line.push('}');
        self.finish_line()
    }

    /// Records a marker.
    pub fn mark(&mut self, t: f64, text: &str) -> io::Result<()> {
        self.start(t);
        self.line.push_str(",\"mark\":");
        push_json_str(&mut self.line, text);
        self.line.push('}');
        self.finish_line()
    }

    /// Records a bookmark, note or deletion anchored to frame `at`.
    pub fn anchored(&mut self, t: f64, at: u32, what: &Anchored) -> io::Result<()> {
        self.start(t);
        let (key, text) = match what {
            Anchored::Bookmark(text) => ("mark", text.as_str()),
            Anchored::Note(text) => ("note", text.as_str()),
            Anchored::Delete(m) => ("delete", m.word()),
        };
        let _ = write!(self.line, ",\"{key}\":");
        push_json_str(&mut self.line, text);
        let _ = write!(self.line, ",\"at\":{at}}}");
        self.finish_line()
    }

    /// Opens an existing recording to add lines to its end, without a header (the marks and
    /// notes made while replaying it). The file must be there and be a regular file; its mode
    /// stays as it is.
    pub fn append_to(path: &Path) -> io::Result<Writer> {
        let mut opts = OpenOptions::new();
        opts.read(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.custom_flags(libc::O_NOFOLLOW);
        }
        let mut file = opts.open(path).map_err(|e| explain(path, e))?;
        if !file.metadata()?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        end_the_last_line(&mut file)?;
        Ok(Writer {
            file,
            path: path.to_owned(),
            line: String::new(),
        })
    }

    fn start(&mut self, t: f64) {
        self.line.clear();
        let t = if t.is_finite() { t } else { 0.0 };
        let _ = write!(self.line, "{{\"t\":{t:.3}");
    }

    fn finish_line(&mut self) -> io::Result<()> {
        self.line.push('\n');
        self.file.write_all(self.line.as_bytes())?;
        self.file.flush()?;
        if self.line.capacity() > 1 << 20 {
            self.line = String::with_capacity(4 << 10);
        }
        Ok(())
    }
}

/// Creates `path` afresh for an output that is not a recording (a report): owner-only (0600),
/// an existing file or symbolic link replaced (the link itself, never its target), a
/// directory refused.
pub fn replace_file(path: &Path) -> io::Result<File> {
    open_file(path, Existing::Replace)
}

/// Opens the file as `existing` says: new files exclusively (`O_EXCL` never follows a link),
/// appends with `O_NOFOLLOW`, and only a regular file is ever written.
fn open_file(path: &Path, existing: Existing) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    match existing {
        Existing::Refuse | Existing::Replace => opts.write(true).create_new(true),
        // Readable too, to see how the file ends; every write still goes to its end.
        Existing::Append => opts.read(true).append(true).create(true),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    if existing == Existing::Replace {
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a directory",
                ))
            }
            // Unlinks a symbolic link itself, never its target.
            Ok(_) => std::fs::remove_file(path)?,
            Err(_) => {}
        }
    }
    let mut file = opts.open(path).map_err(|e| explain(path, e))?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    if existing == Existing::Append {
        end_the_last_line(&mut file)?;
    }
    Ok(file)
}

/// A file cut off mid-line (a crash, a full disk) gets its line ended, so what is appended
/// starts on a line of its own (the new header a new segment, not part of a bad line).
fn end_the_last_line(file: &mut File) -> io::Result<()> {
    use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    if last[0] != b'\n' {
        file.write_all(b"\n")?;
    }
    Ok(())
}

/// An open error in words a user acts on (the caller names the file and the flags).
fn explain(path: &Path, e: io::Error) -> io::Error {
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link {
        io::Error::new(
            e.kind(),
            "is a symbolic link, which orchscope does not follow when writing",
        )
    } else if e.kind() == io::ErrorKind::AlreadyExists {
        io::Error::new(e.kind(), "already exists")
    } else {
        e
    }
}

fn push_dir(out: &mut String, dir: Dir) {
    let _ = write!(out, ",\"dir\":\"{}\"", dir.as_str());
}

fn push_json_str(out: &mut String, s: &str) {
    // Serialising a &str cannot fail.
    if let Ok(q) = serde_json::to_string(s) {
        out.push_str(&q);
    }
}

fn push_json_value(out: &mut String, v: &serde_json::Value) -> io::Result<()> {
    let s = serde_json::to_string(v).map_err(io::Error::other)?;
    out.push_str(&s);
    Ok(())
}

/// Copies valid JSON text, dropping whitespace outside strings (order and numbers untouched).
fn push_compact(out: &mut String, json: &str) {
    let mut in_str = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            if c == '"' {
                in_str = true;
            }
            out.push(c);
        }
    }
}

/// `YYYYMMDD-HHMMSS-<host>.jsonl`, the host reduced to `[A-Za-z0-9._-]`.
pub fn default_file_name(now: chrono::DateTime<chrono::Local>, host: &str) -> String {
    let mut host: String = host
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if host.is_empty() {
        host.push_str("unknown");
    }
    format!("{}-{host}.jsonl", now.format("%Y%m%d-%H%M%S"))
}

#[cfg(test)]
#[path = "writer_tests.rs"]
mod tests;
