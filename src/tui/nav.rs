//! Moving in lists: how long each pane's list is, moving its cursor, and what the cursor
//! selects (the shared selection the detail pane shows). Also the jumps: to a frame, to the
//! next marker or failing finding, and Enter on a row. Used by `update`; reads the view, never
//! the terminal. A move that needs the view at a new position is left as a [`Then`] for the
//! sync that ends the update.

use super::app::{App, Focus, Mode, Selected, Tab, Then};
use super::linkrows::Row;
use super::verdicts::FindingKey;
use crate::core::session::Pos;
use crate::core::validate::Status;

/// Does what waited for the view.
pub fn follow(app: &mut App, then: Then) {
    match then {
        Then::Frame(p) => {
            if let Some(i) = app.view.rows.iter().position(|&r| r == p) {
                app.cursors.timeline = Some(app.view.links.index_in(i, &app.view.rows));
            }
        }
        Then::Select(focus) => select_from(app, focus),
        Then::Last(focus) => {
            let n = len(app, focus);
            if n > 0 {
                set(app, focus, n - 1);
            }
        }
    }
}

/// Rows in the list of a pane.
pub fn len(app: &App, focus: Focus) -> usize {
    let s = app.session();
    match focus {
        Focus::Agents => app.view.agents.len(),
        Focus::Timeline => app.view.links.len_in(&app.view.rows, app.view.frames),
        Focus::Tools => app.view.tools.len(),
        Focus::Turns | Focus::Context => s.turns.len(),
        Focus::Waterfall => app.view.agents.len() + app.view.tools.len(),
        Focus::Rules => app.rules.results.len(),
        Focus::Findings => app
            .rules
            .results
            .get(app.cursors.rules)
            .map_or(0, |r| r.findings.len()),
        Focus::Frames => app.view.links.len(app.view.frames),
        Focus::Detail => usize::MAX / 2,
        // The Story scrolls by run.
        Focus::Story => s.runs.len().max(1),
    }
}

/// The cursor of a pane (the timeline's tail when following).
pub fn cursor(app: &App, focus: Focus) -> usize {
    let c = &app.cursors;
    let last = len(app, focus).saturating_sub(1);
    match focus {
        Focus::Agents => c.agents,
        Focus::Timeline => c.timeline.unwrap_or(last),
        Focus::Tools => c.tools,
        Focus::Turns => c.turns,
        Focus::Context => c.context,
        Focus::Waterfall => c.waterfall,
        Focus::Rules => c.rules,
        Focus::Findings => c.findings,
        Focus::Frames => c.frames.unwrap_or(last),
        Focus::Detail => c.detail,
        Focus::Story => c.story,
    }
    .min(last)
}

/// Moves the focused pane's cursor by `delta` rows and selects what it lands on.
pub fn move_by(app: &mut App, focus: Focus, delta: isize) {
    let n = len(app, focus);
    if n == 0 {
        return;
    }
    let to = cursor(app, focus).saturating_add_signed(delta).min(n - 1);
    set(app, focus, to);
}

/// Puts a pane's cursor at `to` and selects what it lands on.
pub fn set(app: &mut App, focus: Focus, to: usize) {
    let c = &mut app.cursors;
    match focus {
        Focus::Agents => c.agents = to,
        Focus::Timeline => c.timeline = Some(to),
        Focus::Tools => c.tools = to,
        Focus::Turns => c.turns = to,
        Focus::Context => c.context = to,
        Focus::Waterfall => c.waterfall = to,
        Focus::Rules => {
            if c.rules != to {
                c.findings = 0;
            }
            c.rules = to
        }
        Focus::Findings => c.findings = to,
        Focus::Frames => c.frames = Some(to),
        Focus::Detail => c.detail = to,
        Focus::Story => c.story = to,
    }
    select_from(app, focus);
}

/// Makes the item under a pane's cursor the selection.
pub fn select_from(app: &mut App, focus: Focus) {
    if len(app, focus) == 0 {
        return;
    }
    let i = cursor(app, focus);
    let v = &app.view;
    let s = v.session(&app.sink.log);
    let agent = |i| {
        v.agents
            .get(s, i)
            .map_or(Selected::None, |r| Selected::Agent(r.agent))
    };
    app.selected = match focus {
        Focus::Agents => agent(i),
        Focus::Timeline => match v.links.row_in(i, &v.rows, v.frames) {
            Row::Frame(p) => Selected::Frame(p),
            Row::Link(_) => Selected::None,
        },
        Focus::Tools => Selected::Call(v.tools[i]),
        Focus::Turns | Focus::Context => Selected::Turn(crate::core::session::TurnIx::new(i)),
        Focus::Waterfall if i < v.agents.len() => agent(i),
        Focus::Waterfall => Selected::Call(v.tools[i - v.agents.len()]),
        Focus::Rules => Selected::Rule(app.rules.results[i].id),
        Focus::Findings => {
            let r = &app.rules.results[app.cursors.rules];
            Selected::Finding(FindingKey::of(r.id, &r.findings[i]))
        }
        Focus::Frames => match v.links.row(i, v.frames) {
            Row::Frame(p) => Selected::Frame(p),
            Row::Link(_) => Selected::None,
        },
        Focus::Detail | Focus::Story => return,
    };
    if focus != Focus::Detail {
        app.cursors.detail = 0;
    }
}

