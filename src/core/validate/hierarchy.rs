//! Rule `hierarchy`: each run has one root, no cycles, every sub-agent reachable from the root, and a parent completes only after all its children; inferred edges are listed.

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::session::{AgentIx, Run, RunIx, Session, Source};
use std::collections::{HashMap, HashSet};

pub fn check(input: &Input, _t: &Thresholds) -> Judgement {
    let s = input.session;
    let mut j = Judgement::default();
    for (rix, run) in s.runs.iter().enumerate() {
        let Some(root) = run.root else { continue };
        j.judged = true;
        let tree = Tree {
            rix: RunIx::new(rix),
            run,
            root,
            reach: reach_of(s, &run.agents, root),
        };
        let mut inferred = Vec::new();
        for &a in &run.agents {
            if a == root {
                continue;
            }
            let ag = &s.agents[a];
            if ag.parent.is_none() {
                j.findings.push(rootless(input, &tree, a));
                continue;
            }
            j.findings.extend(unreachable(input, &tree, a));
            if ag.parent_source == Source::Inferred {
                inferred.push(a);
            }
            j.findings.extend(outlives_parent(input, &tree, a));
        }
        if !inferred.is_empty() {
            j.findings.push(inferred_edges(input, &tree, &inferred));
        }
    }
    if !j.judged {
        j.not_judged.push("no agents".into());
    }
    if !input.carries.parent_waits && !s.agents.is_empty() {
        j.not_judged.push(
            "the format's agent links are hand-offs, so a parent completing before its child is not judged".into(),
        );
    }
    j
}

/// One run's tree as the sub-checks read it.
struct Tree<'r> {
    rix: RunIx,
    run: &'r Run,
    root: AgentIx,
    reach: HashMap<AgentIx, Reach>,
}

/// An agent other than the root with no parent: a second root, or a parent named that is
/// not an agent of the run.
fn rootless(input: &Input, tree: &Tree, a: AgentIx) -> Finding {
    let ag = &input.session.agents[a];
    let label = input.agent_label(a);
    let rid = input.run_id(tree.rix);
    let f = match ag.dangling_parent {
        Some(p) => Finding::new(
            "hierarchy/unreachable",
            Severity::Error,
            format!(
                "agent {label} names parent {}, which is not an agent of run {rid}",
                input.interner.resolve(p)
            ),
        ),
        None => Finding::new(
            "hierarchy/multiple-roots",
            Severity::Error,
            format!(
                "agent {label} has no parent: a second root in run {rid} (the root is {})",
                input.agent_label(tree.root)
            ),
        ),
    };
    f.of_agent(input, a).at(ag.start_pos.or(Some(ag.last_pos)))
}

/// Up the parents: a cycle, or a chain that never reaches the root.
fn unreachable(input: &Input, tree: &Tree, a: AgentIx) -> Option<Finding> {
    let ag = &input.session.agents[a];
    let label = input.agent_label(a);
    let f = match tree.reach.get(&a) {
        Some(Reach::Cycle) => Finding::new(
            "hierarchy/cycle",
            Severity::Error,
            format!("agent {label}'s chain of parents loops back on itself"),
        ),
        // Reached an agent without parent other than the root: reported there unless
        // its parent is in another run.
        Some(Reach::Elsewhere) => Finding::new(
            "hierarchy/unreachable",
            Severity::Error,
            format!(
                "agent {label} cannot be reached from the root {} of run {}",
                input.agent_label(tree.root),
                input.run_id(tree.rix)
            ),
        ),
        _ => return None,
    };
    Some(f.of_agent(input, a).at(ag.start_pos))
}

