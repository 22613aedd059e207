//! OpenAI Codex CLI `exec --json` to native frames. Owns the mapping below. `exec --json`
//! has one agent (no sub-agent links), no timestamps and no model input; reasoning items
//! appear only when the producer enabled them.
//!
//! | Codex line | native frames |
//! | --- | --- |
//! | `thread.started` | `agent_started` of the root: `agent_id` = `run_id` = `thread_id` = the thread id, `agent_name` `codex`, `turn` 1 |
//! | `turn.started` after a finished turn | `agent_started` of the next turn's root (`agent_id` = `run_id` = `<thread>#n`) |
//! | `item.*` of type `reasoning` / `agent_message` (completed) | `agent_thinking` (`thought` = `text`) |
//! | `item.started` of a tool item (`command_execution`, `mcp_tool_call`, `web_search`, `file_change`, any other with a `status`) | `tool_executing` (`tool_call_id` = `item.id`, `tool_name` = the item type, or `server.tool` for MCP) |
//! | `item.completed` of a tool item | `tool_completed` (`status` `completed` → `ok`; `failed`/`declined` or a non-zero `exit_code` → `error`); an item completed without a start gets both frames |
//! | `item.completed` of type `error` | none; reported as a problem |
//! | `turn.completed` | `agent_completed` `ok`, `result.final_answer` = the turn's last `agent_message`, `result.usage` |
//! | `turn.failed` / `error` | open tools closed `aborted` (reported); `turn.failed` → `agent_completed` `error` with `error.message` |
//! | `item.updated` (todo lists) | none |

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{read_objects, s, Format, Imported, Out};
use crate::core::usage::read;

pub(in crate::core::import) struct State {
    out: Out,
    thread: String,
    turn: u64,
    root_open: bool,
    finished_turn: bool,
    open_tools: Vec<(String, String)>,
    started: HashMap<String, String>,
    last_message: Option<String>,
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::Codex);
    let (records, cut) = read_objects(input, &mut out);
    if records.iter().any(|(_, r)| rollout::is_rollout(r)) {
        let root = rollout::Rollout {
            name: None,
            records,
            cut,
        };
        return rollout::import(out, root, Vec::new());
    }
    let mut st = State::new(out);
    let mut last = 0;
    for (line, rec) in &records {
        last = *line;
        st.record(*line, rec);
    }
    st.close(last, cut)
}

fn is_tool(item: &Value) -> bool {
    match s(item, &["type"]).unwrap_or("") {
        "command_execution" | "mcp_tool_call" | "web_search" | "file_change" => true,
        "agent_message" | "reasoning" | "todo_list" | "error" => false,
        _ => item.get("status").is_some(),
    }
}

fn tool_name(item: &Value) -> String {
    match (s(item, &["server"]), s(item, &["tool"])) {
        (Some(server), Some(tool)) => format!("{server}.{tool}"),
        (None, Some(tool)) => tool.to_string(),
        _ => s(item, &["type"]).unwrap_or("tool").to_string(),
    }
}

fn parameters(item: &Value) -> Value {
    for key in ["command", "arguments", "query", "changes"] {
        if let Some(v) = item.get(key) {
            return json!({ key: v });
        }
    }
    Value::Null
}

impl State {
    fn root_id(&self) -> String {
        if self.turn <= 1 {
            self.thread.clone()
        } else {
            format!("{}#{}", self.thread, self.turn)
        }
    }

    fn base(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("run_id".into(), Value::from(self.root_id()));
        m.insert("thread_id".into(), Value::from(self.thread.clone()));
        m.insert("turn".into(), Value::from(self.turn));
        m.insert("agent_name".into(), Value::from("codex"));
        m.insert("agent_id".into(), Value::from(self.root_id()));
        m
    }

    fn start_root(&mut self, line: usize, rec: &Value) {
        if self.root_open {
            return;
        }
        if self.finished_turn {
            self.turn += 1;
            self.finished_turn = false;
        }
        if self.thread.is_empty() {
            self.thread = "codex".into();
        }
        self.root_open = true;
        self.last_message = None;
        let p = self.base();
        self.out
            .emit(line, "agent_started", None, Value::Object(p), rec);
    }

