//! Claude Code `--output-format stream-json --verbose` (also the Claude Agent SDK) to native
//! frames. Owns the mapping below; lanes of interleaved sub-agents are kept apart by
//! `parent_tool_use_id`, never by position in the file.
//!
//! | Claude Code line | native frames |
//! | --- | --- |
//! | `system`/`init` (or the first line of a turn) | `agent_started` of the root: `agent_id` = `run_id` = `thread_id` = `session_id` (turn n > 1: `run_id` `session_id#n`), `agent_name` `main` |
//! | `user` text with no `parent_tool_use_id` | `user_message` (`content`); after a `result` it opens the next turn |
//! | `user` text inside a sub-agent (its prompt) | none: the prompt is the `Task`/`Agent` input, on that agent's `agent_started` `parameters` |
//! | `assistant` `thinking` / `text` block | `agent_thinking` (`thought`; `message_id` = `message.id`: one API message = one model turn) |
//! | `assistant` `tool_use` | `tool_executing` (`tool_call_id` = `tool_use.id`, `parameters` = `input`) |
//! | `tool_use` named `Task` or `Agent` | also `agent_started` of a sub-agent: `agent_id` = `tool_use.id`, `agent_name` = `subagent_type`, `parent_agent_id` = the agent whose lane the `tool_use` is in (root, or the enclosing sub-agent) |
//! | `user` `tool_result` | `tool_completed` (`status` `ok`, or `error` with `error` when `is_error`); for a foreground sub-agent's tool, its `agent_completed` first |
//! | `system` `task_started` | none; notes `task_id` and `is_backgrounded` |
//! | `system` `task_updated` (`patch.status`) / `task_notification` (`status`) with a final status | `agent_completed` of that sub-agent if still open (background sub-agents end here) |
//! | `result` | `agent_completed` of the root (`result.final_answer` = `result`; `is_error` → `status` `error`) |
//! | other `system` subtypes (`thinking_tokens`, `task_progress`, …) | none |
//!
//! Lines in a sub-agent's lane carry `parent_tool_use_id` = its `tool_use.id`. Timestamps are
//! the lines' own `timestamp` (2.1 has them on assistant/user lines, 2.0 has none) or a
//! `task_updated` `patch.end_time`; none are invented. A `result` with `is_error` is an error the
//! stream reports: foreground tools and sub-agents still open are closed `aborted`; whatever is
//! still open at the end of input is closed `aborted` too, each reported.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::{content_text, read_objects, s, Format, Imported, Out};

struct Agent {
    parent: String,
    name: String,
    background: bool,
    open: bool,
}

struct Tool {
    agent: String,
    name: String,
    open: bool,
}

struct State {
    out: Out,
    session: String,
    turn: u64,
    root_open: bool,
    agents: HashMap<String, Agent>,
    agent_order: Vec<String>,
    tools: HashMap<String, Tool>,
    tool_order: Vec<String>,
    tasks: HashMap<String, String>,
    /// A `result` closed the turn: the next line opens the next one.
    next_turn: bool,
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::ClaudeCode);
    let (records, cut) = read_objects(input, &mut out);
    let mut st = State {
        out,
        session: String::new(),
        turn: 1,
        root_open: false,
        agents: HashMap::new(),
        agent_order: Vec::new(),
        tools: HashMap::new(),
        tool_order: Vec::new(),
        tasks: HashMap::new(),
        next_turn: false,
    };
    let mut last_line = 0;
    for (line, rec) in &records {
        last_line = *line;
        if st.session.is_empty() {
            if let Some(id) = s(rec, &["session_id"]) {
                st.session = id.to_string();
            }
        }
        let kind = s(rec, &["type"]).unwrap_or("");
        match kind {
            "system" => st.system(*line, rec),
            "assistant" => {
                st.ensure_root(*line, rec);
                st.assistant(*line, rec);
            }
            "user" => st.user(*line, rec),
            "result" => {
                st.ensure_root(*line, rec);
                st.result(*line, rec);
            }
            _ => {}
        }
    }
    let why = if cut {
        "the input ended with a cut-off line"
    } else {
        "the input ended"
    };
    st.abort_all(last_line, why, true);
    if st.root_open {
        st.root_open = false;
        let p = st.base(&st.root_id(), "main");
        st.emit_completed(last_line, None, p, "aborted", Some(why), &Value::Null);
        let msg = format!(
            "root agent {} was still running when {why}; closed as aborted",
            st.root_id()
        );
        st.out.problem(last_line, msg);
    }
    st.out.finish()
}

impl State {
    fn root_id(&self) -> String {
        if self.turn <= 1 {
            self.session.clone()
        } else {
            format!("{}#{}", self.session, self.turn)
        }
    }

