//! Decoder tests: every dialect of protocol.md and the bad inputs of quality.md R1.

use super::*;

fn dec(text: &str) -> (Decoded, Interner) {
    let mut i = Interner::default();
    (decode(text, &mut i), i)
}

fn event(text: &str) -> (Event, Interner) {
    match dec(text) {
        (Decoded::Event(e), i) => (*e, i),
        (other, _) => panic!("expected an event, got {other:?} for {text}"),
    }
}

fn name(i: &Interner, s: Option<crate::core::intern::Sym>) -> Option<&str> {
    s.map(|s| i.resolve(s))
}

#[test]
fn native_shape() {
    let (e, i) = event(
        r#"{"type": "tool_executing", "timestamp": "2026-11-23T10:00:01.234Z",
        "payload": {"run_id": "run-42", "thread_id": "thread-7", "user_id": "u-1", "turn": 2, "seq": 17,
        "agent_name": "data", "agent_id": "run-42/data", "parent_agent_id": "run-42/supervisor",
        "tool_name": "query_cost_metrics", "tool_call_id": "call-5", "parameters": {"window": "30d"}}}"#,
    );
    assert_eq!(e.kind, Kind::ToolExecuting);
    assert_eq!(name(&i, e.run_id), Some("run-42"));
    assert_eq!(name(&i, e.thread_id), Some("thread-7"));
    assert_eq!(name(&i, e.user_id), Some("u-1"));
    assert_eq!(e.turn, Some(2));
    assert_eq!(e.seq, Some(17));
    assert_eq!(name(&i, e.agent_id), Some("run-42/data"));
    assert_eq!(name(&i, e.parent_agent_id), Some("run-42/supervisor"));
    assert_eq!(name(&i, e.tool_call_id), Some("call-5"));
    assert_eq!(e.ts_ms, Some(1_795_428_001_234.0));
}

#[test]
fn payload_timestamp_wins_over_envelope() {
    let (e, _) = event(
        r#"{"type":"agent_started","timestamp":"2026-09-21T14:13:20.600000+00:00","payload":{"agent_name":"s","timestamp":1790000000.6}}"#,
    );
    assert_eq!(e.ts_ms.map(f64::round), Some(1_790_000_000_600.0));
}

