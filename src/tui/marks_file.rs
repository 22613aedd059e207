//! The runner's half of bookmarks and notes: appending each one to the recording a live
//! session writes, or to the recording being replayed (opened for each line, flushed, its mode
//! kept). A file that cannot be written (read-only, gone, not a regular file) is one notice;
//! the mark stays in the log, and `:save FILE` can still write it.

use super::app::App;
use super::marks::Target;
use super::msg::Msg;
use crate::core::bookmarks::Anchored;
use crate::core::recording::Writer;

/// Writes one bookmark, note or deletion where `app`'s marks go; what to tell the user if it
/// could not be.
pub fn append(app: &mut App, t: f64, at: u32, what: &Anchored) -> Option<Msg> {
    match &app.marks.target {
        Target::Recorder => {
            if let Some(r) = app.sink.recorder() {
                r.anchored(t, at, what);
            }
            None
        }
        Target::File { path, .. } => {
            let written = Writer::append_to(path).and_then(|mut w| w.anchored(t, at, what));
            let e = written.err()?;
            let said = format!(
                "cannot add the mark to {}: {e}; marks are kept in memory from now on (:save FILE writes them)",
                crate::core::escape::escape_short(&path.display().to_string(), 80)
            );
            app.marks.target = Target::Memory {
                why: "the recording could not be written".into(),
                told: true,
            };
            Some(Msg::WriteFailed(said))
        }
        Target::Memory { .. } => None,
    }
}
