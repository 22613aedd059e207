//! The session: everything orchscope shows, derived from the log one frame at a time.
//!
//! `Session` is fed frames, link changes and notes in log order and updates its runs, agent
//! trees, tool pairs, turns and stream facts incrementally (model.md). It never re-reads the
//! log, holds no raw text and no `serde_json::Value`; it is `Clone`, so a checkpoint of it is a
//! way back to an earlier position (see `log`). Rules that *judge* the session
//! live in `validate/`; this module only records what happened and how each edge was obtained.

mod agents;
mod ending;
mod fact;
mod ids;
pub mod model;
mod runs;
mod time;
mod tools;
mod tree;
pub mod turns;

pub use model::*;
pub use tree::{agent_rows, AgentRow, Lasts};

use crate::core::chunks::ChunkVec;
use crate::core::event::{Event, Kind};
use crate::core::frame::Malformed;
use crate::core::intern::{Intern, Sym};
use crate::core::link::{Dir, LinkState};
use crate::core::symmap::SymMap;
use rustc_hash::FxHashMap as HashMap;

/// Frames whose facts a forgetting session keeps (see [`Session::forget_history`]).
pub const FACT_WINDOW: usize = 4096;
/// Frames held for a run that a forgetting session keeps, the latest.
const HELD_MAX: usize = 4096;

/// A frame that arrived before any run it could belong to (Netra's step-0 thinking).
#[derive(Debug, Clone)]
struct Held {
    pos: Pos,
    event: Event,
}

/// The derived session.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub runs: ChunkVec<Run>,
    pub agents: ChunkVec<Agent>,
    pub calls: ChunkVec<ToolCall>,
    pub turns: ChunkVec<Turn>,
    pub messages: ChunkVec<Message>,
    pub facts: ChunkVec<Fact>,
    pub anomalies: ChunkVec<Anomaly>,
    pub stream: ChunkVec<StreamIssue>,
    /// Frames that decoded to a typed event.
    pub events: u32,
    /// How many events of each kind were seen.
    pub kind_counts: HashMap<Kind, u32>,
    /// The stream has ended (end of file, or the live source stopped).
    pub finished: bool,
    /// The link is up (live sessions); files count as connected.
    pub connected: bool,
    /// Reconnects so far (0 = first connection).
    pub conn: u32,
    /// Some `in` event frame had no producer timestamp (so the timeline runs on receive times).
    pub in_without_ts: bool,
    /// The display names (the name, else the id) of agents that took part in a turn, each once,
    /// in order of first appearance.
    pub agent_names: ChunkVec<Sym>,
    named: SymMap,
    run_by_id: SymMap,
    /// Runs started and not closed, in the order they started (a run's index grows with it):
    /// closing one of many is a lookup, not a scan.
    open_runs: std::collections::BTreeSet<RunIx>,
    last_closed: Option<RunIx>,
    /// The run of each thread that closed last (trailing reports of a thread go there).
    closed_of_thread: SymMap,
    held: Vec<Held>,
    seen_disconnect: bool,
    last_seq: Option<u64>,
    implicit_runs: u32,
    /// The current turn of each thread; of each user's frames without a thread; of frames
    /// with neither.
    current_turn: SymMap,
    current_turn_of_user: SymMap,
    current_turn_unthreaded: Option<TurnIx>,
    last_message: Option<MsgIx>,
    /// Where updates of a forgotten fact go (see [`Session::forget_history`]).
    scratch: Option<Fact>,
    /// The model usage of every frame, runs or not.
    pub usage: crate::core::usage::Book,
    /// Each frame's usage counted for a run: where, for which agent (rules weigh stretches of
    /// an agent's work by it).
    pub usage_at: ChunkVec<(Pos, Option<AgentIx>, crate::core::usage::Usage)>,
}

impl Session {
    /// An empty session.
    pub fn new() -> Session {
        Session {
            connected: true,
            ..Session::default()
        }
    }

