//! The agents tree as rows, without flattening it: every run's tree is drawn depth first, and
//! since a parent is always an earlier agent of the same run, a run has exactly as many rows as
//! agents. Only the run counts are kept; a run's rows are made when one of them is asked for
//! (the visible ones), so keeping the tree up to date costs one pass over the runs, not over
//! the agents.

use crate::core::session::{AgentIx, RunIx, Session, Source};
use std::cell::RefCell;

/// One row of the agents tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgentRow {
    pub agent: AgentIx,
    pub depth: usize,
    pub inferred: bool,
}

impl AgentRow {
    /// The tree drawing before the name: per ancestor level below the root a `│` (more siblings
    /// follow it) or a blank, then `├`/`└` for the row itself (nothing for a root).
    pub fn prefix(&self, s: &Session) -> String {
        // Is each agent on the way up the last of its parent's children?
        let mut lasts = Vec::with_capacity(self.depth);
        let mut a = self.agent;
        while let Some(p) = s.agents.get(a as usize).and_then(|ag| ag.parent) {
            lasts.push(s.agents[p as usize].children.last() == Some(&a));
            a = p;
        }
        let mut p: String = (lasts.iter().skip(1).rev())
            .map(|&last| if last { ' ' } else { '│' })
            .collect();
        if let Some(&last) = lasts.first() {
            p.push(if last { '└' } else { '├' });
        }
        p
    }
}

/// The rows of every run's agent tree, run by run.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Row index of each run's first row, and the total at the end.
    starts: Vec<usize>,
    /// The rows of the run drawn last (drawing asks for neighbouring rows, one at a time).
    last: RefCell<Option<(usize, Vec<AgentRow>)>>,
}

impl Tree {
    pub fn new(s: &Session) -> Tree {
        let mut starts = Vec::with_capacity(s.runs.len() + 1);
        let mut n = 0;
        for run in &s.runs {
            starts.push(n);
            n += run.agents.len();
        }
        starts.push(n);
        Tree {
            starts,
            last: RefCell::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` (of the session this tree was made from).
    pub fn get(&self, s: &Session, i: usize) -> Option<AgentRow> {
        if i >= self.len() {
            return None;
        }
        let run = self.starts.partition_point(|&st| st <= i) - 1;
        let mut last = self.last.borrow_mut();
        if last.as_ref().is_none_or(|(r, _)| *r != run) {
            *last = Some((run, rows_of(s, run as RunIx)));
        }
        let rows = last.as_ref().map_or(&[][..], |(_, rows)| rows.as_slice());
        rows.get(i - self.starts[run]).copied()
    }
}

/// A run's rows, depth first.
fn rows_of(s: &Session, run: RunIx) -> Vec<AgentRow> {
    let Some(r) = s.runs.get(run as usize) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(r.agents.len());
    let mut stack: Vec<(AgentIx, usize)> = (r.agents.iter().rev())
        .filter(|&&a| s.agents[a as usize].parent.is_none())
        .map(|&a| (a, 0))
        .collect();
    while let Some((a, depth)) = stack.pop() {
        let ag = &s.agents[a as usize];
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Dir;
    use crate::core::log::{Keep, Log};

    fn started(run: &str, id: &str, parent: Option<&str>) -> String {
        let parent = parent.map_or(String::new(), |p| format!(r#","parent_agent_id":"{p}""#));
        format!(
            r#"{{"type":"agent_started","payload":{{"run_id":"{run}","agent_name":"{id}","agent_id":"{id}"{parent}}}}}"#
        )
    }

    #[test]
    fn rows_are_every_run_depth_first_with_their_drawing() {
        let mut log = Log::new(Keep::Summary);
        for f in [
            started("r1", "sup", None),
            started("r2", "other", None),
            started("r1", "a", Some("sup")),
            started("r1", "a1", Some("a")),
            started("r1", "b", Some("sup")),
            started("r1", "c", None),
        ] {
            log.push_frame(None, Dir::In, &f);
        }
        let s = log.session();
        let tree = Tree::new(s);
        assert_eq!(tree.len(), 6);
        let rows: Vec<(String, String, bool)> = (0..tree.len())
            .map(|i| {
                let r = tree.get(s, i).expect("row");
                let name = log
                    .interner
                    .resolve(s.agents[r.agent as usize].id)
                    .to_string();
                (r.prefix(s), name, r.inferred)
            })
            .collect();
        let want = [
            ("", "sup", false),
            ("├", "a", false),
            ("│└", "a1", false),
            ("├", "b", false),
            // No parent given: the run's root, inferred.
            ("└", "c", true),
            ("", "other", false),
        ];
        for (got, want) in rows.iter().zip(want) {
            assert_eq!((got.0.as_str(), got.1.as_str(), got.2), want);
        }
        assert_eq!(tree.get(s, 6), None);
    }
}