/// Shows frame `p`: in replay moves the position so it is shown, then puts the timeline and
/// frames cursors on it (the timeline's once the view is there).
pub fn jump_to_frame(app: &mut App, p: Pos) {
    let now = app.ui.now_ms;
    if let Mode::Replay { clock, times, .. } = &mut app.mode {
        if p.index() >= clock.pos {
            clock.seek(p.index() + 1, times, now);
            clock.playing = false;
        }
    }
    app.then.push(Then::Frame(p));
    app.cursors.frames = Some(app.view.links.row_of(p));
    app.selected = Selected::Frame(p);
    app.cursors.detail = 0;
}

/// Frame positions of markers and of failing or warning findings (at the position shown, and
/// over the whole recording in replay), sorted.
pub fn landmarks(app: &App) -> Vec<Pos> {
    let mut out: Vec<Pos> = (app.sink.log.marks())
        .map(|(frames, _)| Pos::new(frames.saturating_sub(1)))
        .collect();
    for r in app.rules.results.iter().chain(&app.whole.results) {
        if matches!(r.status, Status::Fail | Status::Warn) {
            out.extend(r.findings.iter().filter_map(|f| f.frames.first().copied()));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The frame the user is at: the selected frame, else the last shown.
pub fn current_frame(app: &App) -> Option<Pos> {
    match app.selected {
        Selected::Frame(p) => Some(p),
        _ => app.view.frames.checked_sub(1).map(Pos::new),
    }
}

/// Jumps to the next (or previous) landmark.
pub fn landmark(app: &mut App, forward: bool) {
    let marks = landmarks(app);
    let at = current_frame(app);
    let target = if forward {
        marks.into_iter().find(|&m| at.is_none_or(|a| m > a))
    } else {
        marks.into_iter().rev().find(|&m| at.is_some_and(|a| m < a))
    };
    match target {
        Some(p) => jump_to_frame(app, p),
        None => app.ui.notice = Some("no further marker or failing finding".into()),
    }
}

/// Enter on a pane's row: selects it, and opens what it leads to.
pub fn select(app: &mut App, focus: Focus) {
    match focus {
        Focus::Agents => {
            select_from(app, focus);
            toggle_agent_filter(app);
        }
        Focus::Tools | Focus::Waterfall => {
            select_from(app, focus);
            if let Selected::Call(c) = app.selected {
                let call = &app.session().calls[c.index()];
                if let Some(p) = call.exec_pos.or(call.done_pos) {
                    jump_to_frame(app, p);
                    app.selected = Selected::Call(c);
                }
            }
        }
        Focus::Turns | Focus::Context => {
            let t = cursor(app, focus);
            if let Some(p) = app.session().turns.get(t).map(|turn| turn.opened_pos) {
                jump_to_frame(app, p);
                app.selected = Selected::Turn(crate::core::session::TurnIx::new(t));
            }
        }
        Focus::Rules => {
            app.ui.focus = Focus::Findings;
            app.cursors.findings = 0;
            select_from(app, Focus::Findings);
        }
        Focus::Findings => {
            let f = app
                .rules
                .results
                .get(app.cursors.rules)
                .and_then(|r| r.findings.get(app.cursors.findings))
                .and_then(|f| f.frames.first().copied());
            if let Some(p) = f {
                jump_to_frame(app, p);
                app.ui.tab = Tab::Overview;
                app.ui.focus = Focus::Timeline;
            }
        }
        _ => select_from(app, focus),
    }
}

/// Filters the timeline and tools to the selected agent, or stops filtering.
pub fn toggle_agent_filter(app: &mut App) {
    let agent = match app.selected {
        Selected::Agent(a) => Some(a),
        _ => None,
    };
    app.ui.agent_filter = if app.ui.agent_filter.is_some() || agent.is_none() {
        None
    } else {
        agent
    };
    app.cursors.timeline = None;
    app.cursors.tools = 0;
}
