//! The derived view of the log at the shown position, cached so drawing never derives: the
//! session at that position (the log's own when at the tail), the timeline rows that pass the
//! filter (extended incrementally as the position moves forward), the agent tree's rows and
//! the sorted tool rows. Recomputed only when the position, the log (at the tail), the filter
//! or the sort changes.

use super::filter::Filter;
use super::lanes::Lanes;
use super::rows::{passes, tool_rows, Sort};
use super::tree::Tree;
use crate::core::log::Log;
use crate::core::session::{AgentIx, CallIx, Pos, RunIx, Session, TurnIx};
use crate::core::texts::Stale;
use std::ops::Range;

/// What the rows depend on besides the position: the filters and the sort.
#[derive(Debug, Clone, Copy)]
pub struct Lens<'a> {
    pub filter: &'a Filter,
    pub agent: Option<AgentIx>,
    pub run: Option<RunIx>,
    pub sort: Sort,
}

type Key = (String, Option<AgentIx>, Option<RunIx>, Sort);

impl Lens<'_> {
    fn key(&self) -> Key {
        (
            self.filter.source().to_string(),
            self.agent,
            self.run,
            self.sort,
        )
    }
}

#[derive(Debug, Clone, Default)]
pub struct View {
    pos: usize,
    session: Option<Session>,
    synced: bool,
    /// Changes each time the view changes.
    pub version: u64,
    /// The log's generation when the view last followed its tail.
    generation: u64,
    /// Frames shown (positions `0..pos`).
    pub frames: usize,
    /// Timeline rows: positions that pass the filter and the agent filter.
    pub rows: Vec<Pos>,
    rows_upto: usize,
    key: Key,
    pub agents: Tree,
    /// Set when the file the texts are read from changed on disk (for the app to say so).
    pub stale: Option<Stale>,
    /// Since then, positions before the end can no longer be derived: the view stays there.
    gone: bool,
    pub tools: Vec<CallIx>,
    /// The turns the turns pane lists (those of the run filtered to).
    pub turns: Vec<TurnIx>,
    /// With a run filter, the names of the agents in its turns, in order of first appearance
    /// (the Context matrix's columns; without one, every agent name of the session).
    pub turn_agent_names: Option<Vec<crate::core::intern::Sym>>,
    /// The Waterfall's rows: runs, agents and their calls.
    pub lanes: Lanes,
    /// The runs' labels (`R1` and the request's first words), made by `prepare`.
    pub labels: super::runs::RunLabels,
    /// The link's changes, as rows of the Frames tab.
    pub links: super::linkrows::LinkRows,
}

impl View {
    /// The session at the view position.
    pub fn session<'a>(&'a self, log: &'a Log) -> &'a Session {
        self.session.as_ref().unwrap_or(log.session())
    }

    /// Brings the view to `pos`; true when anything changed.
    pub fn sync(&mut self, log: &Log, pos: usize, lens: &Lens) -> bool {
        let pos = if self.gone {
            log.frames()
        } else {
            pos.min(log.frames())
        };
        self.links.sync(log);
        let key = lens.key();
        let at_tail = pos == log.frames();
        let moved = !self.synced || pos != self.pos || (at_tail && self.session.is_some());
        // At the tail the view is the log's: any entry pushed (a link change too) changes it.
        let grew = at_tail && self.generation != log.generation();
        if !moved && !grew && key == self.key {
            return false;
        }
        if moved || grew {
            if let Err(stale) = self.derive(log, pos, at_tail) {
                // The text to re-derive from is gone: from now on show the whole session,
                // and say why once.
                self.stale = Some(stale);
                self.gone = true;
                self.session = None;
                self.synced = false;
                return self.sync(log, log.frames(), lens);
            }
        }
        if at_tail {
            self.generation = log.generation();
        }
        self.refilter(log, pos, lens, key);
        self.version += 1;
        true
    }

