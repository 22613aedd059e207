//! The payload view and readable findings: a selected tool call shows its arguments and its
//! result (side by side from 120 columns, stacked below), a failed call its error on top, a
//! large payload its first screenfuls and size until `L`; `y` copies the pair; findings wrap
//! their messages, Enter shows a finding's evidence with payloads, `]`/`[` say where they
//! stopped, and the timeline flags evidence. Snapshots at 80×24 and 200×60.

use super::*;

const PAYLOADS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/payloads.jsonl");

/// The payloads fixture at its end, rules judged.
fn app() -> App {
    let mut app = replay_file(PAYLOADS, "default");
    settle(&mut app);
    app
}

/// The Tools tab with the cursor on call `id`.
fn on_call(app: &mut App, id: &str) {
    key(app, KeyCode::Char('3'));
    let s = app.session();
    let names = &app.sink.log.interner;
    let at = app.view.tools.iter().position(|c| {
        let call = &s.calls[c.index()];
        call.call_id.map(|x| names.resolve(x)) == Some(id)
    });
    super::super::nav::set(app, Focus::Tools, at.unwrap());
}

/// Runs `check` on a fresh app at 80×24 and at 200×60.
fn at_both_sizes(check: impl Fn(&mut App, u16, u16)) {
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        check(&mut app(), w, h);
    }
}

fn shot(app: &mut App, w: u16, h: u16) -> String {
    text(&draw(app, w, h))
}

#[test]
fn a_failed_call_shows_its_error_arguments_and_result_at_both_sizes() {
    at_both_sizes(|app, w, h| {
        on_call(app, "call-2");
        let s = shot(app, w, h);
        assert!(s.contains("✗ error: quota exceeded"), "{s}");
        insta::assert_snapshot!(format!("payload_failed_call_{w}x{h}"), s);
        key(app, KeyCode::Enter);
        assert!(matches!(app.ui.overlay, Overlay::Payload(Focus::Tools)));
        let s = shot(app, w, h);
        assert!(s.contains("\"report\": \"gpu-hours\""), "{s}");
        insta::assert_snapshot!(format!("payload_failed_call_open_{w}x{h}"), s);
        key(app, KeyCode::Esc);
        assert_eq!(
            (app.ui.overlay.clone(), app.ui.focus),
            (Overlay::None, Focus::Tools)
        );
    });
}

#[test]
fn arguments_and_result_sit_side_by_side_only_when_wide() {
    let mut app = app();
    on_call(&mut app, "call-1");
    draw(&mut app, 200, 60);
    assert_eq!(app.payloads.sheet.as_ref().unwrap().panes.len(), 2);
    draw(&mut app, 119, 40);
    assert_eq!(app.payloads.sheet.as_ref().unwrap().panes.len(), 1);
    // Not a failed call: no error line.
    assert!(app.payloads.sheet.as_ref().unwrap().head.is_empty());
    // The waterfall's call rows show the same sheet.
    key(&mut app, KeyCode::Char('2'));
    let first_call = app.view.agents.len();
    super::super::nav::set(&mut app, Focus::Waterfall, first_call);
    draw(&mut app, 200, 60);
    let sheet = app.payloads.sheet.as_ref().unwrap();
    assert!(
        sheet.title.starts_with("tool call query_invoices call-1"),
        "{}",
        sheet.title
    );
}

#[test]
fn a_text_result_is_text_wrapped_and_a_timeline_frame_shows_its_call() {
    let mut app = app();
    on_call(&mut app, "call-3");
    key(&mut app, KeyCode::Enter);
    let s = shot(&mut app, 80, 24);
    assert!(
        s.contains("GPU training moved to on-demand instances on 14 July."),
        "{s}"
    );
    insta::assert_snapshot!("payload_text_result_80x24", s);
    // The timeline's tool_completed row of the same call shows the same pair.
    key(&mut app, KeyCode::Esc);
    let p = app.session().calls[match app.selected {
        Selected::Call(c) => c.index(),
        _ => unreachable!(),
    }]
    .done_pos
    .unwrap();
    app.selected = Selected::Frame(p);
    let s = shot(&mut app, 200, 60);
    assert!(
        s.contains("Arguments · #7") && s.contains("Result · #8"),
        "{s}"
    );
}

#[test]
fn a_large_payload_shows_its_first_screenfuls_until_l() {
    at_both_sizes(|app, w, h| {
        on_call(app, "call-4");
        key(app, KeyCode::Enter);
        let s = shot(app, w, h);
        assert!(s.contains("showing 2,000 of"), "{s}");
        insta::assert_snapshot!(format!("payload_large_{w}x{h}"), s);
        let sheet = app.payloads.sheet.as_ref().unwrap();
        assert!(sheet.cut);
        key(app, KeyCode::Char('L'));
        let sheet = app.payloads.sheet.as_ref().unwrap();
        assert!(!sheet.cut);
        let s = shot(app, w, h);
        assert!(
            s.contains("4,805 lines · ") && !s.contains("showing"),
            "{s}"
        );
        // Scrolling moves in the payload.
        key(app, KeyCode::PageDown);
        assert!(app.cursors.detail > 0);
    });
}

#[test]
fn y_copies_the_pair() {
    let mut app = app();
    on_call(&mut app, "call-2");
    let fx = key(&mut app, KeyCode::Char('y'));
    let [Effect::Copy(json)] = &fx[..] else {
        panic!("{fx:?}");
    };
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["arguments"]["report"], "gpu-hours");
    assert_eq!(v["result"]["status"], "error");
    assert!(v["error"].as_str().unwrap().starts_with("quota exceeded"));
}

