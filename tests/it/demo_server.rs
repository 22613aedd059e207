//! The demo server over real loopback sockets: scenario shapes, native fields, hashes,
//! timings on the scenario clock, reproducibility, dialects, auth, ping and flood.

use crate::demo_support as support;

use std::collections::{HashMap, HashSet};

use futures_util::SinkExt;
use orchscope::core::hash::hash_value;
use orchscope::demo::{Dialect, Scenario};
use serde_json::Value;
use support::*;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

async fn frames_of(scenario: Scenario) -> Vec<Value> {
    let server = start(config(scenario, &[])).await;
    let seen = session(&server.url, scenario).await;
    assert!(!seen.ended, "connection stayed up");
    assert_eq!(
        seen.texts.len(),
        parse(&seen.texts).len(),
        "every frame is JSON"
    );
    parse(&seen.texts)
}

/// Invariants every clean native session keeps.
fn check_clean(frames: &[Value]) {
    assert_eq!(kind(&frames[0]), "connection_established");
    let seq = seqs(frames);
    assert_eq!(
        seq,
        (1..=seq.len() as u64).collect::<Vec<_>>(),
        "seq contiguous from 1"
    );
    let (started, completed) = tool_ids(frames);
    assert_eq!(
        started.iter().collect::<HashSet<_>>(),
        completed.iter().collect::<HashSet<_>>(),
        "every tool call completes"
    );
    assert_eq!(started.len(), completed.len());
    assert!(marks(frames).is_empty());
    for v in of_kind(frames, "agent_started") {
        let ctx = field(v, "context").expect("context");
        assert_eq!(hash_value(ctx).expect("hash"), s(v, "context_hash"));
        assert_eq!(
            s(v, "agent_id"),
            format!("{}/{}", s(v, "run_id"), s(v, "agent_name"))
        );
    }
    // Every agent thinks; every agent that started completes; sub-agents share the root's hash.
    let mut root_hash = HashMap::new();
    for v in of_kind(frames, "agent_started") {
        if field(v, "parent_agent_id").is_none() {
            assert!(field(v, "prev_context_hash").is_some());
            root_hash.insert(s(v, "run_id"), s(v, "context_hash"));
        }
    }
    for v in of_kind(frames, "agent_started") {
        assert_eq!(root_hash[s(v, "run_id")], s(v, "context_hash"));
        let id = s(v, "agent_id");
        let thinks = frames
            .iter()
            .filter(|f| kind(f) == "agent_thinking" && s(f, "agent_id") == id);
        assert!(thinks.count() >= 1, "{id} thinks");
        let done = of_kind(frames, "agent_completed");
        assert_eq!(
            done.iter().filter(|f| s(f, "agent_id") == id).count(),
            1,
            "{id} completes once"
        );
    }
    for (run, (first, last, gap)) in timings(frames) {
        assert!(
            last - first < 30_000,
            "run {run} under 30 s: {}",
            last - first
        );
        assert!(gap < 10_000, "run {run} gaps under 10 s: {gap}");
    }
}

#[tokio::test]
async fn ml_cost_has_a_supervisor_with_three_children_and_cites_them() {
    let frames = frames_of(Scenario::MlCost).await;
    check_clean(&frames);
    let starts = of_kind(&frames, "agent_started");
    let names: Vec<&str> = starts.iter().map(|v| s(v, "agent_name")).collect();
    assert_eq!(names, ["supervisor", "triage", "data", "optimization"]);
    let root = s(starts[0], "agent_id");
    for v in &starts[1..] {
        assert_eq!(s(v, "parent_agent_id"), root);
    }
    assert!(field(starts[0], "prev_context_hash")
        .expect("prev")
        .is_null());
    let ctx = field(starts[0], "context").expect("context");
    assert_eq!(ctx["user_context"]["gpu_instances"], 20);
    let done = of_kind(&frames, "agent_completed");
    let answer = done
        .iter()
        .find(|v| s(v, "agent_name") == "supervisor")
        .and_then(|v| v.pointer("/payload/result/final_answer"))
        .and_then(Value::as_str)
        .expect("final answer");
    for v in done.iter().filter(|v| s(v, "agent_name") != "supervisor") {
        let summary = v
            .pointer("/payload/result/summary")
            .and_then(Value::as_str)
            .expect("summary");
        assert!(answer.contains(summary), "answer cites {summary}");
    }
    let (first, last, _) = timings(&frames).into_values().next().expect("one run");
    assert!(
        (10_000..30_000).contains(&(last - first)),
        "complex run 10-30 s"
    );
    assert_eq!(kind(frames.last().expect("frames")), "final_report");
}

