//! The function calls of a Codex rollout: a `function_call` and its `function_call_output`,
//! and the outcome the output and its command item give.

use serde_json::{json, Value};

use super::super::super::{content_text, json_or_string, s};
use super::State;

impl State {
    pub(super) fn call(&mut self, line: usize, rec: &Value, p: &Value, thread: &str) {
        let ts = rec.get("timestamp").cloned();
        self.ensure_started(line, thread, ts.clone(), rec);
        let id = s(p, &["call_id"]).unwrap_or("").to_string();
        let name = s(p, &["name"]).unwrap_or("").to_string();
        let mut m = self.base(thread);
        m.insert("tool_name".into(), Value::from(name.clone()));
        m.insert("tool_call_id".into(), Value::from(id.clone()));
        m.insert("parameters".into(), json_or_string(p.get("arguments")));
        self.out
            .emit(line, "tool_executing", ts, Value::Object(m), rec);
        let agent = self.threads[thread].agent.clone().unwrap_or_default();
        self.tools.insert(id.clone(), (agent, name, true));
        self.tool_order.push(id);
    }

    pub(super) fn call_output(&mut self, line: usize, rec: &Value, p: &Value, thread: &str) {
        let ts = rec.get("timestamp").cloned();
        let id = s(p, &["call_id"]).unwrap_or("").to_string();
        let output = match p.get("output") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => content_text(Some(other)).unwrap_or_else(|| other.to_string()),
            None => String::new(),
        };
        let (status, error) = outcome(&output, self.commands.get(&id).copied());
        let name = match self.tools.get_mut(&id) {
            Some(t) => {
                t.2 = false;
                t.1.clone()
            }
            None => String::new(),
        };
        let mut m = self.base(thread);
        if !name.is_empty() {
            m.insert("tool_name".into(), Value::from(name));
        }
        m.insert("tool_call_id".into(), Value::from(id));
        m.insert("status".into(), Value::from(status));
        m.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        m.insert("result".into(), json!({ "content": output }));
        self.out
            .emit(line, "tool_completed", ts, Value::Object(m), rec);
    }
}

/// A call's outcome from its output text and its command item.
fn outcome(output: &str, command: Option<(bool, Option<i64>)>) -> (&'static str, Option<String>) {
    let first = output.lines().next().unwrap_or("");
    if output.lines().any(|l| l.trim() == "aborted by user") {
        return ("aborted", Some("aborted by user".into()));
    }
    match command {
        Some((failed, code)) if failed || code.is_some_and(|c| c != 0) => {
            let why = match code {
                Some(c) => format!("exited with code {c}"),
                None => "the command failed".into(),
            };
            ("error", Some(why))
        }
        Some(_) => ("ok", None),
        // No command ran: the CLI rejected the call, and says so in the output.
        None if first.starts_with("failed to ") || first.contains(" failed: ") => {
            ("error", Some(first.to_string()))
        }
        None => ("ok", None),
    }
}
