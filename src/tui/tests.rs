//! Tests of the whole app without a terminal: `update` driven by messages, and every tab and
//! overlay drawn into a `TestBackend` at 200×60 and 80×24 with an injected clock, from the
//! fixture recording, as insta snapshots of the buffer text (plus a few styles per theme).

use super::app::{App, Focus, Input, Mode, Overlay, Selected, Tab};
use super::keymap::{Action, Keymap};
use super::msg::{Effect, Msg};
use super::theme::Theme;
use super::verdicts::Job;
use crate::commands::screen::Settings;
use crate::core::link::Dir;
use crate::core::link::LinkState;
use crate::core::log::Keep;
use crate::source::sink::Sink;
use crate::source::websocket::SourceMsg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::cell::RefCell;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/netra/era-a-session.jsonl"
);

fn settings(theme: &str) -> Settings {
    Settings {
        theme: Theme::builtin(theme).unwrap(),
        keymap: Keymap::default(),
        config: Default::default(),
    }
}

/// The fixture replayed to its end, paused.
fn replay_app(theme: &str) -> App {
    replay_file(FIXTURE, theme)
}

/// A recording replayed to its end, paused.
fn replay_file(path: &str, theme: &str) -> App {
    let loaded = crate::core::load::load(path, None, Keep::All).unwrap();
    let name = std::path::Path::new(path).file_name().unwrap();
    let mut app = crate::commands::replay::app_for(
        name.to_str().unwrap(),
        loaded,
        2.0,
        None,
        false,
        settings(theme),
    );
    update(&mut app, Msg::Tick(1000.0));
    act(&mut app, Action::End, &mut Vec::new());
    app.recompute_rules();
    app
}

fn live_app() -> App {
    let sink = Sink::new(Keep::All, None).unwrap();
    let mode = Mode::Live {
        url: "ws://127.0.0.1:8765/ws".into(),
        link: LinkState::Connecting,
        link_since_ms: 0.0,
        paused_at: None,
        sends: crate::source::pacing::Pacing::new(vec!["hello".into()], false),
        listens: false,
    };
    let s = settings("default");
    App::new(sink, mode, s.theme, s.keymap, s.config)
}

fn frame(i: usize, text: &str) -> Msg {
    Msg::Source(SourceMsg::Frame {
        t: i as f64 * 0.1,
        dir: Dir::In,
        text: text.to_string(),
    })
}

