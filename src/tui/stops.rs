//! `]` and `[`: the replay position moves to the next (previous) evidence frame of a failing
//! or warning finding, or bookmark, note or marker, and the status line says which one it stopped on
//! (`finding 3/7 · tool-pairing never-completed · frame 41`). In replay the findings are those
//! of the whole recording, so failures ahead of the position are reached too. The order is the
//! core's (`validate::evidence`); this only asks it and moves.

use super::app::App;
use super::nav;
use crate::core::session::Pos;
use crate::core::validate::evidence::{self, StopKind};
use crate::core::validate::{Finding, Status};

/// The failing and warning findings `]` visits.
fn failing(app: &App) -> Vec<&Finding> {
    let whole = app.is_replay() && !app.whole.results.is_empty();
    let results = if whole { &app.whole } else { &app.rules };
    (results.results.iter())
        .filter(|r| matches!(r.status, Status::Fail | Status::Warn))
        .flat_map(|r| r.findings.iter())
        .collect()
}

/// Moves to the next (or previous) stop and says where it stopped.
pub fn jump(app: &mut App, forward: bool) {
    let ordered = evidence::order(failing(app));
    let marks: Vec<(Pos, String)> = (app.marks.list.iter())
        .map(|m| {
            let said = match m.kind {
                crate::core::bookmarks::MarkKind::Note => format!("note: {}", m.text),
                _ => m.text.clone(),
            };
            (Pos::new(m.frame.unwrap_or(0)), said)
        })
        .collect();
    let positions: Vec<Pos> = marks.iter().map(|(p, _)| *p).collect();
    let stops = evidence::stops(&ordered, &positions);
    let Some(stop) = evidence::next(&stops, nav::current_frame(app), forward) else {
        app.ui.notice = Some("no further marker or failing finding".into());
        return;
    };
    let p = stop.pos;
    let said = match stop.what {
        StopKind::Finding(i) => {
            let code = ordered[i].code.replacen('/', " ", 1);
            format!("finding {}/{} · {code} · frame {p}", i + 1, ordered.len())
        }
        StopKind::Marker(i) => {
            let text = super::escape::escape_short(&marks[i].1, 40);
            format!("marker {}/{} · {text} · frame {p}", i + 1, marks.len())
        }
    };
    nav::jump_to_frame(app, p);
    app.ui.notice = Some(said);
}
