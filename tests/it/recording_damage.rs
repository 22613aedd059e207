//! A damaged recording keeps its frames: a missing, damaged or foreign header, a header with
//! odd values, NUL padding before a line and a recording cut off mid-run, each made from a
//! recording orchscope wrote, read through the real binary. The header problem and the cut are
//! reported by `stream-health`; the undamaged file is the control.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn original() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings/simple.jsonl");
    std::fs::read_to_string(path).expect("the shipped recording")
}

/// `validate --format json` on `bytes` written to a file: the report.
fn validate(dir: &Path, name: &str, bytes: &[u8]) -> Value {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["validate", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn stream_codes(report: &Value) -> Vec<String> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"] == "stream-health")
        .flat_map(|r| r["findings"].as_array().unwrap().clone())
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The original with its first line replaced by `header` (or dropped when `None`).
fn with_header(header: Option<&str>) -> String {
    let text = original();
    let (_, rest) = text.split_once('\n').unwrap();
    match header {
        Some(h) => format!("{h}\n{rest}"),
        None => rest.to_owned(),
    }
}

#[test]
fn a_damaged_header_keeps_every_frame_and_says_what_was_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let good = validate(dir.path(), "good.jsonl", original().as_bytes());
    let frames = good["counts"]["frames"].as_u64().unwrap();
    assert!(frames > 5);
    assert!(stream_codes(&good).is_empty(), "the control is clean");
    let header = original().lines().next().unwrap().to_owned();
    let one_byte = {
        // One byte of the header flipped, inside the key and inside a value.
        let mut b = header.clone().into_bytes();
        b[5] ^= 0x01;
        String::from_utf8(b).unwrap()
    };
    let cases: Vec<(&str, Option<String>)> = vec![
        ("no header (tail -n +2)", None),
        ("one byte flipped in the key", Some(one_byte)),
        (
            "a quote lost",
            Some(header.replacen("\"started_at\":\"", "\"started_at\":", 1)),
        ),
        (
            "a lone surrogate",
            Some(header.replacen('{', "{\"title\":\"\\ud800\",", 1)),
        ),
        (
            "a number beyond f64",
            Some(header.replacen("\"meta\":{}", "\"meta\":{\"n\":1e400}", 1)),
        ),
        (
            "a future version",
            Some(header.replacen("\"orchscope_recording\":1", "\"orchscope_recording\":2", 1)),
        ),
    ];
    for (what, header) in cases {
        let text = with_header(header.as_deref());
        let report = validate(dir.path(), "damaged.jsonl", text.as_bytes());
        assert_eq!(report["format"], "orchscope", "{what}");
        assert_eq!(report["counts"]["frames"].as_u64(), Some(frames), "{what}");
        assert_eq!(report["counts"]["runs"], good["counts"]["runs"], "{what}");
        assert_eq!(stream_codes(&report), ["stream-health/header"], "{what}");
    }
}

#[test]
fn nul_padding_before_a_line_keeps_its_frame() {
    let dir = tempfile::tempdir().unwrap();
    let good = validate(dir.path(), "good.jsonl", original().as_bytes());
    let mut lines: Vec<String> = original().lines().map(str::to_owned).collect();
    lines[3] = format!("\0\0\0\0{}", lines[3]);
    let report = validate(dir.path(), "padded.jsonl", lines.join("\n").as_bytes());
    assert_eq!(report["counts"], good["counts"]);
    assert_eq!(stream_codes(&report), ["stream-health/padding"]);
}

#[test]
fn a_recording_cut_off_mid_run_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let whole = validate(dir.path(), "whole.jsonl", original().as_bytes());
    assert!(!stream_codes(&whole).contains(&"stream-health/ended-mid-run".to_owned()));
    let text = original();
    let lines: Vec<&str> = text.lines().collect();
    // Cut after the first agent event: the run is open.
    let cut_at = lines
        .iter()
        .position(|l| l.contains("agent_started"))
        .unwrap();
    let cut = lines[..=cut_at].join("\n") + "\n";
    let report = validate(dir.path(), "cut.jsonl", cut.as_bytes());
    assert_eq!(stream_codes(&report), ["stream-health/ended-mid-run"]);
    let stream = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "stream-health")
        .unwrap();
    assert_eq!(stream["status"], "warn");
}
