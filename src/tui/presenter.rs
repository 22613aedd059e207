//! Presenting with markers (`replay --pause-on-markers`): while the Story is shown, playing
//! stops at each marker of the recording, as slides stop at the end of a point, and says which;
//! `space` plays on to the next. Markers are the log's (the `m` key, `mark` lines).

use super::app::{App, Mode};
use super::escape::escape_short;
use super::tab::Tab;

/// After the clock moved on from position `before`: when it passed a marker, back to the
/// marker's position, paused, with a notice naming it.
pub fn stop_at_marker(app: &mut App, before: usize) {
    if !app.pause_on_markers || app.ui.tab != Tab::Story {
        return;
    }
    let now = app.ui.now_ms;
    let Mode::Replay { clock, times, .. } = &mut app.mode else {
        return;
    };
    let after = clock.pos;
    let passed = (app.sink.log.marks()).find(|&(at, _)| before < at && at <= after);
    if let Some((at, text)) = passed {
        clock.seek(at, times, now);
        clock.playing = false;
        let text = escape_short(text, 80);
        app.ui.notice = Some(format!("paused at the marker “{text}” · space plays on"));
    }
}
