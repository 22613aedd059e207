//! Pipes are ordinary, through the real binary: when whoever reads its standard output goes
//! away (`orchscope summary big.jsonl | head -1`, or a reader that closed before anything was
//! written), every command and output format ends quietly — no panic, no backtrace, nothing
//! on stderr — with the status it would have had (0, or `validate`'s verdict). A closed
//! stderr is no reason to crash either.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// How long a command may take to end once its reader is gone.
const LIMIT: Duration = Duration::from_secs(30);

/// A recording of `runs` small runs, each with an agent that starts twice (a warning) and a
/// tool result that matches no call (a failure): a lot of text, and `validate` exits 1.
fn big(dir: &Path, runs: usize) -> PathBuf {
    let mut text = String::new();
    for r in 0..runs {
        let p = |extra: &str| {
            format!(
                r#""payload":{{"run_id":"run-{r}","thread_id":"t","agent_name":"agent-{r}"{extra}}}"#
            )
        };
        text.push_str(&format!("{{\"type\":\"agent_started\",{}}}\n", p("")));
        text.push_str(&format!(
            "{{\"type\":\"tool_completed\",{}}}\n",
            p(r#","tool_name":"search","tool_call_id":"c","status":"success""#)
        ));
        text.push_str(&format!(
            "{{\"type\":\"agent_completed\",{}}}\n",
            p(r#","result":{"status":"success"}"#)
        ));
    }
    let path = dir.join("big.jsonl");
    std::fs::write(&path, text).expect("write");
    path
}

fn spawn(args: &[&str], home: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .env("HOME", home)
        .env("CODEX_HOME", home.join("codex"))
        .env_remove("CLAUDE_CONFIG_DIR")
        .env_remove("ORCHSCOPE_CONFIG")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn orchscope")
}

/// Waits for the child to end (bounded), reading what is left of its output meanwhile.
fn finish(child: Child, what: &str) -> Output {
    let pid = child.id().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
            panic!("{what}: still running after {LIMIT:?}");
        }
    }
}

fn assert_quiet(what: &str, out: &Output, status: i32) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.is_empty(), "{what}: stderr not quiet: {err}");
    assert_eq!(out.status.code(), Some(status), "{what}: {out:?}");
}

/// The reader closes before the command wrote anything.
fn closed_at_once(args: &[&str], home: &Path) -> Output {
    let mut child = spawn(args, home);
    drop(child.stdout.take());
    finish(child, &args.join(" "))
}

/// Like `| head -1`: one line read, then the reader goes away.
fn head_one(args: &[&str], home: &Path) -> (String, Output) {
    let mut child = spawn(args, home);
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read a line");
    (line, finish(child, &args.join(" ")))
}

#[test]
fn summary_and_validate_end_quietly_under_head() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = big(dir.path(), 3000);
    let file = file.to_str().expect("utf-8 path");
    let cases: [(&[&str], i32); 5] = [
        (&["summary", file], 0),
        (&["summary", "--format", "json", file], 0),
        (&["validate", file], 1),
        (&["validate", "--format", "json", file], 1),
        (&["validate", "--format", "junit", file], 1),
    ];
    for (args, status) in cases {
        let (line, out) = head_one(args, dir.path());
        assert!(!line.is_empty(), "{args:?}: no first line");
        assert_quiet(&args.join(" "), &out, status);
        let out = closed_at_once(args, dir.path());
        assert_quiet(&args.join(" "), &out, status);
    }
}

#[test]
fn every_other_command_ends_quietly_on_a_closed_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = big(dir.path(), 50);
    let value = dir.path().join("value.json");
    std::fs::write(&value, r#"{"b":1,"a":[true,null]}"#).expect("write");
    let d = dir.path().to_str().expect("utf-8 path");
    let v = value.to_str().expect("utf-8 path");
    let cases: [&[&str]; 8] = [
        &["sessions", "--dir", d],
        &["sessions", "--dir", d, "--format", "json"],
        &["hash", v],
        &["gen-config"],
        &["completions", "bash"],
        &["--help"],
        &["--version"],
        &["summary", "--unknowns", file.to_str().expect("utf-8 path")],
    ];
    for args in cases {
        let out = closed_at_once(args, dir.path());
        assert_quiet(&args.join(" "), &out, 0);
    }
}

#[test]
fn an_open_stdout_still_gets_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = big(dir.path(), 3000);
    let child = spawn(&["summary", file.to_str().expect("utf-8 path")], dir.path());
    let out = finish(child, "summary");
    assert_quiet("summary", &out, 0);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("run run-0 ") && text.contains("run run-2999 "),
        "{text:.300}"
    );
}

#[test]
fn a_closed_stderr_is_no_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["validate", "/nonexistent/orchscope-input.jsonl"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stderr.take());
    let out = finish(child, "validate with stderr closed");
    // 2: the user's mistake, not 101, a panic's.
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    drop(dir);
}

/// A panic outside the TUI is one line and Rust's panic status, never a backtrace (unless
/// `RUST_BACKTRACE` asks for it); without the switch the same command runs as usual.
#[test]
fn a_panic_in_a_command_is_one_line_and_status_101() {
    let bin = env!("CARGO_BIN_EXE_orchscope");
    let out = std::process::Command::new(bin)
        .args(["hash", "-"])
        .env("ORCHSCOPE_TEST_PANIC", "command")
        .env_remove("RUST_BACKTRACE")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(101));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("orchscope: internal error: test panic (command) at "),
        "{err}"
    );
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    let out = std::process::Command::new(bin)
        .args(["hash", "-"])
        .env("ORCHSCOPE_TEST_PANIC", "commands")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(101));
}
