//! Rule `required-events`: the session contains all five critical event types, and each completed run has `agent_started`, `agent_thinking` and `agent_completed` (missing tool events in a run are a warning).

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::event::Kind;
use crate::core::session::{AgentStatus, FactKind, RunIx};
use std::collections::HashSet;

fn name(kind: Kind) -> &'static str {
    kind.name().unwrap_or("?")
}

pub fn check(input: &Input, _t: &Thresholds) -> Judgement {
    let s = input.session;
    let mut j = Judgement {
        judged: true,
        ..Judgement::default()
    };
    let carried = |k: Kind| k != Kind::AgentThinking || input.carries.thinking;
    if !input.carries.thinking {
        j.not_judged
            .push("the format carries no agent_thinking events".into());
    }
    let missing: Vec<&str> = Kind::CRITICAL
        .iter()
        .filter(|&&k| carried(k) && s.kind_counts.get(&k).copied().unwrap_or(0) == 0)
        .map(|&k| name(k))
        .collect();
    let waiting = super::live::any_open(s) || s.runs.is_empty();
    if !missing.is_empty() && input.now.is_some() && waiting {
        // Live, with runs still open or none yet: the missing types may yet come.
        j.pending = true;
    } else if !missing.is_empty() {
        j.findings.push(Finding::new(
            "required-events/missing-type",
            Severity::Error,
            format!("the session has no {} event", missing.join(", no ")),
        ));
    }
    per_run(input, &carried, &mut j.findings);
    j
}

/// Each completed run has the agent events, and (a warning) tool events.
fn per_run(input: &Input, carried: &dyn Fn(Kind) -> bool, out: &mut Vec<Finding>) {
    let s = input.session;
    // Kinds per run, from the facts.
    let mut kinds: Vec<HashSet<Kind>> = vec![HashSet::new(); s.runs.len()];
    for f in &s.facts {
        if let (FactKind::Event(k), Some(r)) = (f.kind, f.run()) {
            kinds[r.index()].insert(k);
        }
    }
    for (ix, run) in s.runs.iter().enumerate() {
        let Some(root) = run.root else { continue };
        let root = &s.agents[root];
        let completed = matches!(
            root.status,
            AgentStatus::Completed | AgentStatus::Failed | AgentStatus::FellBack
        ) && root.end_pos.is_some();
        if !completed {
            continue;
        }
        let has = &kinds[ix];
        let lacking: Vec<&str> = [
            Kind::AgentStarted,
            Kind::AgentThinking,
            Kind::AgentCompleted,
        ]
        .into_iter()
        .filter(|&k| carried(k) && !has.contains(&k))
        .map(name)
        .collect();
        let run_ix = RunIx::new(ix);
        let evidence = [run.first_pos, run.last_pos];
        if !lacking.is_empty() {
            out.push(
                Finding::new(
                    "required-events/run-missing",
                    Severity::Error,
                    format!(
                        "run {} completed without {}",
                        input.run_id(run_ix),
                        lacking.join(" or ")
                    ),
                )
                .in_run(run_ix)
                .at(evidence),
            );
        }
        let tools: Vec<&str> = [Kind::ToolExecuting, Kind::ToolCompleted]
            .into_iter()
            .filter(|k| !has.contains(k))
            .map(name)
            .collect();
        if !tools.is_empty() {
            out.push(
                Finding::new(
                    "required-events/run-no-tools",
                    Severity::Warn,
                    format!(
                        "run {} completed without {}",
                        input.run_id(run_ix),
                        tools.join(" or ")
                    ),
                )
                .in_run(run_ix)
                .at(evidence),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::run_on;
    use super::super::Status;
    use super::check;
    use crate::core::carries::Carries;

    #[test]
    fn thinking_not_carried_is_not_judged() {
        let log = crate::core::session::testing::load(
            r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}
{"type":"tool_executing","payload":{"run_id":"r1","agent_name":"sup","tool_name":"q"}}
{"type":"tool_completed","payload":{"run_id":"r1","agent_name":"sup","tool_name":"q"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup"}}"#,
        );
        let carries = Carries {
            thinking: false,
            ..Carries::ALL
        };
        let r = run_on(&log, carries, check);
        assert_eq!(r.status, Status::Pass, "{:?}", r.findings);
        assert!(r.reason.unwrap().contains("agent_thinking"));
    }

    #[test]
    fn nothing_received_live_is_pending_and_read_whole_is_a_failure() {
        let log = crate::core::session::testing::load("");
        let judge = |now| {
            let input = super::super::Input {
                session: log.session(),
                interner: &log.interner,
                carries: Carries::ALL,
                now,
            };
            super::super::verdict("t", check(&input, &Default::default()))
        };
        assert_eq!(judge(Some(1000.0)).status, Status::Pending);
        let whole = judge(None);
        assert_eq!(whole.status, Status::Fail);
        assert_eq!(whole.findings[0].code, "required-events/missing-type");
    }
}
