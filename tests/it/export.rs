//! `orchscope export` and `validate --otlp-export` against receivers of our own on 127.0.0.1:
//! what arrives is decoded with opentelemetry-proto and checked against the source's
//! `summary --format json` (every agent and call, parents, names, attributes, timestamps),
//! ids are the same on a second export, failures carry ERROR and error.type, an unreachable
//! collector is exit 2 in one line, a header value is never shown, and every verdict arrives
//! as a linked `gen_ai.evaluation.result` log record and span event.

use crate::export_support::{attr, spans_of, start_grpc, Got, HttpReceiver};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use std::process::{Command, Output};
use std::sync::Arc;

/// 2026-11-23T10:00:00Z in ns.
const T0: u64 = 1_795_428_000_000_000_000;
const SECRET: &str = "Bearer otlp-S3cret-77";

const SESSION: &str = r#"{"type":"agent_started","timestamp":"2026-11-23T10:00:00.000Z","payload":{"run_id":"r1","thread_id":"t1","agent_name":"sup","agent_id":"s"}}
{"type":"agent_started","timestamp":"2026-11-23T10:00:01.000Z","payload":{"run_id":"r1","thread_id":"t1","agent_name":"data","agent_id":"d","parent_agent_id":"s"}}
{"type":"tool_executing","timestamp":"2026-11-23T10:00:02.000Z","payload":{"run_id":"r1","agent_name":"data","agent_id":"d","tool_name":"query","tool_call_id":"c1"}}
{"type":"tool_completed","timestamp":"2026-11-23T10:00:03.500Z","payload":{"run_id":"r1","agent_name":"data","agent_id":"d","tool_name":"query","tool_call_id":"c1","result":{"status":"error"}}}
{"type":"tool_executing","timestamp":"2026-11-23T10:00:04.000Z","payload":{"run_id":"r1","agent_name":"data","agent_id":"d","tool_name":"query","tool_call_id":"c2"}}
{"type":"tool_completed","timestamp":"2026-11-23T10:00:05.000Z","payload":{"run_id":"r1","agent_name":"data","agent_id":"d","tool_name":"query","tool_call_id":"c2"}}
{"type":"agent_completed","timestamp":"2026-11-23T10:00:06.000Z","payload":{"run_id":"r1","agent_id":"d"}}
{"type":"agent_started","timestamp":"2026-11-23T10:00:07.000Z","payload":{"run_id":"r1","thread_id":"t1","agent_name":"billing","agent_id":"b","parent_agent_id":"s","handoff_from":"d"}}
{"type":"agent_completed","timestamp":"2026-11-23T10:00:08.000Z","payload":{"run_id":"r1","agent_id":"b"}}
{"type":"agent_completed","timestamp":"2026-11-23T10:00:09.000Z","payload":{"run_id":"r1","agent_id":"s"}}
"#;

fn orchscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run orchscope")
}

fn session_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("session.jsonl");
    std::fs::write(&path, SESSION).expect("write");
    (dir, path.display().to_string())
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn by_attr<'a>(spans: &'a [Span], key: &str, value: &str) -> &'a Span {
    let found = spans
        .iter()
        .find(|s| attr(&s.attributes, key) == Some(value));
    found.unwrap_or_else(|| panic!("no span with {key}={value}"))
}

