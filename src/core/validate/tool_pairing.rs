//! Rule `tool-pairing`: every `tool_executing` has exactly one `tool_completed` (no orphans, no duplicate ids, nothing left open when the stream or its agent ended), and tool events name the agent that ran them.

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::event::Kind;
use crate::core::session::{Anomaly, CallIx, CallStatus, ToolCall};

pub fn check(input: &Input, t: &Thresholds) -> Judgement {
    let s = input.session;
    let mut j = Judgement::default();
    let tool_events = [Kind::ToolExecuting, Kind::ToolCompleted]
        .iter()
        .any(|k| s.kind_counts.get(k).copied().unwrap_or(0) > 0);
    if !tool_events {
        j.not_judged.push("no tool events".into());
        return j;
    }
    j.judged = true;
    if !input.carries.tool_call_ids {
        j.not_judged
            .push("the format carries no tool-call ids, duplicate ids not judged".into());
    }
    for (ix, call) in s.calls.iter().enumerate() {
        j.findings.extend(unpaired(input, CallIx::new(ix), call));
    }
    j.findings
        .extend(s.anomalies.iter().filter_map(|an| repeated(input, an)));
    super::live::stale_calls(input, t, &mut j);
    j
}

/// A call without its one result: an orphan result, a call never completed.
fn unpaired(input: &Input, ix: CallIx, call: &ToolCall) -> Option<Finding> {
    let s = input.session;
    let label = input.call_label(ix);
    let f = match call.status {
        CallStatus::Orphan => Finding::new(
            "tool-pairing/orphan",
            Severity::Error,
            format!("tool result {label} matches no tool_executing"),
        )
        .at(call.done_pos),
        CallStatus::Aborted if call.done_pos.is_none() => never_completed(input, ix, call),
        CallStatus::Aborted => Finding::new(
            "tool-pairing/never-completed",
            Severity::Error,
            format!("tool call {label} never completed (closed as aborted)"),
        )
        .at(call.exec_pos)
        .at(call.done_pos),
        // An open call of a running agent is in flight; one whose agent ended never completes.
        CallStatus::Open if s.agents[call.agent?].is_running() => return None,
        CallStatus::Open => never_completed(input, ix, call),
        CallStatus::Ok | CallStatus::Error => return None,
    };
    let f = match call.agent {
        Some(a) => f.of_agent(input, a),
        None => f,
    };
    Some(f.in_run(call.run))
}

/// A call that will never have its result: its agent ended while it was open, or the stream
/// did. One definition for a live session (the call is still open, its agent has ended) and a
/// finished one (the end of the stream closed the call as aborted), so the same fault is the
/// same finding, with the same evidence, live, in replay and headless.
fn never_completed(input: &Input, ix: CallIx, call: &ToolCall) -> Finding {
    let label = input.call_label(ix);
    let ended = call.agent.and_then(|a| {
        let agent = &input.session.agents[a];
        agent.end_pos.map(|end| (a, end))
    });
    match ended {
        Some((a, end)) => Finding::new(
            "tool-pairing/never-completed",
            Severity::Error,
            format!(
                "tool call {label} never completed: agent {} ended without its result",
                input.agent_label(a)
            ),
        )
        .at(call.exec_pos)
        .at(Some(end)),
        None => Finding::new(
            "tool-pairing/never-completed",
            Severity::Error,
            format!("tool call {label} never completed"),
        )
        .at(call.exec_pos),
    }
}

/// A call id used twice, a call completed twice, a tool event re-attributed.
fn repeated(input: &Input, an: &Anomaly) -> Option<Finding> {
    let s = input.session;
    let (code, severity, call, pos, message) = match *an {
        Anomaly::DuplicateCallId { call, pos } => (
            "tool-pairing/duplicate-id",
            Severity::Error,
            call,
            pos,
            format!(
                "tool call {} was started again with the same id while still open",
                input.call_label(call)
            ),
        ),
        Anomaly::DuplicateCompletion { call, pos } => (
            "tool-pairing/duplicate-completion",
            Severity::Error,
            call,
            pos,
            format!(
                "tool call {} completed more than once",
                input.call_label(call)
            ),
        ),
        Anomaly::Reattributed { call, name, pos } => (
            "tool-pairing/reattributed",
            Severity::Warn,
            call,
            pos,
            format!(
                "tool call {} names agent {}, which never ran in run {}; attributed to {} (inferred)",
                input.name(s.calls[call].tool),
                input.interner.resolve(name),
                input.run_id(s.calls[call].run),
                s.calls[call]
                    .agent
                    .map_or("no agent".to_string(), |a| input.agent_label(a)),
            ),
        ),
        _ => return None,
    };
    let c = &s.calls[call];
    let first = match an {
        Anomaly::DuplicateCallId { .. } => c.exec_pos,
        Anomaly::DuplicateCompletion { .. } => c.done_pos,
        _ => None,
    };
    let mut f = Finding::new(code, severity, message)
        .in_run(c.run)
        .at([pos])
        .at(first);
    if let Some(a) = c.agent {
        f = f.of_agent(input, a);
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{codes, run_on};
    use super::super::Status;
    use super::check;
    use crate::core::carries::Carries;
    use crate::core::session::Pos;

    use crate::core::log::Log;

    /// A run whose agent started and called a tool, still open.
    fn calling() -> Log {
        let mut log = Log::new(crate::core::log::Keep::All);
        for line in [
            r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}"#,
            r#"{"type":"tool_executing","payload":{"run_id":"r1","agent_name":"sup","tool_name":"q"}}"#,
        ] {
            log.push_frame(None, crate::core::link::Dir::In, line);
        }
        log
    }

    #[test]
    fn open_call_of_running_agent_is_in_flight() {
        // A live session (not finished): the call is open and its agent still runs.
        let mut log = calling();
        let r = run_on(&log, Carries::ALL, check);
        assert_eq!(r.status, Status::Pass, "{:?}", r.findings);
        log.push_frame(
            None,
            crate::core::link::Dir::In,
            r#"{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup"}}"#,
        );
        let r = run_on(&log, Carries::ALL, check);
        assert_eq!(codes(&r), ["tool-pairing/never-completed"]);
        assert_eq!(r.findings[0].frames, [Pos(1), Pos(2)]);
        // The same session once the stream has ended: the same finding, not another code.
        let live = r.findings.clone();
        log.finish();
        let r = run_on(&log, Carries::ALL, check);
        assert_eq!(r.findings, live);
    }

    #[test]
    fn a_call_cut_off_with_its_running_agent_never_completed() {
        let mut log = calling();
        log.finish();
        let r = run_on(&log, Carries::ALL, check);
        assert_eq!(codes(&r), ["tool-pairing/never-completed"]);
        assert_eq!(r.findings[0].frames, [Pos(1)]);
    }
}
