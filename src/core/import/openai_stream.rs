//! OpenAI Agents SDK `run_streamed` events to native frames (the mapping table is in
//! `openai_agents.rs`, which picks this reader when a file holds stream events). Owns the
//! agent hand-over state machine: which agent is current, handoff sources, open tool calls.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{content_text, json_or_string, s, Imported, Out};

struct State {
    out: Out,
    current: Option<(String, String)>,
    counts: HashMap<String, usize>,
    handoff: Option<(String, String)>,
    tools: Vec<(String, String, String)>,
    last_text: Option<String>,
}

const RUN: &str = "stream";

fn base(agent: Option<&(String, String)>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("run_id".into(), Value::from(RUN));
    m.insert("turn".into(), Value::from(1));
    if let Some((id, name)) = agent {
        m.insert("agent_name".into(), Value::from(name.clone()));
        m.insert("agent_id".into(), Value::from(id.clone()));
    }
    m
}

pub(super) fn import(out: Out, records: &[(usize, Value)], cut: bool) -> Imported {
    let mut st = State {
        out,
        current: None,
        counts: HashMap::new(),
        handoff: None,
        tools: Vec::new(),
        last_text: None,
    };
    let mut last = 0;
    for (line, rec) in records {
        last = *line;
        match s(rec, &["type"]).unwrap_or("") {
            "agent_updated_stream_event" => {
                let name = s(rec, &["new_agent", "name"])
                    .unwrap_or("agent")
                    .to_string();
                st.switch(*line, &name, rec);
            }
            "run_item_stream_event" => st.item(*line, rec),
            "raw_response_event" => {
                if let Some(u) = super::openai_agents::usage::of_stream_event(rec) {
                    let mut p = base(Some(&st.owner(*line, rec)));
                    p.insert("usage".into(), u);
                    st.out
                        .emit(*line, "agent_thinking", None, Value::Object(p), rec);
                }
            }
            _ => {}
        }
    }
    let open_tools = !st.tools.is_empty();
    let why = if cut {
        "the input ended with a cut-off line"
    } else {
        "the input ended with a tool call still open"
    };
    for (call, name, agent) in std::mem::take(&mut st.tools).into_iter().rev() {
        let owner = (agent, String::new());
        let mut p = base(Some(&owner));
        p.remove("agent_name");
        st.out.abort_tool(last, p, &name, &call, why);
    }
    if let Some(agent) = st.current.take() {
        let mut p = base(Some(&agent));
        if cut || open_tools {
            p.insert("status".into(), Value::from("aborted"));
            p.insert("error".into(), Value::from(why));
            st.out.problem(
                last,
                format!(
                    "agent {} was still running when {why}; closed as aborted",
                    agent.1
                ),
            );
        } else {
            p.insert("status".into(), Value::from("ok"));
            p.insert("result".into(), json!({ "final_answer": st.last_text }));
        }
        st.out.emit(
            last,
            "agent_completed",
            None,
            Value::Object(p),
            &Value::Null,
        );
    }
    st.out.finish()
}

impl State {
    fn switch(&mut self, line: usize, name: &str, rec: &Value) {
        let handoff = self.handoff.take();
        if let Some(prev) = self.current.take() {
            let mut p = base(Some(&prev));
            p.insert("status".into(), Value::from("ok"));
            if let Some((_, to)) = &handoff {
                p.insert("result".into(), json!({ "handoff_to": to }));
            }
            self.out
                .emit(line, "agent_completed", None, Value::Object(p), rec);
        }
        let n = self.counts.entry(name.to_string()).or_insert(0);
        *n += 1;
        let id = if *n == 1 {
            name.to_string()
        } else {
            format!("{name}#{n}")
        };
        let agent = (id, name.to_string());
        let mut p = base(Some(&agent));
        if let Some((from, to)) = handoff {
            if to == name {
                p.insert("parent_agent_id".into(), Value::from(from));
            }
        }
        self.out
            .emit(line, "agent_started", None, Value::Object(p), rec);
        self.current = Some(agent);
        self.last_text = None;
    }

    /// The agent an item belongs to: the current one (the stream names agents, not ids).
    fn owner(&mut self, line: usize, rec: &Value) -> (String, String) {
        if self.current.is_none() {
            let name = s(rec, &["item", "agent"]).unwrap_or("agent").to_string();
            self.switch(line, &name, rec);
        }
        self.current.clone().unwrap_or_default()
    }

    fn item(&mut self, line: usize, rec: &Value) {
        let agent = self.owner(line, rec);
        let raw = rec
            .pointer("/item/raw_item")
            .cloned()
            .unwrap_or(Value::Null);
        let call = s(&raw, &["call_id"]).unwrap_or("").to_string();
        let mut p = base(Some(&agent));
        match s(rec, &["name"]).unwrap_or("") {
            "message_output_created" | "reasoning_item_created" => {
                let text = content_text(raw.get("content"))
                    .or_else(|| content_text(raw.get("summary")))
                    .unwrap_or_default();
                if s(rec, &["name"]) == Some("message_output_created") {
                    self.last_text = Some(text.clone());
                }
                p.insert("thought".into(), Value::from(text));
                self.out
                    .emit(line, "agent_thinking", None, Value::Object(p), rec);
            }
            "tool_called" | "handoff_requested" => {
                let name = s(&raw, &["name"]).unwrap_or("").to_string();
                p.insert("tool_name".into(), Value::from(name.clone()));
                p.insert("tool_call_id".into(), Value::from(call.clone()));
                p.insert("parameters".into(), json_or_string(raw.get("arguments")));
                self.out
                    .emit(line, "tool_executing", None, Value::Object(p), rec);
                self.tools.push((call, name, agent.0));
            }
            "tool_output" | "handoff_occured" | "handoff_occurred" => {
                let pos = self.tools.iter().position(|t| t.0 == call);
                let (name, owner) = match pos.map(|i| self.tools.remove(i)) {
                    Some((_, name, owner)) => (name, owner),
                    None => (String::new(), agent.0.clone()),
                };
                p.insert("agent_id".into(), Value::from(owner));
                if !name.is_empty() {
                    p.insert("tool_name".into(), Value::from(name));
                }
                p.insert("tool_call_id".into(), Value::from(call));
                p.insert("status".into(), Value::from("ok"));
                let output = rec.pointer("/item/output").or(raw.get("output"));
                p.insert("result".into(), json!({ "output": json_or_string(output) }));
                self.out
                    .emit(line, "tool_completed", None, Value::Object(p), rec);
                if let (Some(from), Some(to)) = (
                    s(rec, &["item", "source_agent"]),
                    s(rec, &["item", "target_agent"]),
                ) {
                    let from_id = if from == agent.1 {
                        agent.0.clone()
                    } else {
                        from.to_string()
                    };
                    self.handoff = Some((from_id, to.to_string()));
                }
            }
            _ => {}
        }
    }
}
