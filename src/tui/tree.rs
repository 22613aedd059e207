//! The agents tree as rows, without flattening it: every run's tree is drawn depth first, and
//! since a parent is always an earlier agent of the same run, a run has exactly as many rows as
//! agents. Only the run counts are kept; a row is made when it is asked for (the visible ones),
//! so keeping the tree up to date costs one pass over the runs, not over the agents.

use crate::core::session::{AgentIx, RunIx, Session, Source};

/// One row of the agents tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgentRow {
    pub agent: AgentIx,
    pub depth: usize,
    /// Bit `d` set: the ancestor at depth `d` (or the row itself) is the last of its siblings.
    pub lasts: u64,
    pub inferred: bool,
}

impl AgentRow {
    /// The tree drawing before the name: a `│` or blank per ancestor level below the root, then
    /// `├`/`└` for the row itself (nothing for a root).
    pub fn prefix(&self) -> String {
        let last = |level: usize| self.lasts & (1u64 << level.min(63)) != 0;
        let mut p: String = (1..self.depth)
            .map(|l| if last(l) { ' ' } else { '│' })
            .collect();
        if self.depth > 0 {
            p.push(if last(self.depth) { '└' } else { '├' });
        }
        p
    }
}

/// The rows of every run's agent tree, run by run.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Row index of each run's first row, and the total at the end.
    starts: Vec<usize>,
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
        Tree { starts }
    }

    pub fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`.
    pub fn get(&self, s: &Session, i: usize) -> Option<AgentRow> {
        if i >= self.len() {
            return None;
        }
        let run = self.starts.partition_point(|&st| st <= i) - 1;
        let mut k = i - self.starts[run];
        let mut found = None;
        walk_run(s, run as RunIx, &mut |row| {
            if k == 0 {
                found = Some(row);
                return false;
            }
            k -= 1;
            true
        });
        found
    }
}

/// Visits a run's rows depth first, until `visit` says stop.
fn walk_run(s: &Session, run: RunIx, visit: &mut dyn FnMut(AgentRow) -> bool) {
    let Some(r) = s.runs.get(run as usize) else {
        return;
    };
    let mut roots = r
        .agents
        .iter()
        .copied()
        .filter(|&a| s.agents[a as usize].parent.is_none())
        .peekable();
    let mut stack: Vec<(AgentIx, usize, u64)> = Vec::new();
    while let Some(root) = roots.next() {
        stack.push((root, 0, u64::from(roots.peek().is_none())));
        while let Some((a, depth, lasts)) = stack.pop() {
            let ag = &s.agents[a as usize];
            let row = AgentRow {
                agent: a,
                depth,
                lasts,
                inferred: ag.parent_source == Source::Inferred,
            };
            if !visit(row) {
                return;
            }
            // Children go on the stack in reverse, so they come off in order.
            let n = ag.children.len();
            for (i, &c) in ag.children.iter().enumerate().rev() {
                let d = depth + 1;
                let bit = if i + 1 == n { 1u64 << d.min(63) } else { 0 };
                stack.push((c, d, lasts | bit));
            }
        }
    }
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
                (r.prefix(), name, r.inferred)
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
