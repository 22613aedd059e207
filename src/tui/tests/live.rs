//! A live session in the TUI: pausing freezes the view while frames keep arriving, a source
//! that only listens says so, and messages are sent once connected and from the composer.

use super::*;

#[test]
fn live_pause_freezes_the_view_and_counts_new_frames() {
    let mut app = live_app();
    let lines = fixture_lines();
    for (i, l) in lines.iter().take(10).enumerate() {
        update(&mut app, frame(i, l));
    }
    update(&mut app, Msg::Tick(100.0));
    assert_eq!(app.view.frames, 10);
    key(&mut app, KeyCode::Char(' '));
    for (i, l) in lines.iter().enumerate().skip(10) {
        update(&mut app, frame(i, l));
    }
    update(&mut app, Msg::Tick(200.0));
    assert_eq!(app.view.frames, 10, "the view stays");
    assert_eq!(app.sink.log.frames(), lines.len(), "ingestion goes on");
    let s = text(&draw(&mut app, 120, 36));
    assert!(
        s.contains(&format!("PAUSED +{} new", lines.len() - 10)),
        "{s}"
    );
    key(&mut app, KeyCode::Left);
    assert_eq!(app.view.frames, 9, "step back while paused");
    key(&mut app, KeyCode::Char(' '));
    assert_eq!(app.view.frames, lines.len());
}

#[test]
fn a_source_that_only_listens_says_so_instead_of_composing() {
    let mut app = live_app();
    if let Mode::Live { listens, .. } = &mut app.mode {
        *listens = true;
    }
    key(&mut app, KeyCode::Char('i'));
    assert!(matches!(app.ui.overlay, Overlay::None), "no composer opens");
    let said = app.ui.notice.clone().unwrap_or_default();
    assert!(said.contains("only listens"), "{said}");
}

#[test]
fn live_sends_when_connected_and_composer_sends() {
    let mut app = live_app();
    assert!(update(&mut app, Msg::Tick(0.0)).is_empty());
    update(
        &mut app,
        Msg::Source(SourceMsg::Link {
            t: 0.0,
            state: LinkState::Connected,
            reason: None,
            size: None,
        }),
    );
    let fx = update(&mut app, Msg::Tick(50.0));
    assert!(
        matches!(&fx[..], [Effect::Send(f)] if f.contains("hello")),
        "{fx:?}"
    );
    key(&mut app, KeyCode::Char('i'));
    chars(&mut app, "more please");
    let fx = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Send(f)] if f.contains("more please")),
        "{fx:?}"
    );
}
