//! The real binary on every genuine foreign fixture: `summary --format json` snapshotted per
//! fixture (trees, tool pairs, turns), detection and `--format-in`, an unrecognised first line
//! (exit 2, one line), and context-integrity skipping foreign contexts (they are each agent's
//! own model input, not contexts handed from agent to agent).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn orchscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope")
}

/// Every foreign fixture, as (format dir, path relative to the repository), sorted.
fn fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let base = Path::new(ROOT).join("tests/fixtures/foreign");
    for dir in std::fs::read_dir(&base).expect("fixtures dir").flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        let format = dir.file_name().to_string_lossy().into_owned();
        for f in std::fs::read_dir(dir.path()).expect("format dir").flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            out.push((
                format.clone(),
                format!("tests/fixtures/foreign/{format}/{name}"),
            ));
        }
    }
    out.sort();
    out
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn summary(path: &str, extra: &[&str]) -> Output {
    let mut args = vec!["summary", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(path);
    orchscope(&args)
}

#[test]
fn summary_of_every_foreign_fixture() {
    let all = fixtures();
    assert!(all.len() >= 8, "fixtures missing: {all:?}");
    for (format, path) in all {
        let out = summary(&path, &[]);
        assert_eq!(out.status.code(), Some(0), "{path}: {out:?}");
        assert!(out.stderr.is_empty(), "{path}: {out:?}");
        let doc = json_of(&out);
        assert_eq!(doc["orchscope_summary"], 1);
        assert!(
            !doc["runs"].as_array().unwrap().is_empty(),
            "{path}: no runs"
        );
        // The same document when the detected format is named explicitly.
        let named = summary(&path, &["--format-in", &format]);
        assert_eq!(named.stdout, out.stdout, "{path}: --format-in {format}");
        let stem = Path::new(&path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let name = format!("{format}__{stem}");
        insta::assert_snapshot!(name, String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn format_in_overrides_detection() {
    let path = "tests/fixtures/foreign/langgraph/langgraph_supervisor_handled.jsonl";
    let detected = json_of(&summary(path, &[]));
    assert!(!detected["runs"][0]["agents"].as_array().unwrap().is_empty());
    // Read as bare native frames instead: LangGraph records have `event`, not a native `type`,
    // so no agent is derived.
    let out = summary(path, &["--format-in", "jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let forced = json_of(&out);
    assert_ne!(forced, detected);
    assert_eq!(forced["runs"], serde_json::json!([]));
    // And through validate: every frame is then a frame without a `type`.
    let out = orchscope(&["validate", "--format", "json", "--format-in", "jsonl", path]);
    let report = json_of(&out);
    assert_eq!(report["counts"]["events"], 0);
    let lines = std::fs::read_to_string(Path::new(ROOT).join(path))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(report["counts"]["frames"], lines);
    // A native file forced through an importer gives that importer's (empty) view, no error.
    let native = "tests/fixtures/netra/era-b-session.jsonl";
    let out = summary(native, &["--format-in", "codex"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(json_of(&out)["runs"], serde_json::json!([]));
    // An unknown name is a usage error.
    let out = summary(native, &["--format-in", "Claude-Code"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_first_line_that_is_not_a_json_object_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        ("text.jsonl", b"hello world\n{\"type\":\"agent_started\"}\n"),
        ("array.jsonl", b"[1,2,3]\n{\"type\":\"agent_started\"}\n"),
        ("string.jsonl", b"\"agent_started\"\n"),
        ("binary.jsonl", b"\xff\xfe\x00garbage\n"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.to_str().unwrap();
        for args in [
            &["summary", "--format", "json", path][..],
            &["validate", "--format", "json", path][..],
        ] {
            let out = orchscope(args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {out:?}");
            assert!(out.stdout.is_empty(), "{name} {args:?}: {out:?}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
            assert!(stderr.contains(name), "{name}: {stderr}");
            assert!(stderr.contains("--format-in"), "{name}: {stderr}");
        }
    }
}

#[test]
fn foreign_contexts_are_not_judged_as_hand_offs() {
    for (format, path) in fixtures() {
        let out = orchscope(&["validate", "--format", "json", &path]);
        let report = json_of(&out);
        let rule = report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "context-integrity")
            .unwrap();
        assert_eq!(rule["status"], "skip", "{path}: {rule}");
        assert_eq!(rule["total_findings"], 0, "{path}: {rule}");
        let reason = rule["reason"].as_str().unwrap();
        // The importers that attach each agent's model input say why it is not judged.
        let attaches = matches!(format.as_str(), "langgraph")
            || path.ends_with("openai_agents_trace_callbacks.jsonl");
        if attaches {
            assert!(
                reason.contains("each agent's own model input"),
                "{path}: {reason}"
            );
        } else {
            assert_eq!(reason, "the format carries no agent contexts", "{path}");
        }
    }
    // The summary still shows the model inputs' hashes.
    let doc = json_of(&summary(
        "tests/fixtures/foreign/langgraph/langgraph_supervisor_handled.jsonl",
        &[],
    ));
    assert!(doc["turns"][0]["context_hash"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:")));
}
