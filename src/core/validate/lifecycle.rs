//! Rule `lifecycle`: per agent instance nothing comes before its `agent_started` or after its `agent_completed`, it starts and completes once, and its producer timestamps never go backwards.

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::event::Kind;
use crate::core::session::Anomaly;

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
    for an in &s.anomalies {
        let f = match *an {
            Anomaly::BeforeStart { agent, pos, kind } => {
                let a = &s.agents[agent as usize];
                let label = input.agent_label(agent);
                match a.start_pos {
                    None => Finding::new(
                        "lifecycle/before-start",
                        Severity::Error,
                        format!("agent {label} sent {} without ever starting", kind_name(kind)),
                    )
                    .of_agent(input, agent)
                    .at([pos]),
                    Some(start) if kind == Kind::AgentThinking => Finding::new(
                        "lifecycle/thinking-before-start",
                        Severity::Warn,
                        format!("agent {label} was thinking before its agent_started (a step-0 thought)"),
                    )
                    .of_agent(input, agent)
                    .at([pos, start]),
                    Some(start) => Finding::new(
                        "lifecycle/before-start",
                        Severity::Error,
                        format!("agent {label} sent {} before its agent_started", kind_name(kind)),
                    )
                    .of_agent(input, agent)
                    .at([pos, start]),
                }
            }
            Anomaly::AfterComplete { agent, pos, kind } => {
                let a = &s.agents[agent as usize];
                Finding::new(
                    "lifecycle/after-completed",
                    Severity::Error,
                    format!(
                        "agent {} sent {} after it completed",
                        input.agent_label(agent),
                        kind_name(kind)
                    ),
                )
                .of_agent(input, agent)
                .at([pos])
                .at(a.end_pos)
            }
            Anomaly::DuplicateStart { agent, pos } => {
                let a = &s.agents[agent as usize];
                Finding::new(
                    "lifecycle/duplicate-start",
                    Severity::Warn,
                    format!("agent {} was started twice", input.agent_label(agent)),
                )
                .of_agent(input, agent)
                .at([pos])
                .at(a.start_pos)
            }
            Anomaly::DuplicateComplete { agent, pos } => {
                let a = &s.agents[agent as usize];
                Finding::new(
                    "lifecycle/duplicate-complete",
                    Severity::Warn,
                    format!("agent {} completed twice", input.agent_label(agent)),
                )
                .of_agent(input, agent)
                .at([pos])
                .at(a.end_pos)
            }
            Anomaly::TimeBackwards { agent, pos } => Finding::new(
                "lifecycle/time-backwards",
                Severity::Warn,
                format!(
                    "agent {}'s producer timestamp went backwards",
                    input.agent_label(agent)
                ),
            )
            .of_agent(input, agent)
            .at([pos]),
            Anomaly::UnknownAgent { run, name, pos } => {
                let kind = match s.facts[pos as usize].kind {
                    crate::core::session::FactKind::Event(k) => kind_name(k),
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
            _ => continue,
        };
        j.findings.push(f);
    }
    j
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
