//! The whole rule table on native runs, clean and with one fault each (the Netra fixtures and
//! every single-rule case are scenario files: tests/scenarios).

use super::util::testing::fixture;
use super::{run, Config, Input, Status};
use crate::core::carries::Carries;
use crate::core::session::Pos;

/// A native ml-cost-like run: supervisor with three children, ids, parents, seq, a message.
fn native(fault: &str) -> String {
    let mut lines: Vec<String> = vec![
        r#"{"type":"user_message","timestamp":999.8,"payload":{"thread_id":"t1","user_id":"u1","content":"cut costs"}}"#.into(),
    ];
    let mut seq = 0;
    let mut t = 1000.0;
    let mut push = |lines: &mut Vec<String>, ty: &str, agent: &str, extra: &str| {
        seq += 1;
        t += 0.5;
        let parent = if agent == "sup" {
            String::new()
        } else {
            r#","parent_agent_id":"r1/sup""#.to_string()
        };
        lines.push(format!(
            r#"{{"type":"{ty}","timestamp":{t},"payload":{{"run_id":"r1","thread_id":"t1","user_id":"u1","seq":{seq},"agent_name":"{agent}","agent_id":"r1/{agent}"{parent}{extra}}}}}"#
        ));
    };
    push(&mut lines, "agent_started", "sup", "");
    push(&mut lines, "agent_thinking", "sup", "");
    for (i, child) in ["triage", "data", "optimization"].into_iter().enumerate() {
        push(&mut lines, "agent_started", child, "");
        push(&mut lines, "agent_thinking", child, "");
        let call = format!(r#","tool_name":"q{i}","tool_call_id":"c{i}""#);
        push(&mut lines, "tool_executing", child, &call);
        if !(fault == "drop-tool-result" && child == "data") {
            push(&mut lines, "tool_completed", child, &call);
        }
        push(&mut lines, "agent_completed", child, "");
        if fault == "late-event" && child == "data" {
            push(&mut lines, "agent_thinking", child, "");
        }
    }
    push(
        &mut lines,
        "agent_completed",
        "sup",
        r#","result":{"final_answer":"done"}"#,
    );
    push(&mut lines, "final_report", "sup", r#","report":"done""#);
    if fault == "malformed" {
        lines.insert(5, "{not json".into());
    }
    lines.join("\n")
}

fn failing(text: &str) -> Vec<&'static str> {
    let log = crate::core::session::testing::load(text);
    let input = Input {
        session: log.session(),
        interner: &log.interner,
        carries: Carries::ALL,
        now: None,
    };
    run(&input, &Config::default())
        .into_iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| r.id)
        .collect()
}

#[test]
fn clean_native_run_fails_no_rule() {
    assert_eq!(failing(&native("")), Vec::<&str>::new());
}

#[test]
fn each_fault_trips_exactly_its_rule() {
    assert_eq!(failing(&native("drop-tool-result")), ["tool-pairing"]);
    assert_eq!(failing(&native("late-event")), ["lifecycle"]);
    assert_eq!(failing(&native("malformed")), ["stream-health"]);
}

#[test]
fn findings_are_told_apart_by_id_and_keep_it_across_recomputes() {
    // A rule that breaks (era A warns) and a session that does not (era B passes): each
    // finding has its own id, and the same finding recomputed has the same one.
    for name in ["era-a-session.jsonl", "era-b-session.jsonl"] {
        let log = fixture(name);
        let input = Input {
            session: log.session(),
            interner: &log.interner,
            carries: Carries::ALL,
            now: None,
        };
        let first = run(&input, &Config::default());
        let again = run(&input, &Config::default());
        for (a, b) in first.iter().zip(&again) {
            let ids: Vec<_> = a.findings.iter().map(|f| f.id()).collect();
            let unique: std::collections::HashSet<_> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{name} {}: {ids:?}", a.id);
            let ids_again: Vec<_> = b.findings.iter().map(|f| f.id()).collect();
            assert_eq!(ids, ids_again);
        }
    }
    let f = super::Finding::new("tool-pairing/orphan", super::Severity::Error, "x")
        .at([Pos(4), Pos(9)]);
    assert_eq!(f.id().to_string(), "tool-pairing/orphan@4,9");
    assert_ne!(f.id(), f.clone().at([Pos(10)]).id());
}

#[test]
fn a_receiver_s_dropped_spans_fail_stream_health_and_late_ones_warn() {
    use crate::core::entry::Entry;
    use crate::core::session::StreamIssue;
    let judge = |issue: Option<StreamIssue>| {
        let mut log = crate::core::session::testing::load(&native(""));
        if let Some(issue) = issue {
            log.push(Entry::note(issue));
        }
        let input = Input {
            session: log.session(),
            interner: &log.interner,
            carries: Carries::ALL,
            now: None,
        };
        let health = run(&input, &Config::default())
            .into_iter()
            .find(|r| r.id == "stream-health")
            .expect("stream-health");
        let codes: Vec<String> = health.findings.iter().map(|f| f.code.to_string()).collect();
        (health.status, codes)
    };
    assert_eq!(judge(None), (Status::Pass, vec![]));
    let dropped = StreamIssue::Dropped {
        spans: 3,
        reason: "over the cap".into(),
    };
    assert_eq!(
        judge(Some(dropped)),
        (Status::Fail, vec!["stream-health/dropped".to_string()])
    );
    assert_eq!(
        judge(Some(StreamIssue::Late { spans: 1 })),
        (Status::Warn, vec!["stream-health/late-spans".to_string()])
    );
}
