//! The reducer: `update(&mut App, Msg) -> Vec<Effect>`. Keys go through the keymap to
//! actions, or to the open text input; source messages go into the sink; the tick moves the
//! replay clock, sends what is due and lets the rules recompute. No I/O of its own except the
//! sink's recording; effects it cannot do (send, copy, save, quit) are returned.

use super::app::{App, Focus, Input, Mode, Overlay, Selected, Tab};
use super::keymap::Action;
use super::msg::{Effect, Msg};
use super::nav;
use super::verdicts::Scope;
use crate::source::websocket::SourceMsg;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Tick(now) => tick(app, now, &mut fx),
        Msg::Source(m) => {
            source(app, m);
            return fx;
        }
        Msg::Key(k) if k.kind != KeyEventKind::Release => key(app, k, &mut fx),
        Msg::Key(_) => {}
        Msg::Mouse(m) => super::mouse::mouse(app, m),
        Msg::Resize(w, h) => app.ui.size = (w, h),
        Msg::Verdicts(v) => match v.scope {
            Scope::View => app.rules.finished(v),
            Scope::Log => app.whole.finished(v),
        },
        Msg::Paste(text) => {
            if let Some(input) = input_mut(&mut app.ui.overlay) {
                input.text.push_str(&text.replace(['\n', '\r'], " "));
            }
        }
    }
    app.sync();
    fx
}

fn tick(app: &mut App, now: f64, fx: &mut Vec<Effect>) {
    app.ui.now_ms = now;
    match &mut app.mode {
        Mode::Replay { clock, times, .. } => {
            clock.tick(now, times);
        }
        Mode::Live { link, sends, .. } => {
            let connected = link.is_connected();
            if let Some(frame) =
                sends.due(app.sink.log.session(), &app.sink.log.interner, connected)
            {
                fx.push(Effect::Send(frame));
            }
        }
    }
}

fn source(app: &mut App, m: SourceMsg) {
    if let (
        SourceMsg::Link { state, .. },
        Mode::Live {
            link,
            link_since_ms,
            ..
        },
    ) = (&m, &mut app.mode)
    {
        *link = *state;
        *link_since_ms = app.ui.now_ms;
    }
    app.sink.accept(m);
}

fn input_mut(o: &mut Overlay) -> Option<&mut Input> {
    match o {
        Overlay::Filter(i) | Overlay::Command(i) | Overlay::Composer(i) => Some(i),
        _ => None,
    }
}

fn key(app: &mut App, k: KeyEvent, fx: &mut Vec<Effect>) {
    app.ui.notice = None;
    if input_mut(&mut app.ui.overlay).is_some() {
        return text_key(app, k, fx);
    }
    let Some(action) = app.ui.keymap.action(&k) else {
        return;
    };
    if app.ui.overlay == Overlay::Help && !matches!(action, Action::Quit) {
        app.ui.overlay = Overlay::None;
        return;
    }
    act(app, action, fx);
}

fn text_key(app: &mut App, k: KeyEvent, fx: &mut Vec<Effect>) {
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        app.ui.overlay = Overlay::None;
        return;
    }
    let history = app.ui.history.clone();
    let Some(input) = input_mut(&mut app.ui.overlay) else {
        return;
    };
    match k.code {
        KeyCode::Esc => {
            if matches!(app.ui.overlay, Overlay::Filter(_)) {
                app.ui.filter = Default::default();
                app.cursors.timeline = None;
            }
            app.ui.overlay = Overlay::None;
        }
        KeyCode::Enter => {
            let overlay = std::mem::replace(&mut app.ui.overlay, Overlay::None);
            match overlay {
                Overlay::Filter(i) => apply_filter(app, &i.text),
                Overlay::Command(i) => {
                    if !i.text.trim().is_empty() {
                        app.ui.history.retain(|h| h != &i.text);
                        app.ui.history.push(i.text.clone());
                    }
                    super::cmdline::run(app, &i.text, fx);
                }
                Overlay::Composer(i) => compose(app, &i.text, fx),
                _ => {}
            }
        }
        KeyCode::Backspace => {
            input.text.pop();
        }
        KeyCode::Up | KeyCode::Down if !history.is_empty() => {
            let n = history.len();
            let at = match (input.history_at, k.code) {
                (None, KeyCode::Up) => Some(n - 1),
                (Some(i), KeyCode::Up) => Some(i.saturating_sub(1)),
                (Some(i), _) if i + 1 < n => Some(i + 1),
                _ => None,
            };
            input.history_at = at;
            input.text = at.map(|i| history[i].clone()).unwrap_or_default();
        }
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => input.text.push(c),
        _ => {}
    }
}

