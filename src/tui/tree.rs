//! The agents tree as rows, without flattening it: every run's tree is drawn depth first under
//! a line for the run, and since a parent is always an earlier agent of the same run, a run has
//! exactly one row more than agents. Only the run counts are kept; the rows around the cursors (with their drawing) are
//! made after each sync, so keeping the tree up to date costs one pass over the runs, not over
//! the agents, and drawing only reads.

use super::grouped::{runs_shown, Grouped};
use crate::core::session::{agent_rows, AgentRow, RunIx, Session};
use std::ops::Range;

/// Ancestor levels drawn before a name; deeper rows start with their depth instead.
const LEVELS: usize = 16;

/// The tree drawing before a row's name: per ancestor level below the root a `│` (more
/// siblings follow it) or a blank, then `├`/`└` for the row itself (nothing for a root); a row
/// deeper than [`LEVELS`] starts with `⋯N` for the N levels not drawn.
pub fn prefix(row: &AgentRow, s: &Session) -> String {
    let l = row.lasts(s, LEVELS);
    let mut p = if l.hidden > 0 {
        format!("⋯{}", l.hidden)
    } else {
        String::new()
    };
    if let Some((&own, above)) = l.lasts.split_last() {
        p.extend(above.iter().map(|&last| if last { ' ' } else { '│' }));
        p.push(if own { '└' } else { '├' });
    }
    p
}

/// A row of the tree: a run's line, or one of its agents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Row {
    Run(RunIx),
    Agent(AgentRow),
}

impl Row {
    /// The agent of an agent row.
    pub fn agent(self) -> Option<AgentRow> {
        match self {
            Row::Agent(r) => Some(r),
            Row::Run(_) => None,
        }
    }
}

/// The rows of every run's agent tree (or of the one run filtered to), run by run, each run
/// under a line of its own.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    rows: Grouped<Row>,
}

impl Tree {
    /// The tree of every run of `s`, or of run `only`.
    pub fn new(s: &Session, only: Option<RunIx>) -> Tree {
        let runs = runs_shown(s.runs.len(), only);
        let sizes: Vec<usize> = (runs.iter())
            .map(|r| 1 + s.runs[r.index()].agents.len())
            .collect();
        Tree {
            rows: Grouped::new(runs, sizes.into_iter()),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` (of the session this tree was made from).
    pub fn get(&self, s: &Session, i: usize) -> Option<Row> {
        self.rows.get(i, |k| self.run_rows(s, k))
    }

    /// A row made by [`Tree::make`], with its drawing: what the panes draw.
    pub fn shown(&self, i: usize) -> Option<&(Row, String)> {
        self.rows.shown(i)
    }

    /// Makes the rows in `range` (and keeps no others when there are many).
    pub fn make(&mut self, s: &Session, range: Range<usize>) {
        let runs = self.rows.runs.clone();
        let rows_of = |k: usize| {
            let run = runs[k];
            let agents = agent_rows(s, run).into_iter();
            let mut out = vec![(Row::Run(run), String::new())];
            out.extend(agents.map(|r| (Row::Agent(r), prefix(&r, s))));
            out
        };
        self.rows.make(range, rows_of);
    }

    /// The `k`th run's rows without their drawing (to look one up).
    fn run_rows(&self, s: &Session, k: usize) -> Vec<(Row, String)> {
        let run = self.rows.runs[k];
        let mut out = vec![(Row::Run(run), String::new())];
        out.extend(
            agent_rows(s, run)
                .into_iter()
                .map(|r| (Row::Agent(r), String::new())),
        );
        out
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
        let tree = Tree::new(s, None);
        assert_eq!(tree.len(), 8);
        assert_eq!(tree.get(s, 0), Some(Row::Run(RunIx::new(0))));
        assert_eq!(tree.get(s, 6), Some(Row::Run(RunIx::new(1))));
        let rows: Vec<(String, String, bool)> = (0..tree.len())
            .filter_map(|i| tree.get(s, i).and_then(Row::agent))
            .map(|r| {
                let name = log.interner.resolve(s.agents[r.agent].id).to_string();
                (prefix(&r, s), name, r.inferred)
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
        assert_eq!(tree.get(s, 8), None);
        // Filtered to the second run: its line and its one agent.
        let only = Tree::new(s, Some(RunIx::new(1)));
        assert_eq!(only.len(), 2);
        assert_eq!(only.get(s, 0), Some(Row::Run(RunIx::new(1))));
        assert!(matches!(only.get(s, 1), Some(Row::Agent(_))));
        assert!(Tree::new(s, Some(RunIx::new(5))).is_empty());
    }
}