    /// Makes the agent tree's rows in `agents` and the Waterfall's in `lanes` (those near the
    /// cursors), for drawing.
    pub fn make_tree(&mut self, log: &Log, agents: Range<usize>, lanes: Range<usize>) {
        let session = self.session.as_ref().unwrap_or(log.session());
        self.agents.make(session, agents);
        self.lanes.make(session, lanes);
    }

    /// Labels the runs not labelled yet (or whose request's frame changed), for drawing.
    pub fn label_runs(&mut self, log: &Log) {
        let session = self.session.as_ref().unwrap_or(log.session());
        self.labels.update(log, session);
    }

    /// The session at `pos`: moved from the one held, derived afresh, or the log's own.
    fn derive(&mut self, log: &Log, pos: usize, at_tail: bool) -> Result<(), Stale> {
        self.session = match (&mut self.session, at_tail) {
            (_, true) => None,
            (Some(s), false) => {
                log.move_session(s, self.pos, pos)?;
                self.session.take()
            }
            (None, false) => Some(log.session_at(pos)?),
        };
        Ok(())
    }

    /// The rows at `pos` under `lens`: extended, cut back or rebuilt.
    fn refilter(&mut self, log: &Log, pos: usize, lens: &Lens, key: Key) {
        let same_filter = key == self.key && !lens.filter.is_volatile();
        if same_filter && pos < self.rows_upto {
            // Stepping back with a filter that does not depend on the position: the rows are
            // a prefix of what they were.
            let keep = self.rows.partition_point(|&r| r.index() < pos);
            self.rows.truncate(keep);
            self.rows_upto = pos;
        }
        if !same_filter || pos < self.rows_upto {
            self.rows.clear();
            self.rows_upto = 0;
        }
        self.key = key;
        self.pos = pos;
        self.frames = pos;
        self.generation = log.generation();
        self.synced = true;
        let session = self.session.as_ref().unwrap_or(log.session());
        let (from, rows) = (Pos::new(self.rows_upto), &mut self.rows);
        let mut check = |p: Pos, text: &str| {
            if passes(log, session, p, text, lens) {
                rows.push(p);
            }
        };
        let to = Pos::new(pos);
        if lens.filter.is_empty() {
            from.upto(to).for_each(|p| check(p, ""));
        } else {
            // Binary frames have no text: they are checked in the gaps.
            let mut next = from;
            let read = log.each_raw(from, to, |p, text| {
                next.upto(p).for_each(|b| check(b, ""));
                check(p, text);
                next = p.next();
            });
            next.upto(to).for_each(|b| check(b, ""));
            if let Err(stale) = read {
                self.stale = Some(stale);
            }
        }
        self.rows_upto = pos;
        self.agents = Tree::new(session, lens.run);
        self.tools = tool_rows(log, session, lens);
        if !lens.filter.is_empty() {
            // The filter narrows the tools to the calls with a frame it lets through.
            let rows = &self.rows;
            let shown = |p: Option<Pos>| p.is_some_and(|p| rows.binary_search(&p).is_ok());
            let calls = &session.calls;
            (self.tools)
                .retain(|c| shown(calls[c.index()].exec_pos) || shown(calls[c.index()].done_pos));
        }
        self.lanes = Lanes::new(session, lens.run, &self.tools);
        let of_run = |t: &&crate::core::session::Turn| lens.run.is_none_or(|r| t.runs.contains(&r));
        self.turns = (session.turns.iter().enumerate())
            .filter(|(_, t)| of_run(t))
            .map(|(i, _)| TurnIx::new(i))
            .collect();
        self.turn_agent_names = lens.run.map(|_| {
            let mut seen = std::collections::HashSet::new();
            let agents = (self.turns.iter()).flat_map(|t| &session.turns[t.index()].agents);
            (agents.map(|&a| &session.agents[a]))
                .map(|ag| ag.name.unwrap_or(ag.id))
                .filter(|&n| seen.insert(n))
                .collect()
        });
    }
}
