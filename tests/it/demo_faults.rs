//! Each demo fault over a real loopback socket: the specific anomaly it must produce (and
//! its `demo_mark`), leaving everything else of its host scenario intact.

use crate::demo_support as support;

use std::collections::{HashMap, HashSet};

use futures_util::SinkExt;
use orchscope::core::hash::hash_value;
use orchscope::demo::{requests_for, Fault, Scenario};
use serde_json::Value;
use support::*;
use tokio_tungstenite::tungstenite::Message;

async fn faulted(fault: Fault) -> Seen {
    let scenario = fault.host_scenario();
    let server = start(config(scenario, &[fault])).await;
    let seen = session(&server.url, scenario).await;
    let frames = parse(&seen.texts);
    assert_eq!(
        marks(&frames),
        [format!("fault: {}", fault.name())],
        "one mark"
    );
    seen
}

fn root_span(frames: &[Value]) -> (i64, i64, i64) {
    let t = timings(frames);
    assert_eq!(t.len(), 1);
    t.into_values().next().expect("run")
}

#[tokio::test]
async fn drop_tool_result_leaves_one_call_open() {
    let frames = parse(&faulted(Fault::DropToolResult).await.texts);
    let (started, completed) = tool_ids(&frames);
    let open: Vec<_> = started
        .iter()
        .filter(|id| !completed.contains(id))
        .collect();
    assert_eq!(open.len(), 1);
    assert!(completed.iter().all(|id| started.contains(id)));
}

#[tokio::test]
async fn orphan_result_completes_a_call_that_never_started() {
    let frames = parse(&faulted(Fault::OrphanResult).await.texts);
    let (started, completed) = tool_ids(&frames);
    let orphans: Vec<_> = completed
        .iter()
        .filter(|id| !started.contains(id))
        .collect();
    assert_eq!(orphans.len(), 1);
    assert!(started.iter().all(|id| completed.contains(id)));
}

#[tokio::test]
async fn late_event_thinks_after_completion() {
    let frames = parse(&faulted(Fault::LateEvent).await.texts);
    let mut done = HashSet::new();
    let mut late = 0;
    for v in &frames {
        match kind(v) {
            "agent_completed" => {
                done.insert(s(v, "agent_id").to_string());
            }
            "agent_thinking" if done.contains(s(v, "agent_id")) => late += 1,
            _ => {}
        }
    }
    assert_eq!(late, 1);
}

#[tokio::test]
async fn context_drift_gives_one_agent_another_hash() {
    let frames = parse(&faulted(Fault::ContextDrift).await.texts);
    let starts = of_kind(&frames, "agent_started");
    let root = s(starts[0], "context_hash");
    let drifted: Vec<_> = starts
        .iter()
        .filter(|v| s(v, "context_hash") != root)
        .collect();
    assert_eq!(drifted.len(), 1);
    let ctx = field(drifted[0], "context").expect("context");
    assert_eq!(
        hash_value(ctx).expect("hash"),
        s(drifted[0], "context_hash"),
        "reported = recomputed"
    );
    assert_eq!(
        ctx["user_request"],
        field(starts[0], "context").expect("ctx")["user_request"]
    );
}

#[tokio::test]
async fn history_rewrite_changes_turn_ones_entry_in_turn_three() {
    let frames = parse(&faulted(Fault::HistoryRewrite).await.texts);
    let roots: Vec<&Value> = of_kind(&frames, "agent_started")
        .into_iter()
        .filter(|v| field(v, "parent_agent_id").is_none())
        .collect();
    assert_eq!(roots.len(), 3);
    let history = |v: &Value| field(v, "context").expect("ctx")["history"].clone();
    assert_eq!(history(roots[2]).as_array().map(Vec::len), Some(2));
    assert_ne!(
        history(roots[2])[0],
        history(roots[1])[0],
        "turn 1's entry rewritten"
    );
    assert_eq!(
        field(roots[2], "prev_context_hash"),
        field(roots[1], "context_hash"),
        "chain intact"
    );
}

#[tokio::test]
async fn no_recovery_leaves_failures_unrecovered() {
    let frames = parse(&faulted(Fault::NoRecovery).await.texts);
    assert!(of_kind(&frames, "agent_fallback").is_empty());
    assert_eq!(of_kind(&frames, "agent_error").len(), 1);
    let ok: Vec<&str> = of_kind(&frames, "tool_completed")
        .iter()
        .filter(|v| v.pointer("/payload/result/status").and_then(Value::as_str) == Some("success"))
        .map(|v| s(v, "tool_name"))
        .collect();
    assert!(!ok.contains(&"query_gpu_spend") && !ok.contains(&"query_billing_export"));
    let root = of_kind(&frames, "agent_completed")
        .into_iter()
        .find(|v| s(v, "agent_name") == "supervisor");
    assert!(root
        .and_then(|v| v.pointer("/payload/result/final_answer"))
        .is_some());
}

