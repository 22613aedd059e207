//! Rendering plan steps as wire text in the chosen dialect (protocol.md §1–3): native with
//! every optional field and a per-connection `seq`; Netra era A (no ids, step-0 thinking,
//! duplicate starts and completions of sub-agents, `subagent_*` frames, `ToolExecutor`,
//! epoch-float payload timestamps); Netra era B (flat envelope with `data`, and the fully
//! flattened `critical` variant for some agents).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::plan::{Action, Event, Kind};
use super::Dialect;
use crate::core::mark::DEMO_MARK;

/// Era B sends these agents' events in the flattened `critical` variant.
const FLATTENED: [&str; 3] = ["optimization", "planner", "compliance"];

/// Renders steps for one connection (owns its `seq` counter).
pub struct Renderer {
    dialect: Dialect,
    seq: u64,
}

impl Renderer {
    pub fn new(dialect: Dialect) -> Renderer {
        Renderer { dialect, seq: 0 }
    }

    /// The text frames a step sends at scenario time `at` (epoch ms); none for `SkipSeq`
    /// and `Disconnect`.
    pub fn render(&mut self, at: i64, action: &Action) -> Vec<String> {
        match action {
            Action::Event(e) => match self.dialect {
                Dialect::Native => vec![self.native(at, e)],
                Dialect::NetraA => era_a(at, e),
                Dialect::NetraB => vec![era_b(at, e)],
            },
            Action::Mark(text) => vec![json!({"type": "system_message",
                "data": {"event": DEMO_MARK, "text": text}, "timestamp": iso_ms(at)})
            .to_string()],
            Action::Raw(text) => vec![text.clone()],
            Action::SkipSeq => {
                self.seq += 1;
                Vec::new()
            }
            Action::Disconnect => Vec::new(),
        }
    }

    /// The greeting sent on connect.
    pub fn connection_established(&self, at: i64, connection_id: &str, scenario: &str) -> String {
        match self.dialect {
            Dialect::Native => json!({"type": "connection_established", "timestamp": iso_ms(at),
                "payload": {"connection_id": connection_id, "server": "orchscope-demo",
                            "scenario": scenario, "protocol": "native"}}),
            Dialect::NetraA => json!({"type": "system_message",
                "data": {"event": "connection_established", "connection_id": connection_id,
                         "user_id": "u-1", "server_time": iso_micro(at),
                         "config": {"heartbeat_interval": 30, "max_message_size": 1_048_576}},
                "timestamp": epoch_s(at), "server_id": null, "correlation_id": null}),
            Dialect::NetraB => json!({"type": "system_message",
                "data": {"type": "connection_established", "mode": "main", "user_id": "u-1",
                         "connection_id": connection_id,
                         "golden_path_events": ["agent_started", "agent_thinking",
                             "tool_executing", "tool_completed", "agent_completed"]},
                "timestamp": epoch_s(at), "server_id": null, "correlation_id": null}),
        }
        .to_string()
    }

    fn native(&mut self, at: i64, e: &Event) -> String {
        self.seq += 1;
        let mut payload = e.payload.clone();
        payload.insert("seq".into(), json!(self.seq));
        json!({"type": e.kind.name(), "timestamp": iso_ms(at), "payload": payload}).to_string()
    }
}

/// RFC 3339 with milliseconds and `Z` (native).
pub fn iso_ms(at: i64) -> String {
    to_time(at).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `2026-09-21T14:13:20.300000+00:00` (Netra).
fn iso_micro(at: i64) -> String {
    to_time(at)
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}

fn to_time(at: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at).unwrap_or_default()
}

fn epoch_s(at: i64) -> Value {
    json!(at as f64 / 1000.0)
}

fn class_name(agent: &str) -> String {
    let mut chars = agent.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
    format!("{}SubAgent", first.chain(chars).collect::<String>())
}

fn field(e: &Event, key: &str) -> Value {
    e.payload.get(key).cloned().unwrap_or(Value::Null)
}

