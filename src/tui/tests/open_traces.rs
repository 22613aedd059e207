//! A live receiver's traces not shown yet: under the agent tree, what ended, what still runs,
//! for how long and what ended last, drawn at 80×24 and 200×60; nothing when none is held.

use super::{draw, fixture_lines, frame, live_app, text, update};
use crate::core::import::HeldSpans;
use crate::source::message::{Holding, OpenTrace, Report};
use crate::source::websocket::SourceMsg;
use crate::tui::msg::Msg;

fn held(traces: usize, told: Vec<OpenTrace>) -> Msg {
    let spans = told.iter().map(|o| o.ended).sum();
    Msg::Source(SourceMsg::Receiver {
        t: 1.0,
        report: Report::Held(Holding {
            totals: HeldSpans { traces, spans },
            traces: told,
        }),
    })
}

fn open(trace: &str, ended: usize, running: usize, age_s: u64, latest: &str) -> OpenTrace {
    OpenTrace {
        trace: trace.into(),
        ended,
        running,
        root_ended: running == 0,
        age_s,
        latest: latest.into(),
    }
}

#[test]
fn open_traces_are_told_under_the_tree_until_they_end() {
    let mut app = live_app();
    for (i, l) in fixture_lines().iter().skip(1).take(4).enumerate() {
        update(&mut app, frame(i, l));
    }
    let told = vec![
        open(
            "0af7651916cd43dd8448eb211c80319c",
            3,
            2,
            12,
            "execute_tool search",
        ),
        open(
            "1bf7651916cd43dd8448eb211c80319d",
            5,
            0,
            4,
            "invoke_agent planner",
        ),
        // A span name is wire text: it is escaped.
        open(
            "2cf7651916cd43dd8448eb211c80319e",
            1,
            1,
            1,
            "chat \u{1b}[31mred",
        ),
    ];
    update(&mut app, held(5, told));
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let shown = text(&draw(&mut app, w, h));
        assert!(shown.contains("⧗ 5 traces open"), "{shown}");
        assert!(shown.contains("0af76519 ⟳ 2 running"), "{shown}");
        if w >= 200 {
            assert!(shown.contains("shown when they end"), "{shown}");
            assert!(
                shown.contains("0af76519 ⟳ 2 running · 3 ended · 12s"),
                "{shown}"
            );
        }
        assert!(!shown.contains('\u{1b}'), "{shown}");
        assert!(shown.contains("more"), "{shown}");
        insta::assert_snapshot!(format!("open_traces_{w}x{h}"), shown);
    }
    // Every trace shown: nothing is told any more.
    update(&mut app, held(0, vec![]));
    let shown = text(&draw(&mut app, 80, 24));
    assert!(!shown.contains("traces open"), "{shown}");
}

fn pending(n: usize) -> Msg {
    Msg::Source(SourceMsg::Receiver {
        t: 1.0,
        report: Report::Pending(n),
    })
}

#[test]
fn events_held_until_their_invocation_ends_are_told_as_pending() {
    let mut app = live_app();
    for (i, l) in fixture_lines().iter().skip(1).take(4).enumerate() {
        update(&mut app, frame(i, l));
    }
    update(&mut app, pending(12));
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let shown = text(&draw(&mut app, w, h));
        assert!(shown.contains("⧗ 12 events pending"), "{shown}");
        insta::assert_snapshot!(format!("pending_events_{w}x{h}"), shown);
    }
    // The invocation ended: nothing is held, nothing is told.
    update(&mut app, pending(0));
    let shown = text(&draw(&mut app, 80, 24));
    assert!(!shown.contains("pending,"), "{shown}");
    assert!(!shown.contains("events pending"), "{shown}");
}
