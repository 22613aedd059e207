//! A decoded event: the compact, typed record kept per frame (never a `serde_json::Value`).
//! Owns the event kinds and the fields the session and validators read; the raw text stays in
//! the log.

use super::hash::Digest;
use super::intern::Sym;

/// What a frame says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    AgentStarted,
    AgentThinking,
    ToolExecuting,
    ToolCompleted,
    AgentCompleted,
    AgentError,
    AgentFallback,
    AgentRetry,
    SubagentStarted,
    SubagentCompleted,
    PartialResult,
    FinalReport,
    ConnectionEstablished,
    Ping,
    Pong,
    Ack,
    Heartbeat,
    Error,
    SystemMessage,
    UserMessage,
    StartAgent,
    /// Any other type: kept and shown as-is.
    Other,
}

impl Kind {
    /// The five critical events, in lifecycle order.
    pub const CRITICAL: [Kind; 5] = [
        Kind::AgentStarted,
        Kind::AgentThinking,
        Kind::ToolExecuting,
        Kind::ToolCompleted,
        Kind::AgentCompleted,
    ];

    /// Maps a wire type name to its kind.
    pub fn from_name(name: &str) -> Kind {
        match name {
            "agent_started" => Kind::AgentStarted,
            // Netra's flattened variant sends thinking as `reasoning`.
            "agent_thinking" | "reasoning" => Kind::AgentThinking,
            "tool_executing" => Kind::ToolExecuting,
            "tool_completed" => Kind::ToolCompleted,
            "agent_completed" => Kind::AgentCompleted,
            "agent_error" => Kind::AgentError,
            "agent_fallback" => Kind::AgentFallback,
            "agent_retry" => Kind::AgentRetry,
            "subagent_started" => Kind::SubagentStarted,
            "subagent_completed" => Kind::SubagentCompleted,
            "partial_result" => Kind::PartialResult,
            "final_report" => Kind::FinalReport,
            "connection_established" => Kind::ConnectionEstablished,
            "ping" => Kind::Ping,
            "pong" => Kind::Pong,
            "ack" => Kind::Ack,
            "heartbeat" => Kind::Heartbeat,
            "error" => Kind::Error,
            "system_message" => Kind::SystemMessage,
            "user_message" => Kind::UserMessage,
            "start_agent" => Kind::StartAgent,
            _ => Kind::Other,
        }
    }

    /// The wire name of a known kind (`None` for `Other`).
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Kind::AgentStarted => "agent_started",
            Kind::AgentThinking => "agent_thinking",
            Kind::ToolExecuting => "tool_executing",
            Kind::ToolCompleted => "tool_completed",
            Kind::AgentCompleted => "agent_completed",
            Kind::AgentError => "agent_error",
            Kind::AgentFallback => "agent_fallback",
            Kind::AgentRetry => "agent_retry",
            Kind::SubagentStarted => "subagent_started",
            Kind::SubagentCompleted => "subagent_completed",
            Kind::PartialResult => "partial_result",
            Kind::FinalReport => "final_report",
            Kind::ConnectionEstablished => "connection_established",
            Kind::Ping => "ping",
            Kind::Pong => "pong",
            Kind::Ack => "ack",
            Kind::Heartbeat => "heartbeat",
            Kind::Error => "error",
            Kind::SystemMessage => "system_message",
            Kind::UserMessage => "user_message",
            Kind::StartAgent => "start_agent",
            Kind::Other => return None,
        })
    }

    /// Frames that belong to the connection, not to a run.
    pub fn is_connection_level(self) -> bool {
        matches!(
            self,
            Kind::SystemMessage
                | Kind::ConnectionEstablished
                | Kind::Ping
                | Kind::Pong
                | Kind::Ack
                | Kind::Heartbeat
        )
    }

    /// Frames that may trail a run's end (they join the run that closed last).
    pub fn is_trailing_report(self) -> bool {
        matches!(
            self,
            Kind::FinalReport | Kind::PartialResult | Kind::SubagentCompleted
        )
    }

    /// Frames that do not count as progress for the gap check.
    pub fn is_keepalive(self) -> bool {
        matches!(self, Kind::Ping | Kind::Pong | Kind::Heartbeat | Kind::Ack)
    }

    /// Kinds the demo and timeline treat as a user request.
    pub fn is_request(self) -> bool {
        matches!(self, Kind::UserMessage | Kind::StartAgent)
    }
}

/// The outcome a frame reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    /// Nothing said.
    #[default]
    Unknown,
    /// Succeeded.
    Ok,
    /// `status` of error/failed/timeout, `success: false`, or an `error` field.
    Failed,
    /// `status: "aborted"` (an importer closing what a stream left open).
    Aborted,
}

/// The context an `agent_started` carried, reduced to what the context rules compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextInfo {
    /// RFC 8785 + SHA-256 of the whole context (`None` if it could not be canonicalised).
    pub digest: Option<Digest>,
    /// Digests of each `history` entry, when the context has a `history` array.
    pub history: Option<Box<[u64]>>,
    /// Digest of `user_request`, when present.
    pub user_request: Option<u64>,
}

/// A producer-reported hash: normalised when it is a SHA-256, else kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reported {
    Digest(Digest),
    Other(Box<str>),
}

/// One decoded frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: Kind,
    /// The wire type (for `system_message`, the wrapped one).
    pub type_name: Sym,
    /// Producer time, epoch milliseconds.
    pub ts_ms: Option<f64>,
    pub run_id: Option<Sym>,
    pub thread_id: Option<Sym>,
    pub user_id: Option<Sym>,
    pub agent_name: Option<Sym>,
    pub agent_id: Option<Sym>,
    pub parent_agent_id: Option<Sym>,
    pub tool_name: Option<Sym>,
    pub tool_call_id: Option<Sym>,
    pub subagent_name: Option<Sym>,
    pub subagent_id: Option<Sym>,
    pub parent_agent_name: Option<Sym>,
    /// The agent (id) that handed off to this one (`agent_started`).
    pub handoff_from: Option<Sym>,
    pub turn: Option<u32>,
    pub seq: Option<u64>,
    pub outcome: Outcome,
    /// `duration_ms`, `execution_time_ms`, or `duration` (seconds) in milliseconds.
    pub duration_ms: Option<f64>,
    /// The result carries a final answer (`final_answer`, `response`, `final_response`,
    /// `report`, `content`).
    pub final_answer: bool,
    pub context: Option<std::sync::Arc<ContextInfo>>,
    pub context_hash: Option<Reported>,
    pub prev_context_hash: Option<Reported>,
    /// `tool_executing`: the digest of its arguments (canonical JSON), for equality.
    pub args: Option<u64>,
    /// The model usage the frame reported (`payload.usage`), for the frame's agent.
    pub usage: Option<Box<super::usage::Usage>>,
}

impl Event {
    /// An event of `kind` with every optional field empty.
    pub fn new(kind: Kind, type_name: Sym) -> Event {
        Event {
            kind,
            type_name,
            ts_ms: None,
            run_id: None,
            thread_id: None,
            user_id: None,
            agent_name: None,
            agent_id: None,
            parent_agent_id: None,
            tool_name: None,
            tool_call_id: None,
            subagent_name: None,
            subagent_id: None,
            parent_agent_name: None,
            handoff_from: None,
            turn: None,
            seq: None,
            outcome: Outcome::Unknown,
            duration_ms: None,
            final_answer: false,
            context: None,
            context_hash: None,
            prev_context_hash: None,
            usage: None,
            args: None,
        }
    }
}
