//! Bookmarks and notes travel with the recording: `report` lists them (frame, time, run, agent,
//! tool call, text) in a table and under their run's Story, and `diff` shows each side's next
//! to the difference of the item they are on, in text and in `--format json` (`marks`). The
//! real binary on copies of recordings orchscope made, with lines appended as a replay writes
//! them; the frame numbers are counted from the files' own lines.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");

fn recording(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("recordings")
        .join(name)
}

/// The 0-based frame number of the first frame line containing `needle`.
fn frame_of(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let mut frames = text.lines().filter(|l| l.contains("\"dir\":"));
    frames.position(|l| l.contains(needle)).expect("the frame")
}

/// A copy of `name` in `dir` with `lines` appended.
fn with_lines(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let to = dir.join(name);
    let mut text = std::fs::read_to_string(recording(name)).unwrap();
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(&to, text).unwrap();
    to
}

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(BIN).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.is_empty() || o.status.code() == Some(1), "{err}");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn the_report_lists_bookmarks_and_notes_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let src = recording("slow.jsonl");
    let call = frame_of(&src, "\"tool_executing\"");
    let lines = [
        format!(r#"{{"t":1.102,"note":"why <so> slow?","at":{call}}}"#),
        r#"{"t":1.102,"mark":"bookmark","at":2}"#.to_string(),
    ];
    let path = with_lines(dir.path(), "slow.jsonl", &lines);
    let out = dir.path().join("r.html");
    let (code, _) = run(&[
        "report",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(&out).unwrap();
    // The recording's own marker, the bookmark and the note.
    assert!(html.contains("Bookmarks and notes (3)"), "{html}");
    assert_eq!(html.matches("<tr class=\"mark\">").count(), 3);
    assert!(html.contains("why &lt;so&gt; slow?"));
    assert!(!html.contains("why <so> slow?"), "escaped");
    assert!(html.contains(&format!("#{call}")));
    assert!(html.contains("✎ note") && html.contains("⚑ bookmark") && html.contains("⚑ marker"));
    let (_, md) = run(&[
        "report",
        path.to_str().unwrap(),
        "--format",
        "md",
        "-o",
        "-",
    ]);
    let line = (md.lines())
        .find(|l| l.starts_with("- ✎ note frame"))
        .expect("the note under its run");
    assert!(line.contains("triage · classify\\_intent"), "{line}");
    // Without anchored lines: only the recording's marker.
    let (_, plain) = run(&["report", src.to_str().unwrap(), "--format", "md", "-o", "-"]);
    assert!(plain.contains("Bookmarks and notes (1)"));
    assert!(!plain.contains("✎ note"));
}

#[test]
fn diff_shows_each_sides_notes_next_to_the_items_they_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let a_src = recording("recovery.jsonl");
    let retried = frame_of(&a_src, "\"window\":\"7d\"");
    let note = format!(r#"{{"t":1.0,"note":"the retry that B lacks","at":{retried}}}"#);
    let a = with_lines(dir.path(), "recovery.jsonl", &[note]);
    let b = recording("no-recovery.jsonl");
    let (code, text) = run(&["diff", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(code, 1, "B regresses");
    let lines: Vec<&str> = text.lines().collect();
    let at = (lines.iter())
        .position(|l| l.contains("tool call query_gpu_spend · data  missing"))
        .expect("the missing call");
    let said = format!("A #{retried} ✎ note: the retry that B lacks");
    assert_eq!(lines[at + 1].trim(), said, "{text}");
    assert!(text.contains(&format!("{said}  run 1 tool_call query_gpu_spend · data")));
    let (_, json) = run(&[
        "diff",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let marks = doc["marks"].as_array().unwrap();
    let note = marks.iter().find(|m| m["kind"] == "note").unwrap();
    assert_eq!(note["side"], "a");
    assert_eq!(note["frame"], retried);
    assert_eq!(note["run"], 1);
    assert_eq!(
        note["on"],
        serde_json::json!({"kind": "tool_call", "name": "query_gpu_spend", "agent": "data"})
    );
    // B's marker is listed for B; A has no other mark.
    assert_eq!(marks.iter().filter(|m| m["side"] == "a").count(), 1);
    assert!(marks
        .iter()
        .any(|m| m["side"] == "b" && m["kind"] == "marker"));
}
