//! Where the log keeps its frames' text: appended in memory, or — for a file opened to replay —
//! left in the file as byte ranges and read back when asked for, so holding a large recording
//! costs little more than its derived session. Each text read back from the file is checked
//! against a hash taken when it was first read: a file changed on disk since is reported as
//! [`Stale`], never shown as if it were the frame.

use std::borrow::Cow;
use std::fs::File;
use std::sync::Arc;

/// Where one text is: in memory or in the file (a byte range), or nowhere (binary frames).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRef {
    start: u64,
    len: u32,
    /// A hash of the text, for one kept in the file.
    check: u32,
}

/// Set in `TextRef::start` for a range of the file.
const IN_FILE: u64 = 1 << 63;

/// The most read from the file in one go when reading many texts.
const BLOCK: u64 = 4 << 20;

/// The file changed on disk after it was opened: its text can no longer be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale;

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the file changed on disk since it was opened; open it again")
    }
}

impl std::error::Error for Stale {}

#[derive(Debug)]
struct Backing {
    file: File,
    /// Its length when opened: it may grow (a recording still being written), not shrink.
    len: u64,
}

/// The texts of a log's frames.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    mem: String,
    file: Option<Arc<Backing>>,
}

impl Texts {
    /// From now on, texts said to be at an offset of `file` are left there (a regular file
    /// only: a pipe cannot be read again).
    pub fn back_with(&mut self, file: File) {
        if !cfg!(unix) {
            return;
        }
        if let Some(meta) = file.metadata().ok().filter(|m| m.is_file()) {
            self.file = Some(Arc::new(Backing {
                file,
                len: meta.len(),
            }));
        }
    }

    /// Keeps `text`; `at` is its byte offset in the backing file when it is there verbatim.
    pub fn keep(&mut self, text: &str, at: Option<u64>) -> TextRef {
        let len = text.len() as u32;
        match at {
            Some(at) if self.file.is_some() && text.len() <= u32::MAX as usize => TextRef {
                start: at | IN_FILE,
                len,
                check: check(text.as_bytes()),
            },
            _ => {
                let start = self.mem.len() as u64;
                self.mem.push_str(text);
                TextRef {
                    start,
                    len: (self.mem.len() as u64 - start) as u32,
                    check: 0,
                }
            }
        }
    }

    /// A reference to no text.
    pub const NONE: TextRef = TextRef {
        start: 0,
        len: 0,
        check: 0,
    };

    /// The text behind a reference.
    pub fn read(&self, r: TextRef) -> Result<Cow<'_, str>, Stale> {
        if r.start & IN_FILE == 0 {
            let (a, b) = (r.start as usize, r.start as usize + r.len as usize);
            return self.mem.get(a..b).map(Cow::Borrowed).ok_or(Stale);
        }
        let mut buf = vec![0; r.len as usize];
        self.read_file(r.start & !IN_FILE, &mut buf)?;
        Ok(Cow::Owned(verified(&buf, r)?.to_string()))
    }

    /// Calls `f` with the text of each reference, in order, reading ranges of the file that lie
    /// close together in one go. Stops at the first error.
    pub fn read_each(&self, refs: &[TextRef], mut f: impl FnMut(usize, &str)) -> Result<(), Stale> {
        let mut buf = Vec::new();
        let mut i = 0;
        while i < refs.len() {
            let r = refs[i];
            if r.start & IN_FILE == 0 {
                f(i, &self.read(r)?);
                i += 1;
                continue;
            }
            // A block: following file ranges, each after the last, within BLOCK bytes.
            let from = r.start & !IN_FILE;
            let mut to = from + u64::from(r.len);
            let mut j = i + 1;
            while let Some(n) = refs.get(j) {
                let start = n.start & !IN_FILE;
                let end = start + u64::from(n.len);
                if n.start & IN_FILE == 0 || start < to || end - from > BLOCK {
                    break;
                }
                to = end;
                j += 1;
            }
            buf.resize((to - from) as usize, 0);
            self.read_file(from, &mut buf)?;
            for (k, r) in refs[i..j].iter().enumerate() {
                let a = ((r.start & !IN_FILE) - from) as usize;
                f(i + k, verified(&buf[a..a + r.len as usize], *r)?);
            }
            i = j;
        }
        Ok(())
    }

    #[cfg(unix)]
    fn read_file(&self, at: u64, buf: &mut [u8]) -> Result<(), Stale> {
        use std::os::unix::fs::FileExt;
        let b = self.file.as_ref().ok_or(Stale)?;
        let now = b.file.metadata().map_err(|_| Stale)?.len();
        if now < b.len {
            return Err(Stale);
        }
        b.file.read_exact_at(buf, at).map_err(|_| Stale)
    }

    #[cfg(not(unix))]
    fn read_file(&self, _at: u64, _buf: &mut [u8]) -> Result<(), Stale> {
        // `back_with` keeps nothing in a file on these systems.
        Err(Stale)
    }
}

