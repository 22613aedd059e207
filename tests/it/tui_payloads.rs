//! The payload view and the findings of the real binary under tmux, at 80×24 and 200×60: a
//! failed tool call's error, arguments and result (side by side when wide), a large result's
//! first screenfuls until `L`, `y` copying the pair, a finding's wrapped message and its
//! evidence with payloads on Enter, `]` saying which finding it stopped on; and the demo's
//! `drop-tool-result` fault judged live as `tool-pairing/never-completed`, the code `validate`
//! gives the recording. Skipped, with a notice, only when tmux is not installed.

use crate::tui_tmux::{have_tmux, Pane};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/payloads.jsonl");

fn replay(tag: &str, size: (u16, u16)) -> Pane {
    let p = Pane::start_at(tag, &format!("{BIN} replay --paused {FIXTURE}"), size);
    p.wait_for("REPLAY");
    p.keys(&["End"]);
    p.wait("the whole recording", |s| {
        s.contains("14 ev") && s.contains("forecast")
    });
    p
}

/// The failed call, then the large one, in the Tools tab and opened with Enter.
fn calls(p: &Pane) {
    p.keys(&["3", "j"]);
    p.wait_for("✗ error: quota exceeded");
    p.keys(&["Enter"]);
    p.wait_for("\"report\": \"gpu-hours\"");
    p.keys(&["y"]);
    p.wait_for("copied the call's arguments and result as JSON");
    close(p, "Tools · 5");
    p.keys(&["j", "j", "Enter"]);
    p.wait_for("showing 2,000 of 4,805 lines · 28.0 KB · L loads all");
    p.keys(&["L"]);
    p.wait("every line", |s| {
        s.contains("4,805 lines · 28.0 KB") && !s.contains("showing 2,000")
    });
    close(p, "Tools · 5");
}

/// `Esc` alone (a key right after it would read as Alt-key), until `back` shows again.
fn close(p: &Pane, back: &str) {
    p.keys(&["Escape"]);
    p.wait_for(back);
}

/// The tool-pairing finding: wrapped, opened, and `]` from the start.
fn findings(p: &Pane) {
    p.keys(&["5", "j", "j", "Tab"]);
    p.wait("the whole message", |s| {
        s.contains("never completed") && s.contains("without its")
    });
    p.keys(&["Enter"]);
    p.wait("the evidence with its payload", |s| {
        s.contains("#11 tool_executing · data · forecast") && s.contains("\"horizon_days\": 30")
    });
    close(p, "Findings · tool-pairing");
    p.keys(&["Home", "]"]);
    p.wait_for("finding 1/3 · error-recovery");
    p.keys(&["]"]);
    p.wait_for("finding 3/3 · tool-pairing never-completed · frame 11");
}

#[test]
fn payloads_and_findings_at_80x24_and_200x60() {
    if !have_tmux() {
        return;
    }
    for (tag, size) in [("pl-small", (80, 24)), ("pl-wide", (200, 60))] {
        let p = replay(tag, size);
        if size.0 >= 120 {
            p.keys(&["3", "j"]);
            p.wait("arguments beside the result", |s| {
                s.lines()
                    .any(|l| l.contains("Arguments · #5") && l.contains("Result · #6"))
            });
            p.keys(&["k"]);
        }
        calls(&p);
        findings(&p);
        p.keys(&["q"]);
    }
}

#[test]
fn a_dropped_result_is_never_completed_in_the_live_demo() {
    if !have_tmux() {
        return;
    }
    let cmd =
        format!("{BIN} demo --scenario ml-cost --fault drop-tool-result --speed 100 --no-record");
    let p = Pane::start_at("pl-demo", &cmd, (80, 24));
    p.wait_for("LIVE");
    p.keys(&["5"]);
    p.wait("the failing rule", |s| s.contains("✗ fail tool-pairing"));
    p.keys(&["j", "j", "Tab", "Enter"]);
    p.wait_for("tool-pairing/never-completed");
    p.keys(&["q"]);
}