#[tokio::test]
async fn multi_turn_chains_hashes_and_appends_history() {
    let frames = frames_of(Scenario::MultiTurn).await;
    check_clean(&frames);
    let roots: Vec<&Value> = of_kind(&frames, "agent_started")
        .into_iter()
        .filter(|v| field(v, "parent_agent_id").is_none())
        .collect();
    assert_eq!(roots.len(), 3);
    let mut prev = Value::Null;
    let mut history: Vec<Value> = Vec::new();
    for (i, root) in roots.iter().enumerate() {
        assert_eq!(
            field(root, "turn").and_then(Value::as_u64),
            Some(i as u64 + 1)
        );
        assert_eq!(s(root, "thread_id"), s(roots[0], "thread_id"));
        assert_eq!(field(root, "prev_context_hash"), Some(&prev));
        let h = field(root, "context")
            .and_then(|c| c.get("history"))
            .and_then(Value::as_array);
        let h = h.expect("history");
        assert_eq!(h.len(), i);
        assert_eq!(&h[..history.len()], &history[..], "history appended");
        history = h.clone();
        prev = field(root, "context_hash").cloned().expect("hash");
    }
}

#[tokio::test]
async fn concurrent_runs_overlap_on_one_connection() {
    let frames = frames_of(Scenario::Concurrent).await;
    check_clean(&frames);
    let times = timings(&frames);
    assert_eq!(times.len(), 3);
    let users: HashSet<&str> = events(&frames).iter().map(|v| s(v, "user_id")).collect();
    assert_eq!(users.len(), 3);
    let threads: HashSet<&str> = events(&frames).iter().map(|v| s(v, "thread_id")).collect();
    assert_eq!(threads.len(), 3);
    let mut spans: Vec<(i64, i64, i64)> = times.into_values().collect();
    spans.sort();
    assert!(
        spans[1].0 < spans[0].1 && spans[2].0 < spans[0].1,
        "runs overlap"
    );
}

#[tokio::test]
async fn recovery_falls_back_retries_and_still_answers() {
    let frames = frames_of(Scenario::Recovery).await;
    check_clean(&frames);
    assert_eq!(of_kind(&frames, "agent_error").len(), 1);
    assert_eq!(of_kind(&frames, "agent_fallback").len(), 1);
    let results: Vec<(&str, &str)> = of_kind(&frames, "tool_completed")
        .iter()
        .map(|v| {
            (
                s(v, "tool_name"),
                v.pointer("/payload/result/status")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
            )
        })
        .collect();
    assert!(results.contains(&("query_gpu_spend", "error")));
    assert!(results.contains(&("query_gpu_spend", "success")));
    assert!(results.contains(&("query_billing_export", "error")));
    assert!(!results.contains(&("query_billing_export", "success")));
    let root_done = of_kind(&frames, "agent_completed")
        .into_iter()
        .find(|v| s(v, "agent_name") == "supervisor");
    assert!(root_done
        .and_then(|v| v.pointer("/payload/result/final_answer"))
        .is_some());
}

#[tokio::test]
async fn simple_and_all_keep_their_timings() {
    let frames = frames_of(Scenario::Simple).await;
    check_clean(&frames);
    let (first, last, _) = timings(&frames).into_values().next().expect("run");
    assert!(last - first < 15_000);
    assert_eq!(of_kind(&frames, "tool_executing").len(), 1);

    let frames = frames_of(Scenario::All).await;
    check_clean(&frames);
    assert_eq!(
        timings(&frames).len(),
        9,
        "ml-cost, 3 turns, recovery, 3 concurrent, simple"
    );
}

#[tokio::test]
async fn same_seed_and_fixed_start_give_identical_frames() {
    let a = start(config(Scenario::All, &[])).await;
    let b = start(config(Scenario::All, &[])).await;
    let (x, y) = tokio::join!(
        session(&a.url, Scenario::All),
        session(&b.url, Scenario::All)
    );
    assert!(!x.texts.is_empty());
    assert_eq!(x.texts, y.texts);
    let mut other = config(Scenario::All, &[]);
    other.seed = 8;
    let c = start(other).await;
    let z = session(&c.url, Scenario::All).await;
    assert_ne!(x.texts, z.texts);
}

#[tokio::test]
async fn netra_a_has_no_ids_and_uses_tool_executor() {
    let server = start(with_dialect(config(Scenario::MlCost, &[]), Dialect::NetraA)).await;
    let seen = session(&server.url, Scenario::MlCost).await;
    let frames = parse(&seen.texts);
    assert_eq!(frames[0]["type"], "system_message");
    assert!(seen
        .texts
        .iter()
        .all(|t| !t.contains("tool_call_id") && !t.contains("parent_agent_id")));
    assert!(of_kind(&frames, "tool_executing")
        .iter()
        .any(|v| s(v, "agent_name") == "ToolExecutor"));
    assert!(!of_kind(&frames, "subagent_started").is_empty());
    let data_starts = of_kind(&frames, "agent_started")
        .iter()
        .filter(|v| s(v, "agent_name") == "data")
        .count();
    assert_eq!(data_starts, 2, "duplicate start");
    assert_eq!(s(&frames[1], "agent_name"), "supervisor");
    assert_eq!(
        field(&frames[1], "step_number").and_then(Value::as_u64),
        Some(0)
    );
    assert_eq!(kind(frames.last().expect("frames")), "final_report");
    assert!(frames[1]["payload"]["timestamp"].is_f64());
}

