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

/// The one finding of `session` (of code `code`), with its usage and with the usage hidden.
fn messages(session: &str, code: &str) -> (String, String) {
    let bare = session.replace(r#","usage":{"model":"claude-sonnet-4""#, r#","u":{"m":"x""#);
    let [with, without] = [session, bare.as_str()].map(|text| {
        let r = judge(text, check);
        assert_eq!(codes(&r), [code]);
        r.findings[0].message.clone()
    });
    (with, without)
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
    // The calls that made the two repeats (2000 + 3000 input, 10 output each), priced at
    // claude-sonnet-4's $3 / $15 per million; the one before the first call and the one after
    // the last are not the loop's.
    let (with, without) = messages(&looped, "progress/tool-loop");
    assert!(
        with.ends_with("; the 2 model calls between them used 5.0k tokens ($0.0153)"),
        "{with}"
    );
    assert!(!without.contains("tokens"), "{without}");
}

/// An agent frame of run `r1` with a parent, a task and, when `input` is above 0, usage.
fn sub(ty: &str, t: u32, id: &str, parent: &str, input: u32) -> String {
    let usage = match input {
        0 => String::new(),
        n => format!(
            r#","usage":{{"model":"claude-sonnet-4","input_tokens":{n},"output_tokens":10}}"#
        ),
    };
    format!(
        r#"{{"type":"{ty}","timestamp":{t},"payload":{{"run_id":"r1","agent_name":"{}","agent_id":"{id}","parent_agent_id":"{parent}","context":{{"user_request":"summarise Q3"}}{usage}}}}}"#,
        id.split('-').next().unwrap_or(id)
    )
}

#[test]
fn a_delegation_loop_says_what_the_repeats_and_their_sub_agents_used() {
    let looped = [
        r#"{"type":"agent_started","timestamp":0,"payload":{"run_id":"r1","agent_name":"sup","agent_id":"sup"}}"#.to_string(),
        sub("agent_started", 1, "worker-1", "sup", 0),
        sub("agent_thinking", 2, "worker-1", "sup", 1000),
        sub("agent_completed", 3, "worker-1", "sup", 0),
        sub("agent_started", 4, "worker-2", "sup", 0),
        sub("agent_thinking", 5, "worker-2", "sup", 2000),
        sub("agent_started", 6, "helper-1", "worker-2", 0),
        sub("agent_thinking", 7, "helper-1", "worker-2", 3000),
        sub("agent_completed", 8, "helper-1", "worker-2", 0),
        sub("agent_completed", 9, "worker-2", "sup", 0),
        r#"{"type":"agent_completed","timestamp":10,"payload":{"run_id":"r1","agent_name":"sup","agent_id":"sup"}}"#.to_string(),
    ]
    .join("\n");
    // The second worker (2000 input, 10 output) and its helper (3000, 10), not the first
    // worker: 5,020 tokens, at claude-sonnet-4's $3 / $15 per million.
    let (with, without) = messages(&looped, "progress/delegation-loop");
    assert!(
        with.ends_with("2 times; the 1 repeat used 5.0k tokens ($0.0153)"),
        "{with}"
    );
    assert!(without.ends_with("2 times"), "{without}");
}
