//! The reducer: `update(&mut App, Msg) -> Vec<Effect>`, the only place the app's state changes.
//! Keys go through the keymap to actions, or to the open text input; source messages go into
//! the log; the tick moves the replay clock and sends what is due. It performs no I/O: sending,
//! copying, saving, marking the recording, reading a theme, running the rules and quitting are
//! returned as [`Effect`]s, and what came of them comes back as a [`Msg`]. Every update but a
//! source message's ends with one sync of the view (which does nothing unless the log's
//! generation or the view's inputs changed) and the texts drawing needs, and counts a revision
//! when anything on screen changed; source messages come in floods and are taken in batches,
//! the next tick syncs once for all of them.

use super::app::Then;
use super::app::{App, Focus, Input, Mode, Overlay, Tab};
use super::keymap::Action;
use super::msg::{Effect, Msg};
use super::nav;
use super::verdicts::{FindingKey, Scope, Verdicts};
use crate::source::websocket::SourceMsg;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    let shown = match msg {
        // Digested in batches: the view follows at the next tick (or key), which syncs once
        // for all of them.
        Msg::Source(m) => {
            source(app, m);
            return fx;
        }
        Msg::Tick(now) => tick(app, now, &mut fx),
        Msg::Backlog(n) => std::mem::replace(&mut app.ui.backlog, n) != n,
        msg => {
            handle(app, msg, &mut fx);
            true
        }
    };
    settle(app, &mut fx, shown);
    fx
}

/// Does what an action does, as if its key had been pressed (tests, benchmarks).
pub fn act(app: &mut App, a: Action, fx: &mut Vec<Effect>) {
    action(app, a, fx);
    settle(app, fx, true);
}

/// The end of every update: the one sync, the cursor moves waiting for it, the texts, and a
/// new revision when something shown changed.
fn settle(app: &mut App, fx: &mut Vec<Effect>, shown: bool) {
    let version = app.view.version;
    fx.extend(
        app.sync()
            .into_iter()
            .map(|j| Effect::Validate(Box::new(j))),
    );
    for then in std::mem::take(&mut app.then) {
        nav::follow(app, then);
    }
    super::prepare::prepare(app);
    if shown || !fx.is_empty() || app.view.version != version {
        app.ui.revision += 1;
    }
}

fn handle(app: &mut App, msg: Msg, fx: &mut Vec<Effect>) {
    match msg {
        Msg::Key(k) if k.kind != KeyEventKind::Release => key(app, k, fx),
        Msg::Mouse(m) => {
            if let Some(a) = super::mouse::mouse(app, m) {
                action(app, a, fx);
            }
        }
        Msg::Resize(w, h) => app.ui.size = (w, h),
        Msg::Verdicts(v) => verdicts(app, v),
        Msg::Paste(text) => {
            if let Some(input) = input_mut(&mut app.ui.overlay) {
                input.text.push_str(&text.replace(['\n', '\r'], " "));
            }
            super::cmdline::preview_filter(app);
        }
        Msg::Saved(path) => app.ui.notice = Some(format!("saved {}", path.display())),
        Msg::WriteFailed(why) => app.ui.notice = Some(why),
        Msg::ThemeLoaded(Ok(theme)) => app.ui.theme = theme,
        Msg::ThemeLoaded(Err(why)) => app.ui.notice = Some(why),
        Msg::Key(_) | Msg::Tick(_) | Msg::Backlog(_) | Msg::Source(_) => {}
    }
}

/// Takes a job's verdicts; the rule and finding under the cursors stay under them, found by
/// name in the new list.
fn verdicts(app: &mut App, v: Verdicts) {
    if v.scope == Scope::Log {
        return app.whole.finished(v);
    }
    let results = &app.rules.results;
    let rule = results.get(app.cursors.rules).map(|r| r.id);
    let finding = rule.and_then(|id| {
        let r = results.get(app.cursors.rules)?;
        let j = super::findings::nth_shown(app, &r.findings, app.cursors.findings)?;
        Some(FindingKey::of(id, &r.findings[j]))
    });
    app.rules.finished(v);
    let results = &app.rules.results;
    if let Some(i) = rule.and_then(|id| results.iter().position(|r| r.id == id)) {
        app.cursors.rules = i;
        let found = finding.and_then(|k| {
            let fs = &results[i].findings;
            let j = fs.iter().position(|f| FindingKey::of(k.rule, f) == k)?;
            super::findings::shown_index(app, fs, j)
        });
        if let Some(j) = found {
            app.cursors.findings = j;
        }
    }
}

/// Moves the clock; true when something shown changed (the position, the live clock's
/// second, a send, a recording that failed).
fn tick(app: &mut App, now: f64, fx: &mut Vec<Effect>) -> bool {
    let second = |ms: f64| (ms / 1000.0).floor();
    let before = std::mem::replace(&mut app.ui.now_ms, now);
    let mut shown = false;
    match &mut app.mode {
        Mode::Replay { clock, times, .. } => {
            let before = clock.pos;
            shown |= clock.tick(now, times);
            super::presenter::stop_at_marker(app, before);
        }
        Mode::Live { link, sends, .. } => {
            shown |= second(before) != second(now);
            let connected = link.is_connected();
            if let Some(frame) =
                sends.due(app.sink.log.session(), &app.sink.log.interner, connected)
            {
                fx.push(Effect::Send(frame));
            }
        }
    }
    if app.ui.notice.is_none() {
        if let Some(e) = app.sink.write_error() {
            app.ui.notice = Some(e);
            shown = true;
        }
    }
    shown
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
        Overlay::Filter(i) | Overlay::Command(i) | Overlay::Composer(i) | Overlay::Note(i, _) => {
            Some(i)
        }
        _ => None,
    }
}

