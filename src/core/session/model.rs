//! The derived entities of a session: runs, agent instances, tool calls, turns, messages and
//! the anomalies derivation noticed (the per-frame facts are in `fact.rs`). Plain data; the rules that fill it live
//! in the sibling files, and the rules that judge it in `validate/`.

use crate::core::event::{ContextInfo, Kind, Reported};
use crate::core::frame::Malformed;
use crate::core::intern::Sym;
use crate::core::link::Dir;
use rustc_hash::FxHashMap as HashMap;

pub use super::fact::{Fact, FactKind};
pub use super::ids::{AgentIx, CallIx, MsgIx, Pos, RunIx, TurnIx};
pub use super::time::{At, Clock, Times};

/// How an edge or pairing was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The producer said so with an id field.
    Explicit,
    /// orchscope inferred it by rule.
    Inferred,
    /// There is none.
    None,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Explicit => "explicit",
            Source::Inferred => "inferred",
            Source::None => "none",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentStatus {
    Running,
    Completed,
    Failed,
    FellBack,
    Aborted,
}

impl AgentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentStatus::Running => "running",
            AgentStatus::Completed => "completed",
            AgentStatus::Failed => "failed",
            AgentStatus::FellBack => "fell_back",
            AgentStatus::Aborted => "aborted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Ok,
    Error,
    Open,
    Orphan,
    Aborted,
}

impl CallStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Ok => "ok",
            CallStatus::Error => "error",
            CallStatus::Open => "open",
            CallStatus::Orphan => "orphan",
            CallStatus::Aborted => "aborted",
        }
    }
}

/// One agent instance.
#[derive(Debug, Clone)]
pub struct Agent {
    pub id: Sym,
    pub name: Option<Sym>,
    pub run: RunIx,
    pub parent: Option<AgentIx>,
    /// An explicit parent id that names no agent of the run.
    pub dangling_parent: Option<Sym>,
    pub parent_source: Source,
    /// The agent that handed off to this one (a hand-off edge, beside the tree's parent).
    pub handoff_from: Option<AgentIx>,
    pub status: AgentStatus,
    pub start_pos: Option<Pos>,
    pub started: Option<Times>,
    pub end_pos: Option<Pos>,
    pub ended: Option<Times>,
    pub reported_duration_ms: Option<f64>,
    pub context: Option<std::sync::Arc<ContextInfo>>,
    pub reported_hash: Option<Box<Reported>>,
    pub prev_hash: Option<Box<Reported>>,
    /// Position of an `agent_error`, if any.
    pub error_pos: Option<Pos>,
    /// Position of an `agent_fallback`, if any.
    pub fallback_pos: Option<Pos>,
    /// Completed with a failed status.
    pub completed_failed: bool,
    pub final_answer: bool,
    pub children: Vec<AgentIx>,
    pub turn: Option<TurnIx>,
    /// Position of this agent's last event (for duplicate-completion detection).
    pub last_pos: Pos,
    /// Last producer timestamp seen for this agent (for the backwards check).
    pub last_ts: Option<f64>,
    /// The model usage of this agent's own frames (none reported: `None`).
    pub usage: Option<Box<crate::core::usage::Book>>,
}

impl Agent {
    /// Started (or seen) and not completed.
    pub fn is_running(&self) -> bool {
        self.end_pos.is_none() && self.status != AgentStatus::Aborted
    }

    /// The `agent_error` the instance failed at: one with no `agent_fallback` after it
    /// (model.md §2), whether or not an `agent_completed` followed.
    pub fn failed_at(&self) -> Option<Pos> {
        let error = self.error_pos?;
        self.fallback_pos.is_none_or(|f| f < error).then_some(error)
    }

    /// Whether the instance has failed (error without fallback, or a failed completion).
    pub fn failed(&self) -> bool {
        self.status == AgentStatus::Failed
            || (self.fallback_pos.is_none() && (self.error_pos.is_some() || self.completed_failed))
    }
}

