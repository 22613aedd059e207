//! The context-integrity rule on streams that keep and break each of its checks.

use super::super::util::testing::{codes, run_on};
use super::super::Status;
use super::check;
use crate::core::carries::Carries;
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
