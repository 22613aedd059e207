//! What a line importer made, as the messages a live source hands on: each native frame (its
//! source line kept under `payload.foreign`), the markers between them, then the problems it
//! met (reported, and counted by `stream-health`). One definition for every source that reads
//! a foreign format live (a followed file or pipe, a WebSocket's text frames), and how many
//! events its importer holds until what they belong to ends.

use super::message::{Report, SourceMsg};
use crate::core::import::Imported;

/// The messages `imported` becomes, all timed `t` (when the line that made them was read).
pub fn messages(t: f64, imported: Imported) -> Vec<SourceMsg> {
    let mut out = Vec::with_capacity(imported.frames.len() + imported.problems.len());
    let mut marks = imported.marks.into_iter().peekable();
    for (i, f) in imported.frames.into_iter().enumerate() {
        while let Some(m) = marks.next_if(|m| m.before <= i) {
            let report = Report::Mark(m.text);
            out.push(SourceMsg::Receiver { t, report });
        }
        let (dir, text) = (f.dir, f.text);
        out.push(SourceMsg::Frame { t, dir, text });
    }
    let rest = marks.map(|m| Report::Mark(m.text));
    let problems = (imported.problems.into_iter()).map(|p| Report::Problem(p.message));
    out.extend(
        rest.chain(problems)
            .map(|report| SourceMsg::Receiver { t, report }),
    );
    out
}

/// How many events an importer holds, told when it changed: what `told` was last, and the
/// message to hand on, if any.
pub fn pending(t: f64, told: &mut usize, now: usize) -> Option<SourceMsg> {
    if *told == now {
        return None;
    }
    *told = now;
    let report = Report::Pending(now);
    Some(SourceMsg::Receiver { t, report })
}
