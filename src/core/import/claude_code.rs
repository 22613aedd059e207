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
use crate::core::link::Dir;

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
    /// A `system`/`init` was seen and no root started since: the root starts with the first
    /// line of work, after the turn's prompt when it is replayed.
    init_pending: bool,
    /// The model the last `init` named.
    model: Option<String>,
    agents: HashMap<String, Agent>,
    agent_order: Vec<String>,
    tools: HashMap<String, Tool>,
    tool_order: Vec<String>,
    tasks: HashMap<String, String>,
    /// A `result` closed the turn: the next line opens the next one.
    next_turn: bool,
    /// How the root lane's last line left the turn (transcripts have no `result`).
    root_end: RootEnd,
    /// The root lane's last timestamp and line.
    root_last: (Option<Value>, usize),
}

/// How the root's last line of a turn left it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RootEnd {
    /// The model ended its turn (`stop_reason` `end_turn`).
    Answered,
    /// The API failed (`isApiErrorMessage`).
    ApiError,
    /// Anything else: a tool call or result with no answer after it.
    Unfinished,
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::ClaudeCode);
    let (records, cut) = read_objects(input, &mut out);
    if records.first().is_some_and(transcript::is_transcript) {
        return transcript::import(out, records, Vec::new(), cut);
    }
    let mut st = State::new(out);
    let mut last_line = 0;
    for (line, rec) in &records {
        last_line = *line;
        if st.session.is_empty() {
            if let Some(id) = s(rec, &["session_id"]) {
                st.session = id.to_string();
            }
        }
        st.record(*line, rec, s(rec, &["parent_tool_use_id"]));
    }
    st.finish_stream(last_line, cut)
}

/// Imports a file: a transcript brings its sub-agents' files along (found beside it).
pub(super) fn import_path(path: &std::path::Path, input: &str) -> Imported {
    let mut out = Out::new(Format::ClaudeCode);
    let (records, cut) = read_objects(input, &mut out);
    if !records.first().is_some_and(transcript::is_transcript) {
        return import(input);
    }
    let companions = transcript::companions(path, &records, &mut out);
    transcript::import(out, records, companions, cut)
}

impl State {
    fn new(out: Out) -> State {
        State {
            out,
            session: String::new(),
            turn: 1,
            root_open: false,
            init_pending: false,
            model: None,
            agents: HashMap::new(),
            agent_order: Vec::new(),
            tools: HashMap::new(),
            tool_order: Vec::new(),
            tasks: HashMap::new(),
            next_turn: false,
            root_end: RootEnd::Unfinished,
            root_last: (None, 0),
        }
    }

    /// One line, in the lane of the sub-agent whose call opened it (`None`: the root's).
    fn record(&mut self, line: usize, rec: &Value, lane: Option<&str>) {
        super::unknowns::claude_code(&mut self.out, line, rec);
        match s(rec, &["type"]).unwrap_or("") {
            "system" => self.system(line, rec),
            "assistant" => {
                self.ensure_root(line, rec);
                self.assistant(line, rec, lane);
            }
            "user" => self.user(line, rec, lane),
            "result" => {
                self.ensure_root(line, rec);
                self.result(line, rec);
            }
            _ => {}
        }
    }

    /// The end of a stream-json input: whatever is open is closed as aborted and reported.
    fn finish_stream(mut self, last_line: usize, cut: bool) -> Imported {
        let why = if cut {
            "the input ended with a cut-off line"
        } else {
            "the input ended"
        };
        if self.init_pending && !self.root_open && self.turn == 1 && !self.next_turn {
            // Only an `init`: the run started and the input ended.
            self.init_pending = false;
            self.ensure_root(last_line, &Value::Null);
        }
        self.abort_all(last_line, why, true);
        if self.root_open {
            self.root_open = false;
            let p = self.base(&self.root_id(), "main");
            self.emit_completed(last_line, None, p, "aborted", Some(why), &Value::Null);
            let msg = format!(
                "root agent {} was still running when {why}; closed as aborted",
                self.root_id()
            );
            self.out.problem(last_line, msg);
        }
        self.out.finish()
    }

