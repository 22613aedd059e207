//! A run's agent tree as rows, depth first and without recursion (a parent is always an earlier
//! agent of the same run, so a run has exactly as many rows as agents), and each row's place
//! among its ancestors for drawing, looked up at most a fixed number of levels deep so a
//! 25,000-deep chain costs the same per row as a shallow tree.

use super::{AgentIx, RunIx, Session, Source};

/// One row of the agents tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgentRow {
    pub agent: AgentIx,
    pub depth: usize,
    pub inferred: bool,
}

/// Where a row sits, for drawing it: per ancestor level shown (top down, the row's own level
/// last) whether that agent is the last of its parent's children, and how many levels above
/// those are not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lasts {
    pub hidden: usize,
    pub lasts: Vec<bool>,
}

impl AgentRow {
    /// The row's place among at most `levels` levels of its ancestors (a root has none).
    pub fn lasts(&self, s: &Session, levels: usize) -> Lasts {
        let mut lasts = Vec::with_capacity(self.depth.min(levels));
        let mut a = self.agent;
        while lasts.len() < levels {
            let Some(p) = s.agents.get(a.index()).and_then(|ag| ag.parent) else {
                break;
            };
            lasts.push(s.agents[p].children.last() == Some(&a));
            a = p;
        }
        lasts.reverse();
        Lasts {
            hidden: self.depth.saturating_sub(lasts.len()),
            lasts,
        }
    }
}

/// A run's rows, depth first, children in the order they started.
pub fn agent_rows(s: &Session, run: RunIx) -> Vec<AgentRow> {
    let Some(r) = s.runs.get(run.index()) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(r.agents.len());
    let mut stack: Vec<(AgentIx, usize)> = (r.agents.iter().rev())
        .filter(|&&a| s.agents[a].parent.is_none())
        .map(|&a| (a, 0))
        .collect();
    while let Some((a, depth)) = stack.pop() {
        let ag = &s.agents[a];
        out.push(AgentRow {
            agent: a,
            depth,
            inferred: ag.parent_source == Source::Inferred,
        });
        // Children go on the stack in reverse, so they come off in order.
        stack.extend(ag.children.iter().rev().map(|&c| (c, depth + 1)));
    }
    out
}
