//! The producer examples (tests/producers: an orchestrator of one's own in Python and in
//! TypeScript, speaking the native protocol) run for real on loopback against the real
//! `record`: a clean session passes every rule with its context hashes matched and its turns
//! chained, and each example's fault switch (a wrong reported hash, a dropped tool result)
//! fails the rule that must catch it. `.ci/run` installs what they need
//! (tests/producers/.venv, node_modules, build); without it the tests are skipped with a
//! notice, except under CI, where a missing runtime is a failure.

use serde_json::Value;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The command line of a producer, or None (with a notice) when its runtime is not installed.
fn producer(lang: &str) -> Option<Vec<String>> {
    let dir = Path::new(ROOT).join("tests/producers");
    let (program, script) = match lang {
        "python" => (dir.join(".venv/bin/python"), dir.join("native.py")),
        _ => (PathBuf::from("node"), dir.join("build/native.js")),
    };
    let ready = script.exists() && (lang != "python" || program.exists());
    if !ready {
        let what = format!("the {lang} producer example is not installed (see .ci/run)");
        assert!(std::env::var_os("CI").is_none(), "{what}");
        eprintln!("notice: {what}; skipping");
        return None;
    }
    Some(vec![
        program.display().to_string(),
        script.display().to_string(),
    ])
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a producer on a free loopback port; returns it once it says it listens.
fn start(cmd: &[String], fault: Option<&str>) -> (Running, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..]).arg(port.to_string());
    if let Some(f) = fault {
        c.args(["--fault", f]);
    }
    let mut child = c
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the producer");
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let running = Running(child);
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the producer listens");
    assert_eq!(line, format!("listening {port}"));
    (running, port)
}

fn orchscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope")
}

/// Records two turns from the producer, then returns `validate` and `summary` as JSON.
fn session(cmd: &[String], fault: Option<&str>) -> (Value, Value) {
    let (_producer, port) = start(cmd, fault);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("session.jsonl");
    let file = file.to_str().expect("utf-8 path");
    let url = format!("ws://127.0.0.1:{port}/ws");
    let rec = orchscope(&[
        "record",
        &url,
        "-o",
        file,
        "--send",
        "cut costs",
        "--send",
        "and storage?",
        "--until-idle",
        "1",
        "--timeout",
        "60",
        "--no-reconnect",
    ]);
    assert!(
        rec.status.success(),
        "{}",
        String::from_utf8_lossy(&rec.stderr)
    );
    let json = |args: &[&str]| -> Value {
        let out = orchscope(args);
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    (
        json(&["validate", "--format", "json", file]),
        json(&["summary", "--format", "json", file]),
    )
}

fn statuses(report: &Value) -> Vec<(String, String)> {
    let rules = report["rules"].as_array().expect("rules");
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let pair = |r: &Value| (text(&r["id"]), text(&r["status"]));
    rules.iter().map(pair).collect()
}

fn codes(report: &Value, rule: &str) -> Vec<String> {
    let rules = report["rules"].as_array().expect("rules");
    let r = rules.iter().find(|r| r["id"] == rule).expect("the rule");
    let findings = r["findings"].as_array().expect("findings");
    findings
        .iter()
        .map(|f| f["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn check_producer(lang: &str) {
    let Some(cmd) = producer(lang) else { return };
    let (report, summary) = session(&cmd, None);
    for (id, status) in statuses(&report) {
        let want = if id == "error-recovery" {
            "skip"
        } else {
            "pass"
        };
        assert_eq!(status, want, "{lang}: {id}: {report:#}");
    }
    assert_eq!(report["counts"]["runs"], 2, "{lang}");
    assert!(codes(&report, "context-integrity").is_empty(), "{lang}");
    let runs = summary["runs"].as_array().expect("runs");
    let researcher = &runs[0]["agents"][1];
    assert_eq!(researcher["parent_source"], "explicit", "{lang}");
    assert_eq!(runs[1]["tool_calls"][0]["status"], "ok", "{lang}");
    let (bad_hash, _) = session(&cmd, Some("wrong-hash"));
    let mismatch = codes(&bad_hash, "context-integrity");
    assert_eq!(mismatch, ["context-integrity/hash-mismatch"; 2], "{lang}");
    let (dropped, _) = session(&cmd, Some("drop-result"));
    let never = codes(&dropped, "tool-pairing");
    assert_eq!(never, ["tool-pairing/never-completed"; 2], "{lang}");
}

#[test]
fn the_python_producer_example_passes_and_its_faults_are_caught() {
    check_producer("python");
}

#[test]
fn the_typescript_producer_example_passes_and_its_faults_are_caught() {
    check_producer("typescript");
}