fn is_ctrl_c(k: &KeyEvent) -> bool {
    k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL)
}

fn key(app: &mut App, k: KeyEvent, fx: &mut Vec<Effect>) {
    app.ui.notice = None;
    if input_mut(&mut app.ui.overlay).is_some() {
        return text_key(app, k, fx);
    }
    // Ctrl-C does what the keymap says; only when no key at all quits does it quit anyway.
    let fallback = is_ctrl_c(&k) && app.ui.keymap.keys(Action::Quit).is_empty();
    let Some(a) = (app.ui.keymap.action(&k)).or(fallback.then_some(Action::Quit)) else {
        return;
    };
    if app.ui.overlay == Overlay::Help && !matches!(a, Action::Quit) {
        if !nav::scroll_help(app, a) {
            app.ui.overlay = Overlay::None;
        }
        return;
    }
    if app.ui.overlay == Overlay::Marks {
        return super::marks::list_key(app, a, fx);
    }
    action(app, a, fx);
}

fn text_key(app: &mut App, k: KeyEvent, fx: &mut Vec<Effect>) {
    if is_ctrl_c(&k) {
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
        KeyCode::Enter => enter(app, fx),
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
    super::cmdline::preview_filter(app);
}

/// Enter in a text input: applies the filter, runs the command or sends the message.
fn enter(app: &mut App, fx: &mut Vec<Effect>) {
    match std::mem::replace(&mut app.ui.overlay, Overlay::None) {
        Overlay::Filter(i) => super::cmdline::apply_filter(app, &i.text),
        Overlay::Command(i) => {
            if !i.text.trim().is_empty() {
                app.ui.history.retain(|h| h != &i.text);
                app.ui.history.push(i.text.clone());
            }
            super::cmdline::run(app, &i.text, fx);
        }
        Overlay::Composer(i) => compose(app, &i.text, fx),
        Overlay::Note(i, frame) => super::marks::submit_note(app, frame, &i.text, fx),
        _ => {}
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

fn action(app: &mut App, a: Action, fx: &mut Vec<Effect>) {
    if let Some(tab) = a.tab() {
        if tab == Tab::Compare && app.against.is_none() {
            app.ui.notice = Some("nothing to compare: replay B --against A".into());
            return;
        }
        return switch(app, tab);
    }
    if app.ui.focus == Focus::Compare && matches!(a, Action::NextMark | Action::PrevMark) {
        return super::comparison::jump(app, a == Action::NextMark);
    }
    if super::position::act(app, a) {
        return;
    }
    let focus = app.ui.focus;
    match a {
        Action::Quit => fx.push(Effect::Quit),
        Action::Help => {
            app.ui.overlay = Overlay::Help;
            app.cursors.help = 0;
        }
        Action::Top => nav::set(app, focus, 0),
        Action::Bottom => nav::bottom(app, focus),
        Action::FocusNext | Action::FocusPrev => {
            let panes = app.ui.tab.panes();
            let i = panes.iter().position(|p| *p == focus).unwrap_or(0);
            let n = panes.len();
            let j = if a == Action::FocusNext {
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
        Action::Select => nav::select(app, focus),
        Action::Back => back(app),
        _ => item(app, a, fx),
    }
}

fn page(app: &App) -> isize {
    (app.ui.size.1 as isize / 3).max(3)
}

/// The actions on what is loaded or selected: filters, marks, copies, rules, sort.
fn item(app: &mut App, a: Action, fx: &mut Vec<Effect>) {
    match a {
        Action::Filter => {
            app.ui.overlay = Overlay::Filter(Input {
                text: app.ui.filter.source().to_string(),
                history_at: None,
            })
        }
        Action::Compose => match app.mode {
            Mode::Live { listens: true, .. } => {
                app.ui.notice = Some("this source only listens: nothing can be sent to it".into())
            }
            Mode::Live { .. } => app.ui.overlay = Overlay::Composer(Input::default()),
            Mode::Replay { .. } => {
                app.ui.notice = Some("messages can only be sent on a live link".into())
            }
        },
        Action::Mark => super::marks::toggle_bookmark(app, fx),
        Action::Note => super::marks::open_note(app),
        Action::Marks => super::marks::open_list(app),
        Action::Copy => super::payload::copy(app, fx),
        Action::LoadAll => super::payload::load_all(app),
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
        Action::Sort => app.ui.sort.column = app.ui.sort.column.next(),
        Action::SortReverse => app.ui.sort.reverse = !app.ui.sort.reverse,
        Action::AgentFilter => nav::toggle_agent_filter(app),
        Action::RunFilter => nav::cycle_run(app),
        Action::ContextView => app.contexts.toggle(),
        Action::DifferencesOnly => super::comparison::toggle(app),
        _ => {}
    }
}

fn switch(app: &mut App, tab: Tab) {
    app.ui.tab = tab;
    app.ui.focus = tab.panes()[0];
    app.then.push(Then::Select(app.ui.focus));
}

fn back(app: &mut App) {
    if let Overlay::Payload(focus) = app.ui.overlay {
        app.ui.overlay = Overlay::None;
        app.ui.focus = focus;
    } else if app.ui.overlay != Overlay::None {
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