    fn base(&self, agent_id: &str, agent_name: &str) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        m.insert("run_id".into(), Value::from(self.root_id()));
        m.insert("thread_id".into(), Value::from(self.session.clone()));
        m.insert("turn".into(), Value::from(self.turn));
        m.insert("agent_name".into(), Value::from(agent_name));
        m.insert("agent_id".into(), Value::from(agent_id));
        m
    }

    /// The agent whose lane a line is in: the sub-agent named by `parent_tool_use_id`, else
    /// the root.
    fn owner(&self, rec: &Value) -> (String, String) {
        match s(rec, &["parent_tool_use_id"]).and_then(|id| self.agents.get_key_value(id)) {
            Some((id, a)) => (id.clone(), a.name.clone()),
            None => (self.root_id(), "main".to_string()),
        }
    }

    fn ensure_root(&mut self, line: usize, rec: &Value) {
        if self.root_open {
            return;
        }
        self.open_next_turn();
        self.root_open = true;
        let mut p = self.base(&self.root_id(), "main");
        if let Some(model) = s(rec, &["model"]) {
            p.insert("model".into(), Value::from(model));
        }
        self.out
            .emit(line, "agent_started", ts(rec), Value::Object(p), rec);
    }

    fn system(&mut self, line: usize, rec: &Value) {
        match s(rec, &["subtype"]).unwrap_or("") {
            "init" => self.ensure_root(line, rec),
            "task_started" => {
                if let (Some(task), Some(tool)) = (s(rec, &["task_id"]), s(rec, &["tool_use_id"])) {
                    self.tasks.insert(task.to_string(), tool.to_string());
                    if rec.get("is_backgrounded") == Some(&Value::Bool(true)) {
                        if let Some(a) = self.agents.get_mut(tool) {
                            a.background = true;
                        }
                    }
                }
            }
            "task_updated" | "task_notification" => {
                let status = s(rec, &["patch", "status"]).or(s(rec, &["status"]));
                let tool = s(rec, &["tool_use_id"])
                    .map(str::to_string)
                    .or_else(|| s(rec, &["task_id"]).and_then(|t| self.tasks.get(t).cloned()));
                let (Some(status), Some(tool)) = (status, tool) else {
                    return;
                };
                let (status, error) = match status {
                    "completed" => ("ok", None),
                    "failed" | "error" => ("error", Some(format!("sub-agent {status}"))),
                    "killed" | "stopped" | "cancelled" => {
                        ("error", Some(format!("sub-agent {status}")))
                    }
                    _ => return,
                };
                let stamp = rec.get("patch").and_then(|p| p.get("end_time")).cloned();
                let mut result = Value::Null;
                if let Some(summary) = s(rec, &["summary"]) {
                    result = json!({ "final_answer": summary });
                }
                self.close_agent(line, &tool, stamp, status, error.as_deref(), result, rec);
            }
            _ => {}
        }
    }

    fn assistant(&mut self, line: usize, rec: &Value) {
        let (agent, name) = self.owner(rec);
        let message_id = s(rec, &["message", "id"]).map(str::to_string);
        let Some(blocks) = rec
            .get("message")
            .and_then(|m| m.get("content"))
            .and_then(Value::as_array)
        else {
            return;
        };
        for block in blocks {
            let mut p = self.base(&agent, &name);
            if let Some(id) = &message_id {
                p.insert("message_id".into(), Value::from(id.clone()));
            }
            match s(block, &["type"]).unwrap_or("") {
                kind @ ("thinking" | "text") => {
                    let text = s(block, &[kind]).unwrap_or("");
                    p.insert("thought".into(), Value::from(text));
                    self.out
                        .emit(line, "agent_thinking", ts(rec), Value::Object(p), rec);
                }
                "tool_use" => {
                    let id = s(block, &["id"]).unwrap_or("").to_string();
                    let tool = s(block, &["name"]).unwrap_or("").to_string();
                    let input = block.get("input").cloned().unwrap_or(Value::Null);
                    p.insert("tool_name".into(), Value::from(tool.clone()));
                    p.insert("tool_call_id".into(), Value::from(id.clone()));
                    p.insert("parameters".into(), input.clone());
                    self.out
                        .emit(line, "tool_executing", ts(rec), Value::Object(p), rec);
                    self.tools.insert(
                        id.clone(),
                        Tool {
                            agent: agent.clone(),
                            name: tool.clone(),
                            open: true,
                        },
                    );
                    self.tool_order.push(id.clone());
                    if (tool == "Task" || tool == "Agent") && !id.is_empty() {
                        let sub = s(&input, &["subagent_type"])
                            .unwrap_or("subagent")
                            .to_string();
                        let mut p = self.base(&id, &sub);
                        p.insert("parent_agent_id".into(), Value::from(agent.clone()));
                        p.insert("parameters".into(), input.clone());
                        self.out
                            .emit(line, "agent_started", ts(rec), Value::Object(p), rec);
                        let background = input.get("run_in_background") == Some(&Value::Bool(true));
                        self.agents.insert(
                            id.clone(),
                            Agent {
                                parent: agent.clone(),
                                name: sub,
                                background,
                                open: true,
                            },
                        );
                        self.agent_order.push(id);
                    }
                }
                _ => {}
            }
        }
    }

    fn user(&mut self, line: usize, rec: &Value) {
        let content = rec.get("message").and_then(|m| m.get("content"));
        let blocks: Vec<&Value> = match content {
            Some(Value::Array(b)) => b.iter().collect(),
            _ => Vec::new(),
        };
        let results: Vec<&Value> = blocks
            .iter()
            .copied()
            .filter(|b| s(b, &["type"]) == Some("tool_result"))
            .collect();
        if results.is_empty() {
            if rec.get("parent_tool_use_id").is_some_and(|v| !v.is_null()) {
                return; // a sub-agent's prompt
            }
            self.open_next_turn();
            let mut p = self.base(&self.root_id(), "main");
            p.remove("agent_name");
            p.remove("agent_id");
            p.insert(
                "content".into(),
                content_text(content)
                    .map(Value::from)
                    .unwrap_or(Value::Null),
            );
            self.out
                .emit(line, "user_message", ts(rec), Value::Object(p), rec);
            return;
        }
        self.ensure_root(line, rec);
        for block in results {
            let id = s(block, &["tool_use_id"]).unwrap_or("").to_string();
            let is_error = block.get("is_error") == Some(&Value::Bool(true));
            let text = content_text(block.get("content"));
            let (status, error) = if is_error {
                ("error", text.clone())
            } else {
                ("ok", None)
            };
            let duration = rec
                .get("tool_use_result")
                .and_then(|r| r.get("totalDurationMs"))
                .cloned();
            if let Some(agent) = self.agents.get(&id) {
                if agent.open && !agent.background {
                    let result = json!({ "final_answer": text.clone() });
                    self.close_agent(line, &id, ts(rec), status, error.as_deref(), result, rec);
                }
            }
            let (agent, name) = match self.tools.get_mut(&id) {
                Some(t) => {
                    t.open = false;
                    let a = t.agent.clone();
                    (a, t.name.clone())
                }
                None => (self.owner(rec).0, String::new()),
            };
            let agent_name = self.agent_name(&agent);
            let mut p = self.base(&agent, &agent_name);
            if !name.is_empty() {
                p.insert("tool_name".into(), Value::from(name));
            }
            p.insert("tool_call_id".into(), Value::from(id));
            p.insert("status".into(), Value::from(status));
            p.insert(
                "error".into(),
                error.map(Value::from).unwrap_or(Value::Null),
            );
            p.insert(
                "result".into(),
                json!({ "content": block.get("content").cloned() }),
            );
            p.insert("duration_ms".into(), duration.unwrap_or(Value::Null));
            self.out
                .emit(line, "tool_completed", ts(rec), Value::Object(p), rec);
        }
    }

    /// After a `result`, the next user message or root line opens the next turn.
    fn open_next_turn(&mut self) {
        if self.next_turn {
            self.next_turn = false;
            self.turn += 1;
        }
    }

    fn agent_name(&self, id: &str) -> String {
        self.agents
            .get(id)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "main".into())
    }

    fn result(&mut self, line: usize, rec: &Value) {
        let is_error = rec.get("is_error") == Some(&Value::Bool(true));
        let why = if is_error {
            "the run reported an error"
        } else {
            "the run ended"
        };
        self.abort_all(line, why, false);
        let text = s(rec, &["result"]).map(str::to_string);
        let error = if is_error {
            text.clone()
                .or_else(|| rec.get("errors").map(Value::to_string))
                .or_else(|| s(rec, &["subtype"]).map(str::to_string))
        } else {
            None
        };
        let mut p = self.base(&self.root_id(), "main");
        p.insert(
            "duration_ms".into(),
            rec.get("duration_ms").cloned().unwrap_or(Value::Null),
        );
        let result = json!({ "final_answer": text });
        p.insert("result".into(), result);
        let status = if is_error { "error" } else { "ok" };
        self.emit_completed(line, ts(rec), p, status, error.as_deref(), rec);
        self.root_open = false;
        self.next_turn = true;
    }
}

mod closing;

fn ts(rec: &Value) -> Option<Value> {
    rec.get("timestamp")
        .filter(|t| t.is_string() || t.is_number())
        .cloned()
}
