//! The context-integrity rule on streams that keep and break each of its checks.

use super::super::util::testing::{codes, fixture, judge, run_on};
use super::super::Status;
use super::check;
use crate::core::carries::Carries;
use crate::core::hash::hash_value;
use crate::core::session::AgentIx;
use serde_json::json;

fn ctx(req: &str, history: serde_json::Value) -> serde_json::Value {
    json!({"user_request": req, "history": history})
}

fn started(run: &str, name: &str, c: &serde_json::Value, extra: &str) -> String {
    format!(
        r#"{{"type":"agent_started","payload":{{"run_id":"{run}","thread_id":"t1","agent_name":"{name}","context":{c}{extra}}}}}"#
    )
}

fn done(run: &str, name: &str) -> String {
    format!(
        r#"{{"type":"agent_completed","payload":{{"run_id":"{run}","thread_id":"t1","agent_name":"{name}"}}}}"#
    )
}

fn two_turns(c2_sup: &serde_json::Value, c2_data: &serde_json::Value, prev: &str) -> String {
    turns_after(&ctx("costs", json!([])), c2_sup, c2_data, prev)
}

fn turns_after(
    c1: &serde_json::Value,
    c2_sup: &serde_json::Value,
    c2_data: &serde_json::Value,
    prev: &str,
) -> String {
    let h1 = hash_value(c1).unwrap();
    [
        started("r1", "sup", c1, &format!(r#","context_hash":"{h1}""#)),
        started("r1", "data", c1, ""),
        done("r1", "data"),
        done("r1", "sup"),
        started(
            "r2",
            "sup",
            c2_sup,
            &format!(
                r#","prev_context_hash":"{}""#,
                if prev.is_empty() { &h1 } else { prev }
            ),
        ),
        started("r2", "data", c2_data, ""),
        done("r2", "data"),
        done("r2", "sup"),
    ]
    .join("\n")
}

#[test]
fn chained_turns_pass() {
    let c2 = ctx("pci", json!([{"request": "costs", "response": "ok"}]));
    let r = judge(&two_turns(&c2, &c2, ""), check);
    assert_eq!(r.status, Status::Pass, "{:?}", r.findings);
    assert_eq!(r.reason, None);
}

#[test]
fn drift_and_broken_chain_fail() {
    let c2 = ctx("pci", json!([{"request": "costs", "response": "ok"}]));
    let drifted = ctx("pci", json!([{"request": "costs", "response": "changed"}]));
    let wrong = format!("sha256:{}", "0".repeat(64));
    let r = judge(&two_turns(&c2, &drifted, &wrong), check);
    assert_eq!(r.status, Status::Fail);
    assert_eq!(
        codes(&r),
        ["context-integrity/drift", "context-integrity/broken-chain"]
    );
    assert_eq!(r.findings[0].frames, [5, 4]);
    assert_eq!(r.findings[0].agent, Some(AgentIx(3)));
    assert_eq!(r.findings[1].frames, [4, 0]);
}

#[test]
fn rewritten_history_and_changed_request_fail() {
    let c1 = ctx("pci", json!([{"request": "costs", "response": "ok"}]));
    let c2 = ctx(
        "plan",
        json!([{"request": "costs", "response": "edited"}, {"request": "pci", "response": "ok"}]),
    );
    let other = ctx(
        "something else",
        json!([{"request": "costs", "response": "edited"}, {"request": "pci", "response": "ok"}]),
    );
    let r = judge(&turns_after(&c1, &c2, &other, ""), check);
    assert_eq!(r.status, Status::Fail);
    assert_eq!(
        codes(&r),
        [
            "context-integrity/drift",
            "context-integrity/user-request-changed",
            "context-integrity/history-rewritten"
        ]
    );
    assert_eq!(r.findings[1].frames, [5, 4]);
    assert_eq!(r.findings[2].frames, [4, 0]);
}

#[test]
fn truncated_history_fails() {
    let c1 = ctx("pci", json!([{"request": "costs", "response": "ok"}]));
    let c2 = ctx("plan", json!([]));
    let r = judge(&turns_after(&c1, &c2, &c2, ""), check);
    assert_eq!(codes(&r), ["context-integrity/history-truncated"]);
    assert_eq!(r.findings[0].frames, [4, 0]);
}

#[test]
fn wrong_reported_hash_fails() {
    let c = ctx("costs", json!([]));
    let wrong = format!("sha256:{}", "a".repeat(64));
    let text = [
        started("r1", "sup", &c, &format!(r#","context_hash":"{wrong}""#)),
        done("r1", "sup"),
    ]
    .join("\n");
    let r = judge(&text, check);
    assert_eq!(codes(&r), ["context-integrity/hash-mismatch"]);
    assert_eq!(r.findings[0].frames, [0]);
}

#[test]
fn netra_fixtures() {
    let r = run_on(&fixture("era-a-session.jsonl"), Carries::ALL, check);
    assert_eq!(r.status, Status::Skip);
    assert_eq!(
        r.reason.as_deref(),
        Some("no contexts or context hashes (e.g. Netra era A)")
    );
    // Era B's `data.context` is the caller's metadata, not a context handed over.
    let r = run_on(&fixture("era-b-session.jsonl"), Carries::ALL, check);
    assert_eq!(r.status, Status::Skip, "{:?}", r.findings);
}

#[test]
fn per_agent_model_inputs_are_not_judged_as_hand_offs() {
    // Two agents with different contexts in one turn: drift for a native stream, but a
    // foreign format's contexts are each agent's own model input.
    let text = [
        started("r1", "sup", &ctx("costs", json!([])), ""),
        started("r1", "data", &ctx("costs", json!(["x"])), ""),
        done("r1", "data"),
        done("r1", "sup"),
    ]
    .join("\n");
    let log = crate::core::session::testing::load(&text);
    assert_eq!(
        codes(&run_on(&log, Carries::ALL, check)),
        ["context-integrity/drift"]
    );
    let foreign = Carries {
        contexts: false,
        ..Carries::ALL
    };
    let r = run_on(&log, foreign, check);
    assert_eq!(r.status, Status::Skip);
    assert!(r.findings.is_empty());
    assert!(r.reason.unwrap().contains("each agent's own model input"));
}
