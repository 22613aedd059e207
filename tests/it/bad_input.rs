//! R1 end to end: the bad-input corpus (quality.md) through the real binary, as bare JSONL and
//! inside a recording, each bad line twice between the frames of a small valid run.
//! `validate --format json` and `summary --format json` never panic, exit 0/1 (never 2: the
//! input was read), report every malformed frame at its position (and every unreadable
//! recording line by its line number), and keep every good frame around them.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// The good run: five frames, one agent, one tool call.
const GOOD: [&str; 5] = [
    r#"{"type":"agent_started","payload":{"run_id":"r1","thread_id":"t1","agent_name":"sup","timestamp":"2026-11-23T10:00:00.000Z"}}"#,
    r#"{"type":"agent_thinking","payload":{"run_id":"r1","thread_id":"t1","agent_name":"sup","thought":"plan","timestamp":"2026-11-23T10:00:00.100Z"}}"#,
    r#"{"type":"tool_executing","payload":{"run_id":"r1","thread_id":"t1","agent_name":"sup","tool_name":"query","tool_call_id":"c1","timestamp":"2026-11-23T10:00:00.200Z"}}"#,
    r#"{"type":"tool_completed","payload":{"run_id":"r1","thread_id":"t1","agent_name":"sup","tool_name":"query","tool_call_id":"c1","status":"success","timestamp":"2026-11-23T10:00:00.300Z"}}"#,
    r#"{"type":"agent_completed","payload":{"run_id":"r1","thread_id":"t1","agent_name":"sup","result":{"status":"success","final_answer":"ok"},"timestamp":"2026-11-23T10:00:00.400Z"}}"#,
];

const HEADER: &str = r#"{"orchscope_recording":1,"started_at":"2026-11-23T10:00:00.000Z","source":{"kind":"file"},"title":"bad input","meta":{}}"#;

/// What one bad line must become.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    /// A frame that decodes to no event: `stream-health/malformed` at its position, with this
    /// reason text.
    Malformed(&'static str),
    /// A frame that still decodes to an event (odd values are ignored, never fatal).
    Event,
    /// A recording line that is not a frame: `stream-health/bad-line` with its line number.
    BadLine,
    /// A line of NUL bytes in a file: padding left by a crash, skipped and reported
    /// (`stream-health/padding`), not a frame.
    Padding,
}

fn deep(n: usize) -> String {
    format!("{}{}", "[".repeat(n), "]".repeat(n))
}

fn big_thought(mb: usize) -> String {
    format!(
        r#"{{"type":"agent_thinking","payload":{{"run_id":"r1","agent_name":"sup","thought":"{}"}}}}"#,
        "x".repeat(mb << 20)
    )
}