pub fn apply_filter(app: &mut App, text: &str) {
    match super::filter::Filter::parse(text) {
        Ok(f) => {
            app.ui.filter = f;
            app.cursors.timeline = None;
        }
        Err(e) => app.ui.notice = Some(format!("filter: {e}")),
    }
}

fn compose(app: &mut App, text: &str, fx: &mut Vec<Effect>) {
    if text.trim().is_empty() {
        return;
    }
    let thread = crate::source::pacing::thread_of(app.sink.log.session(), &app.sink.log.interner);
    if let Mode::Live { sends, .. } = &mut app.mode {
        sends.sent_now(app.sink.log.session());
        fx.push(Effect::Send(crate::source::websocket::user_message(
            text,
            thread.as_deref(),
        )));
        app.ui.notice = Some("message sent".into());
    }
}

fn page(app: &App) -> isize {
    (app.ui.size.1 as isize / 3).max(3)
}

pub fn act(app: &mut App, action: Action, fx: &mut Vec<Effect>) {
    let focus = app.ui.focus;
    let now = app.ui.now_ms;
    match action {
        Action::Quit => {
            app.quit = true;
            fx.push(Effect::Quit);
        }
        Action::Help => app.ui.overlay = Overlay::Help,
        Action::Overview => switch(app, Tab::Overview),
        Action::Waterfall => switch(app, Tab::Waterfall),
        Action::Tools => switch(app, Tab::Tools),
        Action::Context => switch(app, Tab::Context),
        Action::Rules => switch(app, Tab::Rules),
        Action::Frames => switch(app, Tab::Frames),
        Action::Story => switch(app, Tab::Story),
        Action::FocusNext | Action::FocusPrev => {
            let panes = app.ui.tab.panes();
            let i = panes.iter().position(|p| *p == focus).unwrap_or(0);
            let n = panes.len();
            let j = if action == Action::FocusNext {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            app.ui.focus = panes[j];
        }
        Action::Up => nav::move_by(app, focus, -1),
        Action::Down => nav::move_by(app, focus, 1),
        Action::PageUp => nav::move_by(app, focus, -page(app)),
        Action::PageDown => nav::move_by(app, focus, page(app)),
        Action::Select => select(app, focus),
        Action::Back => back(app),
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
            let d = if action == Action::StepBack { -1 } else { 1 };
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
        Action::Faster | Action::Slower => {
            if let Mode::Replay { clock, times, .. } = &mut app.mode {
                clock.change_speed(action == Action::Faster, now, times);
            }
        }
        Action::Start => {
            if let Mode::Replay { clock, times, .. } = &mut app.mode {
                clock.seek(0, times, now);
            }
            nav::set(app, focus, 0);
        }
        Action::End => {
            match &mut app.mode {
                Mode::Replay { clock, times, .. } => clock.seek(times.len(), times, now),
                Mode::Live { paused_at, .. } => *paused_at = None,
            }
            app.cursors.timeline = None;
            app.cursors.frames = None;
            app.sync();
            let n = nav::len(app, focus);
            if n > 0 && !matches!(focus, Focus::Timeline | Focus::Frames) {
                nav::set(app, focus, n - 1);
            }
        }
        Action::NextMark => nav::landmark(app, true),
        Action::PrevMark => nav::landmark(app, false),
        Action::Filter => {
            app.ui.overlay = Overlay::Filter(Input {
                text: app.ui.filter.source().to_string(),
                history_at: None,
            })
        }
        Action::Compose => match app.mode {
            Mode::Live { .. } => app.ui.overlay = Overlay::Composer(Input::default()),
            Mode::Replay { .. } => {
                app.ui.notice = Some("messages can only be sent on a live link".into())
            }
        },
        Action::Mark => {
            let n = app.sink.log.marks().count();
            let text = format!("mark {}", n + 1);
            app.sink.mark(now / 1000.0, &text);
            app.ui.notice = Some(format!("added {text}"));
        }
        Action::Copy => {
            let json = super::inspect::json(app);
            fx.push(Effect::Copy(
                serde_json::to_string_pretty(&json).unwrap_or_default(),
            ));
            app.ui.notice = Some("copied the selected item as JSON".into());
        }
        Action::Command => app.ui.overlay = Overlay::Command(Input::default()),
        Action::ToggleRule => {
            if let Some(r) = app.rules.results.get(app.cursors.rules) {
                let id = r.id;
                let mut rc = app.rules.config.rule(id);
                rc.enabled = !rc.enabled;
                app.rules.config.set_rule(id, rc);
                app.rules.invalidate();
            }
        }
        Action::Sort | Action::SortReverse => {
            let s = &mut app.ui.sort;
            if action == Action::Sort {
                s.column = (s.column + 1) % super::view::TOOL_COLUMNS.len();
            } else {
                s.reverse = !s.reverse;
            }
        }
        Action::AgentFilter => toggle_agent_filter(app),
    }
}

fn switch(app: &mut App, tab: Tab) {
    app.ui.tab = tab;
    app.ui.focus = tab.panes()[0];
    app.sync();
    nav::select_from(app, app.ui.focus);
}

fn toggle_agent_filter(app: &mut App) {
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

fn select(app: &mut App, focus: Focus) {
    match focus {
        Focus::Agents => {
            nav::select_from(app, focus);
            toggle_agent_filter(app);
        }
        Focus::Tools | Focus::Waterfall => {
            nav::select_from(app, focus);
            if let Selected::Call(c) = app.selected {
                let call = &app.session().calls[c];
                if let Some(p) = call.exec_pos.or(call.done_pos) {
                    nav::jump_to_frame(app, p);
                    app.selected = Selected::Call(c);
                }
            }
        }
        Focus::Turns | Focus::Context => {
            let t = nav::cursor(app, focus);
            if let Some(p) = app.session().turns.get(t).map(|turn| turn.opened_pos) {
                nav::jump_to_frame(app, p);
                app.selected = Selected::Turn(crate::core::session::TurnIx::new(t));
            }
        }
        Focus::Rules => {
            app.ui.focus = Focus::Findings;
            app.cursors.findings = 0;
            nav::select_from(app, Focus::Findings);
        }
        Focus::Findings => {
            let f = app
                .rules
                .results
                .get(app.cursors.rules)
                .and_then(|r| r.findings.get(app.cursors.findings))
                .and_then(|f| f.frames.first().copied());
            if let Some(p) = f {
                nav::jump_to_frame(app, p);
                app.ui.tab = Tab::Overview;
                app.ui.focus = Focus::Timeline;
            }
        }
        _ => nav::select_from(app, focus),
    }
}

fn back(app: &mut App) {
    if app.ui.overlay != Overlay::None {
        app.ui.overlay = Overlay::None;
    } else if app.ui.focus == Focus::Findings {
        app.ui.focus = Focus::Rules;
    } else if !app.ui.filter.is_empty() {
        app.ui.filter = Default::default();
        app.cursors.timeline = None;
    } else if app.ui.agent_filter.is_some() {
        app.ui.agent_filter = None;
    } else if app.ui.tab != Tab::Overview {
        switch(app, Tab::Overview);
    }
}
