//! Tables and lists that use the space: the filter narrows the tab shown as it is typed, `g`/`G`
//! move in the list and not the replay, `:help` opens the help and it scrolls, and the footer
//! always ends with the help key.

use super::*;

#[test]
fn the_filter_narrows_the_tab_shown_as_it_is_typed() {
    let mut app = replay_app("default");
    let (frames, tools) = (app.view.rows.len(), app.view.tools.len());
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('/'));
    chars(&mut app, "status:error");
    // Not applied yet with Enter: the list already narrowed.
    assert!(matches!(app.ui.overlay, Overlay::Filter(_)));
    assert_eq!(app.view.tools.len(), 1, "only the failed call");
    let s = app.session();
    let failed = app.view.tools[0];
    assert_eq!(s.calls[failed.index()].status.as_str(), "error");
    insta::assert_snapshot!("filter_typing_tools_80x24", text(&draw(&mut app, 80, 24)));
    // A query that does not parse yet leaves the lists as they were, and says why.
    chars(&mut app, " /(");
    let before = app.view.tools.len();
    chars(&mut app, "/");
    assert_eq!(app.view.tools.len(), before);
    assert!(app
        .ui
        .notice
        .as_deref()
        .unwrap_or("")
        .starts_with("filter:"));
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.filter.source(), "status:error");
    // The Frames tab lists the frames the filter lets through.
    key(&mut app, KeyCode::Char('6'));
    assert!(app.view.rows.len() < frames && !app.view.rows.is_empty());
    let screen = text(&draw(&mut app, 80, 24));
    assert!(screen.contains(&format!("of {frames}")), "{screen}");
    // Esc clears it everywhere.
    key(&mut app, KeyCode::Esc);
    assert_eq!((app.view.rows.len(), app.view.tools.len()), (frames, tools));
}

#[test]
fn g_and_shift_g_move_in_the_list_not_the_replay() {
    let mut app = replay_app("default");
    let n = app.view.frames;
    key(&mut app, KeyCode::Char('6'));
    key(&mut app, KeyCode::Char('g'));
    assert_eq!(app.cursors.frames, Some(0));
    assert_eq!(
        app.selected,
        Selected::Frame(crate::core::session::Pos::new(0))
    );
    assert_eq!(app.view.frames, n, "the replay stays at its position");
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.cursors.frames, None, "the last row, following");
    assert_eq!(app.view.frames, n);
    key(&mut app, KeyCode::Char('3'));
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.cursors.tools, app.view.tools.len() - 1);
    key(&mut app, KeyCode::Char('g'));
    assert_eq!((app.cursors.tools, app.view.frames), (0, n));
    // Home and End are the replay's.
    key(&mut app, KeyCode::Home);
    assert_eq!(app.view.frames, 0);
}

#[test]
fn the_help_command_opens_the_help_and_the_moves_scroll_it() {
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "help");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.overlay, Overlay::Help);
    let top = text(&draw(&mut app, 80, 24));
    assert!(top.contains("lines 1–"), "{top}");
    key(&mut app, KeyCode::Char('G'));
    assert_eq!(app.ui.overlay, Overlay::Help, "a move scrolls");
    let end = text(&draw(&mut app, 80, 24));
    // The last lines are there whole: the commands, ending with `:quit`.
    assert!(end.contains(":help · :quit"), "{end}");
    insta::assert_snapshot!("help_scrolled_80x24", end);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.ui.overlay, Overlay::None, "another key closes");
}

#[test]
fn the_footer_ends_with_help_at_every_width_and_in_every_pane() {
    let mut app = replay_app("default");
    for tab in Tab::ALL {
        for &focus in tab.panes() {
            app.ui.tab = tab;
            app.ui.focus = focus;
            for w in [80u16, 120, 200] {
                let items = super::super::ui::footer::items(&app, w as usize);
                assert_eq!(
                    items.last().map(|(k, _)| k.as_str()),
                    Some("?"),
                    "{focus:?} {w}"
                );
                let screen = text(&draw(&mut app, w, 24));
                let footer = screen.lines().last().unwrap_or_default().to_string();
                assert!(footer.ends_with("? help"), "{focus:?} {w}: {footer:?}");
            }
        }
    }
}

#[test]
fn a_click_on_a_tables_first_row_selects_it_and_on_its_header_nothing() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Char('3'));
    update(&mut app, Msg::Resize(80, 24));
    let pane = super::super::ui::layout::areas((80, 24), Tab::Tools, true).panes[0].1;
    let click = |row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: pane.x + 3,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    key(&mut app, KeyCode::Char('G'));
    update(&mut app, click(pane.y + 1));
    assert_eq!(
        app.cursors.tools,
        app.view.tools.len() - 1,
        "the header selects nothing"
    );
    update(&mut app, click(pane.y + 2));
    assert_eq!(app.cursors.tools, 0);
    assert_eq!(app.selected, Selected::Call(app.view.tools[0]));
}
