//! The rule `progress` on small sessions: loops, retries, polling, stalls and delegation.

use super::super::util::testing::{codes, judge};
use super::super::Thresholds;
use super::{check, loops};

#[test]
fn equal_calls_within_the_window_make_one_loop_and_retries_do_not_count() {
    let t = Thresholds::default();
    let ok = |_: usize| false;
    // Three calls within 60 s: one loop of all three.
    assert_eq!(
        loops(&[(0, 0.0), (1, 1_000.0), (2, 2_000.0)], ok, &t),
        [(0, 2)]
    );
    // Two calls are not yet a loop; three spread wider than the window are none either.
    assert!(loops(&[(0, 0.0), (1, 1_000.0)], ok, &t).is_empty());
    assert!(loops(&[(0, 0.0), (1, 61_000.0), (2, 122_000.0)], ok, &t).is_empty());
    // Each call after a failure is a retry: failing, failing, then success is no loop.
    let failing = |i: usize| i < 2;
    assert!(loops(&[(0, 0.0), (1, 1_000.0), (2, 2_000.0)], failing, &t).is_empty());
    // A fourth and fifth call close to the first three extend the same loop.
    let five: Vec<(usize, f64)> = (0..5).map(|i| (i, i as f64 * 1_000.0)).collect();
    assert_eq!(loops(&five, ok, &t), [(0, 4)]);
}

fn exec(id: &str, t: u32, args: &str) -> String {
    format!(
        r#"{{"type":"tool_executing","timestamp":{t},"payload":{{"run_id":"r1","agent_name":"sup","tool_name":"q","tool_call_id":"{id}","parameters":{args}}}}}"#
    )
}

fn done(id: &str, t: u32, status: &str) -> String {
    format!(
        r#"{{"type":"tool_completed","timestamp":{t},"payload":{{"run_id":"r1","agent_name":"sup","tool_name":"q","tool_call_id":"{id}","status":"{status}"}}}}"#
    )
}

fn session(middle: &[String]) -> String {
    let mut lines = vec![
        r#"{"type":"agent_started","timestamp":0,"payload":{"run_id":"r1","agent_name":"sup"}}"#
            .to_string(),
    ];
    lines.extend(middle.iter().cloned());
    let end = middle.len() as u32 + 1;
    lines.push(format!(
        r#"{{"type":"agent_completed","timestamp":{end},"payload":{{"run_id":"r1","agent_name":"sup","result":{{"status":"success"}}}}}}"#
    ));
    lines.join("\n")
}

#[test]
fn arguments_are_compared_as_canonical_json() {
    let same = session(&[
        exec("c1", 1, r#"{"a":1,"b":[1,2]}"#),
        done("c1", 1, "success"),
        exec("c2", 2, r#"{"b":[1,2], "a":1.0}"#),
        done("c2", 2, "success"),
        exec("c3", 3, r#"{ "a" : 1, "b" : [1, 2] }"#),
        done("c3", 3, "success"),
    ]);
    assert_eq!(codes(&judge(&same, check)), ["progress/tool-loop"]);
    let differ = same.replace(r#"{ "a" : 1, "b" : [1, 2] }"#, r#"{"a":2,"b":[1,2]}"#);
    assert!(codes(&judge(&differ, check)).is_empty());
    let retried = same.replace(r#""c1","status":"success""#, r#""c1","status":"error""#);
    assert!(codes(&judge(&retried, check)).is_empty());
}

fn thinking(t: u32, input: u32) -> String {
    format!(
        r#"{{"type":"agent_thinking","timestamp":{t},"payload":{{"run_id":"r1","agent_name":"sup","usage":{{"model":"claude-sonnet-4","input_tokens":{input},"output_tokens":10}}}}}}"#
    )
}

#[test]
fn a_loops_evidence_says_what_the_model_calls_between_the_repeats_used() {
    let looped = session(&[
        thinking(1, 1000),
        exec("c1", 1, "{}"),
        done("c1", 1, "success"),
        thinking(2, 2000),
        exec("c2", 2, "{}"),
        done("c2", 2, "success"),
        thinking(3, 3000),
        exec("c3", 3, "{}"),
        done("c3", 3, "success"),
        thinking(4, 4000),
    ]);
    let r = judge(&looped, check);
    assert_eq!(codes(&r), ["progress/tool-loop"]);
    // The calls that made the two repeats (2000 + 3000 input, 10 output each), priced at
    // claude-sonnet-4's $3 / $15 per million; the one before the first call and the one after
    // the last are not the loop's.
    let msg = &r.findings[0].message;
    assert!(
        msg.ends_with("; the 2 model calls between them used 5.0k tokens ($0.0153)"),
        "{msg}"
    );
    // Without usage, the evidence says nothing of tokens.
    let bare = looped.replace(r#","usage":{"model":"claude-sonnet-4""#, r#","u":{"m":"x""#);
    let r = judge(&bare, check);
    assert!(
        !r.findings[0].message.contains("tokens"),
        "{}",
        r.findings[0].message
    );
}
