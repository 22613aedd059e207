//! LangChain/LangGraph `astream_events(version="v2")` dumped as JSON lines, to native frames.
//! Owns which runs are agents (the rule below, also in the README), and the mapping of events
//! to frames. Nesting comes from `parent_ids` (outermost first); v2 events carry no timestamps
//! and none are invented.
//!
//! **Agents**: the rule in [`super::graph_agents`] (graph steps are the runs tagged
//! `graph:step:N`). Every parent is the nearest enclosing agent (explicit: `parent_ids` says so).
//!
//! | LangGraph event | native frames |
//! | --- | --- |
//! | `on_chain_start` of an agent | `agent_started`: `agent_id` = its `run_id`, `parent_agent_id` = the nearest agent in `parent_ids`; `context` = `{"messages": …}` of its first model input. A root opens a turn: `user_message` (its last user input) first; `run_id` = the root's `run_id`, `thread_id` = `metadata.thread_id` (invocations of one checkpointer thread are turns of one thread) |
//! | `on_chain_end` of an agent | `agent_completed` `ok`, `result.final_answer` = the last AI message |
//! | `on_chain_error` of an agent | open tools and agents inside it closed `aborted` (reported), then `agent_completed` `error` |
//! | `on_chat_model_end` | `agent_thinking` (`thought` = the output message's text) for the nearest agent |
//! | `on_tool_start` | `tool_executing` (`parameters` = `data.input`); `tool_call_id` = the model's call id, from the end event's output, the error event, or the `tools` node's input |
//! | `on_tool_end` | `tool_completed`; a `ToolMessage` with `status: "error"` → `status` `error`. A hand-off tool (`transfer_to_*`, `metadata.__handoff_destination`) also ends the agent that called it: its graph is left by the hand-off, never ended |
//! | `on_tool_error` | `tool_completed` `error` with `data.error`. When nothing follows it, the error ended the run: what is open is closed `error` |
//! | `on_chat_model_stream`, `on_chain_stream`, other chains (graph nodes) | none |

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::graph_agents::{self, Run};
use super::{content_text, read_objects, s, Format, Imported, Out};
use crate::core::link::Dir;

struct Agent {
    name: String,
    parent: Option<String>,
    root: String,
    turn: u64,
    thread: Option<String>,
    open: bool,
}

struct Tool {
    agent: Option<String>,
    name: String,
    call_id: Option<String>,
    open: bool,
}

fn event(rec: &Value) -> &str {
    s(rec, &["event"]).unwrap_or("")
}

fn run_id(rec: &Value) -> &str {
    s(rec, &["run_id"]).unwrap_or("")
}

fn parent_ids(rec: &Value) -> impl DoubleEndedIterator<Item = &str> {
    rec.get("parent_ids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn has_tag(rec: &Value, prefix: &str) -> bool {
    rec.get("tags").and_then(Value::as_array).is_some_and(|t| {
        t.iter()
            .any(|t| t.as_str().is_some_and(|t| t.starts_with(prefix)))
    })
}

/// Which runs are agents (the rule in `graph_agents`), from the start events.
fn agent_runs(records: &[(usize, Value)]) -> HashSet<String> {
    let runs: Vec<Run> = records
        .iter()
        .filter(|(_, rec)| event(rec).ends_with("_start"))
        .map(|(_, rec)| Run {
            id: run_id(rec),
            name: s(rec, &["name"]).unwrap_or(""),
            parent: parent_ids(rec).next_back(),
            node: has_tag(rec, "graph:step:"),
            model: event(rec) == "on_chat_model_start",
        })
        .collect();
    graph_agents::agents(&runs)
}

/// The importer's state while it walks the events.
struct State {
    out: Out,
    is_agent: HashSet<String>,
    agents: HashMap<String, Agent>,
    agent_order: Vec<String>,
    tools: HashMap<String, Tool>,
    tool_order: Vec<String>,
    turn: u64,
    /// Each agent's first model input (its context), each tool run's call id, each `tools`
    /// node's input (the calls it runs).
    first_input: HashMap<String, Value>,
    call_ids: HashMap<String, String>,
    tool_nodes: HashMap<String, Value>,
    /// Hand-offs announced and not yet taken: (run, agent name handed to) → the agent that
    /// handed off.
    handoffs: HashMap<(String, String), String>,
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::Langgraph);
    let (records, cut) = read_objects(input, &mut out);
    let mut st = Stream::new(out);
    st.segment(records);
    st.close(cut)
}

impl State {
    /// Pre-pass: each agent's first model input, each tool's call id, each `tools` node's input.
    fn learn(&mut self, records: &[(usize, Value)]) {
        for (_, rec) in records {
            match event(rec) {
                "on_chat_model_start" => {
                    if let (Some(agent), Some(msgs)) =
                        (self.nearest(rec), rec.pointer("/data/input/messages"))
                    {
                        self.first_input
                            .entry(agent)
                            .or_insert_with(|| msgs.clone());
                    }
                }
                "on_tool_end" | "on_tool_error" => {
                    let id = s(rec, &["data", "output", "tool_call_id"])
                        .or(s(rec, &["data", "tool_call_id"]))
                        .map(str::to_string)
                        .or_else(|| command_call_id(rec.pointer("/data/output")));
                    if let Some(id) = id {
                        self.call_ids.insert(run_id(rec).to_string(), id);
                    }
                }
                "on_chain_start" => {
                    let input = rec.pointer("/data/input");
                    let calls = match input {
                        Some(Value::Array(_)) => input.cloned(),
                        Some(v) if v.get("tool_call").is_some() => {
                            v.get("tool_call").map(|c| Value::Array(vec![c.clone()]))
                        }
                        _ => None,
                    };
                    if let Some(calls) = calls {
                        self.tool_nodes.insert(run_id(rec).to_string(), calls);
                    }
                }
                _ => {}
            }
        }
    }

