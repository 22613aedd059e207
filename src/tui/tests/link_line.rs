//! The live link line: why the link is down (the server's close code and reason, a refusal),
//! the next attempt, and `● REC path` while recording, drawn at 80×24 and 200×60.

use super::{draw, fixture_lines, frame, live_app, text, update};
use crate::core::link::{LinkState, Retry};
use crate::core::log::Keep;
use crate::core::recording::{Existing, Header};
use crate::source::sink::Sink;
use crate::source::websocket::SourceMsg;
use crate::tui::msg::Msg;
use std::time::Duration;

fn link(t: f64, state: LinkState, reason: Option<&str>) -> Msg {
    Msg::Source(SourceMsg::Link {
        t,
        state,
        reason: reason.map(str::to_owned),
        size: None,
    })
}

const CLOSED: &str = "closed by the server (1008: a valid token is required)";

#[test]
fn a_give_up_says_why_and_the_recording_is_named() {
    let mut app = live_app();
    // Relative (tests run in the package's directory), so the snapshot is the same anywhere.
    let path = std::path::Path::new("target/link-line.jsonl");
    let header = Header {
        started_at: None,
        source: None,
        title: None,
        meta: None,
    };
    app.sink = Sink::recording_to(Keep::All, path, &header, Existing::Replace).unwrap();
    update(&mut app, link(0.0, LinkState::Connected, None));
    for (i, l) in fixture_lines().iter().skip(1).take(6).enumerate() {
        update(&mut app, frame(i, l));
    }
    update(&mut app, link(1.0, LinkState::Disconnected, Some(CLOSED)));
    update(&mut app, link(1.0, LinkState::GaveUp, Some(CLOSED)));
    update(&mut app, Msg::Tick(5000.0));
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let shown = text(&draw(&mut app, w, h));
        let top: String = shown.lines().take(3).collect::<Vec<_>>().join("\n");
        assert!(
            top.contains("✗ gave up: closed by the server (1008"),
            "{top}"
        );
        assert!(top.contains("REC"), "{top}");
        insta::assert_snapshot!(format!("link_gave_up_{w}x{h}"), shown);
    }
}

#[test]
fn a_refused_link_counts_down_to_its_next_attempt() {
    let mut app = live_app();
    let refused = "connect failed: connection refused";
    update(&mut app, link(0.0, LinkState::Disconnected, Some(refused)));
    let retry = Retry {
        attempt: 3,
        delay: Duration::from_secs(4),
    };
    update(&mut app, Msg::Tick(1000.0));
    update(
        &mut app,
        link(0.0, LinkState::Reconnecting(Some(retry)), None),
    );
    update(&mut app, Msg::Tick(2000.0));
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let shown = text(&draw(&mut app, w, h));
        let line = shown.lines().nth(2).unwrap_or_default();
        assert!(
            line.contains("RECONNECTING in 3s: attempt 3 · connect failed"),
            "{line}"
        );
        assert!(line.contains("refused"), "{line}");
        assert_eq!(line.contains("not recording"), w >= 120, "{line}");
        insta::assert_snapshot!(format!("link_reconnecting_{w}x{h}"), shown);
    }
}

#[test]
fn the_frames_tab_has_a_row_for_each_change_of_the_link() {
    let mut app = live_app();
    update(&mut app, link(0.0, LinkState::Connected, None));
    let lines = fixture_lines();
    for (i, l) in lines.iter().skip(1).take(3).enumerate() {
        update(&mut app, frame(i, l));
    }
    let reset = "connection reset without a closing handshake";
    update(&mut app, link(0.4, LinkState::Disconnected, Some(reset)));
    let retry = Retry {
        attempt: 1,
        delay: Duration::from_millis(500),
    };
    update(
        &mut app,
        link(0.4, LinkState::Reconnecting(Some(retry)), None),
    );
    update(&mut app, link(0.9, LinkState::Connected, None));
    for (i, l) in lines.iter().skip(4).take(2).enumerate() {
        update(&mut app, frame(i + 9, l));
    }
    update(&mut app, Msg::Tick(1000.0));
    app.ui.tab = crate::tui::app::Tab::Frames;
    app.ui.focus = crate::tui::app::Focus::Frames;
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let shown = text(&draw(&mut app, w, h));
        // A row of the table: the reason whole where the text column has room for it.
        let wide = w >= 120;
        let needles = match wide {
            true => [
                "── ○ disconnected: connection reset",
                "── ● connected again after 0.5 s",
            ],
            false => ["── ○ disconnected", "── ● connected again"],
        };
        for n in needles.iter().chain(&["── ↻ reconnecting"]) {
            assert!(shown.contains(n), "{n}: {shown}");
        }
        insta::assert_snapshot!(format!("link_frames_{w}x{h}"), shown);
    }
    // The rows of frames keep their numbers; a change selects nothing.
    crate::tui::nav::set(&mut app, crate::tui::app::Focus::Frames, 3);
    assert_eq!(app.selected, crate::tui::app::Selected::None);
    crate::tui::nav::set(&mut app, crate::tui::app::Focus::Frames, 6);
    let p = crate::core::session::Pos::new(3);
    assert_eq!(app.selected, crate::tui::app::Selected::Frame(p));
}
