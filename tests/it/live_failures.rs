//! Reconnection and failure are visible, with the real binary against a hostile server of our
//! own: a server that drops every connection is retried ever more slowly, a 1008 close before
//! any frame still ends in a `disconnected` line (then the give-up's), and a recording that cannot be written stops
//! `record` at once and makes `connect` fail, with the TUI saying so while it runs.

use crate::e2e_support as e2e;
use crate::hostile_support as hostile;

use base64::Engine as _;
use hostile::Behaviour;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");

/// Runs `sh -c script` (with `$BIN` set), bounded by `limit` (a liveness guard).
fn sh(script: &str, limit: Duration) -> Output {
    let child = Command::new("sh")
        .args(["-c", script])
        .env("BIN", BIN)
        .env_remove("ORCHSCOPE_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    e2e::wait_bounded(child, limit, &format!("`{script}`"))
}

/// `record URL -o DIR/NAME ARGS` against a hostile server, with `prefix` run first in the
/// shell; bounded by `limit`. Returns the output, the recording's path and its directory.
fn record(
    behaviour: Behaviour,
    prefix: &str,
    args: &str,
    limit: Duration,
) -> (
    Output,
    std::path::PathBuf,
    tempfile::TempDir,
    hostile::Hostile,
) {
    let server = hostile::start(behaviour);
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("rec.jsonl");
    let script = format!(
        "{prefix} exec \"$BIN\" record {} -o {} {args}",
        server.url(),
        file.display()
    );
    (sh(&script, limit), file, dir, server)
}

/// Every line of a recording, parsed.
fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("read recording")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
        .collect()
}

fn links(path: &Path) -> Vec<serde_json::Value> {
    let mut all = lines(path);
    all.retain(|v| v.get("link").is_some());
    all
}

#[test]
fn a_server_that_drops_every_connection_is_retried_ever_more_slowly() {
    let (out, file, _dir, _server) = record(
        Behaviour::DropEvery,
        "",
        "--until-idle 60 --timeout 6",
        Duration::from_secs(6 + 10),
    );
    // Nothing was ever received: the one-line failure of `record`.
    assert_eq!(out.status.code(), Some(2));
    let links = links(&file);
    let reconnects = links.iter().filter(|l| l["link"] == "reconnecting").count();
    eprintln!("{reconnects} reconnects in 6 s");
    // Back-off from 0.25–0.5 s doubling: at most 5 retries fit in 6 s (it was 17 when every
    // connection that was made reset the back-off).
    assert!(
        (2..=5).contains(&reconnects),
        "{reconnects} reconnects: {links:?}"
    );
    let connected = links.iter().filter(|l| l["link"] == "connected").count();
    let disconnected = links.iter().filter(|l| l["link"] == "disconnected").count();
    assert!(connected >= 2 && disconnected >= connected, "{links:?}");
}

#[test]
fn a_1008_close_before_any_frame_still_records_disconnected() {
    let (out, file, _dir, server) = record(
        Behaviour::Close1008,
        "",
        "--timeout 20",
        Duration::from_secs(20 + 10),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let links = links(&file);
    let states: Vec<&str> = links.iter().filter_map(|l| l["link"].as_str()).collect();
    assert_eq!(
        states,
        ["connected", "disconnected", "gave_up"],
        "{links:?}"
    );
    let reason = links[1]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("1008"), "{reason}");
    // A refusal is final: one connection, no retry.
    assert_eq!(
        server.connections.load(std::sync::atomic::Ordering::SeqCst),
        1
    );
}

/// `ulimit -f` makes writes past 32 KiB fail (SIGXFSZ ignored, so `write` returns EFBIG):
/// a disk that fills up mid-recording.
const SMALL_DISK: &str = "trap '' XFSZ; ulimit -f 64;";

#[test]
fn record_stops_at_once_and_fails_when_the_recording_cannot_be_written() {
    let (out, _file, _dir, _server) = record(
        Behaviour::Flood { frame_len: 256 },
        SMALL_DISK,
        "--timeout 60",
        Duration::from_secs(30),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("time-out"), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.contains("rec.jsonl") && last.contains("failed"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn record_of_a_writable_file_under_the_same_flood_succeeds() {
    let (out, _file, _dir, _server) = record(
        Behaviour::Flood { frame_len: 256 },
        "",
        "--timeout 2",
        Duration::from_secs(2 + 10),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_text_frame_that_is_not_utf8_is_kept_as_bytes_and_reported() {
    let (out, file, _dir, server) = record(
        Behaviour::BadUtf8,
        "",
        "--until-idle 60 --timeout 3",
        Duration::from_secs(3 + 10),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let all = lines(&file);
    let frames: Vec<&serde_json::Value> = all.iter().filter(|l| l["dir"] == "in").collect();
    // The frames around it are text as before.
    assert_eq!(frames.len(), 3, "{all:?}");
    assert_eq!(frames[0]["frame"]["payload"]["n"], 1);
    assert_eq!(frames[2]["frame"]["payload"]["n"], 2);
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(frames[1]["binary"].as_str().expect("kept as binary"))
        .expect("base64");
    assert_eq!(bytes, b"{\"type\":\"x\",\"v\":\"\xff\xfe bad\"}");
    assert_eq!(frames[1]["invalid_utf8"], 17);
    // The connection was never dropped for it: it ends when `record` stops.
    let links = links(&file);
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(links[1]["reason"], "closed by the user");
    let connections = server.connections.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(connections, 1);

    // Read back, stream-health reports it at that frame.
    let report = Command::new(BIN)
        .args(["validate", file.to_str().expect("path"), "--format", "json"])
        .env_remove("ORCHSCOPE_TOKEN")
        .output()
        .expect("validate");
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).expect("json");
    let findings = invalid_utf8_findings(&report);
    assert_eq!(findings.len(), 1, "{report}");
    assert!(findings[0].contains("frame 1") && findings[0].contains("byte 17"));
}

#[test]
fn validate_ws_reports_a_text_frame_that_is_not_utf8_and_not_a_clean_one() {
    for (behaviour, want) in [
        (Behaviour::BadUtf8, 1),
        (Behaviour::Flood { frame_len: 256 }, 0),
    ] {
        let server = hostile::start(behaviour);
        let dir = tempfile::tempdir().expect("tmp");
        let json = dir.path().join("report.json");
        let script = format!(
            "exec \"$BIN\" validate {} --format json --until-idle 60 --timeout 2 > {}",
            server.url(),
            json.display()
        );
        let out = sh(&script, Duration::from_secs(2 + 10));
        let report = std::fs::read(&json).expect("report");
        let report: serde_json::Value = serde_json::from_slice(&report).unwrap_or_else(|e| {
            panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
        });
        assert_eq!(invalid_utf8_findings(&report).len(), want, "{behaviour:?}");
    }
}

/// The messages of `stream-health/invalid-utf8` findings in a JSON report.
fn invalid_utf8_findings(report: &serde_json::Value) -> Vec<String> {
    report["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .filter(|f| f["code"] == "stream-health/invalid-utf8")
        .map(|f| f["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}