/// Frames of the R1 corpus that are not valid native events, as they would arrive on the
/// wire (the bytes of one frame, no newline).
fn bad_frames() -> Vec<(&'static str, Vec<u8>, Want)> {
    use Want::*;
    let thinking = |extra: &str| {
        format!(r#"{{"type":"agent_thinking","payload":{{"agent_name":"sup"{extra}}}}}"#)
            .into_bytes()
    };
    vec![
        ("not JSON", b"this is not json".to_vec(), Malformed("not JSON")),
        ("array", b"[1,2,3]".to_vec(), Malformed("not a JSON object")),
        ("string", br#""agent_started""#.to_vec(), Malformed("not a JSON object")),
        ("number", b"42".to_vec(), Malformed("not a JSON object")),
        ("null", b"null".to_vec(), Malformed("not a JSON object")),
        ("no type", br#"{"payload":{"run_id":"r1","agent_name":"sup"}}"#.to_vec(), Malformed("no `type`")),
        ("type not a string", br#"{"type":5,"payload":{"run_id":"r1"}}"#.to_vec(), Malformed("no `type`")),
        ("type null", br#"{"type":null}"#.to_vec(), Malformed("no `type`")),
        (
            "wrong field types",
            thinking(r#","run_id":{},"turn":"two","seq":"x","thread_id":[1],"timestamp":[],"tool_call_id":true,"duration_ms":"slow","context":5,"context_hash":{}"#),
            Event,
        ),
        (
            "wrong payload type",
            br#"{"type":"agent_thinking","payload":"sup","data":[1,2],"run_id":"r1","agent_name":"sup"}"#.to_vec(),
            Event,
        ),
        (
            "numbers beyond i64/f64",
            thinking(r#","run_id":"r1","turn":1e99999,"seq":-99999999999999999999999999999,"duration_ms":123456789012345678901234567890,"timestamp":1e400,"context":{"n":1e99999,"i":-99999999999999999999999999999}"#),
            Event,
        ),
        ("10,000-deep array", deep(10_000).into_bytes(), Malformed("not a JSON object")),
        (
            "10,000-deep payload",
            thinking(&format!(r#","run_id":"r1","deep":{}"#, deep(10_000))),
            Event,
        ),
        (
            "10,000-deep context",
            thinking(&format!(r#","run_id":"r1","context":{}"#, deep(10_000))),
            Event,
        ),
        ("20 MB frame", big_thought(20).into_bytes(), Event),
        (
            "20 MB of garbage",
            vec![b'x'; 20 << 20],
            Malformed("not JSON"),
        ),
        ("invalid UTF-8, bare", b"\xc3\x28 not utf-8 \xff\xfe".to_vec(), Malformed("not JSON")),
        ("raw NUL", b"{\"type\":\"agent_thinking\0\"}".to_vec(), Malformed("not JSON")),
        ("raw ESC", b"{\"type\":\"agent_thinking\x1b[2J\"}".to_vec(), Malformed("not JSON")),
        ("NUL bytes only", b"\0\0\0".to_vec(), Malformed("not JSON")),
        (
            "escaped NUL and escapes",
            thinking(r##","run_id":"r1","thought":"\u0000\u001b[2J\u001b]0;x\u0007 \" \\ \ud83d\ude00""##),
            Event,
        ),
        (
            // Valid JSON (RFC 8259 allows unpaired surrogates); the field is ignored.
            "lone surrogate escape",
            thinking(r##","run_id":"r1","thread_id":"\ud800","thought":"\udc00 \ud800""##),
            Event,
        ),
        ("truncated line", br#"{"type":"agent_thinking","payload":{"run_"#.to_vec(), Malformed("not JSON")),
        ("truncated string", br#"{"type":"agent_thin"#.to_vec(), Malformed("not JSON")),
    ]
}

fn orchscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope")
}

/// Runs `validate` and `summary` on `path`: both exit 0/1 without a panic; the report and the
/// summary documents.
fn run_both(path: &Path, what: &str) -> (Value, Value) {
    let path = path.to_str().unwrap();
    let mut docs = Vec::new();
    for cmd in ["validate", "summary"] {
        let out = orchscope(&[cmd, "--format", "json", path]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
            "{what}: {cmd} panicked: {stderr}"
        );
        let code = out.status.code();
        let ok = if cmd == "validate" {
            matches!(code, Some(0 | 1))
        } else {
            code == Some(0)
        };
        assert!(ok, "{what}: {cmd} exited {code:?}: {stderr}");
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{what}: {cmd} printed no JSON ({e}): {stderr}"));
        docs.push(doc);
    }
    let summary = docs.pop().unwrap();
    (docs.pop().unwrap(), summary)
}

fn findings<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .filter(|f| f["code"] == code)
        .collect()
}

/// The good run is whole: one run, its agent and its tool call, all completed.
fn assert_good_run_kept(report: &Value, summary: &Value, what: &str) {
    let c = &report["counts"];
    assert_eq!(
        (&c["runs"], &c["agents"], &c["tool_calls"]),
        (&Value::from(1), &Value::from(1), &Value::from(1)),
        "{what}: {c}"
    );
    let runs = summary["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{what}: {summary}");
    let run = &runs[0];
    assert_eq!(run["run_id"], "r1", "{what}");
    assert_eq!(run["status"], "completed", "{what}: {run}");
    assert_eq!(run["agents"][0]["id"], "r1/sup", "{what}: {run}");
    assert_eq!(run["agents"][0]["status"], "completed", "{what}: {run}");
    let call = &run["tool_calls"][0];
    assert_eq!(
        (&call["call_id"], &call["status"], &call["pairing"]),
        (
            &Value::from("c1"),
            &Value::from("ok"),
            &Value::from("explicit")
        ),
        "{what}: {call}"
    );
    for rule in ["tool-pairing", "lifecycle", "hierarchy"] {
        let r = report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == rule)
            .unwrap();
        assert_ne!(r["status"], "fail", "{what}: {r}");
    }
}

/// Checks one file holding the good run with the bad thing twice: after frame 0 and after
/// frame 3 of the run (bad frame positions 1 and 5, or recording lines `bad_lines`).
fn check(path: &Path, what: &str, want: Want, bad_lines: [usize; 2]) {
    let (report, summary) = run_both(path, what);
    let c = &report["counts"];
    let (frames, events) = match want {
        Want::Malformed(_) => (7, 5),
        Want::Event => (7, 7),
        Want::BadLine | Want::Padding => (5, 5),
    };
    assert_eq!(c["frames"], frames, "{what}: {c}");
    assert_eq!(c["events"], events, "{what}: {c}");
    assert_good_run_kept(&report, &summary, what);
    let malformed = findings(&report, "stream-health/malformed");
    let bad = findings(&report, "stream-health/bad-line");
    match want {
        Want::Malformed(reason) => {
            let at: Vec<&Value> = malformed.iter().map(|f| &f["frames"]).collect();
            assert_eq!(
                at,
                [&serde_json::json!([1]), &serde_json::json!([5])],
                "{what}"
            );
            for f in &malformed {
                assert_eq!(f["severity"], "error", "{what}");
                let msg = f["message"].as_str().unwrap();
                assert!(msg.ends_with(reason), "{what}: {msg}");
            }
            assert!(bad.is_empty(), "{what}: {bad:?}");
        }
        Want::Event => {
            assert!(malformed.is_empty(), "{what}: {malformed:?}");
            assert!(bad.is_empty(), "{what}: {bad:?}");
        }
        Want::Padding => {
            assert!(malformed.is_empty(), "{what}: {malformed:?}");
            assert_eq!(
                findings(&report, "stream-health/padding").len(),
                2,
                "{what}"
            );
        }
        Want::BadLine => {
            assert!(malformed.is_empty(), "{what}: {malformed:?}");
            assert_eq!(bad.len(), 2, "{what}: {report}");
            for (f, line) in bad.iter().zip(bad_lines) {
                let msg = f["message"].as_str().unwrap();
                assert!(
                    msg.starts_with(&format!("recording line {line} ")),
                    "{what}: {msg}"
                );
            }
        }
    }
    // Not the error a bad file is: nothing cut short, no import problems.
    assert!(
        findings(&report, "stream-health/truncated-tail").is_empty(),
        "{what}"
    );
}

/// `good` lines with `bad` after the first and the fourth.
fn interleave(bad: &[u8], good: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, g) in good.iter().enumerate() {
        out.extend_from_slice(g.as_bytes());
        out.push(b'\n');
        if i == 0 || i == 3 {
            out.extend_from_slice(bad);
            out.push(b'\n');
        }
    }
    out
}

fn good_bare() -> Vec<String> {
    GOOD.iter().map(|g| g.to_string()).collect()
}

fn good_recorded() -> Vec<String> {
    GOOD.iter()
        .enumerate()
        .map(|(i, g)| format!(r#"{{"t":{}.5,"dir":"in","frame":{g}}}"#, i))
        .collect()
}

fn with_header(body: Vec<u8>) -> Vec<u8> {
    let mut out = format!("{HEADER}\n").into_bytes();
    out.extend(body);
    out
}

#[test]
fn bare_jsonl_bad_frames_are_reported_and_the_run_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (what, bad, want)) in bad_frames().into_iter().enumerate() {
        let path = dir.path().join(format!("bare-{i}.jsonl"));
        std::fs::write(&path, interleave(&bad, &good_bare())).unwrap();
        let want = if bad.iter().all(|&b| b == 0) {
            Want::Padding
        } else {
            want
        };
        check(&path, &format!("bare: {what}"), want, [0, 0]);
        std::fs::remove_file(&path).unwrap();
    }
}

/// A bad frame as a recording line: JSON values as `frame`, everything else as `text`.
fn recorded_frame(bad: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bad).ok()?;
    let line = if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
        || text.starts_with("[[[")
        || text.contains(r#""deep":[[["#)
        || text.contains(r#""context":[[["#)
    {
        format!(r#"{{"t":0.7,"dir":"in","frame":{text}}}"#)
    } else {
        format!(
            r#"{{"t":0.7,"dir":"in","text":{}}}"#,
            serde_json::to_string(text).unwrap()
        )
    };
    Some(line.into_bytes())
}

#[test]
fn recorded_bad_frames_are_reported_and_the_run_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (what, bad, want)) in bad_frames().into_iter().enumerate() {
        let Some(line) = recorded_frame(&bad) else {
            continue; // Invalid UTF-8 cannot be a recorded frame: a bad line, below.
        };
        let path = dir.path().join(format!("rec-{i}.jsonl"));
        std::fs::write(&path, with_header(interleave(&line, &good_recorded()))).unwrap();
        check(&path, &format!("recording: {what}"), want, [0, 0]);
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn bad_recording_lines_are_reported_by_line_and_skipped() {
    let lines: Vec<(&str, Vec<u8>)> = vec![
        ("not JSON", b"this is not json".to_vec()),
        ("array", b"[1,2,3]".to_vec()),
        ("empty object", b"{}".to_vec()),
        (
            "t not a number",
            br#"{"t":"soon","dir":"in","frame":{"type":"x"}}"#.to_vec(),
        ),
        (
            "t beyond f64",
            br#"{"t":1e99999,"dir":"in","frame":{"type":"x"}}"#.to_vec(),
        ),
        (
            "unknown dir",
            br#"{"t":1,"dir":"sideways","frame":{"type":"x"}}"#.to_vec(),
        ),
        (
            "dir not a string",
            br#"{"t":1,"dir":7,"frame":{"type":"x"}}"#.to_vec(),
        ),
        (
            "two bodies",
            br#"{"t":1,"dir":"in","frame":{"type":"x"},"text":"y"}"#.to_vec(),
        ),
        (
            "bad base64",
            br#"{"t":1,"dir":"in","binary":"***"}"#.to_vec(),
        ),
        ("unknown link", br#"{"t":1,"link":"teleported"}"#.to_vec()),
        (
            "truncated",
            br#"{"t":1,"dir":"in","frame":{"type":"agent_thin"#.to_vec(),
        ),
        (
            "invalid UTF-8",
            b"{\"t\":1,\"dir\":\"in\",\"text\":\"\xff\xfe\"}".to_vec(),
        ),
        (
            "raw NUL",
            b"{\"t\":1,\"dir\":\"in\",\"text\":\"a\0b\"}".to_vec(),
        ),
        ("10,000-deep line", deep(10_000).into_bytes()),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, (what, bad)) in lines.into_iter().enumerate() {
        let path = dir.path().join(format!("line-{i}.jsonl"));
        std::fs::write(&path, with_header(interleave(&bad, &good_recorded()))).unwrap();
        // Header 1, good 2, bad 3, good 4–6, bad 7, good 8.
        check(
            &path,
            &format!("recording line: {what}"),
            Want::BadLine,
            [3, 7],
        );
    }
}

#[test]
fn a_20_mb_recorded_frame_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let line = format!(r#"{{"t":0.7,"dir":"in","frame":{}}}"#, big_thought(20));
    std::fs::write(
        &path,
        with_header(interleave(line.as_bytes(), &good_recorded())),
    )
    .unwrap();
    check(&path, "recording: 20 MB frame", Want::Event, [0, 0]);
}

#[test]
fn a_cut_off_last_line_is_a_warning_only() {
    let dir = tempfile::tempdir().unwrap();
    for (what, body) in [
        ("bare", interleave(b"", &good_bare())),
        ("recording", with_header(interleave(b"", &good_recorded()))),
    ] {
        // The good run with two blank lines (skipped), then a line cut short by a crash.
        let mut bytes = body;
        bytes.extend_from_slice(br#"{"type":"agent_thinking","payload":{"run_id":"r1","agent_na"#);
        let path = dir.path().join(format!("{what}.jsonl"));
        std::fs::write(&path, &bytes).unwrap();
        let (report, summary) = run_both(&path, what);
        assert_eq!(report["counts"]["frames"], 5, "{what}");
        assert_eq!(report["counts"]["events"], 5, "{what}");
        assert_good_run_kept(&report, &summary, what);
        let tail = findings(&report, "stream-health/truncated-tail");
        assert_eq!(tail.len(), 1, "{what}: {report}");
        assert_eq!(tail[0]["severity"], "warn");
        let last = bytes.split(|&b| b == b'\n').count();
        assert!(
            tail[0]["message"]
                .as_str()
                .unwrap()
                .contains(&format!("({last})")),
            "{what}: {}",
            tail[0]["message"]
        );
        assert!(findings(&report, "stream-health/malformed").is_empty());
    }
}

#[test]
fn empty_files_are_an_error_and_header_only_recordings_validate_with_counts_zero() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing to read at all: one line saying so, exit 2 (never "no runs" and a pass).
    let empty: [(&str, &[u8]); 3] = [
        ("empty", b""),
        ("blank lines", b"\n\n  \n"),
        ("comments", b"# nothing yet\n"),
    ];
    for (what, bytes) in empty {
        let path = dir.path().join(format!("{}.jsonl", what.replace(' ', "_")));
        std::fs::write(&path, bytes).unwrap();
        for cmd in ["validate", "summary"] {
            let out = orchscope(&[cmd, "--format", "json", path.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{what}: {cmd}: {stderr}");
            assert!(out.stdout.is_empty(), "{what}: {cmd}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{what}: {stderr}");
            assert!(stderr.contains("empty file"), "{what}: {stderr}");
        }
    }
    // A recording that has its header and nothing else yet is a valid, empty session.
    let cases: [(&str, Vec<u8>); 2] = [
        ("header only", format!("{HEADER}\n").into_bytes()),
        ("header, no newline", HEADER.as_bytes().to_vec()),
    ];
    for (what, bytes) in cases {
        let path = dir
            .path()
            .join(format!("{}.jsonl", what.replace([' ', ','], "_")));
        std::fs::write(&path, bytes).unwrap();
        let (report, summary) = run_both(&path, what);
        let c = &report["counts"];
        for key in ["frames", "events", "runs", "agents", "tool_calls", "turns"] {
            assert_eq!(c[key], 0, "{what}: {key} in {c}");
        }
        assert_eq!(summary["runs"], serde_json::json!([]), "{what}");
        assert_eq!(summary["turns"], serde_json::json!([]), "{what}");
        assert!(
            findings(&report, "stream-health/malformed").is_empty(),
            "{what}"
        );
        assert!(
            findings(&report, "stream-health/bad-line").is_empty(),
            "{what}"
        );
    }
}

#[test]
fn a_byte_order_mark_does_not_hide_the_format() {
    let dir = tempfile::tempdir().unwrap();
    let bare = interleave(b"this is not json", &good_bare());
    let recording = with_header(interleave(b"this is not json", &good_recorded()));
    for (what, body, want, lines) in [
        ("bare", bare, Want::Malformed("not JSON"), [0, 0]),
        ("recording", recording, Want::BadLine, [3, 7]),
    ] {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(body);
        let path = dir.path().join(format!("bom-{what}.jsonl"));
        std::fs::write(&path, bytes).unwrap();
        check(&path, &format!("BOM, {what}"), want, lines);
    }
}

#[test]
fn the_inspector_without_a_terminal_says_so_and_names_the_command_that_needs_none() {
    let cases: [(&[&str], &str); 3] = [
        (
            &["replay", "recordings/simple.jsonl"],
            "orchscope validate FILE",
        ),
        (
            &["connect", "ws://127.0.0.1:9/ws"],
            "orchscope record URL -o FILE",
        ),
        (&["demo", "--no-record"], "orchscope serve"),
    ];
    for (args, instead) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("ORCHSCOPE_CONFIG")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("needs a terminal"), "{args:?}: {err}");
        assert!(err.contains(instead), "{args:?}: {err}");
    }
}

#[test]
fn the_same_rule_picked_and_skipped_is_a_usage_error_and_each_alone_is_not() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_orchscope"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("ORCHSCOPE_CONFIG")
            .output()
            .expect("run")
    };
    let file = "recordings/simple.jsonl";
    for command in ["validate", "diff"] {
        let mut args = vec![command, "--rule", "latency", "--skip", "latency", file];
        if command == "diff" {
            args.push(file);
        }
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert_eq!(err.lines().count(), 1, "{command}: {err}");
        assert!(
            err.contains("--rule latency and --skip latency"),
            "{command}: {err}"
        );
    }
    let picked = run(&["validate", "--rule", "latency", "--skip", "lifecycle", file]);
    assert_eq!(picked.status.code(), Some(0), "{picked:?}");
    let skipped = run(&["validate", "--skip", "latency", file]);
    assert_eq!(skipped.status.code(), Some(0), "{skipped:?}");
}
