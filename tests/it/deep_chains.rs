//! No input-controlled depth is recursed on: a 25,000-deep parent chain, in orchscope's own
//! protocol and as OTLP spans, goes through `summary` (text and JSON) and `validate` like a flat
//! tree of the same agents, and the text tree draws the deepest agent with its depth instead of
//! 25,000 levels of indentation.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const N: usize = 25_000;

fn run(args: &[&str], path: &Path) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Agents `a0…` in one chain (`deep`) or all children of `a0`, in the protocol.
fn protocol(path: &Path, deep: bool) {
    let mut text = String::new();
    for i in 0..N {
        let parent = match (i, deep) {
            (0, _) => String::new(),
            (_, true) => format!(r#","parent_agent_id":"a{}""#, i - 1),
            (_, false) => r#","parent_agent_id":"a0""#.to_owned(),
        };
        text.push_str(&format!(
            "{{\"type\":\"agent_started\",\"payload\":{{\"run_id\":\"r1\",\"agent_name\":\"a{i}\",\"agent_id\":\"a{i}\"{parent}}}}}\n"
        ));
    }
    for i in (0..N).rev() {
        text.push_str(&format!(
            "{{\"type\":\"agent_completed\",\"payload\":{{\"run_id\":\"r1\",\"agent_name\":\"a{i}\",\"agent_id\":\"a{i}\"}}}}\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// The same as OTLP JSON lines: `invoke_agent` spans, each the child of the one before.
fn otlp(path: &Path, deep: bool) {
    let mut text = String::new();
    for i in 0..N {
        let parent = match (i, deep) {
            (0, _) => String::new(),
            (_, true) => format!(r#","parentSpanId":"{:016x}""#, i - 1),
            (_, false) => format!(r#","parentSpanId":"{:016x}""#, 0),
        };
        text.push_str(&format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"0000000000000000000000000000abcd","spanId":"{i:016x}"{parent},"name":"invoke_agent a{i}","startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"invoke_agent"}}}},{{"key":"gen_ai.agent.name","value":{{"stringValue":"a{i}"}}}}]}}]}}]}}]}}"#,
            1_795_435_200_000_000_000u64 + i as u64 * 1000,
            1_795_435_300_000_000_000u64 - i as u64 * 1000,
        ));
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

fn check(make: fn(&Path, bool), what: &str) {
    let dir = tempfile::tempdir().unwrap();
    for deep in [true, false] {
        let path = dir.path().join(format!("{what}-{deep}.jsonl"));
        make(&path, deep);
        let summary: Value =
            serde_json::from_slice(&run(&["summary", "--format", "json"], &path).stdout).unwrap();
        let agents = summary["runs"][0]["agents"].as_array().map(Vec::len);
        assert_eq!(agents, Some(N), "{what} deep={deep}");
        let report: Value =
            serde_json::from_slice(&run(&["validate", "--format", "json"], &path).stdout).unwrap();
        let hierarchy = report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "hierarchy")
            .unwrap();
        assert_ne!(
            hierarchy["status"], "fail",
            "{what} deep={deep}: {hierarchy}"
        );
        let text = String::from_utf8(run(&["summary"], &path).stdout).unwrap();
        let last = format!(" a{} ", N - 1);
        let row = text.lines().find(|l| l.contains(&last)).unwrap();
        if deep {
            // 24 levels drawn, the rest counted.
            assert!(row.contains(&format!("⋯{} ", N - 1 - 24)), "{row}");
            assert!(row.chars().count() < 200, "{row}");
        } else {
            assert!(row.starts_with("  └─ "), "{row}");
        }
    }
}

#[test]
fn a_deep_protocol_chain_is_read_and_drawn_without_recursion() {
    check(protocol, "protocol");
}

#[test]
fn a_deep_otlp_chain_is_read_and_drawn_without_recursion() {
    check(otlp, "otlp");
}