    /// Forgets what only rules and views read — the facts of all but the latest
    /// [`FACT_WINDOW`] frames, the stream issues and anomalies, frames held for a run or for an
    /// agent not started yet beyond the latest [`HELD_MAX`] — and keeps runs, agents, calls, turns and messages. For a headless capture
    /// that only decides turns and idleness: called as it goes, its memory stops growing with
    /// the frames it has seen.
    pub fn forget_history(&mut self) {
        let upto = self.facts.len().saturating_sub(FACT_WINDOW);
        self.facts.forget_before(upto);
        self.stream = ChunkVec::default();
        self.anomalies = ChunkVec::default();
        if self.held.len() > HELD_MAX {
            self.held.drain(..self.held.len() - HELD_MAX);
        }
        for &run in &self.open_runs {
            for early in self.runs[run].early.values_mut() {
                if early.len() > HELD_MAX {
                    early.drain(..early.len() - HELD_MAX);
                }
            }
        }
    }

    /// The fact at `pos`, to update; one forgotten goes to a scratch copy.
    fn fact_mut(&mut self, pos: Pos) -> &mut Fact {
        let i = pos.index();
        if self.facts.get(i).is_some() {
            return &mut self.facts[i];
        }
        self.scratch
            .insert(Fact::new(FactKind::Binary, Dir::In, time::At::MISSING))
    }

    /// The times of the frame at `pos` (none known for one forgotten).
    fn times_at(&self, pos: Pos) -> Times {
        self.facts
            .get(pos.index())
            .map_or(Times::default(), |f| f.at.times())
    }

    /// The position the next frame will get.
    pub fn next_pos(&self) -> Pos {
        Pos::new(self.facts.len())
    }

    /// Feeds one frame. `recv` is the receive time in ms (None in bare files);
    /// `duplicate` says its text is identical to the previous frame's.
    pub fn frame(
        &mut self,
        recv: Option<f64>,
        dir: Dir,
        decoded: Result<&Event, Malformed>,
        duplicate: bool,
        interner: &mut dyn Intern,
    ) {
        let pos = self.next_pos();
        if duplicate {
            self.stream.push(StreamIssue::Duplicate { pos });
        }
        let event = match decoded {
            Err(reason) => {
                self.facts.push(fact(
                    FactKind::Malformed(reason),
                    dir,
                    Times { ts: None, recv },
                ));
                self.stream.push(StreamIssue::Malformed { pos, reason });
                return;
            }
            Ok(e) => e,
        };
        self.events += 1;
        if dir == Dir::In
            && event.ts_ms.is_none()
            && !event.kind.is_keepalive()
            && !event.kind.is_connection_level()
        {
            self.in_without_ts = true;
        }
        *self.kind_counts.entry(event.kind).or_default() += 1;
        if let Some(u) = &event.usage {
            self.usage.add(u);
        }
        let at = Times {
            ts: event.ts_ms,
            recv,
        };
        let f = fact(FactKind::Event(event.kind), dir, at);
        self.facts.push(f);
        if event.kind == Kind::Other {
            self.stream.push(StreamIssue::UnknownType {
                pos,
                name: event.type_name,
            });
        }
        if dir == Dir::In {
            self.check_seq(pos, event.seq);
        }
        if event.kind.is_request() {
            // Only what the client sent asks for work: a server-sent `user_message` (Netra
            // rewrites every type it does not know to it) opens no turn and owns no run.
            if dir == Dir::Out {
                self.message(pos, event, dir, at);
            }
            return;
        }
        if let Some(run) = self.route(pos, event, interner) {
            self.apply(run, pos, event, dir, interner);
        }
    }

    /// Feeds a binary frame (`recv` in ms).
    pub fn binary(&mut self, recv: Option<f64>, dir: Dir) {
        self.facts
            .push(fact(FactKind::Binary, dir, Times { ts: None, recv }));
    }

    /// Feeds a connection change.
    pub fn link(&mut self, state: LinkState, size: Option<u64>) {
        let pos = self.next_pos();
        match state {
            LinkState::Connected => {
                if self.seen_disconnect {
                    self.conn += 1;
                    self.last_seq = None;
                    let open_runs = self.open_runs.iter().copied().collect();
                    self.stream.push(StreamIssue::Reconnect { pos, open_runs });
                    self.seen_disconnect = false;
                }
                self.connected = true;
            }
            LinkState::Disconnected => {
                self.connected = false;
                self.seen_disconnect = true;
            }
            LinkState::Reconnecting(_) | LinkState::GaveUp => self.connected = false,
            LinkState::Connecting => {}
            LinkState::Oversize => {
                self.stream.push(StreamIssue::Oversize { pos, size });
                self.connected = false;
                self.seen_disconnect = true;
            }
        }
    }