fn fixture_lines() -> Vec<String> {
    std::fs::read_to_string(FIXTURE)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn key(app: &mut App, c: KeyCode) -> Vec<Effect> {
    update(app, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

thread_local! {
    /// The validation jobs updates asked for and [`settle`] has not run yet.
    static JOBS: RefCell<Vec<Job>> = const { RefCell::new(Vec::new()) };
}

/// The validation jobs among effects, kept for [`settle`]; the other effects.
fn stash(fx: Vec<Effect>) -> Vec<Effect> {
    let (jobs, rest): (Vec<_>, Vec<_>) = fx
        .into_iter()
        .partition(|e| matches!(e, Effect::Validate(_)));
    JOBS.with_borrow_mut(|j| {
        j.extend(jobs.into_iter().filter_map(|e| match e {
            Effect::Validate(job) => Some(*job),
            _ => None,
        }))
    });
    rest
}

/// `update`, with the validation jobs it asks for kept for [`settle`].
fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    stash(super::update::update(app, msg))
}

/// `act`, with the validation jobs it asks for kept for [`settle`].
fn act(app: &mut App, a: Action, fx: &mut Vec<Effect>) {
    let mut out = Vec::new();
    super::update::act(app, a, &mut out);
    fx.extend(stash(out));
}

/// What the runner does with the validation jobs: runs them (here on this thread) and hands
/// their verdicts back, until none is asked for.
fn settle(app: &mut App) {
    loop {
        let mut jobs = JOBS.take();
        jobs.extend(app.sync());
        if jobs.is_empty() {
            break;
        }
        for job in jobs {
            // Verdicts of a job the configuration overtook start another.
            update(app, Msg::Verdicts(job.run()));
        }
    }
    assert!(!app.rules.is_running() && !app.whole.is_running());
}

/// The Rules tab, its cursor on rule `id`.
fn on_rule(app: &mut App, id: &str) {
    key(app, KeyCode::Char('5'));
    let rule = (app.rules.results.iter())
        .position(|r| r.id == id)
        .unwrap_or_else(|| panic!("no rule {id}"));
    crate::tui::nav::set(app, Focus::Rules, rule);
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

pub fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    update(app, Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| super::ui::render(app, f)).unwrap();
    t
}

pub fn text(t: &Terminal<TestBackend>) -> String {
    let b = t.backend().buffer();
    let mut out = String::new();
    for y in 0..b.area.height {
        let mut line = String::new();
        for x in 0..b.area.width {
            line.push_str(b[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn every_tab_and_overlay_at_two_sizes() {
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        for tab in Tab::ALL {
            let mut app = replay_app("default");
            app.ui.tab = tab;
            app.ui.focus = tab.panes()[0];
            let focus = app.ui.focus;
            super::nav::move_by(&mut app, focus, 1);
            let t = draw(&mut app, w, h);
            insta::assert_snapshot!(
                format!("tab_{}_{w}x{h}", tab.title().to_lowercase()),
                text(&t)
            );
        }
        let overlays = [
            ("help", Overlay::Help),
            (
                "command",
                Overlay::Command(Input {
                    text: "goto 00:05".into(),
                    history_at: None,
                }),
            ),
            (
                "filter",
                Overlay::Filter(Input {
                    text: "agent:data type:tool_*".into(),
                    history_at: None,
                }),
            ),
            (
                "composer",
                Overlay::Composer(Input {
                    text: "and for Q3?".into(),
                    history_at: None,
                }),
            ),
        ];
        for (name, o) in overlays {
            let mut app = replay_app("default");
            app.ui.overlay = o;
            let t = draw(&mut app, w, h);
            insta::assert_snapshot!(format!("overlay_{name}_{w}x{h}"), text(&t));
        }
    }
}

#[test]
fn themes_colour_roles() {
    for name in ["default", "light", "high-contrast", "mono"] {
        let mut app = replay_app(name);
        app.ui.focus = Focus::Agents;
        super::nav::set(&mut app, Focus::Agents, 0);
        let t = draw(&mut app, 120, 36);
        let b = t.backend().buffer();
        let mut dump = String::new();
        // header, selected agent row, the ✓ glyph of the root, a border.
        for (label, x, y) in [
            ("header", 2, 0),
            ("selected", 2, 4),
            ("root-glyph", 18, 4),
            ("border", 0, 3),
        ] {
            let c = &b[(x, y)];
            dump.push_str(&format!(
                "{label}: {:?} fg={:?} bg={:?} mod={:?}\n",
                c.symbol(),
                c.fg,
                c.bg,
                c.modifier
            ));
        }
        insta::assert_snapshot!(format!("theme_{name}"), dump);
    }
}

#[test]
fn too_small_says_so() {
    let mut app = replay_app("default");
    let t = draw(&mut app, 60, 20);
    assert!(text(&t).contains("terminal too small"));
}

#[test]
fn wire_escapes_are_shown_escaped() {
    let mut app = live_app();
    update(&mut app, frame(0, "{\"type\":\"agent_thinking\",\"payload\":{\"agent_name\":\"x\",\"thought\":\"\u{1b}]0;x\u{7}\"}}"));
    update(&mut app, frame(1, "not json \u{1b}[2J \u{1b}]0;x\u{7}"));
    update(&mut app, Msg::Tick(10.0));
    key(&mut app, KeyCode::Char('6'));
    super::nav::set(&mut app, Focus::Frames, 1);
    let t = draw(&mut app, 120, 36);
    let s = text(&t);
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "{s}");
    assert!(s.contains("␛[2J"), "{s}");
    assert!(s.contains("␛]0;x␇"), "{s}");
    // The detail pane shows the selected malformed frame as an escaped JSON string.
    assert!(s.contains("\\u001b[2J") || s.contains("␛[2J ␛]0;x␇"), "{s}");
    super::nav::set(&mut app, Focus::Frames, 0);
    let s = text(&draw(&mut app, 120, 36));
    assert!(!s.contains('\u{1b}'));
}

#[test]
fn selection_filters_and_tabs() {
    let mut app = replay_app("default");
    let all = app.view.rows.len();
    // agents pane: down to `triage`, Enter filters the timeline and tools to it
    key(&mut app, KeyCode::Char('j'));
    assert!(matches!(app.selected, Selected::Agent(_)));
    key(&mut app, KeyCode::Enter);
    assert!(app.ui.agent_filter.is_some());
    assert!(app.view.rows.len() < all);
    assert!(app.view.tools.len() <= 1);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.view.rows.len(), all, "toggle");
    // text + field filter
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, "type:tool_* !status:error");
    key(&mut app, KeyCode::Enter);
    assert!(app.view.rows.len() < all && !app.view.rows.is_empty());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.view.rows.len(), all);
    // tabs and focus
    key(&mut app, KeyCode::Char('3'));
    assert_eq!(app.ui.tab, Tab::Tools);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.selected, Selected::Call(_)));
    key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.ui.tab, Tab::Rules);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.ui.focus, Focus::Findings);
    key(&mut app, KeyCode::Char('s'));
    assert_eq!(app.ui.tab, Tab::Story);
}

#[test]
fn copy_and_mark_and_quit() {
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Char('j'));
    let fx = key(&mut app, KeyCode::Char('y'));
    assert!(matches!(&fx[..], [Effect::Copy(j)] if j.contains("\"agent\"")));
    // The last frame shown is bookmarked (the agents pane has the focus).
    let last = app.view.frames as u32 - 1;
    let fx = key(&mut app, KeyCode::Char('m'));
    assert_eq!(app.marks.list.len(), 1);
    assert!(matches!(&fx[..], [Effect::Anchor { at, .. }] if *at == last));
    let fx = key(&mut app, KeyCode::Char('q'));
    assert_eq!(fx, vec![Effect::Quit]);
}

mod agents;
mod compare;
mod context_diff;
mod costs;
mod effects;
mod link_entries;
mod link_line;
mod live;
mod live_clock;
mod marks;
mod open_traces;
mod payloads;
mod rules;
mod runs;
mod shown;
mod stepping;
mod story;
mod tables;