/// The Rules tab, the findings of rule `id` focused.
fn on_rule(app: &mut App, id: &str) {
    key(app, KeyCode::Char('5'));
    let at = app.rules.results.iter().position(|r| r.id == id).unwrap();
    super::super::nav::set(app, Focus::Rules, at);
    key(app, KeyCode::Tab);
    assert_eq!(app.ui.focus, Focus::Findings);
}

#[test]
fn findings_wrap_and_enter_shows_their_evidence_with_payloads() {
    at_both_sizes(|app, w, h| {
        on_rule(app, "tool-pairing");
        let s = shot(app, w, h);
        // The whole message is on screen, wrapped, not cut at the border.
        let rows = &app.payloads.findings.rows[0];
        let words: Vec<String> = (rows.iter().flatten()).map(|(_, t)| t.clone()).collect();
        let flat = words
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.ends_with("never completed: agent data ended without its result"));
        assert!(
            rows.iter().all(|r| s.contains(
                r.iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<String>()
                    .trim_end()
            )),
            "{s}"
        );
        insta::assert_snapshot!(format!("findings_wrapped_{w}x{h}"), s);
        key(app, KeyCode::Enter);
        let s = shot(app, w, h);
        assert!(s.contains("#11 tool_executing · data · forecast"), "{s}");
        assert!(s.contains("\"horizon_days\": 30"), "{s}");
        insta::assert_snapshot!(format!("finding_open_{w}x{h}"), s);
    });
}

#[test]
fn brackets_stop_on_failing_evidence_and_say_which_finding() {
    let mut app = app();
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char(']'));
    let n = notice(&app);
    assert!(
        n.starts_with("finding 1/3 · error-recovery ") && n.ends_with("· frame 6"),
        "{n}"
    );
    key(&mut app, KeyCode::Char(']'));
    let n = notice(&app);
    assert_eq!(n, "finding 3/3 · tool-pairing never-completed · frame 11");
    assert!(matches!(app.selected, Selected::Frame(p) if p.index() == 11));
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    let n = notice(&app);
    assert_eq!(n, "no further marker or failing finding");
    key(&mut app, KeyCode::Char('['));
    let n = notice(&app);
    assert_eq!(n, "finding 3/3 · tool-pairing never-completed · frame 11");
}

/// What the status line says.
fn notice(app: &App) -> String {
    app.ui.notice.clone().unwrap_or_default()
}

#[test]
fn the_timeline_flags_evidence_rows() {
    at_both_sizes(|app, w, h| {
        app.ui.focus = Focus::Timeline;
        let s = shot(app, w, h);
        let flagged: Vec<&str> = s.lines().filter(|l| l.contains('⚑')).collect();
        assert!(flagged.iter().any(|l| l.contains("forecast")), "{s}");
        assert!(
            !s.lines()
                .any(|l| l.contains('⚑') && l.contains("query_invoices")),
            "{s}"
        );
        insta::assert_snapshot!(format!("timeline_evidence_{w}x{h}"), s);
    });
}

#[test]
fn the_wheel_scrolls_an_open_payload_and_a_click_selects_nothing_under_it() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    on_call(&mut app, "call-4");
    key(&mut app, KeyCode::Enter);
    draw(&mut app, 80, 24);
    let at = |kind| MouseEvent {
        kind,
        column: 10,
        row: 8,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut app, Msg::Mouse(at(MouseEventKind::ScrollDown)));
    assert_eq!(app.cursors.detail, 3);
    let selected = app.selected;
    update(
        &mut app,
        Msg::Mouse(at(MouseEventKind::Down(MouseButton::Left))),
    );
    assert_eq!((app.selected, app.ui.focus), (selected, Focus::Detail));
}

#[test]
fn a_click_on_a_wrapped_finding_selects_that_finding() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    on_rule(&mut app, "error-recovery");
    draw(&mut app, 80, 24);
    let heights: Vec<usize> = app.payloads.findings.rows.iter().map(Vec::len).collect();
    assert!(heights[0] > 1, "the first message wraps: {heights:?}");
    // The pane's text starts on row 4; the second finding's first row follows the first's.
    let row = 4 + heights[0] as u16;
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 50,
        row,
        modifiers: KeyModifiers::NONE,
    };
    update(&mut app, Msg::Mouse(click));
    assert_eq!(app.cursors.findings, 1);
}

#[test]
fn wire_escapes_in_payloads_are_shown_escaped() {
    let mut app = live_app();
    let frames = [
        r#"{"type":"agent_started","payload":{"run_id":"r","agent_name":"a"}}"#,
        r#"{"type":"tool_executing","payload":{"run_id":"r","agent_name":"a","tool_name":"t","tool_call_id":"c","parameters":{"k\u001b]0;x\u0007":"v\u001b[2J"}}}"#,
        r#"{"type":"tool_completed","payload":{"run_id":"r","agent_name":"a","tool_call_id":"c","result":"line\u001b[31m red\nnext","error":"bad\u009b1m"}}"#,
    ];
    for (i, f) in frames.iter().enumerate() {
        update(&mut app, frame(i, f));
    }
    update(&mut app, Msg::Tick(10.0));
    app.selected = Selected::Frame(crate::core::session::Pos(2));
    let s = shot(&mut app, 200, 60);
    assert!(!s.chars().any(|c| c.is_control() && c != '\n'), "{s:?}");
    assert!(s.contains("line␛[31m red") && s.contains("next"), "{s}");
    assert!(
        s.contains("\"k\\u001b]0;x\\u0007\": \"v\\u001b[2J\""),
        "{s}"
    );
    assert!(s.contains("✗ error: bad\\u{9b}1m"), "{s}");
}
