//! One frame numbering everywhere: the evidence of the drift in `context-drift.jsonl` is the
//! same frame numbers (20 and 2, counted from 0) in `validate` text, JSON and JUnit, in
//! `summary`'s text and in the inspector, where `:goto #20` moves the replay to that frame and
//! `:goto #900` says it is past the end (the real binary under tmux, at 80×24 and 200×60).

use crate::tui_tmux::{have_tmux, Pane};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/shown/context-drift.jsonl"
);
/// The drift finding's evidence: the drifted agent's start, then the turn root's.
const EVIDENCE: &str = "20,2";

fn run(args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope");
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The `[frames …]` of the first line that mentions the drift finding.
fn bracketed(text: &str) -> String {
    let line = (text.lines())
        .find(|l| l.contains("context-integrity/drift"))
        .unwrap_or_else(|| panic!("no drift finding in:\n{text}"));
    let at = line.rfind("[frames ").expect("frames") + "[frames ".len();
    line[at..].trim_end_matches(']').to_string()
}

#[test]
fn validate_text_json_junit_and_summary_give_the_same_evidence_frames() {
    let text = run(&["validate", FIXTURE]);
    assert_eq!(bracketed(&text), EVIDENCE);
    let junit = run(&["validate", "--format", "junit", FIXTURE]);
    assert_eq!(bracketed(&junit), EVIDENCE);
    assert!(!junit.contains("Pos("), "{junit}");
    let summary = run(&["summary", FIXTURE]);
    assert_eq!(bracketed(&summary), EVIDENCE);
    let doc: serde_json::Value =
        serde_json::from_str(&run(&["validate", "--format", "json", FIXTURE])).unwrap();
    let rules = doc["rules"].as_array().unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "context-integrity")
        .unwrap();
    let frames: Vec<String> = (rule["findings"][0]["frames"].as_array().unwrap().iter())
        .map(|f| f.to_string())
        .collect();
    assert_eq!(frames.join(","), EVIDENCE);
}

/// `orchscope replay ARGS` under tmux at `w`×`h` (`tag` names the tmux server); `None`, with a
/// notice, when tmux is not installed.
pub(crate) fn replay_at(tag: &str, args: &str, (w, h): (u16, u16)) -> Option<Pane> {
    if !have_tmux() {
        return None;
    }
    let p = Pane::start(
        &format!("{tag}{w}"),
        &format!("{BIN} replay --no-color {args}"),
    );
    resize(&p, w, h);
    Some(p)
}

fn resize(p: &Pane, w: u16, h: u16) {
    let st = Command::new("tmux")
        .args(["-L", &p.name, "resize-window", "-t", &p.name])
        .args(["-x", &w.to_string(), "-y", &h.to_string()])
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn goto_moves_the_replay_to_the_frame_and_says_when_it_is_past_the_end() {
    for size in [(80, 24), (200, 60)] {
        let Some(p) = replay_at("goto", &format!("--paused {FIXTURE}"), size) else {
            return;
        };
        p.wait_for("Timeline");
        p.keys(&[":", "goto #20", "Enter"]);
        p.wait_for("frame #20");
        p.keys(&["6"]);
        p.wait("the Frames tab's cursor row", |s| {
            s.lines()
                .any(|l| l.trim_start().starts_with("│     20 ") || l.contains("│     20 ↓"))
        });
        p.keys(&[":", "goto #900", "Enter"]);
        p.wait_for("frame 900 is past the end: 31 frames");
        p.keys(&["q"]);
    }
}
