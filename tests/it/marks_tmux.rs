//! Bookmarks and notes in the real binary under tmux: replay a copy of a recording, bookmark a
//! frame and write a note on it, quit, and find the two lines appended to the file (nothing
//! before them changed); replay it again and see them listed; `report` and `diff` of the file
//! show them; with `--read-only` the file stays as it was. Skipped, with a notice, only when
//! tmux is not installed.

use crate::tui_tmux::{have_tmux, Pane};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const ORIGINAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/recordings/slow.jsonl");

/// A copy of `recording` in a directory of its own (kept while the directory lives).
fn copy_of(recording: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slow.jsonl");
    std::fs::copy(recording, &path).unwrap();
    (dir, path)
}

#[test]
fn marks_made_in_a_replay_are_in_the_file_and_everywhere_after() {
    if !have_tmux() {
        return;
    }
    let (_dir, path) = copy_of(ORIGINAL);
    let original = ORIGINAL;
    let before = std::fs::read_to_string(&path).unwrap();
    let cmd = format!("{BIN} replay --paused --no-color {}", path.display());
    let p = Pane::start("marks", &cmd);
    p.wait_for("REPLAY");
    p.keys(&[":", "goto #5", "Enter"]);
    p.wait_for("frame #5");
    p.keys(&["m"]);
    p.wait_for("bookmarked frame #5");
    p.keys(&["n"]);
    p.wait_for("Note on frame #5");
    p.keys(&["why so slow?", "Enter"]);
    p.wait_for("note on frame #5");
    p.keys(&["q"]);
    p.assert_restored_with(0);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.starts_with(&before), "earlier bytes untouched");
    // Written with the recording's last frame's time.
    let last = (before.lines().rev())
        .find(|l| l.contains("\"dir\":"))
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| v["t"].as_f64())
        .unwrap();
    assert_eq!(
        &after[before.len()..],
        format!(
            "{{\"t\":{last:.3},\"mark\":\"bookmark\",\"at\":5}}\n\
             {{\"t\":{last:.3},\"note\":\"why so slow?\",\"at\":5}}\n"
        )
    );
    // Again: the list holds them, with the recording's own marker.
    let p = Pane::start("marks2", &cmd);
    p.wait_for("REPLAY");
    p.keys(&["M"]);
    let s = p.wait_for("Bookmarks and notes · 3");
    assert!(
        s.contains("⚑ bookmark") && s.contains("✎ note     why so slow?"),
        "{s}"
    );
    p.keys(&["Escape", "q"]);
    p.assert_restored_with(0);
    let out = |args: &[&str]| {
        let o = Command::new(BIN).args(args).output().unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let file = path.to_str().unwrap();
    let md = out(&["report", file, "--format", "md", "-o", "-"]);
    assert!(
        md.contains("why so slow?") && md.contains("Bookmarks and notes (3)"),
        "{md}"
    );
    let diff = out(&["diff", original, file]);
    assert!(diff.contains("B #5 ✎ note: why so slow?"), "{diff}");
    assert!(diff.contains("B #5 ⚑ bookmark: bookmark"), "{diff}");
}

#[test]
fn read_only_keeps_marks_in_memory_and_the_file_as_it_was() {
    if !have_tmux() {
        return;
    }
    let (_dir, path) = copy_of(ORIGINAL);
    let before = std::fs::read(&path).unwrap();
    let cmd = format!(
        "{BIN} replay --paused --read-only --no-color {}",
        path.display()
    );
    let p = Pane::start("marks-ro", &cmd);
    p.wait_for("REPLAY");
    p.keys(&[":", "goto #2", "Enter"]);
    p.wait_for("frame #2");
    p.keys(&["m"]);
    p.wait_for("kept in memory only (--read-only)");
    p.keys(&["q"]);
    p.assert_restored_with(0);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