fn era_a_frame(at: i64, kind: Kind, mut payload: Map<String, Value>) -> String {
    payload.insert("timestamp".into(), epoch_s(at));
    json!({"type": kind.name(), "payload": payload, "sender": null, "timestamp": iso_micro(at)})
        .to_string()
}

/// Whether the agent is a turn's root (era A tells sub-agents apart by name).
fn is_root(agent: &str) -> bool {
    agent == "supervisor" || agent == "assistant"
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The payload keys era A copies for the kinds it renders as one frame of the same kind:
/// (its key, the native key).
fn era_a_copied(kind: Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::AgentThinking => &[
            ("thought", "thought"),
            ("step_number", "step_number"),
            ("total_steps", "total_steps"),
            ("progress_percentage", "progress_percentage"),
            ("usage", "usage"),
        ],
        Kind::AgentError => &[("error_message", "error"), ("error_type", "error_type")],
        Kind::AgentFallback => &[("fallback_type", "fallback_type"), ("message", "message")],
        Kind::FinalReport => &[
            ("report", "report"),
            ("total_duration_ms", "total_duration_ms"),
        ],
        _ => &[],
    }
}

fn era_a(at: i64, e: &Event) -> Vec<String> {
    let mut p = Map::new();
    p.insert("run_id".into(), field(e, "run_id"));
    p.insert("agent_name".into(), json!(e.agent_name()));
    match e.kind {
        Kind::AgentStarted => era_a_started(at, e, p),
        Kind::AgentCompleted => era_a_completed(at, e, p),
        Kind::ToolExecuting | Kind::ToolCompleted => vec![era_a_tool(at, e, p)],
        kind => {
            if kind == Kind::FinalReport {
                p.remove("run_id");
            }
            for (key, native) in era_a_copied(kind) {
                p.insert((*key).into(), field(e, native));
            }
            vec![era_a_frame(at, kind, p)]
        }
    }
}

/// The `subagent_*` frame's payload for a sub-agent's start or completion.
fn era_a_subagent(e: &Event, status: &str) -> Map<String, Value> {
    let run = field(e, "run_id");
    let parent = e.parent_name().unwrap_or("supervisor");
    let class = class_name(e.agent_name());
    let id = format!("{}_{class}", run.as_str().unwrap_or(""));
    object(
        json!({"subagent_name": class, "subagent_id": id, "parent_agent_name": parent,
                  "parent_run_id": run, "status": status}),
    )
}

/// A root starts with a step-0 thought; a sub-agent with its `subagent_started` and two starts.
fn era_a_started(at: i64, e: &Event, p: Map<String, Value>) -> Vec<String> {
    let agent = e.agent_name();
    if e.parent_name().is_none() {
        let thought = object(json!({
            "thought": format!("Starting {agent}..."), "agent_name": agent,
            "step_number": 0, "total_steps": 0, "urgency": "high_priority"}));
        return vec![
            era_a_frame(at, Kind::AgentThinking, thought),
            era_a_frame(at, Kind::AgentStarted, p),
        ];
    }
    let started = era_a_subagent(e, "started");
    vec![
        era_a_frame(at, Kind::SubagentStarted, started),
        era_a_frame(at, Kind::AgentStarted, p.clone()),
        era_a_frame(at, Kind::AgentStarted, p),
    ]
}

/// A sub-agent completes twice, then its `subagent_completed`; a root once.
fn era_a_completed(at: i64, e: &Event, mut p: Map<String, Value>) -> Vec<String> {
    p.insert("duration_ms".into(), field(e, "duration_ms"));
    p.insert("result".into(), field(e, "result"));
    if is_root(e.agent_name()) {
        return vec![era_a_frame(at, Kind::AgentCompleted, p)];
    }
    let mut done = era_a_subagent(e, "completed");
    done.insert("duration_ms".into(), field(e, "duration_ms"));
    done.insert("result".into(), json!({}));
    vec![
        era_a_frame(at, Kind::AgentCompleted, p.clone()),
        era_a_frame(at, Kind::AgentCompleted, p),
        era_a_frame(at, Kind::SubagentCompleted, done),
    ]
}