#[test]
fn era_b_data_and_flattened_critical() {
    let (e, i) = event(
        r#"{"type": "tool_completed", "run_id": "r1", "user_id": "u1", "agent_name": "data", "timestamp": "2025-09-15T10:00:00.000000+00:00", "data": {"tool_name": "query_metrics", "result": {}, "execution_time_ms": 412, "status": "completed"}}"#,
    );
    assert_eq!(name(&i, e.tool_name), Some("query_metrics"));
    assert_eq!(e.duration_ms, Some(412.0));
    assert_eq!(e.outcome, Outcome::Ok);
    let (e, i) = event(
        r#"{"timestamp": "2026-09-21T14:13:24.140000+00:00", "critical": true, "type": "tool_completed", "agent_name": "optimization", "run_id": "run_k8s_7", "tool_name": "nodepool_simulator", "results": {"saving": "31%"}, "duration": 1.1, "success": true}"#,
    );
    assert_eq!(name(&i, e.agent_name), Some("optimization"));
    assert_eq!(e.duration_ms.map(f64::round), Some(1100.0));
    assert_eq!(e.outcome, Outcome::Ok);
    let (e, _) = event(r#"{"type":"agent_completed","success":false,"final_response":"sorry"}"#);
    assert_eq!(e.outcome, Outcome::Failed);
    assert!(e.final_answer);
}

#[test]
fn system_message_wrapper_names_the_real_type() {
    let (e, i) = event(
        r#"{"type": "system_message", "data": {"event": "connection_established", "connection_id": "ws_conn_3"}, "timestamp": 1790000000.0}"#,
    );
    assert_eq!(e.kind, Kind::ConnectionEstablished);
    assert_eq!(i.resolve(e.type_name), "connection_established");
    let (e, _) = event(r#"{"type": "system_message", "data": {"type": "connection_established"}}"#);
    assert_eq!(e.kind, Kind::ConnectionEstablished);
}

#[test]
fn failures_in_result_status_and_error() {
    let (e, _) = event(
        r#"{"type":"tool_completed","payload":{"result":{"status":"error","error":"ClickHouse timeout"}}}"#,
    );
    assert_eq!(e.outcome, Outcome::Failed);
    let (e, _) = event(r#"{"type":"tool_completed","payload":{"status":"timeout"}}"#);
    assert_eq!(e.outcome, Outcome::Failed);
    let (e, _) = event(
        r#"{"type":"tool_completed","payload":{"result":{"status":"success","output":"ok"}}}"#,
    );
    assert_eq!(e.outcome, Outcome::Ok);
    let (e, _) = event(
        r#"{"type":"agent_completed","payload":{"result":{"success":false,"status":"failed_with_fallback"}}}"#,
    );
    assert_eq!(e.outcome, Outcome::Failed);
    let (e, _) = event(r#"{"type":"tool_completed","payload":{"error":null,"result":{}}}"#);
    assert_eq!(e.outcome, Outcome::Unknown);
    let (e, _) = event(r#"{"type":"tool_completed","payload":{"status":"aborted"}}"#);
    assert_eq!(e.outcome, Outcome::Aborted);
}

#[test]
fn final_answer_keys() {
    for key in [
        "final_answer",
        "response",
        "final_response",
        "report",
        "content",
    ] {
        let (e, _) = event(&format!(
            r#"{{"type":"agent_completed","payload":{{"result":{{"{key}":"done"}}}}}}"#
        ));
        assert!(e.final_answer, "{key}");
    }
    let (e, _) = event(r#"{"type":"agent_completed","payload":{"result":{"final_answer":null}}}"#);
    assert!(!e.final_answer);
}

#[test]
fn contexts_are_hashed_and_reported_hashes_normalised() {
    let ctx =
        r#"{"user_request":"hi","history":[{"request":"a","response":"b"}],"user_context":{}}"#;
    let want = crate::core::hash::digest_text(ctx).unwrap();
    let upper = crate::core::hash::format_digest(&want)[7..].to_uppercase();
    let (e, _) = event(&format!(
        r#"{{"type":"agent_started","payload":{{"context":{ctx},"context_hash":"{upper}","prev_context_hash":"bogus"}}}}"#
    ));
    let info = e.context.unwrap();
    assert_eq!(info.digest, Some(want));
    assert_eq!(info.history.as_ref().map(|h| h.len()), Some(1));
    assert!(info.user_request.is_some());
    assert_eq!(e.context_hash, Some(Reported::Digest(want)));
    assert_eq!(e.prev_context_hash, Some(Reported::Other("bogus".into())));
}

#[test]
fn subagent_links_and_parent_run_id() {
    let (e, i) = event(
        r#"{"type": "subagent_started", "payload": {"subagent_name": "TriageSubAgent", "subagent_id": "run_ml_01_TriageSubAgent", "parent_agent_name": "supervisor", "parent_run_id": "run_ml_01"}}"#,
    );
    assert_eq!(name(&i, e.run_id), Some("run_ml_01"));
    assert_eq!(name(&i, e.subagent_name), Some("TriageSubAgent"));
    assert_eq!(name(&i, e.parent_agent_name), Some("supervisor"));
}

#[test]
fn unknown_types_are_kept() {
    let (e, i) = event(r#"{"type":"token_usage","payload":{"run_id":"r"}}"#);
    assert_eq!(e.kind, Kind::Other);
    assert_eq!(i.resolve(e.type_name), "token_usage");
}

#[test]
fn malformed_frames() {
    assert_eq!(
        dec("this frame was not JSON").0,
        Decoded::Malformed(Malformed::NotJson)
    );
    assert_eq!(dec("[1,2]").0, Decoded::Malformed(Malformed::NotObject));
    assert_eq!(dec("\"str\"").0, Decoded::Malformed(Malformed::NotObject));
    assert_eq!(
        dec("{\"payload\":{}}").0,
        Decoded::Malformed(Malformed::NoType)
    );
    assert_eq!(dec("{\"type\":7}").0, Decoded::Malformed(Malformed::NoType));
    assert_eq!(
        dec("{\"type\":\"agent_started\"").0,
        Decoded::Malformed(Malformed::NotJson)
    );
    assert_eq!(dec("").0, Decoded::Malformed(Malformed::NotJson));
}

#[test]
fn wrong_field_types_do_not_reject_the_frame() {
    let (e, _) = event(
        r#"{"type":"agent_started","payload":{"run_id":{"x":1},"turn":"two","seq":-4,"agent_name":["a"],"timestamp":true,"context":"not an object"}}"#,
    );
    assert_eq!(e.run_id, None);
    assert_eq!(e.turn, None);
    assert_eq!(e.seq, None);
    assert_eq!(e.agent_name, None);
    assert_eq!(e.ts_ms, None);
    assert!(e.context.is_some());
    let (e, _) =
        event(r#"{"type":"agent_started","payload":"a string payload","data":[1],"run_id":"r"}"#);
    assert!(e.run_id.is_some());
}

#[test]
fn duplicate_keys_first_wins_and_escaped_keys_match() {
    let (e, i) = event(
        r#"{"type":"agent_started","payload":{"agent_name":"a","agent_name":"b","run\u005fid":"r"}}"#,
    );
    assert_eq!(name(&i, e.agent_name), Some("a"));
    assert_eq!(name(&i, e.run_id), Some("r"));
}

#[test]
fn hostile_inputs_never_panic() {
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert!(matches!(
        dec(&deep).0,
        Decoded::Malformed(Malformed::NotJson | Malformed::NotObject)
    ));
    let deep_obj = format!(
        "{{\"type\":\"x\",\"payload\":{}}}",
        "{\"a\":".repeat(10_000) + "1" + &"}".repeat(10_000)
    );
    assert!(matches!(
        dec(&deep_obj).0,
        Decoded::Malformed(_) | Decoded::Event(_)
    ));
    let huge = format!(
        "{{\"type\":\"agent_thinking\",\"payload\":{{\"thought\":\"{}\"}}}}",
        "x".repeat(20 << 20)
    );
    assert!(matches!(dec(&huge).0, Decoded::Event(_)));
    let (e, _) = event(r#"{"type":"agent_started","payload":{"seq":1e400,"turn":123456789012345678901234567890,"duration_ms":-1e309}}"#.replace("1e400", "1e300").as_str());
    assert_eq!(e.turn, None);
    assert!(matches!(
        dec("{\"type\":\"a\u{0}b\",\"payload\":{\"x\":\"\\u001b[2J\"}}").0,
        Decoded::Event(_) | Decoded::Malformed(_)
    ));
}

#[test]
fn netra_fixtures_decode_completely() {
    for file in ["era-a-session.jsonl", "era-b-session.jsonl"] {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/netra/{file}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let mut i = Interner::default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            match decode(line, &mut i) {
                Decoded::Event(e) => assert_ne!(e.kind, Kind::Other, "{line}"),
                other => panic!("{file}: {other:?} for {line}"),
            }
        }
    }
}

#[test]
fn netra_flattened_thinking_and_metadata_fields() {
    // The platform's flattened variant: thinking as `reasoning`, the agent only in `metadata`.
    let (e, i) = event(
        r#"{"timestamp":"2026-11-27T14:02:29.823389+00:00","critical":true,"type":"reasoning","reasoning":"Querying","thread_id":"t1","metadata":{"step_number":1,"agent_name":"data"},"run_id":"r1"}"#,
    );
    assert_eq!(e.kind, Kind::AgentThinking);
    assert_eq!(name(&i, Some(e.type_name)), Some("reasoning"));
    assert_eq!(name(&i, e.agent_name), Some("data"));
    // A field at the top level wins over `metadata`.
    let (e, i) =
        event(r#"{"type":"agent_started","agent_name":"top","metadata":{"agent_name":"meta"}}"#);
    assert_eq!(name(&i, e.agent_name), Some("top"));
}

#[test]
fn netra_tool_agent_names_in_brackets() {
    let tool = |agent: &str| {
        let text = format!(
            r#"{{"type":"tool_executing","payload":{{"agent_name":"{agent}","tool_name":"classify"}}}}"#
        );
        let (e, i) = event(&text);
        name(&i, e.agent_name).map(str::to_string)
    };
    assert_eq!(tool("triage[classify]").as_deref(), Some("triage"));
    // The executor stays the executor; another tool's name in brackets stays as written.
    assert_eq!(
        tool("ToolExecutor[classify]").as_deref(),
        Some("ToolExecutor[classify]")
    );
    assert_eq!(tool("triage[other]").as_deref(), Some("triage[other]"));
    assert_eq!(tool("[classify]").as_deref(), Some("[classify]"));
}

#[test]
fn era_b_data_context_is_caller_metadata() {
    let (e, _) = event(
        r#"{"type":"agent_started","run_id":"r","agent_name":"supervisor","data":{"context":{"user_request":"q","request_id":"x"}}}"#,
    );
    assert!(e.context.is_none(), "data.context is not a handed context");
    let (e, _) = event(
        r#"{"type":"agent_started","payload":{"run_id":"r","agent_name":"supervisor","context":{"user_request":"q"}}}"#,
    );
    assert!(e.context.is_some(), "payload.context is");
}
