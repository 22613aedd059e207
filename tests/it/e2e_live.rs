//! Reliability and security of the live path, over real loopback sockets with the real binary
//! (quality.md R3, R4, S1, S3): a dropped server is survived without loss, a `kill -9` leaves a
//! readable file, tokens never leak, wrong tokens are refused with one plain line.

use crate::e2e_support as e2e;

use base64::Engine as _;
use orchscope::demo::{Fault, Scenario};
use serde_json::Value;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const TOKEN: &str = "tok-Zq7Xv4Lm9Pw2-never-print-me";

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// The recording's lines, parsed (every line must be JSON).
fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("read recording")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn record_args(url: &str, out: &Path, scenario: Scenario) -> Vec<String> {
    let mut args = s(&["record", url, "-o", out.to_str().expect("path")]);
    args.extend(e2e::sends(scenario));
    args.extend(s(&["--until-idle", "0.5", "--timeout", "60"]));
    args
}

// R4 ------------------------------------------------------------------------------------------

#[test]
fn r4_server_drop_is_survived_with_one_file_and_nothing_lost() {
    let (url, sent) = e2e::spawn(e2e::config(Scenario::MlCost, &[Fault::Disconnect], None));
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("r4.jsonl");
    let out = e2e::run(&record_args(&url, &file, Scenario::MlCost));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);

    let lines = lines(&file);
    let headers = lines
        .iter()
        .filter(|l| l.get("orchscope_recording").is_some())
        .count();
    assert_eq!(headers, 1, "one recording, one segment");

    // The gap is marked: connected → disconnected → reconnecting → connected.
    let links: Vec<&str> = lines.iter().filter_map(|l| l["link"].as_str()).collect();
    let at = links
        .windows(4)
        .position(|w| w == ["connected", "disconnected", "reconnecting", "connected"]);
    assert!(at.is_some(), "links: {links:?}");

    // Every connection's frames carry seq 1..=n without a gap.
    let mut segments: Vec<Vec<u64>> = Vec::new();
    let mut frames_in = 0u64;
    for l in &lines {
        if l["link"] == "connected" {
            segments.push(Vec::new());
        }
        if l["dir"] == "in" {
            frames_in += 1;
            if let Some(seq) = l["frame"]["payload"]["seq"].as_u64() {
                segments
                    .last_mut()
                    .expect("a frame before connected")
                    .push(seq);
            }
        }
    }
    assert!(segments.len() >= 2, "{segments:?}");
    for (i, seqs) in segments.iter().enumerate() {
        let want: Vec<u64> = (1..=seqs.len() as u64).collect();
        assert_eq!(seqs, &want, "connection {} has a seq gap", i + 1);
    }
    assert!(segments.iter().filter(|s| !s.is_empty()).count() >= 2);
    // Nothing the server sent is missing from the recording.
    assert_eq!(frames_in, sent.get(), "frames in the recording vs sent");

    // The run's root completes after the reconnect.
    let out = e2e::run(&s(&["summary", file.to_str().unwrap(), "--format", "json"]));
    assert!(out.status.success());
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary");
    let runs = summary["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "the same run continues: {summary:#}");
    assert_eq!(runs[0]["status"], "completed");
}

// R3 ------------------------------------------------------------------------------------------

fn frame_lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().filter(|l| l.contains("\"dir\":\"in\"")).count())
        .unwrap_or(0)
}