/// A sub-agent's tools run under `ToolExecutor`.
fn era_a_tool(at: i64, e: &Event, mut p: Map<String, Value>) -> String {
    if !is_root(e.agent_name()) {
        p.insert("agent_name".into(), json!("ToolExecutor"));
    }
    p.insert("tool_name".into(), field(e, "tool_name"));
    if e.kind == Kind::ToolExecuting {
        p.insert("parameters".into(), field(e, "parameters"));
        p.insert("execution_phase".into(), json!("starting"));
    } else {
        p.insert("result".into(), field(e, "result"));
    }
    era_a_frame(at, e.kind, p)
}

fn era_b(at: i64, e: &Event) -> String {
    let agent = e.agent_name();
    let failed = e.result_status();
    let failed = matches!(failed, Some("error" | "failed" | "timeout"));
    if FLATTENED.contains(&agent) {
        return era_b_flat(at, e, failed);
    }
    let data = match e.kind {
        Kind::AgentStarted => json!({"status": "started", "context": field(e, "context"),
            "message": format!("{agent} has started processing your request")}),
        Kind::AgentThinking => json!({"reasoning": field(e, "thought"),
            "step_number": field(e, "step_number"),
            "progress_percentage": field(e, "progress_percentage"), "status": "thinking",
            "usage": field(e, "usage")}),
        Kind::ToolExecuting => json!({"tool_name": field(e, "tool_name"),
            "parameters": field(e, "parameters"), "status": "executing"}),
        Kind::ToolCompleted => json!({"tool_name": field(e, "tool_name"),
            "result": field(e, "result"), "execution_time_ms": field(e, "duration_ms"),
            "status": if failed { "failed" } else { "completed" }}),
        Kind::AgentCompleted => json!({"status": if failed { "failed" } else { "completed" },
            "result": field(e, "result"), "execution_time_ms": field(e, "duration_ms")}),
        Kind::AgentError => {
            json!({"error": field(e, "error"), "error_type": field(e, "error_type")})
        }
        Kind::AgentFallback => json!({"fallback_type": field(e, "fallback_type"),
            "message": field(e, "message")}),
        Kind::FinalReport => json!({"report": field(e, "report")}),
        _ => Value::Null,
    };
    json!({"type": e.kind.name(), "run_id": field(e, "run_id"), "user_id": field(e, "user_id"),
           "agent_name": agent, "timestamp": iso_micro(at), "data": data})
    .to_string()
}

fn era_b_flat(at: i64, e: &Event, failed: bool) -> String {
    let mut m = Map::new();
    m.insert("timestamp".into(), json!(iso_micro(at)));
    m.insert("critical".into(), json!(true));
    m.insert("attempt".into(), Value::Null);
    m.insert("type".into(), json!(e.kind.name()));
    for key in ["agent_name", "run_id", "user_id", "thread_id"] {
        m.insert(key.into(), field(e, key));
    }
    let result = field(e, "result");
    let extra = match e.kind {
        Kind::AgentStarted => json!({"task_description": format!("{} step", e.agent_name())}),
        Kind::AgentThinking => json!({"reasoning": field(e, "thought")}),
        Kind::ToolExecuting => json!({"tool_name": field(e, "tool_name"),
            "parameters": field(e, "parameters")}),
        Kind::ToolCompleted => json!({"tool_name": field(e, "tool_name"),
            "results": result.get("output").or(result.get("error")).cloned().unwrap_or(Value::Null),
            "duration": e.payload.get("duration_ms").and_then(Value::as_f64).unwrap_or(0.0) / 1000.0,
            "success": !failed}),
        Kind::AgentCompleted => json!({"status": if failed { "failed" } else { "completed" },
            "final_response": result.get("summary").or(result.get("final_answer")).cloned()
                .unwrap_or(Value::Null),
            "success": !failed}),
        Kind::AgentError => json!({"error": field(e, "error")}),
        Kind::AgentFallback => json!({"message": field(e, "message")}),
        Kind::FinalReport => json!({"report": field(e, "report")}),
        _ => Value::Null,
    };
    if let Value::Object(x) = extra {
        m.extend(x);
    }
    Value::Object(m).to_string()
}
