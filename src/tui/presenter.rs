//! Presenting with markers (`replay --pause-on-markers`): while the Story is shown, playing
//! stops at each marker, bookmark and note of the recording in force, as slides stop at the end
//! of a point, and says which; `space` plays on to the next.

use super::app::{App, Mode};
use super::escape::escape_short;
use super::tab::Tab;

/// After the clock moved on from position `before`: when it passed a marker, back to the
/// marker's position, paused, with a notice naming it.
pub fn stop_at_marker(app: &mut App, before: usize) {
    if !app.pause_on_markers || app.ui.tab != Tab::Story {
        return;
    }
    super::marks::prepare(app);
    let now = app.ui.now_ms;
    let Mode::Replay { clock, times, .. } = &mut app.mode else {
        return;
    };
    let after = clock.pos;
    // A mark on frame `f` is reached once the frame is shown: at position `f + 1`.
    let passed = (app.marks.list.iter()).find_map(|m| {
        m.frame
            .filter(|&f| before <= f && f < after)
            .map(|f| (f + 1, m))
    });
    if let Some((at, m)) = passed {
        clock.seek(at, times, now);
        clock.playing = false;
        let (kind, text) = (m.kind.word(), escape_short(&m.text, 80));
        app.ui.notice = Some(format!("paused at the {kind} “{text}” · space plays on"));
    }
}
