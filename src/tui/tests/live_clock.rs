//! Time judged live with the injected clock: a running agent reads `running 3s`, then `idle
//! 13s` once nothing comes; an open call shows its age; the rules that need completion read
//! pending (no red ✗ at the start), and the silent run and the waiting call are found when the
//! clock passes the limit with no new frame. A failed tool result is a red ✗ in the timeline.
//! Drawn at 80×24 and 200×60.

use super::{draw, live_app, settle, text, update};
use crate::core::link::{Dir, LinkState};
use crate::core::validate::Status;
use crate::source::websocket::SourceMsg;
use crate::tui::app::{App, Tab};
use crate::tui::msg::Msg;

fn at(t: f64, text: &str) -> Msg {
    Msg::Source(SourceMsg::Frame {
        t,
        dir: Dir::In,
        text: text.to_string(),
    })
}

fn ev(kind: &str, agent: &str, extra: &str) -> String {
    format!(
        r#"{{"type":"{kind}","payload":{{"run_id":"run-1","thread_id":"t-1","agent_name":"{agent}"{extra}}}}}"#
    )
}

/// A supervisor that started a worker; the worker's first call failed, its second waits.
fn hung_app() -> App {
    let mut app = live_app();
    let link = SourceMsg::Link {
        t: 0.0,
        state: LinkState::Connected,
        reason: None,
        size: None,
    };
    update(&mut app, Msg::Source(link));
    let call = |id: &str| format!(r#","tool_name":"lookup","tool_call_id":"{id}""#);
    let frames = [
        (0.0, ev("agent_started", "supervisor", "")),
        (
            0.2,
            ev(
                "agent_thinking",
                "supervisor",
                r#","thought":"Asking the worker""#,
            ),
        ),
        (
            0.4,
            ev("agent_started", "worker", r#","parent_agent":"supervisor""#),
        ),
        (0.6, ev("tool_executing", "worker", &call("call-1"))),
        (
            0.8,
            ev(
                "tool_completed",
                "worker",
                &format!(r#"{},"status":"error","error":"timeout""#, call("call-1")),
            ),
        ),
        (1.0, ev("tool_executing", "worker", &call("call-2"))),
    ];
    for (t, f) in frames {
        update(&mut app, at(t, &f));
    }
    app
}

fn statuses(app: &App) -> Vec<(&'static str, Status)> {
    app.rules.results.iter().map(|r| (r.id, r.status)).collect()
}

fn codes(app: &App) -> Vec<String> {
    let all = app.rules.results.iter().flat_map(|r| &r.findings);
    all.map(|f| f.code.clone()).collect()
}

#[test]
fn the_clock_times_running_work_and_finds_what_hangs() {
    let mut app = hung_app();
    update(&mut app, Msg::Tick(3_000.0));
    settle(&mut app);
    // Healthy so far: nothing failed, and what needs completion waits for it.
    assert!(
        !statuses(&app).iter().any(|(_, s)| *s == Status::Fail),
        "{:?}",
        statuses(&app)
    );
    assert!(statuses(&app).contains(&("required-events", Status::Pending)));
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let shown = text(&draw(&mut app, w, h));
        let running = if w < 120 {
            "⟳       3s"
        } else {
            "running 3s"
        };
        assert!(shown.contains(running), "{shown}");
        assert!(
            shown.contains("✗ tool_completed"),
            "a failed result is a ✗:\n{shown}"
        );
        insta::assert_snapshot!(format!("live_running_{w}x{h}"), shown);
        app.ui.tab = Tab::Tools;
        let tools = text(&draw(&mut app, w, h));
        assert!(tools.contains("2s…"), "the open call's age:\n{tools}");
        insta::assert_snapshot!(format!("live_tools_{w}x{h}"), tools);
        app.ui.tab = Tab::Overview;
    }
    // No frame for 13 s: past the 10 s limit.
    update(&mut app, Msg::Tick(14_000.0));
    settle(&mut app);
    let found = codes(&app);
    assert!(
        found.contains(&"latency/silent-gap".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"tool-pairing/open-call".to_string()),
        "{found:?}"
    );
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let shown = text(&draw(&mut app, w, h));
        assert!(shown.contains("idle 13s"), "{shown}");
        insta::assert_snapshot!(format!("live_idle_{w}x{h}"), shown);
        app.ui.tab = Tab::Rules;
        let latency = app.rules.results.iter().position(|r| r.id == "latency");
        app.cursors.rules = latency.unwrap_or_default();
        let rules = text(&draw(&mut app, w, h));
        assert!(rules.contains("run run-1 silent for over"), "{rules}");
        insta::assert_snapshot!(format!("live_rules_{w}x{h}"), rules);
        app.ui.tab = Tab::Overview;
    }
}

#[test]
fn a_frame_before_the_limit_keeps_the_run_from_being_silent() {
    let mut app = hung_app();
    update(&mut app, Msg::Tick(9_000.0));
    update(
        &mut app,
        at(
            9.0,
            &ev("agent_thinking", "supervisor", r#","thought":"still here""#),
        ),
    );
    update(&mut app, Msg::Tick(14_000.0));
    settle(&mut app);
    let found = codes(&app);
    assert!(
        !found.contains(&"latency/silent-gap".to_string()),
        "{found:?}"
    );
    // The call still waits: 13 s since it started.
    assert!(
        found.contains(&"tool-pairing/open-call".to_string()),
        "{found:?}"
    );
}
