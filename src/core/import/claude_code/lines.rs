//! The lines of a Claude Code session that carry work, in the lane of the agent they belong
//! to: `system` (init, compaction, task updates), `assistant` (thinking, text, tool calls,
//! sub-agent calls) and `user` (prompts, tool results).

use serde_json::{json, Value};

use super::super::peek::Rec;
use super::super::{content_text, s};
use super::turns::{prompt_kind, UserText};
use super::{ts, Agent, RootEnd, State, Tool};

impl State {
    pub(super) fn system(&mut self, line: usize, rec: &Rec) {
        match s(rec, &["subtype"]).unwrap_or("") {
            "init" => {
                self.init_pending = true;
                self.model = s(rec, &["model"]).map(str::to_string);
            }
            "compact_boundary" => {
                let trigger = s(rec, &["compactMetadata", "trigger"])
                    .or(s(rec, &["compact_metadata", "trigger"]))
                    .unwrap_or("unknown");
                let tokens = rec
                    .get("compactMetadata")
                    .or(rec.get("compact_metadata"))
                    .and_then(|m| m.get("preTokens").or(m.get("pre_tokens")))
                    .and_then(Value::as_u64)
                    .map_or(String::new(), |n| format!(", {n} tokens before"));
                self.out.mark(format!(
                    "context compacted ({trigger}{tokens}): an allowed rewrite of the history"
                ));
            }
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
                let stamp = rec.get("patch").and_then(|p| p.get("end_time")).cloned();
                let summary = s(rec, &["summary"]);
                self.finish_task(line, &tool, status, summary, stamp, rec);
            }
            _ => {}
        }
    }

    pub(super) fn assistant(&mut self, line: usize, rec: &Rec, lane: Option<&str>) {
        let (agent, name) = self.owner(lane);
        let message_id = s(rec, &["message", "id"]).map(str::to_string);
        if rec.get("isApiErrorMessage") == Some(&Value::Bool(true)) {
            let mut p = self.base(&agent, &name);
            let text = content_text(rec.get("message").and_then(|m| m.get("content")));
            p.insert("error".into(), text.map(Value::from).unwrap_or(Value::Null));
            self.out
                .emit(line, "agent_error", ts(rec), Value::Object(p), rec);
            if lane.is_none() {
                self.root_last = (ts(rec), line);
                self.root_end = RootEnd::ApiError;
            }
            return;
        }
        if lane.is_none() {
            self.root_last = (ts(rec), line);
            match s(rec, &["message", "stop_reason"]) {
                Some("end_turn") => self.root_end = RootEnd::Answered,
                Some(_) => self.root_end = RootEnd::Unfinished,
                None => {}
            }
        }
        let Some(blocks) = rec
            .get("message")
            .and_then(|m| m.get("content"))
            .and_then(Value::as_array)
        else {
            return;
        };
        let mut usage = self.message_usage(rec);
        for block in blocks {
            let mut p = self.base(&agent, &name);
            if let Some(id) = &message_id {
                p.insert("message_id".into(), Value::from(id.clone()));
            }
            let kind = s(block, &["type"]).unwrap_or("");
            if matches!(kind, "thinking" | "text" | "tool_use") {
                self.attach_usage(rec, &mut usage, &mut p);
            }
            match kind {
                kind @ ("thinking" | "text") => {
                    let text = s(block, &[kind]).unwrap_or("");
                    p.insert("thought".into(), Value::from(text));
                    self.out
                        .emit(line, "agent_thinking", ts(rec), Value::Object(p), rec);
                }
                "tool_use" => self.tool_use(line, rec, block, p, &agent),
                _ => {}
            }
        }
    }

    pub(super) fn user(&mut self, line: usize, rec: &Rec, lane: Option<&str>) {
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
            if lane.is_some() {
                return; // a sub-agent's prompt
            }
            match prompt_kind(rec, content) {
                UserText::Prompt => self.prompt(line, rec, content),
                UserText::TaskNotification(text) => self.task_notification(line, rec, &text),
                UserText::Other => {}
            }
            return;
        }
        self.ensure_root(line, rec);
        if lane.is_none() {
            self.root_last = (ts(rec), line);
            self.root_end = RootEnd::Unfinished;
        }
        let launched = rec
            .get("toolUseResult")
            .is_some_and(|r| r.get("isAsync") == Some(&Value::Bool(true)));
        for block in results {
            self.tool_result(line, rec, block, lane, launched);
        }
    }

    /// A `tool_use` block: the call opened, and for `Task`/`Agent` the sub-agent it starts.
    fn tool_use(
        &mut self,
        line: usize,
        rec: &Rec,
        block: &Value,
        mut p: serde_json::Map<String, Value>,
        agent: &str,
    ) {
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
                agent: agent.to_string(),
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
            p.insert("parent_agent_id".into(), Value::from(agent));
            p.insert("parameters".into(), input.clone());
            self.out
                .emit(line, "agent_started", ts(rec), Value::Object(p), rec);
            let background = input.get("run_in_background") == Some(&Value::Bool(true));
            self.agents.insert(
                id.clone(),
                Agent {
                    parent: agent.to_string(),
                    name: sub,
                    background,
                    open: true,
                },
            );
            self.agent_order.push(id);
        }
    }

    /// A `tool_result` block: the call closed, and the sub-agent it ran ended with its answer.
    fn tool_result(
        &mut self,
        line: usize,
        rec: &Rec,
        block: &Value,
        lane: Option<&str>,
        launched: bool,
    ) {
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
            .or(rec.get("toolUseResult"))
            .and_then(|r| r.get("totalDurationMs"))
            .cloned();
        if launched {
            // A background sub-agent was launched: it ends with a task notification.
            if let Some(a) = self.agents.get_mut(&id) {
                a.background = true;
            }
        }
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
            None => (self.owner(lane).0, String::new()),
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