/// The span tree matches the summary: every agent and call, parents, names, attributes.
fn check_against_summary(spans: &[Span], file: &str) {
    let out = orchscope(&["summary", "--format", "json", file]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary json");
    let run = &summary["runs"][0];
    let agents = run["agents"].as_array().expect("agents");
    let calls = run["tool_calls"].as_array().expect("calls");
    assert_eq!(spans.len(), agents.len() + calls.len());
    let trace = &spans[0].trace_id;
    assert!(
        spans.iter().all(|s| &s.trace_id == trace),
        "one trace per run"
    );
    for a in agents {
        let span = by_attr(spans, "gen_ai.agent.id", a["id"].as_str().expect("id"));
        let name = a["name"].as_str().expect("name");
        assert_eq!(span.name, format!("invoke_agent {name}"));
        assert_eq!(
            attr(&span.attributes, "gen_ai.operation.name"),
            Some("invoke_agent")
        );
        assert_eq!(attr(&span.attributes, "gen_ai.agent.name"), Some(name));
        assert_eq!(
            attr(&span.attributes, "gen_ai.conversation.id"),
            run["thread_id"].as_str()
        );
        match a["parent"].as_str() {
            Some(p) => assert_eq!(
                span.parent_span_id,
                by_attr(spans, "gen_ai.agent.id", p).span_id
            ),
            None => assert!(span.parent_span_id.is_empty()),
        }
        if let Some(h) = a["handoff_from"].as_str() {
            let from = by_attr(spans, "gen_ai.agent.id", h);
            assert_eq!(span.links.len(), 1);
            assert_eq!(span.links[0].span_id, from.span_id);
            assert_eq!(
                attr(&span.attributes, "orchscope.handoff.from.agent.id"),
                Some(h)
            );
        }
    }
    for c in calls {
        let span = by_attr(
            spans,
            "gen_ai.tool.call.id",
            c["call_id"].as_str().expect("call id"),
        );
        let tool = c["tool"].as_str().expect("tool");
        assert_eq!(span.name, format!("execute_tool {tool}"));
        assert_eq!(attr(&span.attributes, "gen_ai.tool.name"), Some(tool));
        let agent = by_attr(
            spans,
            "gen_ai.agent.id",
            c["agent"].as_str().expect("agent"),
        );
        assert_eq!(span.parent_span_id, agent.span_id);
        let failed = c["status"] == "error";
        assert_eq!(
            span.status.as_ref().map(|s| s.code),
            failed.then_some(2),
            "{}",
            span.name
        );
        assert_eq!(attr(&span.attributes, "error.type").is_some(), failed);
    }
}

#[test]
fn export_over_http_gives_the_summarys_tree_at_the_original_times_with_stable_ids() {
    let (_dir, file) = session_file();
    let recv = HttpReceiver::start(Vec::new());
    let out = orchscope(&[
        "export",
        &file,
        "--otlp",
        &recv.url,
        "--otlp-header",
        &format!("Authorization: {SECRET}"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("exported 5 spans"), "{}", text(&out));
    assert!(!text(&out).contains("S3cret"));
    let posts = recv.posts();
    assert!(posts
        .iter()
        .all(|p| p.path == "/v1/traces" && p.head.contains("otlp-S3cret-77")));
    assert!(posts[0]
        .head
        .to_ascii_lowercase()
        .contains("content-type: application/x-protobuf"));
    let spans = recv.spans();
    check_against_summary(&spans, &file);
    let sup = by_attr(&spans, "gen_ai.agent.id", "s");
    assert_eq!(
        (sup.start_time_unix_nano, sup.end_time_unix_nano),
        (T0, T0 + 9_000_000_000)
    );
    let c1 = by_attr(&spans, "gen_ai.tool.call.id", "c1");
    assert_eq!(
        (c1.start_time_unix_nano, c1.end_time_unix_nano),
        (T0 + 2_000_000_000, T0 + 3_500_000_000)
    );
    let again = HttpReceiver::start(Vec::new());
    let out = orchscope(&["export", &file, "--otlp", &again.url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let ids = |s: &[Span]| {
        s.iter()
            .map(|s| (s.trace_id.clone(), s.span_id.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&spans), ids(&again.spans()));
}

#[test]
fn export_over_grpc_sends_the_same_spans_with_the_header_as_metadata() {
    let (_dir, file) = session_file();
    let http = HttpReceiver::start(Vec::new());
    assert_eq!(
        orchscope(&["export", &file, "--otlp", &http.url])
            .status
            .code(),
        Some(0)
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let got = Arc::new(Got::default());
    let url = rt.block_on(start_grpc(got.clone()));
    let out = orchscope(&[
        "export",
        &file,
        "--otlp-grpc",
        &url,
        "--otlp-header",
        &format!("authorization: {SECRET}"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!text(&out).contains("S3cret"));
    let spans: Vec<Span> = got
        .traces
        .lock()
        .expect("lock")
        .iter()
        .flat_map(spans_of)
        .collect();
    check_against_summary(&spans, &file);
    assert_eq!(spans, http.spans(), "both transports carry the same spans");
    assert!(got.metadata.lock().expect("lock")[0].contains("otlp-S3cret-77"));
}

#[test]
fn a_partial_rejection_is_exit_1_with_the_collectors_message() {
    let (_dir, file) = session_file();
    let answer = ExportTraceServiceResponse {
        partial_success: Some(ExportTracePartialSuccess {
            rejected_spans: 2,
            error_message: "span too old".into(),
        }),
    };
    let recv = HttpReceiver::start(answer.encode_to_vec());
    let out = orchscope(&["export", &file, "--otlp", &recv.url]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rejected 2 of them: span too old"));
}

#[test]
fn an_endpoint_that_refuses_is_exit_2_in_one_line_without_the_header() {
    let (_dir, file) = session_file();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    for flag in ["--otlp", "--otlp-grpc"] {
        let url = format!("http://127.0.0.1:{port}");
        let out = orchscope(&[
            "export",
            &file,
            flag,
            &url,
            "--otlp-header",
            &format!("Authorization: {SECRET}"),
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("cannot reach"), "{err}");
        assert!(!text(&out).contains("S3cret"));
    }
    let out = orchscope(&["export", &file]);
    assert_eq!(out.status.code(), Some(2));
    let out = orchscope(&["export", &file, "--otlp", "ftp://x"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn validate_sends_one_linked_evaluation_result_per_verdict_and_the_same_as_span_events() {
    let (_dir, file) = session_file();
    let recv = HttpReceiver::start(Vec::new());
    let report = orchscope(&["validate", "--format", "json", &file]);
    let out = orchscope(&[
        "validate",
        "--format",
        "json",
        &file,
        "--otlp-export",
        &recv.url,
    ]);
    assert_eq!(out.status.code(), report.status.code(), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report json");
    let rules: Vec<_> = doc["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["status"] != "skip")
        .collect();
    let logs = recv.logs();
    let spans = recv.spans();
    assert_eq!(logs.len(), rules.len());
    for rule in rules {
        let name = format!("orchscope.{}", rule["id"].as_str().expect("id"));
        let log = logs
            .iter()
            .find(|l| attr(&l.attributes, "gen_ai.evaluation.name") == Some(&name))
            .expect("log");
        assert_eq!(log.event_name, "gen_ai.evaluation.result");
        assert_eq!(
            attr(&log.attributes, "gen_ai.evaluation.score.label"),
            rule["status"].as_str()
        );
        assert!(attr(&log.attributes, "gen_ai.evaluation.explanation").is_some());
        let span = spans
            .iter()
            .find(|s| s.span_id == log.span_id && s.trace_id == log.trace_id)
            .expect("linked span");
        let event = span
            .events
            .iter()
            .find(|e| attr(&e.attributes, "gen_ai.evaluation.name") == Some(&name));
        assert!(event.is_some(), "{name} as a span event");
    }
    let failing: Vec<_> = logs
        .iter()
        .filter(|l| attr(&l.attributes, "gen_ai.evaluation.score.label") == Some("fail"))
        .collect();
    assert!(!failing.is_empty());
}