#[test]
fn r3_kill_9_mid_stream_leaves_a_readable_file() {
    let mut c = e2e::config(Scenario::All, &[], None);
    c.speed = 2.0;
    let (url, _) = e2e::spawn(c);
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("killed.jsonl");
    let mut child = e2e::bin()
        .args(record_args(&url, &file, Scenario::All))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let end = Instant::now() + Duration::from_secs(60);
    while frame_lines(&file) < 5 {
        assert!(Instant::now() < end, "no frames arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = frame_lines(&file);
    child.kill().expect("SIGKILL");
    let status = child.wait().expect("wait");
    assert!(!status.success());

    // Every line but possibly the last is whole; nothing seen before the kill went missing.
    let text = std::fs::read_to_string(&file).expect("read");
    let all: Vec<&str> = text.lines().collect();
    let whole = if text.ends_with('\n') {
        all.len()
    } else {
        all.len() - 1
    };
    for l in &all[..whole] {
        serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l}"));
    }
    assert!(frame_lines(&file) >= seen);

    let path = file.to_str().unwrap().to_string();
    let out = e2e::run(&s(&["summary", &path, "--format", "json"]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary json");
    assert!(!summary["runs"].as_array().expect("runs").is_empty());
    let out = e2e::run(&s(&["validate", &path]));
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
    assert!(!out.stdout.is_empty());

    // A kill in the middle of a line: the cut tail is only a warning.
    let cut = dir.path().join("cut.jsonl");
    let good = all[..whole].join("\n") + "\n";
    std::fs::write(&cut, format!("{good}{{\"t\":9.5,\"dir\":\"in\",\"fra")).expect("write");
    let cut = cut.to_str().unwrap().to_string();
    let out = e2e::run(&s(&["summary", &cut, "--format", "json"]));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let again: Value = serde_json::from_slice(&out.stdout).expect("summary json");
    let ours: Value = {
        let full = dir.path().join("whole.jsonl");
        std::fs::write(&full, &good).expect("write");
        let out = e2e::run(&s(&["summary", full.to_str().unwrap(), "--format", "json"]));
        serde_json::from_slice(&out.stdout).expect("summary json")
    };
    assert_eq!(again["runs"], ours["runs"], "only the cut line is lost");
    let out = e2e::run(&s(&["validate", &cut]));
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
}

// S1 ------------------------------------------------------------------------------------------

fn assert_no_secret(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(TOKEN);
    for secret in [TOKEN, b64.as_str()] {
        assert!(!text.contains(secret), "{what} leaks the token:\n{text}");
    }
}

#[test]
fn s1_tokens_never_reach_recording_stdout_or_stderr() {
    let url = e2e::server(Scenario::Simple, &[], Some(TOKEN));
    let dir = tempfile::tempdir().expect("tmp");
    let bearer_header = format!("Authorization: Bearer {TOKEN}");
    let api_key = format!("X-Api-Key: {TOKEN}");
    let ways: Vec<(&str, Vec<String>, bool)> = vec![
        ("--token", s(&["--token", TOKEN]), false),
        (
            "--subprotocol-token",
            s(&["--token", TOKEN, "--subprotocol-token"]),
            false,
        ),
        (
            "--header Authorization",
            s(&["--header", &bearer_header]),
            false,
        ),
        (
            "--header X-Api-Key",
            s(&["--token", TOKEN, "--header", &api_key]),
            false,
        ),
        ("ORCHSCOPE_TOKEN", Vec::new(), true),
    ];
    for (i, (name, auth, env)) in ways.into_iter().enumerate() {
        let file = dir.path().join(format!("s1-{i}.jsonl"));
        let mut args = record_args(&url, &file, Scenario::Simple);
        args.extend(auth.iter().cloned());
        let mut cmd = e2e::bin();
        cmd.args(&args);
        if env {
            cmd.env("ORCHSCOPE_TOKEN", TOKEN);
        }
        let out = cmd.output().expect("run");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let recording = std::fs::read(&file).expect("recording");
        assert!(
            String::from_utf8_lossy(&recording).contains("\"dir\":\"in\""),
            "{name}: nothing recorded"
        );
        assert_no_secret(&format!("{name}: recording"), &recording);
        assert_no_secret(&format!("{name}: stdout"), &out.stdout);
        assert_no_secret(&format!("{name}: stderr"), &out.stderr);

        for format in ["text", "json"] {
            let mut args = s(&["validate", &url, "--format", format]);
            args.extend(e2e::sends(Scenario::Simple));
            args.extend(s(&["--until-idle", "0.5", "--timeout", "60"]));
            args.extend(auth.iter().cloned());
            let mut cmd = e2e::bin();
            cmd.args(&args);
            if env {
                cmd.env("ORCHSCOPE_TOKEN", TOKEN);
            }
            let out = cmd.output().expect("run");
            assert_eq!(out.status.code(), Some(0), "{name} validate {format}");
            assert_no_secret(&format!("{name}: validate stdout"), &out.stdout);
            assert_no_secret(&format!("{name}: validate stderr"), &out.stderr);
        }
    }
}

// S3 ------------------------------------------------------------------------------------------

/// Runs `orchscope ARGS` (bounded) and returns (exit code, stderr).
fn run_bounded(args: &[String]) -> (Option<i32>, String) {
    let child = e2e::bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = e2e::wait_bounded(child, Duration::from_secs(60), "orchscope");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn s3_wrong_or_missing_token_is_refused_with_one_plain_line() {
    let url = e2e::server(Scenario::Simple, &[], Some(TOKEN));
    let dir = tempfile::tempdir().expect("tmp");
    let wrong = format!("{TOKEN}-but-wrong");
    for (name, auth) in [
        ("wrong", s(&["--token", &wrong])),
        (
            "wrong subprotocol",
            s(&["--token", &wrong, "--subprotocol-token"]),
        ),
        ("missing", Vec::new()),
    ] {
        for command in ["record", "validate"] {
            let file = dir.path().join(format!("s3-{name}-{command}.jsonl"));
            let mut args = if command == "record" {
                record_args(&url, &file, Scenario::Simple)
            } else {
                let mut a = s(&["validate", &url]);
                a.extend(e2e::sends(Scenario::Simple));
                a
            };
            args.extend(auth.iter().cloned());
            let (code, stderr) = run_bounded(&args);
            assert_eq!(code, Some(2), "{name} {command}: {stderr}");
            let last = stderr.lines().last().unwrap_or_default();
            assert!(last.contains("1008"), "{name} {command}: {stderr}");
            assert!(!stderr.contains(TOKEN), "{name} {command}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }

    // What the server does, seen by a plain client: close code 1008.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        use futures_util::StreamExt;
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
        use tokio_tungstenite::tungstenite::Message;
        for bearer in [Some(wrong.as_str()), None] {
            let mut req = url.as_str().into_client_request().expect("request");
            if let Some(b) = bearer {
                req.headers_mut()
                    .insert("authorization", format!("Bearer {b}").parse().unwrap());
            }
            let (mut ws, _) = tokio_tungstenite::connect_async(req)
                .await
                .expect("connect");
            let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
                .await
                .expect("close in time");
            match msg {
                Some(Ok(Message::Close(Some(frame)))) => {
                    assert_eq!(frame.code, CloseCode::Policy)
                }
                other => panic!("expected a 1008 close, got {other:?}"),
            }
        }
    });
}

// Stopping ------------------------------------------------------------------------------------

#[test]
fn no_reconnect_against_a_closed_port_exits_2_with_one_line() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("none.jsonl");
    let url = format!("ws://127.0.0.1:{port}/ws");
    let (code, stderr) = run_bounded(&s(&[
        "record",
        &url,
        "-o",
        file.to_str().unwrap(),
        "--no-reconnect",
        "--send",
        "hi",
    ]));
    assert_eq!(code, Some(2), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.contains(&url) && last.contains("no frame"), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
}

#[test]
fn timeout_stops_a_capture_and_leaves_a_valid_file() {
    let mut c = e2e::config(Scenario::All, &[], None);
    c.speed = 1.0;
    let (url, _) = e2e::spawn(c);
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("timeout.jsonl");
    let mut args = s(&[
        "record",
        &url,
        "-o",
        file.to_str().unwrap(),
        "--timeout",
        "2",
    ]);
    args.extend(e2e::sends(Scenario::All));
    let (code, stderr) = run_bounded(&args);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("time-out"), "{stderr}");
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.ends_with('\n'));
    let lines = lines(&file);
    assert!(lines.iter().any(|l| l["dir"] == "in"));
    let path = file.to_str().unwrap().to_string();
    let out = e2e::run(&s(&["summary", &path, "--format", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary");
    // Stopped mid-run: the run is left open (the end of the capture marks it aborted).
    let status = summary["runs"][0]["status"].as_str().unwrap_or_default();
    assert!(matches!(status, "running" | "aborted"), "{summary:#}");
    let out = e2e::run(&s(&["validate", &path]));
    assert!(matches!(out.status.code(), Some(0 | 1)), "{out:?}");
}
