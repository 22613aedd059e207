//! `update` changes the app and performs nothing: what it needs done comes back as effects;
//! an update that changes nothing on screen asks for no redraw; Ctrl-C and clicks go through
//! the keymap and the same switch as the keys.

use super::*;
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

#[test]
fn save_is_an_effect_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.jsonl");
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, &format!("save {}", path.display()));
    let fx = key(&mut app, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Save(
            path.clone(),
            crate::core::recording::Existing::Refuse
        )]
    );
    assert!(!path.exists(), "update wrote nothing");
    // What came of it comes back as a message.
    update(&mut app, Msg::Saved(path.clone()));
    assert!(app.ui.notice.as_deref().unwrap_or("").starts_with("saved "));
    update(&mut app, Msg::WriteFailed("cannot save: disk full".into()));
    assert_eq!(app.ui.notice.as_deref(), Some("cannot save: disk full"));
}

#[test]
fn a_theme_is_read_by_the_runner_and_quitting_is_one_effect() {
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "theme light");
    let fx = key(&mut app, KeyCode::Enter);
    assert_eq!(fx, vec![Effect::LoadTheme("light".into())]);
    assert_eq!(app.ui.theme.name, "default", "nothing read yet");
    update(
        &mut app,
        Msg::ThemeLoaded(Ok(Theme::builtin("light").unwrap())),
    );
    assert_eq!(app.ui.theme.name, "light");
    update(
        &mut app,
        Msg::ThemeLoaded(Err("theme 'x' not found".into())),
    );
    assert_eq!(app.ui.notice.as_deref(), Some("theme 'x' not found"));
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "quit");
    assert_eq!(key(&mut app, KeyCode::Enter), vec![Effect::Quit]);
}

#[test]
fn an_idle_tick_asks_for_no_redraw_and_a_change_does() {
    let mut app = replay_app("default");
    update(&mut app, Msg::Tick(2000.0));
    let before = app.ui.revision;
    for t in [2050.0, 2100.0, 5000.0] {
        update(&mut app, Msg::Tick(t));
    }
    assert_eq!(
        app.ui.revision, before,
        "paused at the end: nothing changed"
    );
    key(&mut app, KeyCode::Left);
    assert!(app.ui.revision > before, "a step is drawn");
    // Live: the header's clock shows seconds, so a tick redraws once a second at most.
    let mut live = live_app();
    update(&mut live, Msg::Tick(100.0));
    let before = live.ui.revision;
    update(&mut live, Msg::Tick(150.0));
    assert_eq!(live.ui.revision, before);
    update(&mut live, Msg::Tick(1000.0));
    assert!(live.ui.revision > before);
}

fn ctrl_c() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

fn with_keys(keys: &[(&str, &[&str])]) -> App {
    let overrides: Vec<(String, Vec<String>, usize)> = keys
        .iter()
        .map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect(), 1))
        .collect();
    let mut app = replay_app("default");
    app.ui.keymap = Keymap::with_overrides(&overrides).unwrap();
    app
}

#[test]
fn ctrl_c_does_what_the_keymap_says() {
    // By default it quits.
    assert_eq!(
        update(&mut replay_app("default"), ctrl_c()),
        vec![Effect::Quit]
    );
    // Rebound to the help, it opens the help and quits nothing.
    let mut app = with_keys(&[("quit", &["q"]), ("help", &["ctrl-c"])]);
    assert!(update(&mut app, ctrl_c()).is_empty());
    assert_eq!(app.ui.overlay, Overlay::Help);
    // Unbound while another key quits: nothing.
    let mut app = with_keys(&[("quit", &["Q"])]);
    assert!(update(&mut app, ctrl_c()).is_empty());
    // Nothing at all quits: Ctrl-C still does, so the program can always be left.
    let mut app = with_keys(&[("quit", &[])]);
    assert_eq!(update(&mut app, ctrl_c()), vec![Effect::Quit]);
}

#[test]
fn a_click_on_a_tab_is_the_tab_key() {
    let mut clicked = replay_app("default");
    let mut keyed = replay_app("default");
    update(&mut clicked, Msg::Resize(120, 36));
    update(&mut keyed, Msg::Resize(120, 36));
    let before: u16 = [Tab::Overview, Tab::Waterfall]
        .iter()
        .map(|t| crate::tui::ui::tabs::label(*t).chars().count() as u16 + 2)
        .sum();
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 1 + before + 1,
        row: 1,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut clicked, Msg::Mouse(click));
    key(&mut keyed, KeyCode::Char('3'));
    assert_eq!(clicked.ui.tab, Tab::Tools);
    assert_eq!(
        (clicked.ui.focus, clicked.selected, &clicked.cursors),
        (keyed.ui.focus, keyed.selected, &keyed.cursors)
    );
    assert!(
        matches!(clicked.selected, Selected::Call(_)),
        "selected as the key does"
    );
}

#[test]
fn the_footer_follows_each_actions_scope() {
    use crate::tui::ui::footer::actions;
    let app = replay_app("default");
    let tools = actions(&app, Focus::Tools);
    assert_eq!(
        &tools[..2],
        &[Action::Sort, Action::SortReverse],
        "the pane's own first"
    );
    assert!(!tools.contains(&Action::ToggleRule) && !tools.contains(&Action::Compose));
    assert!(tools.contains(&Action::Faster), "replay keys in replay");
    let rules = actions(&app, Focus::Rules);
    assert!(rules.contains(&Action::ToggleRule) && !rules.contains(&Action::Sort));
    assert!(!actions(&app, Focus::Detail).contains(&Action::Select));
    let live = actions(&live_app(), Focus::Agents);
    assert!(live.contains(&Action::Compose) && !live.contains(&Action::Faster));
    // Every action the footer lists has a scope that applies there.
    for a in tools {
        assert!(
            a.in_footer() && a.scope().applies(Focus::Tools, true),
            "{a:?}"
        );
    }
}

#[test]
fn a_link_change_alone_refreshes_the_view_and_asks_for_the_rules() {
    let mut app = live_app();
    let started = r#"{"type":"agent_started","payload":{"agent_name":"a","run_id":"r"}}"#;
    update(&mut app, frame(0, started));
    update(&mut app, Msg::Tick(1000.0));
    settle(&mut app);
    let (version, generation) = (app.view.version, app.sink.log.generation());
    update(&mut app, Msg::Tick(2000.0));
    assert_eq!(app.view.version, version, "nothing new: the view stays");
    let oversize = SourceMsg::Link {
        t: 0.2,
        state: crate::core::link::LinkState::Oversize,
        reason: None,
        size: Some(99_000_000),
    };
    update(&mut app, Msg::Source(oversize));
    assert!(app.sink.log.generation() > generation);
    let asked = JOBS.with_borrow(|j| j.len());
    update(&mut app, Msg::Tick(3000.0));
    assert!(
        app.view.version > version,
        "no frame came, yet the view follows"
    );
    assert!(
        JOBS.with_borrow(|j| j.len() > asked),
        "and the rules are asked for"
    );
}
