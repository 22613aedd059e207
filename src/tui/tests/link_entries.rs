//! Entries without a frame (an oversize drop, a disconnect) reach the verdicts and the header
//! as soon as they arrive, not only when the next frame does.

use super::{frame, live_app, settle, update};
use crate::core::link::LinkState;
use crate::source::websocket::SourceMsg;
use crate::tui::msg::Msg;

fn codes(app: &crate::tui::app::App) -> Vec<String> {
    app.rules
        .results
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.code.clone()))
        .collect()
}

fn link(state: LinkState, size: Option<u64>) -> Msg {
    Msg::Source(SourceMsg::Link {
        t: 1.0,
        state,
        reason: None,
        size,
    })
}

#[test]
fn an_oversize_drop_with_no_frame_after_it_shows_in_the_verdicts() {
    let mut app = live_app();
    update(&mut app, frame(0, r#"{"type":"ping"}"#));
    update(&mut app, Msg::Tick(1000.0));
    settle(&mut app);
    assert!(!codes(&app).contains(&"stream-health/oversize".to_string()));
    update(&mut app, link(LinkState::Oversize, Some(70_000_000)));
    update(&mut app, Msg::Tick(2000.0));
    settle(&mut app);
    assert!(
        codes(&app).contains(&"stream-health/oversize".to_string()),
        "{:?}",
        codes(&app)
    );
}

#[test]
fn a_link_entry_moves_the_generation_a_frame_count_does_not_see() {
    let mut app = live_app();
    update(&mut app, frame(0, r#"{"type":"ping"}"#));
    let (frames, generation) = (app.sink.log.frames(), app.sink.log.generation());
    update(&mut app, link(LinkState::Disconnected, None));
    assert_eq!(app.sink.log.frames(), frames);
    assert!(app.sink.log.generation() > generation);
    // A connection attempt is no entry of the log: nothing changes.
    let generation = app.sink.log.generation();
    update(&mut app, link(LinkState::Connecting, None));
    assert_eq!(app.sink.log.generation(), generation);
}

#[test]
fn a_give_up_is_an_entry_and_the_header_says_so_at_once() {
    let mut app = live_app();
    update(&mut app, link(LinkState::Disconnected, None));
    let generation = app.sink.log.generation();
    update(&mut app, link(LinkState::GaveUp, None));
    assert!(app.sink.log.generation() > generation);
    let crate::tui::app::Mode::Live { link, .. } = &app.mode else {
        panic!("a live app");
    };
    assert_eq!(*link, LinkState::GaveUp);
}