/// A `subagent_started` link: the parent named a child.
#[derive(Debug, Clone)]
pub struct SubLink {
    pub subagent_name: Option<Sym>,
    pub subagent_id: Option<Sym>,
    pub parent: Option<AgentIx>,
}

/// One run: a request's execution, its tree of agents and its tool calls.
#[derive(Debug, Clone)]
pub struct Run {
    pub id: Sym,
    /// `conn-N` made up by orchscope because no frame named the run.
    pub implicit: bool,
    pub thread: Option<Sym>,
    pub user: Option<Sym>,
    /// Where the run's first `thread_id` and `user_id` were seen.
    pub(crate) identity_pos: [Pos; 2],
    pub root: Option<AgentIx>,
    pub agents: Vec<AgentIx>,
    pub calls: Vec<CallIx>,
    pub first_pos: Pos,
    pub last_pos: Pos,
    pub first: Times,
    pub last: Times,
    /// Every `in` frame of the run carried a producer timestamp.
    pub all_in_ts: bool,
    /// Order in which runs closed (for trailing reports).
    pub closed: bool,
    pub turn: Option<TurnIx>,
    pub message: Option<MsgIx>,
    pub links: Vec<SubLink>,
    pub final_report: bool,
    pub conn: u32,
    pub(crate) by_name: HashMap<Sym, Vec<AgentIx>>,
    /// Agents not yet completed, in start order, run-wide and per name: a completion pops the
    /// completed ones off the end, so the latest running agent is found at the end, not by a
    /// scan over every agent of the run.
    pub(crate) running: Vec<AgentIx>,
    pub(crate) running_by_name: HashMap<Sym, Vec<AgentIx>>,
    pub(crate) by_id: HashMap<Sym, AgentIx>,
    /// The latest call of each call id, open or not.
    pub(crate) ids: HashMap<Sym, CallIx>,
    /// The open calls per tool name, and per tool name and agent, in start order (a
    /// completion removes its call from both).
    pub(crate) open_calls: HashMap<Option<Sym>, std::collections::BTreeSet<CallIx>>,
    pub(crate) open_calls_of:
        HashMap<(Option<Sym>, Option<AgentIx>), std::collections::BTreeSet<CallIx>>,
    /// Events of agents that had not started yet: (name, position).
    pub(crate) early: HashMap<Sym, Vec<Pos>>,
    /// The model usage of every frame of the run, and the part no agent could be named for.
    pub usage: Option<Box<crate::core::usage::Book>>,
    pub unattributed: Option<Box<crate::core::usage::Book>>,
}

impl Run {
    /// The clock the run is measured on.
    pub fn clock(&self) -> Clock {
        if self.all_in_ts {
            Clock::Producer
        } else {
            Clock::Receive
        }
    }
}

/// A tool call and its result.
#[derive(Debug, Clone)]
pub struct ToolCall {
    pub call_id: Option<Sym>,
    pub tool: Option<Sym>,
    /// The digest of its arguments (canonical JSON), when the call carried them.
    pub args: Option<u64>,
    pub agent: Option<AgentIx>,
    pub agent_source: Source,
    /// The agent name the producer gave, when re-attributed.
    pub reattributed_from: Option<Sym>,
    pub run: RunIx,
    pub exec_pos: Option<Pos>,
    pub(crate) exec_at: At,
    pub done_pos: Option<Pos>,
    pub(crate) done_at: At,
    pub status: CallStatus,
    pub pairing: Source,
    pub reported_duration_ms: Option<f64>,
}

/// A user message (sent by orchscope or seen on the wire).
#[derive(Debug, Clone)]
pub struct Message {
    pub pos: Pos,
    pub thread: Option<Sym>,
    pub at: Times,
    pub dir: Dir,
    pub runs: Vec<RunIx>,
}

