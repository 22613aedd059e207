//! A foreign format's input into the log: imported (line by line from a file when its
//! importer can, else read whole), then its frames, markers and problems pushed in order.

use crate::core::entry::{Decode, Entry, Frame};
use crate::core::import::{self, Format};
use crate::core::log::Log;
use crate::core::session::StreamIssue;
use std::io::{self, BufReader, Read};
use std::path::Path;

/// A foreign format's input imported: line by line from a file when its importer can, else
/// read whole.
pub(super) fn import_foreign(
    foreign: Format,
    path: Option<&Path>,
    r: impl Read,
) -> io::Result<import::Imported> {
    if let Some(imported) = path.and_then(|p| import::import_file(foreign, p)) {
        return Ok(imported);
    }
    let bytes = read_whole(path, r)?;
    // Valid UTF-8 is checked fast and borrowed; anything else is read with replacements.
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(&bytes),
    };
    Ok(match path {
        Some(path) => import::import_path(foreign, path, &text),
        None => import::import(foreign, &text),
    })
}

/// A file read whole in one go, sized from its length; a stream to its end.
fn read_whole(path: Option<&Path>, r: impl Read) -> io::Result<Vec<u8>> {
    match path {
        Some(p) => std::fs::read(p),
        None => {
            let mut bytes = Vec::new();
            BufReader::new(r).read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

/// An import's frames, markers and problems into the log, in order; its unknown fields back.
pub(super) fn push_imported(log: &mut Log, imported: import::Imported) -> Vec<import::Unknown> {
    let mut marks = imported.marks.into_iter().peekable();
    let mut head = String::new();
    for (i, frame) in imported.frames.iter().enumerate() {
        while let Some(mark) = marks.next_if(|m| m.before <= i) {
            log.push(Entry::mark(None, mark.text));
        }
        let decode = match frame.head(&mut head) {
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
