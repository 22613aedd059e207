//! The actions that move the position shown: pause and play (live: freeze the view), step one
//! frame, change the replay speed, go to the start or the end, jump to the next or previous
//! landmark. Part of `update`: changes the app, performs nothing.

use super::app::Then;
use super::app::{App, Focus, Mode};
use super::keymap::Action;
use super::nav;

/// Does `a` if it moves the position; false when it is another kind of action.
pub fn act(app: &mut App, a: Action) -> bool {
    let now = app.ui.now_ms;
    match a {
        Action::Pause => match &mut app.mode {
            Mode::Replay { clock, times, .. } => clock.toggle(now, times),
            Mode::Live { paused_at, .. } => {
                *paused_at = match paused_at {
                    Some(_) => None,
                    None => Some(app.sink.log.frames()),
                }
            }
        },
        Action::StepBack | Action::StepForward => {
            step(app, if a == Action::StepBack { -1 } else { 1 })
        }
        Action::Faster | Action::Slower => {
            if let Mode::Replay { clock, times, .. } = &mut app.mode {
                clock.change_speed(a == Action::Faster, now, times);
            }
        }
        Action::Start => {
            if let Mode::Replay { clock, times, .. } = &mut app.mode {
                clock.seek(0, times, now);
            }
            nav::set(app, app.ui.focus, 0);
        }
        Action::End => end(app),
        Action::NextMark => super::stops::jump(app, true),
        Action::PrevMark => super::stops::jump(app, false),
        _ => return false,
    }
    true
}

fn step(app: &mut App, d: isize) {
    let now = app.ui.now_ms;
    match &mut app.mode {
        Mode::Replay { clock, times, .. } => clock.step(d, times, now),
        Mode::Live { paused_at, .. } => {
            let frames = app.sink.log.frames();
            let at = paused_at
                .unwrap_or(frames)
                .saturating_add_signed(d)
                .min(frames);
            *paused_at = Some(at);
        }
    }
    app.cursors.timeline = None;
    app.cursors.frames = None;
}

/// To the end (live: following again); the focused list's cursor to its last row once the
/// view is there.
fn end(app: &mut App) {
    let now = app.ui.now_ms;
    match &mut app.mode {
        Mode::Replay { clock, times, .. } => clock.seek(times.len(), times, now),
        Mode::Live { paused_at, .. } => *paused_at = None,
    }
    app.cursors.timeline = None;
    app.cursors.frames = None;
    let focus = app.ui.focus;
    if !matches!(focus, Focus::Timeline | Focus::Frames) {
        app.then.push(Then::Last(focus));
    }
}
