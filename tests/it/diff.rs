//! `orchscope diff A B` through the real binary: pairs that regress (a dropped tool result, a
//! rewritten history, a slower run, a different scenario) and pairs that do not (a recording
//! against itself, a repair), the JSON keys, escaping of what producers wrote, and the usage
//! errors (exit 2, one line).

use serde_json::Value;
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn rec(name: &str) -> String {
    format!("{ROOT}/recordings/{name}.jsonl")
}

fn diff(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .arg("diff")
        .args(args)
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope")
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = diff(&all);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code(), doc)
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_recording_against_itself_does_not_regress() {
    let out = diff(&[&rec("ml-cost"), &rec("ml-cost")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("B does not regress against A"));
    let (code, doc) = json(&[&rec("multi-turn"), &rec("multi-turn")]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["regressed"], false);
    assert_eq!(doc["total_differences"], 0);
    assert_eq!(doc["context"], Value::Null);
    assert_eq!(doc["rules"], serde_json::json!([]));
}

#[test]
fn a_dropped_tool_result_regresses_and_the_repair_does_not() {
    let (code, doc) = json(&[&rec("ml-cost"), &rec("drop-tool-result")]);
    assert_eq!(code, Some(1), "{doc:#}");
    assert_eq!(doc["orchscope_diff"], 1);
    assert_eq!(doc["regressed"], true);
    let diffs = doc["differences"].as_array().expect("differences");
    let call = diffs
        .iter()
        .find(|d| d["kind"] == "tool_call")
        .expect("a tool call differs");
    assert_eq!(call["change"], "status");
    assert_eq!(call["a"]["status"], "ok");
    assert_ne!(call["b"]["status"], "ok");
    assert_eq!(call["regression"], true);
    let rule = doc["rules"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "tool-pairing"))
        .expect("tool-pairing changed");
    assert_eq!((&rule["a"], &rule["b"]), (&"pass".into(), &"fail".into()));
    assert_eq!(rule["regression"], true);
    assert!(rule["new_codes"].to_string().contains("tool-pairing/"));

    let (code, doc) = json(&[&rec("drop-tool-result"), &rec("ml-cost")]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(doc["regressed"], false);
    assert!(doc["total_differences"].as_u64() > Some(0));
}

#[test]
fn a_rewritten_history_shows_the_first_diverging_context_and_its_diff() {
    let (code, doc) = json(&[&rec("multi-turn"), &rec("history-rewrite")]);
    assert_eq!(code, Some(1), "context-integrity fails in B");
    let ctx = &doc["context"];
    assert_eq!(ctx["turn"], 3, "{ctx:#}");
    assert_ne!(ctx["a"]["hash"], ctx["b"]["hash"]);
    assert_eq!(ctx["history"]["verdict"], "rewritten");
    assert_eq!(ctx["history"]["first_rewritten"], 0);
    assert_eq!(ctx["changes"][0]["path"], "history[0].response");
    assert_eq!(ctx["changes"][0]["change"], "changed");
    assert!(ctx["changes"][0]["a"].is_string() && ctx["changes"][0]["b"].is_string());
    let out = diff(&[&rec("multi-turn"), &rec("history-rewrite")]);
    assert!(
        text(&out).contains("~ history[0].response"),
        "{}",
        text(&out)
    );
}

#[test]
fn slower_beyond_the_thresholds_regresses_unless_the_thresholds_allow_it() {
    let (code, doc) = json(&[&rec("ml-cost"), &rec("slow")]);
    assert_eq!(code, Some(1));
    assert!(doc["counts"]["slower"].as_u64() > Some(0), "{doc:#}");
    let slower = doc["differences"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["change"] == "slower"))
        .expect("something slower");
    assert_eq!(slower["regression"], true);
    assert!(slower["b"]["ms"].as_i64() > slower["a"]["ms"].as_i64());
    // Thresholds wide enough and the latency rule skipped: nothing left to regress.
    let (code, doc) = json(&[
        &rec("ml-cost"),
        &rec("slow"),
        "--latency-threshold",
        "100000%",
        "--skip",
        "latency",
    ]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(doc["counts"]["slower"], 0);
    assert_eq!(doc["thresholds"]["latency_ratio"], 1000.0);
}

#[test]
fn another_scenario_is_added_and_missing_agents() {
    let (code, doc) = json(&[&rec("simple"), &rec("drop-tool-result")]);
    assert_eq!(code, Some(1), "simple's agent is missing in B");
    let changes: Vec<&str> = doc["differences"]
        .as_array()
        .map(|d| d.iter().filter_map(|d| d["change"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        changes.contains(&"missing") && changes.contains(&"added"),
        "{changes:?}"
    );
    for key in [
        "source",
        "format",
        "frames",
        "runs",
        "agents",
        "tool_calls",
        "turns",
    ] {
        assert!(
            doc["a"].get(key).is_some() && doc["b"].get(key).is_some(),
            "{key}"
        );
    }
}

#[test]
fn stdin_is_one_side_and_what_producers_wrote_is_escaped() {
    let hostile = r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"evil\u001b]0;pwn\u0007"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"evil\u001b]0;pwn\u0007","result":{"status":"failed"}}}
"#;
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["diff", &rec("simple"), "-"])
        .env_remove("ORCHSCOPE_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(hostile.as_bytes()).expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out);
    assert!(shown.contains("evil␛]0;pwn␇"), "{shown}");
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'));
}

#[test]
fn usage_errors_are_one_line_and_exit_2() {
    for args in [
        vec!["/nonexistent/a.jsonl".to_string(), rec("simple")],
        vec!["-".to_string(), "-".to_string()],
        vec![
            rec("simple"),
            rec("simple"),
            "--latency-threshold".into(),
            "-5".into(),
        ],
        vec![rec("simple")],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = diff(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn scenario_pairs_a_dropped_result_regresses_a_retried_tool_does_not() {
    let scenario = |name: &str| format!("{ROOT}/tests/scenarios/{name}.jsonl");
    let (code, doc) = json(&[
        &scenario("tool-pairing--paired-calls-pass"),
        &scenario("tool-pairing--dropped-result-fails"),
    ]);
    assert_eq!(code, Some(1), "{doc:#}");
    assert!(doc["counts"]["regressions"].as_u64() > Some(0));
    let (code, doc) = json(&[
        &scenario("error-recovery--unrecovered-failures-fail"),
        &scenario("error-recovery--retried-tool-passes"),
    ]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(doc["counts"]["regressions"], 0);
    assert_eq!(doc["rules"][0]["id"], "error-recovery");
    assert_eq!(
        (&doc["rules"][0]["a"], &doc["rules"][0]["b"]),
        (&"fail".into(), &"pass".into())
    );
}

/// The top-level `usage` object `summary --format json` gives for a recording.
fn summary_usage(name: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["summary", "--format", "json", &rec(name)])
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("summary json");
    doc["usage"].clone()
}

#[test]
fn usage_is_compared_session_by_session_and_run_by_run() {
    // Against itself: the same usage, nothing changed, no run listed.
    let (_, doc) = json(&[&rec("ml-cost"), &rec("ml-cost")]);
    let u = &doc["usage"];
    assert_eq!(u["a"], u["b"]);
    assert_eq!(u["a"], summary_usage("ml-cost"));
    assert_eq!(u["tokens_change_pct"], 0.0);
    assert_eq!(u["cost_change_pct"], 0.0);
    assert_eq!(u["total_runs_differing"], 0);
    assert_eq!(u["runs"], serde_json::json!([]));
    // Two scenarios: each side is what `summary` says of it, and the change is B's against A's.
    let (_, doc) = json(&[&rec("simple"), &rec("multi-turn")]);
    let u = &doc["usage"];
    let (a, b) = (summary_usage("simple"), summary_usage("multi-turn"));
    assert_eq!((&u["a"], &u["b"]), (&a, &b));
    let tokens = |v: &Value| {
        (v["input_tokens"].as_u64().unwrap() + v["output_tokens"].as_u64().unwrap()) as f64
    };
    let want = (tokens(&b) - tokens(&a)) / tokens(&a) * 100.0;
    let got = u["tokens_change_pct"].as_f64().expect("a change");
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    let cost = |v: &Value| v["cost_usd"].as_f64().expect("priced");
    let want = (cost(&b) - cost(&a)) / cost(&a) * 100.0;
    let got = u["cost_change_pct"].as_f64().expect("a change");
    assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    let runs = u["runs"].as_array().expect("runs");
    assert!(!runs.is_empty());
    assert_eq!(u["total_runs_differing"], runs.len());
    // Run 1 differs only if its usage does; a run only B has is listed with A's side null.
    for r in runs {
        assert_ne!(r["a"], r["b"], "{r}");
    }
    assert_eq!(
        doc["regressed"],
        doc["counts"]["regressions"].as_u64() > Some(0)
    );
    let out = diff(&[&rec("simple"), &rec("multi-turn")]);
    let t = text(&out);
    assert!(
        t.contains("\nusage  A ") && t.contains("\n       B "),
        "{t}"
    );
    assert!(t.contains("% tokens, +") && t.contains("% cost)"), "{t}");
}
