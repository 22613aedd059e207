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

/// A call without its one result: an orphan result, a call never completed, one left open
/// after its agent ended.
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
        CallStatus::Aborted if call.done_pos.is_none() => Finding::new(
            "tool-pairing/never-completed",
            Severity::Error,
            format!("tool call {label} never completed"),
        )
        .at(call.exec_pos),
        CallStatus::Aborted => Finding::new(
            "tool-pairing/never-completed",
            Severity::Error,
            format!("tool call {label} never completed (closed as aborted)"),
        )
        .at(call.exec_pos)
        .at(call.done_pos),
        CallStatus::Open => {
            // An open call of a running agent is in flight; one whose agent ended is not.
            let a = call.agent?;
            let agent = &s.agents[a];
            if agent.is_running() {
                return None;
            }
            Finding::new(
                "tool-pairing/open-after-agent-ended",
                Severity::Error,
                format!(
                    "tool call {label} is still open although agent {} has ended",
                    input.agent_label(a)
                ),
            )
            .at(call.exec_pos)
            .at(agent.end_pos)
        }
        CallStatus::Ok | CallStatus::Error => return None,
    };
    let f = match call.agent {
        Some(a) => f.of_agent(input, a),
        None => f,
    };
    Some(f.in_run(call.run))
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

    #[test]
    fn open_call_of_running_agent_is_in_flight() {
        // A live session (not finished): the call is open and its agent still runs.
        let mut log = crate::core::log::Log::new(crate::core::log::Keep::All);
        for line in [
            r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}"#,
            r#"{"type":"tool_executing","payload":{"run_id":"r1","agent_name":"sup","tool_name":"q"}}"#,
        ] {
            log.push_frame(None, crate::core::link::Dir::In, line);
        }
        let r = run_on(&log, Carries::ALL, check);
        assert_eq!(r.status, Status::Pass, "{:?}", r.findings);
        log.push_frame(
            None,
            crate::core::link::Dir::In,
            r#"{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup"}}"#,
        );
        let r = run_on(&log, Carries::ALL, check);
        assert_eq!(codes(&r), ["tool-pairing/open-after-agent-ended"]);
        assert_eq!(r.findings[0].frames, [Pos(1), Pos(2)]);
    }
}
