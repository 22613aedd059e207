//! The agents tree as rows, without flattening it: every run's tree is drawn depth first, and
//! since a parent is always an earlier agent of the same run, a run has exactly as many rows as
//! agents. Only the run counts are kept; the rows around the cursors (with their drawing) are
//! made after each sync, so keeping the tree up to date costs one pass over the runs, not over
//! the agents, and drawing only reads.

use crate::core::session::{agent_rows, AgentRow, RunIx, Session};
use std::collections::HashMap;
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

/// The rows of every run's agent tree, run by run.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Row index of each run's first row, and the total at the end.
    starts: Vec<usize>,
    /// The rows made so far, with the drawing before their names.
    made: HashMap<usize, (AgentRow, String)>,
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
            made: HashMap::new(),
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
        if let Some((row, _)) = self.made.get(&i) {
            return Some(*row);
        }
        let run = self.run_of(i)?;
        agent_rows(s, RunIx::new(run))
            .get(i - self.starts[run])
            .copied()
    }

    /// A row made by [`Tree::make`], with its drawing: what the panes draw.
    pub fn shown(&self, i: usize) -> Option<&(AgentRow, String)> {
        self.made.get(&i)
    }

    /// Makes the rows in `range` (and keeps no others when there are many).
    pub fn make(&mut self, s: &Session, range: Range<usize>) {
        if self.made.len() > 4 * range.len().max(64) {
            self.made.clear();
        }
        let mut i = range.start;
        while i < range.end.min(self.len()) {
            let Some(run) = self.run_of(i) else { break };
            if self.made.contains_key(&i) {
                i += 1;
                continue;
            }
            let rows = agent_rows(s, RunIx::new(run));
            let first = self.starts[run];
            for (j, row) in rows.iter().enumerate() {
                let k = first + j;
                if range.contains(&k) {
                    self.made.insert(k, (*row, prefix(row, s)));
                }
            }
            i = self.starts[run + 1];
        }
    }

    fn run_of(&self, i: usize) -> Option<usize> {
        (i < self.len()).then(|| self.starts.partition_point(|&st| st <= i) - 1)
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
        assert_eq!(tree.get(s, 6), None);
    }
}
