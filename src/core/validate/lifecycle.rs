//! Rule `lifecycle`: per agent instance nothing comes before its `agent_started` or after its `agent_completed`, it starts and completes once, and its producer timestamps never go backwards.

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::event::Kind;
use crate::core::intern::Sym;
use crate::core::session::{AgentIx, Anomaly, FactKind, Pos, RunIx};

fn kind_name(kind: Kind) -> &'static str {
    kind.name().unwrap_or("an unknown event")
}

pub fn check(input: &Input, _t: &Thresholds) -> Judgement {
    let s = input.session;
    let mut j = Judgement::default();
    if s.agents.is_empty() && s.runs.is_empty() {
        j.not_judged.push("no agent events".into());
        return j;
    }
    j.judged = true;
    if !s.facts.iter().any(|f| f.at.ts().is_some()) {
        j.not_judged
            .push("no producer timestamps, time order within an agent not judged".into());
    }
    j.findings
        .extend(s.anomalies.iter().filter_map(|an| finding(input, an)));
    j
}

/// The finding an anomaly of an agent's life makes, if it is one this rule judges.
fn finding(input: &Input, an: &Anomaly) -> Option<Finding> {
    let s = input.session;
    let label = |agent| input.agent_label(agent);
    let (f, agent, pos, earlier) = match *an {
        Anomaly::BeforeStart { agent, pos, kind } => {
            return Some(before_start(input, agent, pos, kind))
        }
        Anomaly::UnknownAgent { run, name, pos } => {
            return Some(unknown_agent(input, run, name, pos))
        }
        Anomaly::AfterComplete { agent, pos, kind } => (
            Finding::new(
                "lifecycle/after-completed",
                Severity::Error,
                format!(
                    "agent {} sent {} after it completed",
                    label(agent),
                    kind_name(kind)
                ),
            ),
            agent,
            pos,
            s.agents[agent].end_pos,
        ),
        Anomaly::DuplicateStart { agent, pos } => (
            Finding::new(
                "lifecycle/duplicate-start",
                Severity::Warn,
                format!("agent {} was started twice", label(agent)),
            ),
            agent,
            pos,
            s.agents[agent].start_pos,
        ),
        Anomaly::DuplicateComplete { agent, pos } => (
            Finding::new(
                "lifecycle/duplicate-complete",
                Severity::Warn,
                format!("agent {} completed twice", label(agent)),
            ),
            agent,
            pos,
            s.agents[agent].end_pos,
        ),
        Anomaly::TimeBackwards { agent, pos } => (
            Finding::new(
                "lifecycle/time-backwards",
                Severity::Warn,
                format!("agent {}'s producer timestamp went backwards", label(agent)),
            ),
            agent,
            pos,
            None,
        ),
        _ => return None,
    };
    Some(f.of_agent(input, agent).at([pos]).at(earlier))
}

/// An event of an agent before its `agent_started`, or of one that never started.
fn before_start(input: &Input, agent: AgentIx, pos: Pos, kind: Kind) -> Finding {
    let label = input.agent_label(agent);
    let f = match input.session.agents[agent].start_pos {
        None => Finding::new(
            "lifecycle/before-start",
            Severity::Error,
            format!(
                "agent {label} sent {} without ever starting",
                kind_name(kind)
            ),
        )
        .at([pos]),
        Some(start) if kind == Kind::AgentThinking => Finding::new(
            "lifecycle/thinking-before-start",
            Severity::Warn,
            format!("agent {label} was thinking before its agent_started (a step-0 thought)"),
        )
        .at([pos, start]),
        Some(start) => Finding::new(
            "lifecycle/before-start",
            Severity::Error,
            format!(
                "agent {label} sent {} before its agent_started",
                kind_name(kind)
            ),
        )
        .at([pos, start]),
    };
    f.of_agent(input, agent)
}

/// An event naming an agent that never started in its run.
fn unknown_agent(input: &Input, run: RunIx, name: Sym, pos: Pos) -> Finding {
    let kind = match input.session.facts[pos.index()].kind {
        FactKind::Event(k) => kind_name(k),
        _ => "an event",
    };
    Finding::new(
        "lifecycle/unknown-agent",
        Severity::Error,
        format!(
            "{kind} of agent {}, which never started in run {}",
            input.interner.resolve(name),
            input.run_id(run)
        ),
    )
    .in_run(run)
    .at([pos])
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::judge;
    use super::super::Status;
    use super::check;

    #[test]
    fn empty_session_skips() {
        let r = judge("", check);
        assert_eq!(r.status, Status::Skip);
    }
}