/// One turn of a thread.
#[derive(Debug, Clone)]
pub struct Turn {
    /// `None`: the connection's thread (frames with no thread id).
    pub thread: Option<Sym>,
    /// 1-based within the thread.
    pub index: u32,
    pub opened_pos: Pos,
    pub turn_value: Option<u32>,
    pub message: Option<MsgIx>,
    pub runs: Vec<RunIx>,
    /// The agents of the turn, in start order.
    pub agents: Vec<AgentIx>,
    /// The previous turn of the same thread.
    pub prev: Option<TurnIx>,
}

impl ToolCall {
    /// When the call was made (`None` for an orphan result).
    pub fn exec(&self) -> Option<Times> {
        self.exec_at.get()
    }

    /// When its result came (`None` while open).
    pub fn done(&self) -> Option<Times> {
        self.done_at.get()
    }
}

/// Something derivation noticed about an agent or a call, for the validators to judge.
#[derive(Debug, Clone, PartialEq)]
pub enum Anomaly {
    DuplicateStart {
        agent: AgentIx,
        pos: Pos,
    },
    DuplicateComplete {
        agent: AgentIx,
        pos: Pos,
    },
    /// An event of an agent before its `agent_started` (the kind says which).
    BeforeStart {
        agent: AgentIx,
        pos: Pos,
        kind: Kind,
    },
    /// An event of an agent after its `agent_completed`.
    AfterComplete {
        agent: AgentIx,
        pos: Pos,
        kind: Kind,
    },
    /// A producer timestamp earlier than the agent's previous one.
    TimeBackwards {
        agent: AgentIx,
        pos: Pos,
    },
    /// An event naming an agent that never started in its run (not a tool event).
    UnknownAgent {
        run: RunIx,
        name: Sym,
        pos: Pos,
    },
    /// A tool event re-attributed from an agent name that never ran.
    Reattributed {
        call: CallIx,
        name: Sym,
        pos: Pos,
    },
    DuplicateCallId {
        call: CallIx,
        pos: Pos,
    },
    DuplicateCompletion {
        call: CallIx,
        pos: Pos,
    },
    /// A frame of a run carries another `user_id` or `thread_id` than the run's first one.
    IdentityChange {
        run: RunIx,
        pos: Pos,
        field: Identity,
        first: Sym,
        first_pos: Pos,
        got: Sym,
    },
}

/// Which identity of a run changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    User,
    Thread,
}

/// Something about the stream itself.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamIssue {
    Malformed {
        pos: Pos,
        reason: Malformed,
    },
    UnknownType {
        pos: Pos,
        name: Sym,
    },
    SeqGap {
        pos: Pos,
        expected: u64,
        got: u64,
    },
    Duplicate {
        pos: Pos,
    },
    /// A reconnect; `open_runs` were open across it.
    Reconnect {
        pos: Pos,
        open_runs: Vec<RunIx>,
    },
    Oversize {
        pos: Pos,
        size: Option<u64>,
    },
    /// The last line of a file was cut short (line number).
    TruncatedTail {
        line: usize,
    },
    /// A recording line that could not be read.
    BadLine {
        line: usize,
        error: String,
    },
    /// An importer's report (something closed as aborted, an unreadable line).
    Import {
        line: usize,
        message: String,
    },
    /// A recording's header line is missing, damaged or of another version.
    Header {
        line: usize,
        problem: String,
    },
    /// A line began with NUL bytes of padding, skipped before its record was read.
    Padding {
        line: usize,
        bytes: usize,
    },
    /// A text frame whose bytes are not UTF-8 (they stop being valid at byte `valid_up_to`),
    /// kept as a binary frame at `pos`.
    InvalidUtf8 {
        pos: Pos,
        valid_up_to: u64,
    },
    /// A live receiver refused `spans` spans (its queue or its memory bound was full).
    Dropped {
        spans: u64,
        reason: String,
    },
    /// A live receiver got `spans` spans after their trace was shown (shown on their own).
    Late {
        spans: u64,
    },
    /// The input ended while runs were still open (`pos`: the last frame).
    EndedMidRun {
        pos: Pos,
        open_runs: Vec<RunIx>,
    },
}