    fn record(&mut self, line: usize, rec: &Value) {
        super::unknowns::codex(&mut self.out, line, rec);
        match s(rec, &["type"]).unwrap_or("") {
            "thread.started" => {
                if let Some(id) = s(rec, &["thread_id"]) {
                    self.thread = id.to_string();
                }
                self.start_root(line, rec);
            }
            "turn.started" => self.start_root(line, rec),
            "item.started" | "item.completed" => {
                self.start_root(line, rec);
                self.item(line, rec);
            }
            "turn.completed" | "turn.failed" => {
                self.start_root(line, rec);
                let failed = s(rec, &["type"]) == Some("turn.failed");
                let mut p = self.base();
                if failed {
                    self.abort_tools(line, "the turn failed");
                    let msg = s(rec, &["error", "message"]).unwrap_or("turn failed");
                    p.insert("status".into(), Value::from("error"));
                    p.insert("error".into(), Value::from(msg));
                } else {
                    p.insert("status".into(), Value::from("ok"));
                }
                let usage = rec.get("usage").cloned();
                // `turn.completed.usage` is the turn's own (`cached_input_tokens` inside
                // `input_tokens`); exec JSON names no model.
                let tokens = usage
                    .as_ref()
                    .and_then(Value::as_object)
                    .and_then(read::tokens);
                if let Some(t) = tokens.filter(|t| !t.is_zero()) {
                    p.insert("usage".into(), read::native(None, &t));
                }
                p.insert(
                    "result".into(),
                    json!({ "final_answer": self.last_message, "usage": usage }),
                );
                self.out
                    .emit(line, "agent_completed", None, Value::Object(p), rec);
                self.root_open = false;
                self.finished_turn = true;
            }
            "error" => {
                let msg = s(rec, &["message"]).unwrap_or("stream error").to_string();
                self.out
                    .problem(line, format!("codex reported an error: {msg}"));
                self.abort_tools(line, "the stream reported an error");
            }
            _ => {}
        }
    }

    fn item(&mut self, line: usize, rec: &Value) {
        let Some(item) = rec.get("item") else { return };
        let id = s(item, &["id"]).unwrap_or("").to_string();
        let completed = s(rec, &["type"]) == Some("item.completed");
        let kind = s(item, &["type"]).unwrap_or("");
        if matches!(kind, "reasoning" | "agent_message") {
            if completed {
                let text = s(item, &["text"]).unwrap_or("").to_string();
                if kind == "agent_message" {
                    self.last_message = Some(text.clone());
                }
                let mut p = self.base();
                p.insert("thought".into(), Value::from(text));
                p.insert("item_type".into(), Value::from(kind));
                self.out
                    .emit(line, "agent_thinking", None, Value::Object(p), rec);
            }
            return;
        }
        if kind == "error" {
            let msg = s(item, &["message"]).unwrap_or("error item");
            self.out.problem(line, format!("codex reported: {msg}"));
            return;
        }
        if !is_tool(item) {
            return;
        }
        let name = tool_name(item);
        if !completed || !self.started.contains_key(&id) {
            let mut p = self.base();
            p.insert("tool_name".into(), Value::from(name.clone()));
            p.insert("tool_call_id".into(), Value::from(id.clone()));
            p.insert("parameters".into(), parameters(item));
            self.out
                .emit(line, "tool_executing", None, Value::Object(p), rec);
            self.started.insert(id.clone(), name.clone());
            self.open_tools.push((id.clone(), name.clone()));
        }
        if !completed {
            return;
        }
        self.open_tools.retain(|(open, _)| *open != id);
        let status = s(item, &["status"]).unwrap_or("completed");
        let exit = item.get("exit_code").and_then(Value::as_i64);
        let failed = matches!(status, "failed" | "declined") || exit.is_some_and(|c| c != 0);
        let mut p = self.base();
        p.insert("tool_name".into(), Value::from(name));
        p.insert("tool_call_id".into(), Value::from(id));
        p.insert(
            "status".into(),
            Value::from(if failed { "error" } else { "ok" }),
        );
        let output = item
            .get("aggregated_output")
            .or_else(|| item.get("result"))
            .cloned();
        if failed {
            let error = s(item, &["error", "message"])
                .map(str::to_string)
                .or_else(|| output.as_ref().and_then(Value::as_str).map(str::to_string))
                .unwrap_or_else(|| format!("{status} (exit code {})", exit.unwrap_or(-1)));
            p.insert("error".into(), Value::from(error));
        }
        p.insert(
            "result".into(),
            json!({ "output": output, "exit_code": item.get("exit_code") }),
        );
        self.out
            .emit(line, "tool_completed", None, Value::Object(p), rec);
    }

    fn abort_tools(&mut self, line: usize, why: &str) {
        let open = std::mem::take(&mut self.open_tools);
        for (id, name) in open.into_iter().rev() {
            let p = self.base();
            self.out.abort_tool(line, p, &name, &id, why);
        }
    }
}

/// Imports a file: a rollout brings its child threads' rollouts along (found beside it).
pub(super) fn import_path(path: &std::path::Path, input: &str) -> Imported {
    let mut out = Out::new(Format::Codex);
    let (records, cut) = read_objects(input, &mut out);
    if !records.iter().any(|(_, r)| rollout::is_rollout(r)) {
        return import(input);
    }
    let root = rollout::Rollout {
        name: None,
        records,
        cut,
    };
    let children = rollout::children(path, &root, &mut out);
    rollout::import(out, root, children)
}

mod rollout;
mod stream;
pub(super) use rollout::child_dirs;
pub(super) use stream::Stream;
