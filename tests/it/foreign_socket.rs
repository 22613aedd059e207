//! Other frameworks' formats over WebSocket, with the real binary: a server on 127.0.0.1 sends
//! a genuine corpus file one line per text frame to `validate ws://… --format-in X`, and the
//! session it judges (counts, each rule's verdict but the timing ones) is the one `validate`
//! finds in the file; a recording of it replays as the same session; a frame that is not a
//! line of X is reported by `stream-health`, and the rest is still read.

use crate::follow_foreign::judged;
use serde_json::Value;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");

/// A server that sends `frames` to each connection, one text frame each, then only answers
/// pings (the socket stays open).
fn server(frames: Vec<String>) -> String {
    use tokio_tungstenite::tungstenite::{accept, Message};
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let frames = frames.clone();
            std::thread::spawn(move || {
                let Ok(mut ws) = accept(s) else { return };
                for f in frames {
                    if ws.send(Message::text(f)).is_err() {
                        return;
                    }
                }
                while ws.read().is_ok() {}
            });
        }
    });
    format!("ws://127.0.0.1:{port}/ws")
}

/// The file's lines, as its producer wrote them.
fn lines(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).expect("corpus file");
    text.lines().map(str::to_string).collect()
}

/// `orchscope validate ARGS --format json`, parsed.
fn validate(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .arg("validate")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The socket read live with `--format-in format` (and `more` flags).
fn live(url: &str, format: &str, more: &[&str]) -> Value {
    let mut args = vec![url, "--format-in", format, "--until-idle", "2"];
    args.extend_from_slice(&["--timeout", "60"]);
    args.extend_from_slice(more);
    validate(&args)
}

fn sent_as_read_whole(corpus: &str, format: &str) {
    let file = PathBuf::from(CORPUS).join(corpus);
    let url = server(lines(&file));
    let got = live(&url, format, &[]);
    let whole = validate(&[file.to_str().expect("path")]);
    assert_eq!(judged(&got), judged(&whole), "{corpus}");
    assert_eq!(got["format"], whole["format"], "{corpus}");
}

#[test]
fn langgraph_events_sent_over_a_websocket_are_judged_as_the_file_read_whole() {
    sent_as_read_whole("langgraph/supervisor/events.jsonl", "langgraph");
}

#[test]
fn claude_stream_json_sent_over_a_websocket_is_judged_as_the_file_read_whole() {
    sent_as_read_whole("claude-code/stream-json-replay/stream.jsonl", "claude-code");
}

#[test]
fn a_recording_of_a_foreign_socket_replays_as_the_same_session() {
    let file = PathBuf::from(CORPUS).join("langgraph/swarm/events.jsonl");
    let url = server(lines(&file));
    let dir = tempfile::tempdir().expect("tempdir");
    let rec = dir.path().join("swarm.jsonl");
    let rec_s = rec.to_str().expect("path");
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["record", &url, "--format-in", "langgraph", "-o", rec_s])
        .args(["--until-idle", "2", "--timeout", "60"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&rec).expect("recording");
    let frames: Vec<Value> = (text.lines())
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v.get("frame").cloned())
        .collect();
    assert!(!frames.is_empty(), "no frame recorded");
    assert!(
        frames
            .iter()
            .all(|f| f["payload"]["foreign"]["format"] == "langgraph"),
        "every recorded frame is native and keeps its source line"
    );
    let replayed = validate(&[rec_s]);
    let whole = validate(&[file.to_str().expect("path")]);
    assert_eq!(judged(&replayed), judged(&whole));
}

#[test]
fn a_frame_that_is_not_a_line_of_the_format_is_reported_and_the_rest_is_read() {
    let file = PathBuf::from(CORPUS).join("langgraph/supervisor/events.jsonl");
    let mut frames = lines(&file);
    frames.insert(1, "this is not a langgraph event".to_string());
    let url = server(frames);
    let got = live(&url, "langgraph", &[]);
    let whole = validate(&[file.to_str().expect("path")]);
    assert_eq!(
        got["counts"], whole["counts"],
        "the other lines are all read"
    );
    let health = (got["rules"].as_array().expect("rules").iter())
        .find(|r| r["id"] == "stream-health")
        .expect("stream-health");
    let text = health.to_string();
    assert!(text.contains("not valid JSON"), "{health:#}");
    assert_ne!(health["status"], "pass", "{health:#}");
    // The same frames without the stray one: stream-health has nothing to say about them.
    let clean = live(&server(lines(&file)), "langgraph", &[]);
    let clean_health = (clean["rules"].as_array().expect("rules").iter())
        .find(|r| r["id"] == "stream-health")
        .expect("stream-health");
    assert_eq!(clean_health["status"], "pass", "{clean_health:#}");
}

#[test]
fn a_format_in_with_an_otlp_source_is_one_line_and_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["validate", "otlp://127.0.0.1:0", "--format-in", "langgraph"])
        .args(["--timeout", "5"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--format-in langgraph"), "{err}");
}
