//! How a stream ends: at its end (`finish`) or at a new segment of an appended recording
//! (`segment`), agents still running and calls still open are cut off (aborted, or failed at an
//! unrecovered error), the runs they left open reported, and events of agents that never
//! started reported.

use super::model::*;
use super::Session;
use crate::core::intern::Sym;
use crate::core::symmap::SymMap;

impl Session {
    /// The stream has ended: agents still running and calls still open are aborted.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        self.cut_off();
        for ix in 0..self.runs.len() {
            if self.runs[ix].early.is_empty() {
                continue;
            }
            let mut early: Vec<(Sym, Pos)> = std::mem::take(&mut self.runs[ix].early)
                .into_iter()
                .flat_map(|(name, list)| list.into_iter().map(move |pos| (name, pos)))
                .collect();
            early.sort_unstable_by_key(|&(_, pos)| pos);
            for (name, pos) in early {
                self.anomalies.push(Anomaly::UnknownAgent {
                    run: RunIx::new(ix),
                    name,
                    pos,
                });
            }
        }
    }

    /// A new segment begins (another recording appended to the same file): what was still
    /// running is cut off as at the end of a stream, and run ids, threads' turns and sequence
    /// numbers start afresh, so the same ids in the new segment are new runs, not duplicates.
    pub fn segment(&mut self) {
        self.cut_off();
        self.open_runs.clear();
        self.held.clear();
        self.run_by_id = SymMap::default();
        self.closed_of_thread = SymMap::default();
        self.current_turn = SymMap::default();
        self.current_turn_of_user = SymMap::default();
        self.current_turn_unthreaded = None;
        self.last_closed = None;
        self.last_seq = None;
        self.seen_disconnect = false;
    }

    /// Agents still running and calls still open end aborted (or failed, at an unrecovered
    /// error).
    fn cut_off(&mut self) {
        // Touch only what changes, so chunks shared with checkpoints stay shared.
        // An agent that failed at an error with no fallback after it is failed, not aborted,
        // even with no completion (model.md §2).
        let mut open_runs: Vec<RunIx> = Vec::new();
        for i in 0..self.agents.len() {
            if self.agents[i].status == AgentStatus::Running {
                open_runs.push(self.agents[i].run);
                self.agents[i].status = match self.agents[i].failed_at() {
                    Some(_) => AgentStatus::Failed,
                    None => AgentStatus::Aborted,
                };
            }
        }
        if !open_runs.is_empty() {
            open_runs.sort_unstable();
            open_runs.dedup();
            let pos = self.next_pos().prev().unwrap_or_default();
            self.stream
                .push(StreamIssue::EndedMidRun { pos, open_runs });
        }
        for i in 0..self.calls.len() {
            if self.calls[i].status == CallStatus::Open {
                self.calls[i].status = CallStatus::Aborted;
            }
        }
        for ix in 0..self.runs.len() {
            if !self.runs[ix].open_calls.is_empty() {
                self.runs[ix].open_calls.clear();
                self.runs[ix].open_calls_of.clear();
            }
        }
    }
}
