//! Runs (model.md §1): which run a frame belongs to — by id, by thread, the open run, the run
//! that closed last for trailing reports, or held until the next run starts — opening and closing
//! runs, and the per-connection checks made on the way (seq gaps, a run's identity).

use super::model::*;
use super::{Held, Session};
use crate::core::event::{Event, Kind};
use crate::core::intern::{Intern, Sym};
use rustc_hash::FxHashMap as HashMap;

impl Session {
    /// Keeps a run's first user and thread, and records any frame that carries another.
    pub(super) fn check_identity(
        &mut self,
        run: RunIx,
        pos: Pos,
        field: Identity,
        value: Option<Sym>,
    ) {
        let Some(got) = value else { return };
        let r = &mut self.runs[run];
        let (slot, index) = match field {
            Identity::User => (&mut r.user, 0),
            Identity::Thread => (&mut r.thread, 1),
        };
        match *slot {
            None => {
                *slot = Some(got);
                r.identity_pos[index] = pos;
            }
            Some(first) if first != got => {
                let first_pos = r.identity_pos[index];
                self.anomalies.push(Anomaly::IdentityChange {
                    run,
                    pos,
                    field,
                    first,
                    first_pos,
                    got,
                });
            }
            Some(_) => {}
        }
    }

    pub(super) fn check_seq(&mut self, pos: Pos, seq: Option<u64>) {
        let Some(seq) = seq else { return };
        if let Some(last) = self.last_seq {
            if seq > last + 1 {
                self.stream.push(StreamIssue::SeqGap {
                    pos,
                    expected: last + 1,
                    got: seq,
                });
            }
        }
        self.last_seq = Some(seq);
    }

    /// Finds (or opens) the run a frame belongs to; `None` for connection-level frames and for
    /// frames held until a run starts.
    pub(super) fn route(
        &mut self,
        pos: Pos,
        ev: &Event,
        interner: &mut dyn Intern,
    ) -> Option<RunIx> {
        if let Some(id) = ev.run_id {
            if let Some(ix) = self.run_by_id.get(id).map(RunIx) {
                return Some(ix);
            }
            return Some(self.open_run(id, false, ev.thread_id, pos, interner));
        }
        if ev.kind.is_connection_level() || ev.kind == Kind::Error {
            return None;
        }
        match ev.thread_id {
            // A frame of a thread goes to that thread's open run, or one whose thread is not
            // known yet; never to another thread's (two users' runs at once stay apart).
            Some(thread) => {
                let open = |want: Option<Sym>| {
                    self.open_runs
                        .iter()
                        .rev()
                        .copied()
                        .find(|&r| self.runs[r].thread == want)
                };
                if let Some(ix) = open(Some(thread)).or_else(|| open(None)) {
                    return Some(ix);
                }
                if ev.kind.is_trailing_report() {
                    if let Some(ix) = self.closed_of_thread.get(thread).map(RunIx) {
                        return Some(ix);
                    }
                }
            }
            None => {
                if let Some(ix) = self.unambiguous_run(ev) {
                    return Some(ix);
                }
                if let Some(&ix) = self.open_runs.last() {
                    return Some(ix);
                }
                if ev.kind.is_trailing_report() {
                    if let Some(ix) = self.last_closed {
                        return Some(ix);
                    }
                }
            }
        }
        if ev.kind == Kind::AgentStarted {
            self.implicit_runs += 1;
            let id = interner.intern(&format!("conn-{}", self.implicit_runs));
            return Some(self.open_run(id, true, ev.thread_id, pos, interner));
        }
        self.held.push(Held {
            pos,
            event: ev.clone(),
        });
        None
    }

    /// Opens a run; the frames held for a run (of its thread, or of none) join it.
    /// With several runs open and neither a run id nor a thread on the frame (Netra era A), the
    /// one run the frame can belong to: the only open run where its agent is running, or, for
    /// a result, the only one with a call of its tool open. `None` when that is not one run.
    fn unambiguous_run(&self, ev: &Event) -> Option<RunIx> {
        if self.open_runs.len() < 2 {
            return None;
        }
        let only = |hit: &dyn Fn(RunIx) -> bool| {
            let mut found = self.open_runs.iter().copied().filter(|&r| hit(r));
            match (found.next(), found.next()) {
                (Some(r), None) => Some(r),
                _ => None,
            }
        };
        if ev.kind == Kind::ToolCompleted && ev.tool_call_id.is_none() {
            let open_tool = |r: RunIx| self.runs[r].open_calls.contains_key(&ev.tool_name);
            if let Some(r) = only(&open_tool) {
                return Some(r);
            }
        }
        let name = ev.agent_name?;
        let running = |r: RunIx| {
            self.runs[r]
                .running_by_name
                .get(&name)
                .is_some_and(|list| self.last_running(list).is_some())
        };
        only(&running)
    }

    pub(super) fn open_run(
        &mut self,
        id: Sym,
        implicit: bool,
        thread: Option<Sym>,
        pos: Pos,
        interner: &mut dyn Intern,
    ) -> RunIx {
        let ix = RunIx::new(self.runs.len());
        let at = self.times_at(pos);
        self.runs.push(Run {
            id,
            implicit,
            thread: None,
            user: None,
            identity_pos: [pos, pos],
            root: None,
            agents: Vec::new(),
            calls: Vec::new(),
            first_pos: pos,
            last_pos: pos,
            first: at,
            last: at,
            all_in_ts: true,
            closed: false,
            turn: None,
            message: None,
            links: Vec::new(),
            final_report: false,
            conn: self.conn,
            by_name: HashMap::default(),
            running: Vec::new(),
            running_by_name: HashMap::default(),
            by_id: HashMap::default(),
            ids: HashMap::default(),
            open_calls: HashMap::default(),
            open_calls_of: HashMap::default(),
            early: HashMap::default(),
            usage: None,
            unattributed: None,
        });
        self.run_by_id.insert(id, ix.0);
        self.open_runs.insert(ix);
        let (join, keep): (Vec<Held>, Vec<Held>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|h| h.event.thread_id.is_none() || h.event.thread_id == thread);
        self.held = keep;
        for held in join {
            let dir = self
                .facts
                .get(held.pos.index())
                .map_or(crate::core::link::Dir::In, |f| f.dir);
            self.apply(ix, held.pos, &held.event, dir, interner);
        }
        ix
    }

    pub(crate) fn close_run(&mut self, run: RunIx) {
        self.runs[run].closed = true;
        self.open_runs.remove(&run);
        self.last_closed = Some(run);
        if let Some(thread) = self.runs[run].thread {
            self.closed_of_thread.insert(thread, run.0);
        }
    }
}