/// A parent completes after its children (not judged for hand-offs).
fn outlives_parent(input: &Input, tree: &Tree, a: AgentIx) -> Option<Finding> {
    let s = input.session;
    let ag = &s.agents[a];
    if !input.carries.parent_waits || (ag.handoff_from.is_some() && ag.handoff_from == ag.parent) {
        return None;
    }
    let p = ag.parent?;
    let parent = &s.agents[p];
    let pend = parent.end_pos?;
    let clock = tree.run.clock();
    // A child that failed at an error without completing ended there.
    let child_end = match (ag.end_pos, ag.failed_at()) {
        (Some(end), _) => Some((end, ag.ended)),
        (None, Some(error)) => Some((error, Some(s.facts[error.index()].at.times()))),
        (None, None) => None,
    };
    let late = match child_end {
        None => true,
        Some((cend, cended)) => {
            let times = (
                cended.as_ref().and_then(|t| clock.of(t)),
                parent.ended.as_ref().and_then(|t| clock.of(t)),
            );
            match times {
                (Some(c), Some(pt)) => c > pt || (c == pt && cend > pend),
                _ => cend > pend,
            }
        }
    };
    if !late {
        return None;
    }
    let what = if child_end.is_none() {
        "was still running when its parent"
    } else {
        "completed after its parent"
    };
    Some(
        Finding::new(
            "hierarchy/child-outlives-parent",
            Severity::Error,
            format!(
                "agent {} {what} {} completed",
                input.agent_label(a),
                input.agent_label(p)
            ),
        )
        .of_agent(input, a)
        .at(child_end.map(|(p, _)| p).or(ag.start_pos))
        .at([pend]),
    )
}

/// The parent links of a run that orchscope inferred, listed as one finding.
fn inferred_edges(input: &Input, tree: &Tree, inferred: &[AgentIx]) -> Finding {
    let s = input.session;
    let edges: Vec<String> = inferred
        .iter()
        .map(|&a| {
            let p = s.agents[a].parent.unwrap_or(tree.root);
            format!("{} → {}", input.agent_name(p), input.agent_name(a))
        })
        .collect();
    Finding::new(
        "hierarchy/inferred-edges",
        Severity::Info,
        format!(
            "run {}: {} parent link{} inferred (no parent_agent_id or exact subagent_started): {}",
            input.run_id(tree.rix),
            edges.len(),
            if edges.len() == 1 { "" } else { "s" },
            edges.join(", ")
        ),
    )
    .in_run(tree.rix)
    .at(inferred.iter().filter_map(|&a| s.agents[a].start_pos))
}

/// Where an agent's chain of parents leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    Root,
    /// Back onto itself (or into a loop).
    Cycle,
    /// To an agent with no parent that is not the root.
    Elsewhere,
}

/// Where each agent's chain of parents leads, each agent resolved once (a walk stops at an
/// agent already resolved), so deep chains cost linear time.
fn reach_of(s: &Session, agents: &[AgentIx], root: AgentIx) -> HashMap<AgentIx, Reach> {
    let mut reach: HashMap<AgentIx, Reach> = HashMap::with_capacity(agents.len());
    reach.insert(root, Reach::Root);
    let mut on_path: HashSet<AgentIx> = HashSet::new();
    for &start in agents {
        let mut path = Vec::new();
        let mut cur = Some(start);
        let found = loop {
            let Some(a) = cur else {
                break Reach::Elsewhere;
            };
            if let Some(&r) = reach.get(&a) {
                break r;
            }
            if !on_path.insert(a) {
                break Reach::Cycle;
            }
            path.push(a);
            cur = s.agents[a].parent;
        };
        for a in path {
            on_path.remove(&a);
            reach.insert(a, found);
        }
    }
    reach
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{codes, run_on};
    use super::super::Status;
    use super::check;
    use crate::core::carries::Carries;

    #[test]
    fn hand_offs_may_outlive_the_agent_that_handed_off() {
        let log = crate::core::session::testing::load(
            r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"orchestrator","agent_id":"o"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_id":"o"}}
{"type":"agent_started","payload":{"run_id":"r1","agent_name":"writer","agent_id":"w","parent_agent_id":"o"}}
{"type":"agent_completed","payload":{"run_id":"r1","agent_id":"w"}}"#,
        );
        let delegation = run_on(&log, Carries::ALL, check);
        assert_eq!(codes(&delegation), ["hierarchy/child-outlives-parent"]);
        let hand_off = run_on(
            &log,
            Carries {
                parent_waits: false,
                ..Carries::ALL
            },
            check,
        );
        assert_eq!(hand_off.status, Status::Pass);
        assert!(hand_off
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("hand-offs"));
    }
}
