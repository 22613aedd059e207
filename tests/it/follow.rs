//! Following a growing file (`--follow FILE`) and a pipe (`-`) with the real binary: lines
//! written after it started are read as they come, a recording piped in gives the same session
//! as the recording read whole, and a truncated file is read again from its start.

use serde_json::Value;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn orchscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
}

fn frame(ty: &str, t: u32) -> String {
    format!(
        r#"{{"type":"{ty}","timestamp":{t}.0,"payload":{{"run_id":"r1","agent_id":"a","agent_name":"sup","thought":"step {t}","status":"ok"}}}}"#
    )
}

fn append(path: &Path, line: &str) {
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open");
    writeln!(f, "{line}").expect("append");
}

fn summary(file: &Path) -> Value {
    let mut v = crate::e2e_support::summary_json(file);
    // Where it was read from differs by design; the session must not.
    v["source"] = Value::Null;
    v
}

#[test]
fn a_growing_file_is_read_as_it_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("live.jsonl");
    let output = dir.path().join("rec.jsonl");
    std::fs::write(&input, format!("{}\n", frame("agent_started", 1))).expect("write");
    let child = orchscope()
        .args(["record", "--follow"])
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .args(["--until-idle", "1", "--timeout", "60"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    std::thread::sleep(Duration::from_millis(700));
    append(&input, &frame("agent_thinking", 2));
    std::thread::sleep(Duration::from_millis(700));
    // Truncated and rewritten (a log rotated in place): read again from its start.
    std::fs::write(&input, format!("{}\n", frame("agent_thinking", 3))).expect("rewrite");
    std::thread::sleep(Duration::from_millis(700));
    append(&input, &frame("agent_completed", 4));
    let out = child.wait_with_output().expect("wait");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("following file://"), "{said}");
    let recorded = std::fs::read_to_string(&output).expect("recording");
    let times: Vec<f64> = recorded
        .lines()
        .filter(|l| l.contains("\"frame\""))
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("line")["t"]
                .as_f64()
                .unwrap_or(-1.0)
        })
        .collect();
    assert_eq!(times.len(), 4, "{recorded}");
    assert!(
        times[1] >= 0.5 && times[3] >= times[2] && times[2] > times[1],
        "read as written: {times:?}"
    );
    let s = summary(&output);
    assert_eq!(s["runs"][0]["status"], "completed", "{s}");
}

#[test]
fn a_recording_piped_in_is_the_same_session_as_read_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = Path::new(ROOT).join("recordings/all.jsonl");
    let output = dir.path().join("piped.jsonl");
    let mut child = orchscope()
        .args(["record", "-", "-o"])
        .arg(&output)
        .args(["--timeout", "60"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let text = std::fs::read(&source).expect("recording");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&text)
        .expect("pipe");
    let out = child.wait_with_output().expect("wait");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("stopped: the input ended"), "{said}");
    let (piped, whole) = (summary(&output), summary(&source));
    assert_eq!(piped["runs"], whole["runs"]);
    assert_eq!(piped["turns"], whole["turns"]);
}

#[test]
fn following_checks_its_input_first() {
    let out = orchscope()
        .args([
            "record",
            "--follow",
            "/nonexistent/x.jsonl",
            "-o",
            "/dev/null",
            "--force",
        ])
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    let out = orchscope()
        .args(["record", "-", "-o", "/dev/null", "--force", "--send", "hi"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(said.contains("only listens"), "{said}");
}