    /// Records a note about the input (a cut-off last line, an unreadable recording line,
    /// an importer's report).
    pub fn note(&mut self, issue: StreamIssue) {
        self.stream.push(issue);
    }

    /// The clock for a whole-session time axis (timeline, replay): the producer's when every
    /// `in` event frame carries a timestamp (one clock, no network jitter, and a sped-up demo
    /// keeps its scenario time), else receive times.
    pub fn timeline_clock(&self) -> Clock {
        let any_ts = self.facts.iter().take(64).any(|f| f.at.ts().is_some());
        if any_ts && !self.in_without_ts {
            Clock::Producer
        } else {
            Clock::Receive
        }
    }

    /// The run a run id names.
    pub fn run_by_id(&self, id: Sym) -> Option<RunIx> {
        self.run_by_id.get(id).map(RunIx)
    }

    /// Runs that have started and not closed.
    pub fn open_runs(&self) -> &std::collections::BTreeSet<RunIx> {
        &self.open_runs
    }

    /// Applies one event to its run.
    fn apply(&mut self, run: RunIx, pos: Pos, ev: &Event, dir: Dir, interner: &mut dyn Intern) {
        self.fact_mut(pos).set_run(run);
        {
            let at = self.times_at(pos);
            let r = &mut self.runs[run];
            if pos >= r.last_pos {
                r.last_pos = pos;
                r.last = at;
            }
            if pos < r.first_pos {
                r.first_pos = pos;
                r.first = at;
            }
            if dir == Dir::In && ev.ts_ms.is_none() {
                r.all_in_ts = false;
            }
        }
        self.check_identity(run, pos, Identity::User, ev.user_id);
        self.check_identity(run, pos, Identity::Thread, ev.thread_id);
        match ev.kind {
            Kind::AgentStarted => self.agent_started(run, pos, ev, interner),
            Kind::AgentCompleted => self.agent_completed(run, pos, ev, interner),
            Kind::ToolExecuting => self.tool_executing(run, pos, ev),
            Kind::ToolCompleted => self.tool_completed(run, pos, ev),
            Kind::SubagentStarted => {
                let parent = ev
                    .parent_agent_name
                    .and_then(|n| self.latest_instance(run, n));
                self.runs[run].links.push(SubLink {
                    subagent_name: ev.subagent_name,
                    subagent_id: ev.subagent_id,
                    parent,
                });
                self.attribute_to(parent, pos, ev);
            }
            Kind::SubagentCompleted => {
                let parent = ev
                    .parent_agent_name
                    .and_then(|n| self.latest_instance(run, n));
                self.attribute_to(parent, pos, ev);
            }
            _ => {
                if ev.kind == Kind::FinalReport {
                    self.runs[run].final_report = true;
                }
                let agent = self.agent_for(run, pos, ev, true);
                if let Some(a) = agent {
                    let agent = &mut self.agents[a];
                    match ev.kind {
                        Kind::AgentError => agent.error_pos = agent.error_pos.or(Some(pos)),
                        Kind::AgentFallback => {
                            agent.fallback_pos = Some(pos);
                            agent.status = AgentStatus::FellBack;
                        }
                        _ => {}
                    }
                }
            }
        }
        if let Some(u) = &ev.usage {
            self.count_usage(run, pos, u);
        }
    }

    /// Counts a frame's usage for its run and the agent the frame was attributed to.
    fn count_usage(&mut self, run: RunIx, pos: Pos, u: &crate::core::usage::Usage) {
        use crate::core::usage::add_to;
        add_to(&mut self.runs[run].usage, u);
        let agent = self.facts.get(pos.index()).and_then(|f| f.agent());
        match agent {
            Some(a) => add_to(&mut self.agents[a].usage, u),
            None => add_to(&mut self.runs[run].unattributed, u),
        }
        self.usage_at.push((pos, agent, *u));
    }
}

fn fact(kind: FactKind, dir: Dir, at: Times) -> Fact {
    Fact::new(kind, dir, At::new(at))
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
