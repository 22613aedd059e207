//! The tool calls of a LangGraph stream: their start and end (or error), the model's call id
//! wherever the stream gives it, and closing a call the stream left open.

use serde_json::{json, Value};

use super::super::{content_text, s};
use super::closing::{close_tool, err_text};
use super::{event, parent_ids, State, Tool};

impl State {
    pub(super) fn abort_tool(&mut self, line: usize, t: &str, status: &str, why: &str) {
        let Some(tool) = self.tools.get_mut(t) else {
            return;
        };
        tool.open = false;
        let agent = tool.agent.clone();
        let name = tool.name.clone();
        let mut p = self.base(agent.as_deref());
        close_tool(&mut p, &self.tools[t], status, Some(why));
        self.out
            .emit(line, "tool_completed", None, Value::Object(p), &Value::Null);
        self.out.problem(
            line,
            format!("tool {name} was still open when {why}; closed as {status}"),
        );
    }

    pub(super) fn tool_start(
        &mut self,
        line: usize,
        rec: &Value,
        owner: Option<String>,
        id: String,
    ) {
        let name = s(rec, &["name"]).unwrap_or("").to_string();
        let params = rec.pointer("/data/input").cloned().unwrap_or(Value::Null);
        let from_node = parent_ids(rec)
            .next_back()
            .and_then(|n| self.tool_nodes.get(n))
            .and_then(|calls| {
                let calls = calls.as_array()?;
                let same: Vec<&Value> = calls
                    .iter()
                    .filter(|c| s(c, &["name"]) == Some(name.as_str()))
                    .collect();
                let pick = if same.len() == 1 {
                    same.first().copied()
                } else {
                    same.into_iter().find(|c| c.get("args") == Some(&params))
                };
                pick.and_then(|c| s(c, &["id"])).map(str::to_string)
            });
        let call_id = self.call_ids.get(&id).cloned().or(from_node);
        let mut p = self.base(owner.as_deref());
        p.insert("tool_name".into(), Value::from(name.clone()));
        p.insert(
            "tool_call_id".into(),
            call_id.clone().map(Value::from).unwrap_or(Value::Null),
        );
        p.insert("parameters".into(), params);
        self.out
            .emit(line, "tool_executing", None, Value::Object(p), rec);
        self.tools.insert(
            id.clone(),
            Tool {
                agent: owner,
                name,
                call_id,
                open: true,
            },
        );
        self.tool_order.push(id);
    }

    pub(super) fn tool_end(&mut self, line: usize, rec: &Value, owner: Option<String>, id: String) {
        let fallback = Tool {
            agent: owner,
            name: s(rec, &["name"]).unwrap_or("").into(),
            call_id: self.call_ids.get(&id).cloned(),
            open: true,
        };
        let tool = self.tools.entry(id.clone()).or_insert(fallback);
        tool.open = false;
        let agent = tool.agent.clone();
        let output = rec.pointer("/data/output");
        let (status, error) = if event(rec) == "on_tool_error" {
            let text = rec
                .pointer("/data/error")
                .map_or("tool error".into(), err_text);
            ("error", Some(text))
        } else if output.and_then(|o| o.get("status")).and_then(Value::as_str) == Some("error") {
            let text = content_text(output.and_then(|o| o.get("content")));
            ("error", Some(text.unwrap_or_else(|| "tool error".into())))
        } else {
            ("ok", None)
        };
        let mut p = self.base(agent.as_deref());
        close_tool(&mut p, &self.tools[&id], status, error.as_deref());
        let content = output.map(|o| o.get("content").cloned().unwrap_or_else(|| o.clone()));
        p.insert("result".into(), json!({ "content": content }));
        self.out
            .emit(line, "tool_completed", None, Value::Object(p), rec);
        let handoff = s(rec, &["metadata", "__handoff_destination"]);
        if let (Some(dest), "ok", Some(agent)) = (handoff, status, &agent) {
            self.announce(agent, dest);
        }
        if let (Some(_), "ok", Some(agent)) = (handoff, status, agent) {
            // The hand-off leaves the agent's graph without an end event: it ended here.
            if self.agents.get(&agent).is_some_and(|a| a.open) {
                self.end_agent(line, &agent, "ok", None, Value::Null, &Value::Null);
            }
        }
    }
}

/// The call id in a hand-off tool's output, which is the text of a `Command`:
/// `…tool_call_id='call_1'…`.
pub(super) fn command_call_id(output: Option<&Value>) -> Option<String> {
    let text = output?.as_str()?;
    let key = "tool_call_id='";
    let start = text.rfind(key)? + key.len();
    let end = text[start..].find('\'')? + start;
    Some(text[start..end].to_string())
}
