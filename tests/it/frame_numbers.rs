//! One frame numbering everywhere: the evidence of the drift in `context-drift.jsonl` is the
//! same frame numbers (20 and 2, counted from 0) in `validate` text, JSON and JUnit, in
//! `summary`'s text and in the inspector, where `:goto #20` moves the replay to that frame and
//! `:goto #900` says it is past the end (the real binary under tmux, at 80×24 and 200×60).

use crate::tui_tmux::{have_tmux, Pane};
use std::process::Command;
use Step::{Press, See};

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

/// The path of a recording in `tests/fixtures/shown/`.
pub(crate) fn shown(name: &str) -> String {
    format!("{}/tests/fixtures/shown/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// One step of a script run on the screen: wait until it shows a text, or press keys.
pub(crate) enum Step {
    See(&'static str),
    Press(&'static [&'static str]),
}

/// `orchscope replay ARGS` under tmux at 80×24 and then at 200×60 (`tag` names the tmux
/// server), the steps run on each and `q` pressed after; nothing, with a notice, without tmux.
pub(crate) fn replay_at_both_sizes(tag: &str, args: &str, steps: &[Step]) {
    if !have_tmux() {
        return;
    }
    for (w, h) in [(80, 24), (200, 60)] {
        let p = Pane::start(
            &format!("{tag}{w}"),
            &format!("{BIN} replay --no-color {args}"),
        );
        resize(&p, w, h);
        for step in steps {
            match step {
                Step::See(text) => drop(p.wait_for(text)),
                Step::Press(keys) => p.keys(keys),
            }
        }
        p.keys(&["q"]);
    }
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
    let steps = [
        See("Timeline"),
        Press(&[":", "goto #20", "Enter"]),
        See("frame #20"),
        Press(&["6"]),
        See("     20 ↓ in"),
        Press(&[":", "goto #900", "Enter"]),
        See("frame 900 is past the end: 31 frames"),
    ];
    replay_at_both_sizes("goto", &format!("--paused {FIXTURE}"), &steps);
}