/// Bytes read back for `r`, as its text, if they are what was kept.
fn verified(bytes: &[u8], r: TextRef) -> Result<&str, Stale> {
    if check(bytes) != r.check {
        return Err(Stale);
    }
    std::str::from_utf8(bytes).map_err(|_| Stale)
}

/// The hash a text kept in the file is checked against when read back.
fn check(bytes: &[u8]) -> u32 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(bytes) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn texts_in_memory_and_in_the_file_read_back_alike() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("f.jsonl");
        let content = "{\"a\":1}\nnot json\n{\"b\":\"é\"}\n";
        std::fs::write(&path, content).expect("write");
        let mut t = Texts::default();
        t.back_with(File::open(&path).expect("open"));
        let refs = vec![
            t.keep("{\"a\":1}", Some(0)),
            t.keep("in memory", None),
            t.keep("not json", Some(8)),
            t.keep("{\"b\":\"é\"}", Some(17)),
        ];
        let mut seen = Vec::new();
        t.read_each(&refs, |i, s| seen.push((i, s.to_string())))
            .expect("read");
        let want = ["{\"a\":1}", "in memory", "not json", "{\"b\":\"é\"}"];
        assert_eq!(seen.len(), 4);
        for (i, w) in want.iter().enumerate() {
            assert_eq!(seen[i], (i, w.to_string()));
            assert_eq!(t.read(refs[i]).expect("read"), *w);
        }
        // Appending is fine; shrinking makes every file text stale, memory ones still read.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("append");
        f.write_all(b"more\n").expect("write");
        assert_eq!(t.read(refs[2]).expect("read"), "not json");
        // Rewritten in place, as long as before: the texts no longer match.
        let rewritten = content.replace("not json", "NOT JSON") + "more\n";
        std::fs::write(&path, rewritten).expect("rewrite");
        assert_eq!(t.read(refs[2]), Err(Stale));
        assert_eq!(t.read(refs[0]).expect("unchanged"), "{\"a\":1}");
        std::fs::write(&path, "x").expect("truncate");
        assert_eq!(t.read(refs[2]), Err(Stale));
        assert_eq!(t.read(refs[1]).expect("read"), "in memory");
        assert_eq!(t.read_each(&refs, |_, _| {}), Err(Stale));
    }

    #[test]
    fn without_a_regular_file_everything_is_kept_in_memory() {
        let mut t = Texts::default();
        let r = t.keep("abc", Some(42));
        assert_eq!(t.read(r).expect("read"), "abc");
        #[cfg(unix)]
        {
            let (rx, _tx) = std::io::pipe().expect("pipe");
            let fd: std::os::fd::OwnedFd = rx.into();
            t.back_with(File::from(fd));
            let r = t.keep("def", Some(0));
            assert_eq!(t.read(r).expect("read"), "def");
        }
    }
}
