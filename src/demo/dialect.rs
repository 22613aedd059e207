//! Rendering plan steps as wire text in the chosen dialect (protocol.md §1–3): native with
//! every optional field and a per-connection `seq`; Netra era A (no ids, step-0 thinking,
//! duplicate starts and completions of sub-agents, `subagent_*` frames, `ToolExecutor`,
//! epoch-float payload timestamps); Netra era B (flat envelope with `data`, and the fully
//! flattened `critical` variant for some agents).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

use super::plan::{Action, Event, Kind};
use super::Dialect;

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
                "data": {"event": "demo_mark", "text": text}, "timestamp": iso_ms(at)})
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

fn era_a_frame(at: i64, kind: &str, mut payload: Map<String, Value>) -> String {
    payload.insert("timestamp".into(), epoch_s(at));
    json!({"type": kind, "payload": payload, "sender": null, "timestamp": iso_micro(at)})
        .to_string()
}

fn era_a(at: i64, e: &Event) -> Vec<String> {
    let agent = e.agent_name();
    let run = field(e, "run_id");
    let sub = e.parent_name().map(str::to_string);
    let mut p = Map::new();
    p.insert("run_id".into(), run.clone());
    p.insert("agent_name".into(), json!(agent));
    let subagent = |status: &str| {
        let parent = sub.clone().unwrap_or_else(|| "supervisor".into());
        let class = class_name(agent);
        let id = format!("{}_{class}", run.as_str().unwrap_or(""));
        json!({"subagent_name": class, "subagent_id": id, "parent_agent_name": parent,
               "parent_run_id": run, "status": status})
    };
    let obj = |v: Value| match v {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let mut out = Vec::new();
    match e.kind {
        Kind::AgentStarted => {
            if sub.is_none() {
                out.push(era_a_frame(
                    at,
                    "agent_thinking",
                    obj(json!({
                    "thought": format!("Starting {agent}..."), "agent_name": agent,
                    "step_number": 0, "total_steps": 0, "urgency": "high_priority"})),
                ));
                out.push(era_a_frame(at, "agent_started", p));
            } else {
                out.push(era_a_frame(
                    at,
                    "subagent_started",
                    obj(subagent("started")),
                ));
                out.push(era_a_frame(at, "agent_started", p.clone()));
                out.push(era_a_frame(at, "agent_started", p));
            }
        }
        Kind::AgentCompleted => {
            p.insert("duration_ms".into(), field(e, "duration_ms"));
            p.insert("result".into(), field(e, "result"));
            let is_sub = e.agent_name() != "supervisor" && e.agent_name() != "assistant";
            if is_sub {
                out.push(era_a_frame(at, "agent_completed", p.clone()));
                out.push(era_a_frame(at, "agent_completed", p));
                let mut done = obj(subagent("completed"));
                done.insert("duration_ms".into(), field(e, "duration_ms"));
                done.insert("result".into(), json!({}));
                out.push(era_a_frame(at, "subagent_completed", done));
            } else {
                out.push(era_a_frame(at, "agent_completed", p));
            }
        }
        Kind::ToolExecuting | Kind::ToolCompleted => {
            let is_sub = e.agent_name() != "supervisor" && e.agent_name() != "assistant";
            if is_sub {
                p.insert("agent_name".into(), json!("ToolExecutor"));
            }
            p.insert("tool_name".into(), field(e, "tool_name"));
            if e.kind == Kind::ToolExecuting {
                p.insert("parameters".into(), field(e, "parameters"));
                p.insert("execution_phase".into(), json!("starting"));
            } else {
                p.insert("result".into(), field(e, "result"));
            }
            out.push(era_a_frame(at, e.kind.name(), p));
        }
        Kind::AgentThinking => {
            for key in [
                "thought",
                "step_number",
                "total_steps",
                "progress_percentage",
            ] {
                p.insert(key.into(), field(e, key));
            }
            out.push(era_a_frame(at, "agent_thinking", p));
        }
        Kind::AgentError => {
            p.insert("error_message".into(), field(e, "error"));
            p.insert("error_type".into(), field(e, "error_type"));
            out.push(era_a_frame(at, "agent_error", p));
        }
        Kind::AgentFallback => {
            p.insert("fallback_type".into(), field(e, "fallback_type"));
            p.insert("message".into(), field(e, "message"));
            out.push(era_a_frame(at, "agent_fallback", p));
        }
        Kind::FinalReport => {
            p.remove("run_id");
            p.insert("report".into(), field(e, "report"));
            p.insert("total_duration_ms".into(), field(e, "total_duration_ms"));
            out.push(era_a_frame(at, "final_report", p));
        }
    }
    out
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
            "progress_percentage": field(e, "progress_percentage"), "status": "thinking"}),
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
    };
    if let Value::Object(x) = extra {
        m.extend(x);
    }
    Value::Object(m).to_string()
}