#[tokio::test]
async fn netra_b_sends_data_envelopes_and_flattened_frames() {
    let server = start(with_dialect(config(Scenario::MlCost, &[]), Dialect::NetraB)).await;
    let frames = parse(&session(&server.url, Scenario::MlCost).await.texts);
    assert!(frames
        .iter()
        .any(|v| v.get("critical") == Some(&Value::Bool(true))));
    assert!(frames
        .iter()
        .any(|v| v.get("data").is_some() && v.get("run_id").is_some()));
    assert!(of_kind(&frames, "agent_thinking")
        .iter()
        .all(|v| field(v, "reasoning").is_some()));
}

#[tokio::test]
async fn ping_gets_pong() {
    let server = start(config(Scenario::Simple, &[])).await;
    let mut ws = connect(&server.url).await;
    ws.send(Message::text(r#"{"type":"ping"}"#))
        .await
        .expect("send");
    let mut seen = Seen::default();
    read_quiet(&mut ws, &mut seen).await;
    assert!(seen.texts.iter().any(|t| t == r#"{"type":"pong"}"#));
}

#[tokio::test]
async fn token_is_enforced_by_header_or_subprotocol() {
    let mut c = config(Scenario::Simple, &[]);
    c.token = Some("s3cret".into());
    let server = start(c).await;
    let req = |auth: Option<&str>, proto: Option<&str>| {
        let mut r = server.url.as_str().into_client_request().expect("request");
        if let Some(a) = auth {
            r.headers_mut()
                .insert("authorization", a.parse().expect("header"));
        }
        if let Some(p) = proto {
            r.headers_mut()
                .insert("sec-websocket-protocol", p.parse().expect("header"));
        }
        r
    };
    assert_eq!(close_code(req(None, None)).await, Some(CloseCode::Policy));
    assert_eq!(
        close_code(req(Some("Bearer nope"), None)).await,
        Some(CloseCode::Policy)
    );
    assert_eq!(
        close_code(req(None, Some("jwt-auth, jwt.bm9wZQ"))).await,
        Some(CloseCode::Policy)
    );
    assert_eq!(
        close_code(req(Some("Bearer s3cret"), None)).await,
        None,
        "header accepted"
    );
    // base64url("s3cret") without padding
    let (ws, resp) = tokio_tungstenite::connect_async(req(None, Some("jwt-auth, jwt.czNjcmV0")))
        .await
        .expect("handshake");
    assert_eq!(
        resp.headers()
            .get("sec-websocket-protocol")
            .map(|v| v.as_bytes()),
        Some(&b"jwt-auth"[..])
    );
    drop(ws);
    assert_eq!(
        close_code(req(None, Some("jwt-auth, jwt.czNjcmV0"))).await,
        None,
        "subprotocol accepted"
    );
}

#[tokio::test]
async fn flood_sends_exactly_n_frames_with_seq() {
    let mut c = config(Scenario::Simple, &[]);
    c.flood = Some(1003);
    let server = start(c).await;
    let seen = session(&server.url, Scenario::Simple).await;
    let frames = parse(&seen.texts);
    let seq = seqs(&frames);
    assert_eq!(seq, (1..=1003).collect::<Vec<u64>>());
    assert_eq!(frames.len(), 1004, "greeting + n");
}

#[tokio::test]
async fn wall_clock_mode_stamps_scenario_time_from_now() {
    let mut c = config(Scenario::MlCost, &[]);
    c.fixed_start = None;
    let before = chrono::Utc::now().timestamp_millis();
    let server = start(c).await;
    let frames = parse(&session(&server.url, Scenario::MlCost).await.texts);
    check_clean(&frames);
    let (first, last, _) = timings(&frames).into_values().next().expect("run");
    assert!(
        first >= before,
        "scenario clock starts at the server's start"
    );
    assert!((10_000..30_000).contains(&(last - first)));
}

#[tokio::test]
async fn only_ws_path_and_bounded_frames_are_accepted() {
    let server = start(config(Scenario::Simple, &[])).await;
    let other = server.url.replace("/ws", "/other");
    let refused = tokio::time::timeout(LIMIT, tokio_tungstenite::connect_async(other)).await;
    assert!(matches!(refused, Ok(Err(_))), "other paths are refused");

    let mut ws = connect(&server.url).await;
    let big = "x".repeat(2 << 20);
    let _ = ws.send(Message::text(big)).await;
    let mut seen = Seen::default();
    read_quiet(&mut ws, &mut seen).await;
    assert!(seen.ended, "an oversize frame ends the connection");
}