#[tokio::test]
async fn slow_exceeds_the_complex_limit_without_long_gaps() {
    let frames = parse(&faulted(Fault::Slow).await.texts);
    let (first, last, gap) = root_span(&frames);
    assert!(
        (45_000..60_000).contains(&(last - first)),
        "duration {}",
        last - first
    );
    assert!(gap < 10_000, "gap {gap}");
}

#[tokio::test]
async fn silent_gap_stays_quiet_over_ten_seconds_within_limits() {
    let frames = parse(&faulted(Fault::SilentGap).await.texts);
    let (first, last, gap) = root_span(&frames);
    assert!(gap > 10_000, "gap {gap}");
    assert!(last - first < 45_000, "duration {}", last - first);
}

#[tokio::test]
async fn cross_user_puts_another_runs_user_on_one_event() {
    let frames = parse(&faulted(Fault::CrossUser).await.texts);
    let mut first_user: HashMap<&str, &str> = HashMap::new();
    let mut foreign = 0;
    for v in events(&frames) {
        let user = first_user.entry(s(v, "run_id")).or_insert(s(v, "user_id"));
        if *user != s(v, "user_id") {
            foreign += 1;
        }
    }
    assert_eq!(foreign, 1);
}

#[tokio::test]
async fn malformed_sends_one_frame_that_is_not_json() {
    let seen = faulted(Fault::Malformed).await;
    let bad = seen
        .texts
        .iter()
        .filter(|t| serde_json::from_str::<Value>(t).is_err())
        .count();
    assert_eq!(bad, 1);
    let seq = seqs(&parse(&seen.texts));
    assert_eq!(
        seq,
        (1..=seq.len() as u64).collect::<Vec<_>>(),
        "no seq gap besides"
    );
}

#[tokio::test]
async fn seq_gap_skips_one_number() {
    let seq = seqs(&parse(&faulted(Fault::SeqGap).await.texts));
    let gaps: Vec<_> = seq.windows(2).filter(|w| w[1] != w[0] + 1).collect();
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0][1], gaps[0][0] + 2);
}

#[tokio::test]
async fn disconnect_drops_and_continues_the_same_run_on_reconnect() {
    let server = start(config(Scenario::MlCost, &[Fault::Disconnect])).await;
    let run = async {
        let mut ws = connect(&server.url).await;
        let mut before = Seen::default();
        let text = &requests_for(Scenario::MlCost)[0];
        ws.send(Message::text(message(text, None)))
            .await
            .expect("send");
        read_quiet(&mut ws, &mut before).await;
        assert!(before.ended, "server dropped the connection");
        let mut ws = connect(&server.url).await;
        let mut after = Seen::default();
        read_quiet(&mut ws, &mut after).await;
        (parse(&before.texts), parse(&after.texts))
    };
    let (before, after) = tokio::time::timeout(LIMIT, run).await.expect("in time");
    assert_eq!(marks(&before), ["fault: disconnect"]);
    let runs_before: HashSet<&str> = events(&before).iter().map(|v| s(v, "run_id")).collect();
    let runs_after: HashSet<&str> = events(&after).iter().map(|v| s(v, "run_id")).collect();
    assert_eq!(runs_before.len(), 1);
    assert_eq!(runs_before, runs_after, "same run continues");
    assert_eq!(seqs(&after).first(), Some(&1), "seq restarts");
    assert_eq!(kind(after.last().expect("frames")), "final_report");
    // Nothing is lost or repeated across the drop, and no producer-time gap appears.
    let mut all = before.clone();
    all.extend(after);
    let (started, completed) = tool_ids(&all);
    assert_eq!(started.len(), completed.len());
    let (_, _, gap) = root_span(&all);
    assert!(gap < 10_000);
}

#[tokio::test]
async fn all_carries_every_fault_once_on_its_host() {
    let faults: Vec<Fault> = Fault::ALL
        .into_iter()
        .filter(|f| *f != Fault::Disconnect)
        .collect();
    let server = start(config(Scenario::All, &faults)).await;
    let frames = parse(&session(&server.url, Scenario::All).await.texts);
    let mut seen = marks(&frames);
    seen.sort();
    let mut want: Vec<String> = faults
        .iter()
        .map(|f| format!("fault: {}", f.name()))
        .collect();
    want.sort();
    assert_eq!(seen, want);
}
