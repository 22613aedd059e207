//! Session derivation tests: the Netra fixtures and small constructed sessions for each rule
//! of model.md.

use crate::core::link::Dir;
use crate::core::log::{Keep, Log};

/// A finished log of bare JSONL lines: requests (`user_message`, `start_agent`) as sent by the
/// client, everything else as received.
pub(crate) fn load(text: &str) -> Log {
    let mut log = Log::new(Keep::All);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let sent = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("type")?.as_str().map(str::to_string))
            .is_some_and(|t| t == "user_message" || t == "start_agent");
        let dir = if sent { Dir::Out } else { Dir::In };
        log.push_frame(None, dir, line);
    }
    log.finish();
    log
}

fn turns(log: &Log) -> usize {
    log.session().turns.len()
}

#[test]
fn a_server_sent_user_message_opens_no_turn() {
    // Netra rewrites the types it does not know to `user_message`, sent by the server.
    let mut log = Log::new(Keep::All);
    let text = r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}
{"type":"user_message","payload":{"subagent_name":"triage","status":"started"}}
{"type":"user_message","payload":{"subagent_name":"triage","status":"completed"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup"}}"#;
    for line in text.lines() {
        log.push_frame(None, Dir::In, line);
    }
    log.finish();
    assert_eq!(turns(&log), 1);
    assert!(log.session().messages.is_empty());
}

#[test]
fn two_users_runs_without_threads_are_two_turns() {
    let log = load(
        r#"{"type":"agent_started","payload":{"run_id":"r1","user_id":"alice","agent_name":"sup"}}
{"type":"agent_started","payload":{"run_id":"r2","user_id":"bob","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r1","user_id":"alice","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r2","user_id":"bob","agent_name":"sup"}}"#,
    );
    assert_eq!(turns(&log), 2);
    // One user's two runs at once still share the user's turn, as before.
    let log = load(
        r#"{"type":"agent_started","payload":{"run_id":"r1","user_id":"alice","agent_name":"sup"}}
{"type":"agent_started","payload":{"run_id":"r2","user_id":"alice","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r1","user_id":"alice","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r2","user_id":"alice","agent_name":"sup"}}"#,
    );
    assert_eq!(turns(&log), 1);
}

#[test]
fn a_frame_of_one_thread_never_joins_another_threads_run() {
    // Era A: thinking carries no run id, only the thread; bob's step-0 thought arrives while
    // alice's run is open and before bob's run starts.
    let log = load(
        r#"{"type":"agent_started","thread_id":"ta","payload":{"run_id":"ra","agent_name":"sup"}}
{"type":"agent_thinking","thread_id":"tb","payload":{"agent_name":"sup","step_number":0}}
{"type":"agent_started","thread_id":"tb","payload":{"run_id":"rb","agent_name":"sup"}}
{"type":"agent_completed","thread_id":"ta","payload":{"run_id":"ra","agent_name":"sup"}}
{"type":"final_report","thread_id":"tb","payload":{"agent_name":"sup"}}
{"type":"agent_completed","thread_id":"tb","payload":{"run_id":"rb","agent_name":"sup"}}
{"type":"final_report","thread_id":"ta","payload":{"agent_name":"sup"}}"#,
    );
    let s = log.session();
    let run_of = |pos: usize| {
        s.facts[pos]
            .run()
            .map(|r| log.interner.resolve(s.runs[r].id))
    };
    assert_eq!(run_of(1), Some("rb"), "held until its thread's run starts");
    assert_eq!(run_of(4), Some("rb"));
    assert_eq!(
        run_of(6),
        Some("ra"),
        "a trailing report goes to its thread's last run"
    );
    assert!(s
        .anomalies
        .iter()
        .all(|a| !matches!(a, crate::core::session::Anomaly::IdentityChange { .. })));
}

#[test]
fn a_trailing_report_between_two_completions_keeps_them_a_duplicate() {
    let log = load(
        r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup","result":{"success":true}}}
{"type":"final_report","payload":{"run_id":"r1","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup","status":"completed"}}"#,
    );
    let a = &log.session().anomalies;
    use crate::core::session::{Anomaly, Pos};
    assert!(
        a.iter()
            .any(|x| matches!(x, Anomaly::DuplicateComplete { pos: Pos(3), .. })),
        "{a:?}"
    );
    assert!(
        !a.iter().any(|x| matches!(x, Anomaly::AfterComplete { .. })),
        "{a:?}"
    );
    // Another event of the agent between the two completions is an event after completion.
    let log = load(
        r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup"}}
{"type":"agent_thinking","payload":{"run_id":"r1","agent_name":"sup"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup"}}"#,
    );
    let a = &log.session().anomalies;
    assert!(
        a.iter().any(|x| matches!(x, Anomaly::AfterComplete { .. })),
        "{a:?}"
    );
}

#[test]
fn without_run_ids_or_threads_a_tool_goes_where_it_is_unambiguous() {
    // Netra era A: two runs at once, tool frames carry neither a run id nor a thread.
    let log = load(
        r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"data"}}
{"type":"agent_started","payload":{"run_id":"r2","agent_name":"opt"}}
{"type":"tool_executing","payload":{"agent_name":"data","tool_name":"q"}}
{"type":"tool_executing","payload":{"agent_name":"ToolExecutor","tool_name":"z"}}
{"type":"tool_completed","payload":{"agent_name":"ToolExecutor","tool_name":"q"}}
{"type":"tool_completed","payload":{"agent_name":"ToolExecutor","tool_name":"z"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"data"}}
{"type":"agent_completed","payload":{"run_id":"r2","agent_name":"opt"}}"#,
    );
    let s = log.session();
    let run = |c: usize| log.interner.resolve(s.runs[s.calls[c].run.index()].id);
    assert_eq!(s.calls.len(), 2, "each completion paired, no orphan");
    assert_eq!(run(0), "r1", "data runs only in r1");
    assert_eq!(run(1), "r2", "a guess: the run started last");
    for c in 0..2 {
        assert_eq!(s.calls[c].status, crate::core::session::CallStatus::Ok);
        assert_eq!(s.calls[c].pairing, crate::core::session::Source::Inferred);
    }
}

#[test]
fn a_forgetting_log_still_decides_turns_and_forgets_old_frames() {
    // A user message, 20,000 frames of an agent that starts only after them (each one held
    // for it), frames of no run at all, then the agent and the run complete.
    let mut frames = vec![
        r#"{"type":"user_message","payload":{"content":"go"}}"#.to_owned(),
        r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}"#.to_owned(),
    ];
    for i in 0..20_000 {
        frames.push(format!(
            r#"{{"type":"agent_thinking","payload":{{"run_id":"r1","agent_name":"late","n":{i}}}}}"#
        ));
        frames.push(r#"{"type":"mystery","payload":{}}"#.to_owned());
    }
    frames.push(r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"late"}}"#.into());
    frames
        .push(r#"{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"late"}}"#.into());
    frames
        .push(r#"{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup"}}"#.into());
    let derive = |keep| {
        let mut log = Log::new(keep);
        for (i, f) in frames.iter().enumerate() {
            log.push_frame(Some(i as f64), if i == 0 { Dir::Out } else { Dir::In }, f);
        }
        log
    };
    let (lean, full) = (derive(Keep::Turns), derive(Keep::Summary));
    let (l, f) = (lean.session(), full.session());
    assert!(l.runs.iter().all(|r| r.closed) && l.messages.len() == 1);
    assert_eq!(turn_done_parts(l), turn_done_parts(f));
    assert_eq!(l.facts.len(), f.facts.len());
    assert!(l.facts.get(0).is_none() && f.facts.get(0).is_some());
    assert!(l.facts.last().is_some());
    assert!(l.stream.len() < 5_000 && f.stream.len() >= 20_000);
}

/// What decides turns: messages, runs and whether each closed, open runs.
fn turn_done_parts(s: &super::Session) -> (usize, Vec<bool>, usize) {
    let closed = s.runs.iter().map(|r| r.closed).collect();
    (s.messages.len(), closed, s.open_runs().len())
}
