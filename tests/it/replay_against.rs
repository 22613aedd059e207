//! `orchscope replay B --against A` with the real binary: under tmux, the Compare tab of the
//! demo's drop-tool-result recording against ml-cost, `]` to the changed tool call, Enter
//! moving B's replay position to its frame; and the usage mistakes (a missing A, `--against`
//! where it does not belong) as one line and exit 2.

use crate::tui_tmux::{have_tmux, Pane};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");

fn recording(name: &str) -> String {
    format!("{}/recordings/{name}.jsonl", env!("CARGO_MANIFEST_DIR"))
}

/// The header's event count at the position shown (`· 30 ev ·`).
fn events(screen: &str) -> Option<usize> {
    let head = screen.lines().next()?;
    let before = head.split(" ev").next()?;
    before.rsplit(['·', ' ']).next()?.trim().parse().ok()
}

#[test]
fn the_compare_tab_jumps_to_a_difference_and_enter_moves_b() {
    if !have_tmux() {
        return;
    }
    let cmd = format!(
        "{BIN} replay --speed 64 --no-color {} --against {}",
        recording("drop-tool-result"),
        recording("ml-cost")
    );
    let p = Pane::start("against", &cmd);
    let end = p.wait("the whole recording", |s| events(s) == Some(30));
    assert!(end.contains("7 Compare"), "{end}");
    p.keys(&["7"]);
    let s = p.wait_for("Compare · 12 rows");
    assert!(
        s.contains("1 changed") && s.contains("B regresses (2)"),
        "{s}"
    );
    assert!(s.contains("✗ ok→aborted"), "{s}");
    p.keys(&["]", "]"]);
    p.wait_for("difference 3/3 · tool_call classify_intent · ✗ ok→aborted");
    p.keys(&["Enter"]);
    let s = p.wait_for("B at frame #");
    let at = events(&s).expect("an event count in the header");
    assert!(at < 30, "B's position did not move back:\n{s}");
    assert!(s.contains("A's frame #"), "{s}");
    p.keys(&["q"]);
    p.assert_restored_with(0);
}

/// Runs the binary without a terminal: its exit code and stderr.
fn run(args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(BIN).args(args).output().unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn a_missing_a_is_one_line_and_exit_2() {
    let b = recording("slow");
    let (code, err) = run(&["replay", &b, "--against", "no/such/a.jsonl"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no/such/a.jsonl: no such file"), "{err}");
}

#[test]
fn against_with_connect_or_without_a_value_is_one_line_and_exit_2() {
    let a = recording("ml-cost");
    for args in [
        vec!["connect", "ws://127.0.0.1:9/ws", "--against", &a],
        vec!["replay", &a, "--against"],
    ] {
        let (code, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("--against"), "{args:?}: {err}");
    }
}
