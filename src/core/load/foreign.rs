//! A foreign input into the log: imported on a thread of its own, each frame decoded and
//! derived on the loading thread as soon as the importer makes it (so the two overlap and the
//! frames are never all held), then what the importer did not hand on: its problems.

use super::{Format, Log, Path};
use crate::core::entry::{Decode, Entry, Frame};
use crate::core::import;
use crate::core::session::StreamIssue;
use std::io::{self, BufReader, Read};

/// A foreign input imported on another thread, each frame and marker pushed into the log (on
/// this one) as the importer makes it; what it did not hand on comes back with the result.
pub(super) fn import_foreign<R: Read + Send>(
    format: Format,
    path: Option<&Path>,
    r: R,
    log: &mut Log,
) -> io::Result<import::Imported> {
    let (sink, made) = import::Sink::channel();
    std::thread::scope(|scope| {
        let importer = scope
            .spawn(move || import::import_source(format, path, || read_whole(path, r), Some(sink)));
        let mut head = String::new();
        for emitted in made.into_iter().flatten() {
            push_emitted(log, emitted, &mut head);
        }
        importer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// One frame or marker of an import into the log.
fn push_emitted(log: &mut Log, emitted: import::Emitted, head: &mut String) {
    match emitted {
        import::Emitted::Mark(text) => log.push(Entry::mark(None, text)),
        import::Emitted::Restart => log.restart(),
        import::Emitted::Frame(frame) => {
            let decode = match frame.head(head) {
                Some(head) => Decode::Head(head),
                None => Decode::Text,
            };
            log.push(Entry::Frame(Frame {
                t: None,
                dir: frame.dir,
                text: &frame.text,
                decode,
                at: None,
            }));
        }
    }
}

/// What an import did not hand on (its frames and markers when it collected them, its
/// problems) into the log, in order; its unknown fields back.
pub(super) fn push_imported(log: &mut Log, imported: import::Imported) -> Vec<import::Unknown> {
    let mut marks = imported.marks.into_iter().peekable();
    let mut head = String::new();
    for (i, frame) in imported.frames.into_iter().enumerate() {
        while let Some(mark) = marks.next_if(|m| m.before <= i) {
            log.push(Entry::mark(None, mark.text));
        }
        push_emitted(log, import::Emitted::Frame(frame), &mut head);
    }
    for mark in marks {
        log.push(Entry::mark(None, mark.text));
    }
    for p in imported.problems {
        log.push(Entry::note(StreamIssue::Import {
            line: p.line,
            message: p.message,
        }));
    }
    imported.unknown
}

/// A file read whole in one go, sized from its length; a stream to its end.
fn read_whole(path: Option<&Path>, r: impl Read) -> io::Result<Vec<u8>> {
    match path {
        Some(p) => read_halves(p, HALVES_FROM),
        None => {
            let mut bytes = Vec::new();
            BufReader::new(r).read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

/// Below this size a file is read on one thread.
const HALVES_FROM: u64 = 16 << 20;

/// A file read whole, a large one in two halves at once (most of a read from the page cache is
/// the copy and the faulting in of the pages it lands on, which two cores share); what it
/// gained meanwhile is read on after. A file that shrank is read again in one go. `from`: the
/// size from which a file is read in halves.
#[cfg(unix)]
fn read_halves(p: &Path, from: u64) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut file = std::fs::File::open(p)?;
    let len = file.metadata()?.len();
    let half = usize::try_from(len / 2).map_err(io::Error::other)?;
    if len < from {
        return std::fs::read(p);
    }
    let mut bytes = vec![0u8; half * 2 + (len % 2) as usize];
    let (a, b) = bytes.split_at_mut(half);
    let read = std::thread::scope(|scope| {
        let second = scope.spawn(|| file.read_exact_at(b, half as u64));
        let first = file.read_exact_at(a, 0);
        let second = (second.join()).unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        first.and(second)
    });
    match read {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => std::fs::read(p),
        Err(e) => Err(e),
        Ok(()) => {
            io::Seek::seek(&mut file, io::SeekFrom::Start(len))?;
            file.read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

#[cfg(not(unix))]
fn read_halves(p: &Path, _from: u64) -> io::Result<Vec<u8>> {
    std::fs::read(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_read_in_halves_is_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        for len in [0usize, 1, 2, 7, 1000, 1001] {
            let path = dir.path().join(format!("f{len}"));
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            std::fs::write(&path, &bytes).expect("write");
            assert_eq!(super::read_halves(&path, 0).expect("read"), bytes, "{len}");
        }
    }
}