    /// The nearest agent enclosing a record (its own run excluded).
    fn nearest(&self, rec: &Value) -> Option<String> {
        parent_ids(rec)
            .rev()
            .find(|p| self.is_agent.contains(*p))
            .map(str::to_string)
    }

    fn base(&self, agent: Option<&str>) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some((id, a)) = agent.and_then(|id| self.agents.get_key_value(id)) {
            m.insert("run_id".into(), Value::from(a.root.clone()));
            m.insert(
                "thread_id".into(),
                a.thread.clone().map(Value::from).unwrap_or(Value::Null),
            );
            m.insert("turn".into(), Value::from(a.turn));
            m.insert("agent_name".into(), Value::from(a.name.clone()));
            m.insert("agent_id".into(), Value::from(id.clone()));
        }
        m
    }

    fn agent_start(&mut self, line: usize, rec: &Value, owner: Option<String>) {
        let id = run_id(rec).to_string();
        let name = s(rec, &["name"]).unwrap_or("").to_string();
        let thread = s(rec, &["metadata", "thread_id"]).map(str::to_string);
        let (root, turn) = match owner.as_ref().and_then(|o| self.agents.get(o)) {
            Some(p) => (p.root.clone(), p.turn),
            None => {
                self.turn += 1;
                (id.clone(), self.turn)
            }
        };
        self.agents.insert(
            id.clone(),
            Agent {
                name,
                parent: owner.clone(),
                root,
                turn,
                thread,
                open: true,
            },
        );
        self.agent_order.push(id.clone());
        if owner.is_none() {
            self.user_message(line, rec, &id);
        }
        let mut p = self.base(Some(&id));
        if let Some(parent) = &owner {
            p.insert("parent_agent_id".into(), Value::from(parent.clone()));
        }
        let root = self.agents[&id].root.clone();
        let name = self.agents[&id].name.clone();
        if let Some(from) = self.handoffs.remove(&(root, name)) {
            p.insert("handoff_from".into(), Value::from(from));
        }
        let ctx = self
            .first_input
            .get(&id)
            .cloned()
            .or_else(|| rec.pointer("/data/input/messages").cloned());
        if let Some(c) = ctx {
            p.insert("context".into(), json!({ "messages": c }));
        }
        self.out
            .emit(line, "agent_started", None, Value::Object(p), rec);
    }

    /// A root's input opens its turn: its last user message, sent by the user.
    fn user_message(&mut self, line: usize, rec: &Value, root: &str) {
        let input = rec.pointer("/data/input");
        let msgs = input
            .and_then(|i| i.get("messages"))
            .and_then(Value::as_array);
        let user = msgs
            .into_iter()
            .flatten()
            .rev()
            .find(|m| matches!(s(m, &["role"]).or(s(m, &["type"])), Some("user" | "human")));
        let content = match (user, input) {
            (Some(u), _) => content_text(u.get("content")).map(Value::from),
            (None, Some(i)) if !i.is_null() => Some(i.clone()),
            _ => None,
        };
        let mut p = self.base(Some(root));
        p.remove("agent_name");
        p.remove("agent_id");
        p.insert("content".into(), content.unwrap_or(Value::Null));
        self.out
            .emit_dir(line, Dir::Out, "user_message", None, Value::Object(p), rec);
    }

    fn agent_end(&mut self, line: usize, rec: &Value, id: &str) {
        let error = event(rec) == "on_chain_error";
        if error {
            let msg = format!("agent {} reported an error", self.agents[id].name);
            self.out.problem(line, msg);
            self.close_inside(line, id, "an enclosing agent reported an error");
        }
        let answer = rec
            .pointer("/data/output/messages")
            .and_then(Value::as_array)
            .and_then(|m| {
                m.iter()
                    .rev()
                    .find(|m| s(m, &["type"]) == Some("ai") || s(m, &["role"]) == Some("assistant"))
            });
        let result = answer
            .map(|m| json!({ "final_answer": content_text(m.get("content")) }))
            .unwrap_or(Value::Null);
        let err = error.then(|| rec.pointer("/data/error").map_or("error".into(), err_text));
        let status = if error { "error" } else { "ok" };
        self.end_agent(line, id, status, err, result, rec);
    }

    /// The agent's `agent_completed`.
    fn end_agent(
        &mut self,
        line: usize,
        id: &str,
        status: &str,
        error: Option<String>,
        result: Value,
        rec: &Value,
    ) {
        let base = self.base(Some(id));
        let p = close_agent(&mut self.agents, id, base, status, error, result);
        self.out
            .emit(line, "agent_completed", None, Value::Object(p), rec);
    }

    fn thinking(&mut self, line: usize, rec: &Value, owner: Option<String>) {
        let mut p = self.base(owner.as_deref());
        let text = content_text(rec.pointer("/data/output/content")).unwrap_or_default();
        p.insert("thought".into(), Value::from(text));
        if let Some(u) = usage::of_chat_end(rec) {
            p.insert("usage".into(), u);
        }
        self.out
            .emit(line, "agent_thinking", None, Value::Object(p), rec);
    }
}

mod closing;
mod handoffs;
mod stream;
mod tools;
mod usage;
use closing::{close_agent, err_text};
pub(super) use stream::Stream;
use tools::command_call_id;