    /// A transcript's turn ends at the next prompt or at the end of the file (it has no
    /// `result`): the root completes at its last line, answered or not.
    fn end_turn(&mut self, line: usize, why: &str) {
        if !self.root_open {
            return;
        }
        self.abort_all(line, why, false);
        let (stamp, last) = self.root_last.clone();
        let p = self.base(&self.root_id(), "main");
        match self.root_end {
            RootEnd::Answered => self.emit_completed(last, stamp, p, "ok", None, &Value::Null),
            RootEnd::ApiError => {
                self.emit_completed(last, stamp, p, "error", Some("API error"), &Value::Null)
            }
            RootEnd::Unfinished => {
                self.emit_completed(last, stamp, p, "aborted", Some(why), &Value::Null);
                let msg = format!(
                    "root agent {} had not answered when {why}; closed as aborted",
                    self.root_id()
                );
                self.out.problem(last, msg);
            }
        }
        self.root_open = false;
        self.next_turn = true;
    }

    /// A prompt on the root lane: the turn in progress ends (transcripts), the next opens
    /// with the prompt as its message, then its root.
    fn prompt(&mut self, line: usize, rec: &Value, content: Option<&Value>) {
        self.end_turn(line, "the next prompt arrived");
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
        self.out.emit_dir(
            line,
            Dir::Out,
            "user_message",
            ts(rec),
            Value::Object(p),
            rec,
        );
        self.ensure_root(line, rec);
    }

    /// A background sub-agent's end, as a task notification tells it (status and summary).
    #[allow(clippy::too_many_arguments)]
    fn finish_task(
        &mut self,
        line: usize,
        tool: &str,
        status: &str,
        summary: Option<&str>,
        stamp: Option<Value>,
        rec: &Value,
    ) {
        let (status, error) = match status {
            "completed" => ("ok", None),
            "failed" | "error" | "killed" | "stopped" | "cancelled" => {
                ("error", Some(format!("sub-agent {status}")))
            }
            _ => return,
        };
        let result = summary.map_or(Value::Null, |t| json!({ "final_answer": t }));
        self.close_agent(line, tool, stamp, status, error.as_deref(), result, rec);
    }

    /// A `<task-notification>` user line of a transcript: a background sub-agent stopped.
    fn task_notification(&mut self, line: usize, rec: &Value, text: &str) {
        let Some(tool) = xml_field(text, "tool-use-id") else {
            return;
        };
        let status = xml_field(text, "status").unwrap_or("completed");
        let summary = xml_field(text, "result").or(xml_field(text, "summary"));
        self.finish_task(line, tool, status, summary, ts(rec), rec);
    }

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

    /// The agent whose lane a line is in: the sub-agent whose `Task`/`Agent` call opened the
    /// lane, else the root.
    fn owner(&self, lane: Option<&str>) -> (String, String) {
        match lane.and_then(|id| self.agents.get_key_value(id)) {
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
        let model = s(rec, &["model"])
            .map(str::to_string)
            .or(self.model.clone())
            .or_else(|| s(rec, &["message", "model"]).map(str::to_string));
        if let Some(model) = model {
            p.insert("model".into(), Value::from(model));
        }
        self.init_pending = false;
        self.out
            .emit(line, "agent_started", ts(rec), Value::Object(p), rec);
    }

    fn system(&mut self, line: usize, rec: &Value) {
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
                self.out.mark(
                    line,
                    format!(
                        "context compacted ({trigger}{tokens}): an allowed rewrite of the history"
                    ),
                );
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

    fn assistant(&mut self, line: usize, rec: &Value, lane: Option<&str>) {
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

    fn user(&mut self, line: usize, rec: &Value, lane: Option<&str>) {
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

/// What a user line without tool results is.
enum UserText {
    /// A prompt: the user asked something (one turn).
    Prompt,
    /// A background sub-agent's `<task-notification>` (transcripts).
    TaskNotification(String),
    /// Anything else the CLI writes as a user line: meta lines, a compaction summary, a slash
    /// command and its output, an interruption note.
    Other,
}

fn prompt_kind(rec: &Value, content: Option<&Value>) -> UserText {
    let flag = |key: &str| rec.get(key) == Some(&Value::Bool(true));
    if flag("isMeta") || flag("isCompactSummary") || flag("isVisibleInTranscriptOnly") {
        return UserText::Other;
    }
    let text = content_text(content).unwrap_or_default();
    let trimmed = text.trim_start();
    if trimmed.starts_with("<task-notification>")
        || s(rec, &["origin", "kind"]) == Some("task-notification")
    {
        return UserText::TaskNotification(text);
    }
    let machine = [
        "<command-name>",
        "<command-message>",
        "<local-command-",
        "<system-reminder>",
        "[Request interrupted",
    ];
    if s(rec, &["promptSource"]) == Some("system") || machine.iter().any(|m| trimmed.starts_with(m))
    {
        return UserText::Other;
    }
    UserText::Prompt
}

/// The text of `<name>…</name>` in a notification.
fn xml_field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(text[start..end].trim())
}

mod transcript;
