//! Moving in lists: how long each pane's list is, moving its cursor, and what the cursor
//! selects (the shared selection the detail pane shows). Also the jump to a frame, and Enter
//! on a row (which opens the payload view of what it selects). Used by `update`; reads the view, never
//! the terminal. A move that needs the view at a new position is left as a [`Then`] for the
//! sync that ends the update.

use super::app::{App, Focus, Mode, Selected, Then};
use super::keymap::Action;
use super::lanes::Lane;
use super::linkrows::Row as Listed;
use super::tree::Row;
use super::verdicts::FindingKey;
use crate::core::session::{AgentIx, Pos, RunIx};

/// Does what waited for the view.
pub fn follow(app: &mut App, then: Then) {
    match then {
        Then::Frame(p) => {
            if let Ok(i) = app.view.rows.binary_search(&p) {
                let row = app.view.links.index_in(i, &app.view.rows);
                app.cursors.timeline = Some(row);
                app.cursors.frames = Some(row);
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
        Focus::Turns => app.view.turns.len(),
        Focus::Context => app.view.turns.len(),
        Focus::Waterfall => app.view.lanes.len(),
        Focus::Rules => app.rules.results.len(),
        Focus::Findings => super::findings::count_shown(app, app.cursors.rules),
        Focus::Frames => app.view.links.len_in(&app.view.rows, app.view.frames),
        Focus::Detail => usize::MAX / 2,
        // The Story scrolls by run.
        Focus::Story => s.runs.len() + 1,
        Focus::Compare => app.against.as_ref().map_or(0, |c| c.shown.len()),
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
        Focus::Compare => app.against.as_ref().map_or(0, |c| c.cursor),
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
        Focus::Compare => {
            if let Some(c) = app.against.as_deref_mut() {
                c.cursor = to;
            }
        }
    }
    select_from(app, focus);
}

/// `G`: the last row of a pane (the timeline and Frames follow the tail again; the detail pane
/// to its last line).
pub fn bottom(app: &mut App, focus: Focus) {
    let n = match focus {
        Focus::Detail => app.texts.detail.len(),
        _ => len(app, focus),
    };
    if n == 0 {
        return;
    }
    set(app, focus, n - 1);
    match focus {
        Focus::Timeline => app.cursors.timeline = None,
        Focus::Frames => app.cursors.frames = None,
        _ => {}
    }
}

/// A key while the help is up: the moves scroll it (true), anything else closes it.
pub fn scroll_help(app: &mut App, a: Action) -> bool {
    let page = (app.ui.size.1 as usize / 2).max(1);
    let h = &mut app.cursors.help;
    *h = match a {
        Action::Down => *h + 1,
        Action::Up => h.saturating_sub(1),
        Action::PageDown => *h + page,
        Action::PageUp => h.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => usize::MAX / 2,
        _ => return false,
    };
    true
}

/// Makes the item under a pane's cursor the selection.
pub fn select_from(app: &mut App, focus: Focus) {
    if len(app, focus) == 0 {
        // A list narrowed to nothing (a run without findings of the rule, or without turns)
        // keeps nothing of another run selected.
        if matches!(focus, Focus::Findings | Focus::Context) {
            app.selected = Selected::None;
        }
        return;
    }
    let i = cursor(app, focus);
    let v = &app.view;
    let s = v.session(&app.sink.log);
    let agent = |i| match v.agents.get(s, i) {
        Some(Row::Run(r)) => Selected::Run(r),
        Some(Row::Agent(r)) => Selected::Agent(r.agent),
        None => Selected::None,
    };
    app.selected = match focus {
        Focus::Agents => agent(i),
        Focus::Timeline => match v.links.row_in(i, &v.rows, v.frames) {
            Listed::Frame(p) => Selected::Frame(p),
            Listed::Link(_) => Selected::None,
        },
        Focus::Tools => Selected::Call(v.tools[i]),
        Focus::Turns => Selected::Turn(v.turns[i]),
        Focus::Context => Selected::Turn(v.turns[i]),
        Focus::Waterfall => match v.lanes.get(s, i) {
            Some(Lane::Run(r)) => Selected::Run(r),
            Some(Lane::Agent(r)) => Selected::Agent(r.agent),
            Some(Lane::Call(c)) => Selected::Call(c),
            None => Selected::None,
        },
        Focus::Rules => Selected::Rule(app.rules.results[i].id),
        Focus::Findings => {
            let r = &app.rules.results[app.cursors.rules];
            match super::findings::nth_shown(app, &r.findings, i) {
                Some(j) => Selected::Finding(FindingKey::of(r.id, &r.findings[j])),
                None => Selected::None,
            }
        }
        Focus::Frames => match v.links.row_in(i, &v.rows, v.frames) {
            Listed::Frame(p) => Selected::Frame(p),
            Listed::Link(_) => Selected::None,
        },
        Focus::Compare => {
            app.cursors.detail = 0;
            return;
        }
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
    app.selected = Selected::Frame(p);
    app.cursors.detail = 0;
}

/// The frame the user is at: the selected frame, else the last shown.
pub fn current_frame(app: &App) -> Option<Pos> {
    match app.selected {
        Selected::Frame(p) => Some(p),
        _ => app.view.frames.checked_sub(1).map(Pos::new),
    }
}

/// Enter on a pane's row: selects it, and opens what it leads to.
pub fn select(app: &mut App, focus: Focus) {
    match focus {
        Focus::Agents => {
            select_from(app, focus);
            match app.selected {
                Selected::Run(r) => {
                    let only = (app.ui.run_filter != Some(r)).then_some(r);
                    filter_run(app, only);
                }
                _ => toggle_agent_filter(app),
            }
        }
        Focus::Tools | Focus::Waterfall => {
            select_from(app, focus);
            if let Selected::Call(c) = app.selected {
                let call = &app.session().calls[c.index()];
                if let Some(p) = call.exec_pos.or(call.done_pos) {
                    jump_to_frame(app, p);
                    app.selected = Selected::Call(c);
                }
                super::payload::open(app);
            }
        }
        Focus::Turns | Focus::Context => {
            let i = cursor(app, focus);
            let t = app.view.turns.get(i).copied();
            let opened = t.and_then(|t| Some((t, app.session().turns.get(t.index())?.opened_pos)));
            if let Some((t, p)) = opened {
                jump_to_frame(app, p);
                app.selected = Selected::Turn(t);
            }
        }
        Focus::Rules => {
            app.ui.focus = Focus::Findings;
            app.cursors.findings = 0;
            select_from(app, Focus::Findings);
        }
        Focus::Compare => super::comparison::enter(app),
        Focus::Findings | Focus::Timeline | Focus::Frames => {
            select_from(app, focus);
            super::payload::open(app);
        }
        _ => select_from(app, focus),
    }
}

/// Narrows every list to run `only` (every run with `None`); an agent filter of another run
/// is dropped, and the lists start again from their tops (the timeline and Frames follow).
pub fn filter_run(app: &mut App, only: Option<RunIx>) {
    app.ui.run_filter = only;
    let s = app.session();
    let other =
        |a: AgentIx| only.is_some_and(|r| s.agents.get(a.index()).is_some_and(|x| x.run != r));
    if app.ui.agent_filter.is_some_and(other) {
        app.ui.agent_filter = None;
    }
    let c = &mut app.cursors;
    (c.timeline, c.frames, c.tools, c.waterfall, c.findings) = (None, None, 0, 0, 0);
    (c.context, c.turns) = (0, 0);
    // The Story puts the run on top (it scrolls by run; 0 is the checks).
    c.story = only.map_or(0, |r| r.index() + 1);
    if only.is_some() {
        c.agents = 0;
    }
    // What is selected follows the focused list's cursor once the rows are the run's.
    app.then.push(Then::Select(app.ui.focus));
}

/// `r`: all runs → R1 → R2 … → all runs; the footer says which.
pub fn cycle_run(app: &mut App) {
    let n = app.session().runs.len();
    let next = match app.ui.run_filter {
        None if n > 0 => Some(RunIx::new(0)),
        Some(r) if r.index() + 1 < n => Some(RunIx::new(r.index() + 1)),
        _ => None,
    };
    filter_run(app, next);
    let labels = &app.view.labels;
    app.ui.notice = Some(match next {
        Some(r) => match labels.request(r) {
            Some(req) => format!("showing run {} only: {req}", labels.short(r)),
            None => format!("showing run {} only", labels.short(r)),
        },
        None if n == 0 => "no runs yet".into(),
        None => format!("showing all {n} runs"),
    });
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
