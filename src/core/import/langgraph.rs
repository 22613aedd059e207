//! LangChain/LangGraph `astream_events(version="v2")` dumped as JSON lines, to native frames.
//! Owns the mapping below. Nesting comes from `parent_ids` (outermost first), so agents that
//! run inside a tool keep their own lane. v2 events carry no timestamps: none are invented.
//!
//! | LangGraph event | native frames |
//! | --- | --- |
//! | `on_chain_start` whose `name` = `metadata.lc_agent_name` (an agent graph) | `agent_started`: `agent_id` = its `run_id`, `parent_agent_id` = the nearest agent in `parent_ids`; `context` = `{"messages": data.input.messages}` of the agent's first `on_chat_model_start` (else its own input). A root agent (none above it) opens a turn: `user_message` (its last user input) first; `run_id` = the root's `run_id`, `thread_id` = `metadata.thread_id` |
//! | `on_chain_end` of an agent | `agent_completed` `ok`, `result.final_answer` = the last AI message |
//! | `on_chain_error` of an agent | open tools and agents inside it closed `aborted` (reported), then `agent_completed` `error` |
//! | `on_chat_model_end` | `agent_thinking` (`thought` = the output message's text) for the nearest agent |
//! | `on_tool_start` | `tool_executing` (`parameters` = `data.input`); `tool_call_id` = the model's call id, from the end event's `output.tool_call_id` or the `tools` node input |
//! | `on_tool_end` | `tool_completed`; a `ToolMessage` with `status: "error"` (handled tool errors) → `status` `error` |
//! | `on_tool_error` | `tool_completed` `error` with `data.error` |
//! | `on_chat_model_stream`, `on_chain_stream`, other chains (graph nodes) | none |

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{content_text, read_objects, s, Format, Imported, Out};

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

fn run_id(rec: &Value) -> String {
    s(rec, &["run_id"]).unwrap_or("").to_string()
}

fn is_agent_start(rec: &Value) -> bool {
    event(rec) == "on_chain_start"
        && s(rec, &["name"]).is_some()
        && s(rec, &["name"]) == s(rec, &["metadata", "lc_agent_name"])
}

fn parent_ids(rec: &Value) -> Vec<String> {
    rec.get("parent_ids")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::Langgraph);
    let (records, cut) = read_objects(input, &mut out);
    // Pre-pass: which runs are agents, each agent's first model input, each tool's call id.
    let agent_runs: Vec<String> = records
        .iter()
        .filter(|(_, r)| is_agent_start(r))
        .map(|(_, r)| run_id(r))
        .collect();
    let nearest = |rec: &Value| {
        parent_ids(rec)
            .into_iter()
            .rev()
            .find(|p| agent_runs.contains(p))
    };
    let mut first_input: HashMap<String, Value> = HashMap::new();
    let mut call_ids: HashMap<String, String> = HashMap::new();
    let mut tool_nodes: HashMap<String, Value> = HashMap::new();
    for (_, rec) in &records {
        match event(rec) {
            "on_chat_model_start" => {
                if let (Some(agent), Some(msgs)) =
                    (nearest(rec), rec.pointer("/data/input/messages"))
                {
                    first_input.entry(agent).or_insert_with(|| msgs.clone());
                }
            }
            "on_tool_end" | "on_tool_error" => {
                if let Some(id) = s(rec, &["data", "output", "tool_call_id"]) {
                    call_ids.insert(run_id(rec), id.to_string());
                }
            }
            "on_chain_start" if rec.pointer("/data/input").is_some_and(Value::is_array) => {
                tool_nodes.insert(
                    run_id(rec),
                    rec.pointer("/data/input").cloned().unwrap_or(Value::Null),
                );
            }
            _ => {}
        }
    }
    let mut agents: HashMap<String, Agent> = HashMap::new();
    let mut agent_order: Vec<String> = Vec::new();
    let mut tools: HashMap<String, Tool> = HashMap::new();
    let mut tool_order: Vec<String> = Vec::new();
    let mut turn = 0u64;
    let base = |agents: &HashMap<String, Agent>, agent: Option<&str>| -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(a) = agent.and_then(|id| agents.get_key_value(id)) {
            m.insert("run_id".into(), Value::from(a.1.root.clone()));
            m.insert(
                "thread_id".into(),
                a.1.thread.clone().map(Value::from).unwrap_or(Value::Null),
            );
            m.insert("turn".into(), Value::from(a.1.turn));
            m.insert("agent_name".into(), Value::from(a.1.name.clone()));
            m.insert("agent_id".into(), Value::from(a.0.clone()));
        }
        m
    };
    let mut last = 0;
    for (line, rec) in &records {
        let line = *line;
        last = line;
        let id = run_id(rec);
        let owner = nearest(rec);
        match event(rec) {
            "on_chain_start" if is_agent_start(rec) => {
                let name = s(rec, &["name"]).unwrap_or("").to_string();
                let thread = s(rec, &["metadata", "thread_id"]).map(str::to_string);
                let (root, t) = match owner.as_ref().and_then(|o| agents.get(o)) {
                    Some(p) => (p.root.clone(), p.turn),
                    None => {
                        turn += 1;
                        (id.clone(), turn)
                    }
                };
                agents.insert(
                    id.clone(),
                    Agent {
                        name,
                        parent: owner.clone(),
                        root,
                        turn: t,
                        thread,
                        open: true,
                    },
                );
                agent_order.push(id.clone());
                if owner.is_none() {
                    let mut p = base(&agents, Some(&id));
                    p.remove("agent_name");
                    p.remove("agent_id");
                    let msgs = rec
                        .pointer("/data/input/messages")
                        .and_then(Value::as_array);
                    let user = msgs.into_iter().flatten().rev().find(|m| {
                        matches!(s(m, &["role"]).or(s(m, &["type"])), Some("user" | "human"))
                    });
                    if let Some(u) = user {
                        p.insert(
                            "content".into(),
                            content_text(u.get("content"))
                                .map(Value::from)
                                .unwrap_or(Value::Null),
                        );
                        out.emit(line, "user_message", None, Value::Object(p), rec);
                    }
                }
                let mut p = base(&agents, Some(&id));
                if let Some(parent) = &owner {
                    p.insert("parent_agent_id".into(), Value::from(parent.clone()));
                }
                let ctx = first_input
                    .get(&id)
                    .cloned()
                    .or_else(|| rec.pointer("/data/input/messages").cloned());
                if let Some(c) = ctx {
                    p.insert("context".into(), json!({ "messages": c }));
                }
                out.emit(line, "agent_started", None, Value::Object(p), rec);
            }
            "on_chain_end" | "on_chain_error" if agents.get(&id).is_some_and(|a| a.open) => {
                let error = event(rec) == "on_chain_error";
                if error {
                    let msg = format!("agent {} reported an error", agents[&id].name);
                    out.problem(line, msg);
                    let inner: Vec<String> = agent_order
                        .iter()
                        .rev()
                        .filter(|a| **a != id && agents[*a].open && is_inside(&agents, a, &id))
                        .cloned()
                        .collect();
                    for t in tool_order.iter().rev() {
                        let Some(tool) = tools.get_mut(t) else {
                            continue;
                        };
                        let inside = tool
                            .agent
                            .as_ref()
                            .is_some_and(|a| *a == id || inner.contains(a));
                        if tool.open && inside {
                            tool.open = false;
                            let mut p = base(&agents, tool.agent.as_deref());
                            close_tool(
                                &mut p,
                                tool,
                                "aborted",
                                Some("its agent reported an error"),
                            );
                            out.emit(line, "tool_completed", None, Value::Object(p), &Value::Null);
                            out.problem(line, format!("tool {} was still open when its agent failed; closed as aborted", tool.name));
                        }
                    }
                    for a in inner {
                        let p = close_agent(
                            &mut agents,
                            &a,
                            "aborted",
                            Some("an enclosing agent reported an error".into()),
                            Value::Null,
                        );
                        out.emit(
                            line,
                            "agent_completed",
                            None,
                            Value::Object(p),
                            &Value::Null,
                        );
                        out.problem(line, format!("agent {a} was still running when an enclosing agent failed; closed as aborted"));
                    }
                }
                let answer = rec
                    .pointer("/data/output/messages")
                    .and_then(Value::as_array)
                    .and_then(|m| {
                        m.iter().rev().find(|m| {
                            s(m, &["type"]) == Some("ai") || s(m, &["role"]) == Some("assistant")
                        })
                    });
                let result = answer
                    .map(|m| json!({ "final_answer": content_text(m.get("content")) }))
                    .unwrap_or(Value::Null);
                let err = error.then(|| {
                    rec.pointer("/data/error")
                        .map(err_text)
                        .unwrap_or_else(|| "error".into())
                });
                let status = if error { "error" } else { "ok" };
                let p = close_agent(&mut agents, &id, status, err, result);
                out.emit(line, "agent_completed", None, Value::Object(p), rec);
            }
            "on_chat_model_end" => {
                let mut p = base(&agents, owner.as_deref());
                let text = content_text(rec.pointer("/data/output/content")).unwrap_or_default();
                p.insert("thought".into(), Value::from(text));
                out.emit(line, "agent_thinking", None, Value::Object(p), rec);
            }
            "on_tool_start" => {
                let name = s(rec, &["name"]).unwrap_or("").to_string();
                let params = rec.pointer("/data/input").cloned().unwrap_or(Value::Null);
                let from_node = parent_ids(rec)
                    .last()
                    .and_then(|n| tool_nodes.get(n))
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
                let call_id = call_ids.get(&id).cloned().or(from_node);
                let mut p = base(&agents, owner.as_deref());
                p.insert("tool_name".into(), Value::from(name.clone()));
                p.insert(
                    "tool_call_id".into(),
                    call_id.clone().map(Value::from).unwrap_or(Value::Null),
                );
                p.insert("parameters".into(), params);
                out.emit(line, "tool_executing", None, Value::Object(p), rec);
                tools.insert(
                    id.clone(),
                    Tool {
                        agent: owner.clone(),
                        name,
                        call_id,
                        open: true,
                    },
                );
                tool_order.push(id);
            }
            "on_tool_end" | "on_tool_error" => {
                let fallback = Tool {
                    agent: owner.clone(),
                    name: s(rec, &["name"]).unwrap_or("").into(),
                    call_id: call_ids.get(&id).cloned(),
                    open: true,
                };
                let tool = tools.entry(id).or_insert(fallback);
                tool.open = false;
                let output = rec.pointer("/data/output");
                let (status, error) = if event(rec) == "on_tool_error" {
                    (
                        "error",
                        Some(
                            rec.pointer("/data/error")
                                .map(err_text)
                                .unwrap_or_else(|| "tool error".into()),
                        ),
                    )
                } else if output.and_then(|o| o.get("status")).and_then(Value::as_str)
                    == Some("error")
                {
                    (
                        "error",
                        Some(
                            content_text(output.and_then(|o| o.get("content")))
                                .unwrap_or_else(|| "tool error".into()),
                        ),
                    )
                } else {
                    ("ok", None)
                };
                let mut p = base(&agents, tool.agent.as_deref());
                close_tool(&mut p, tool, status, error.as_deref());
                let content =
                    output.map(|o| o.get("content").cloned().unwrap_or_else(|| o.clone()));
                p.insert("result".into(), json!({ "content": content }));
                out.emit(line, "tool_completed", None, Value::Object(p), rec);
            }
            _ => {}
        }
    }
    let why = if cut {
        "the input ended with a cut-off line"
    } else {
        "the input ended"
    };
    for t in tool_order.iter().rev() {
        let Some(tool) = tools.get_mut(t) else {
            continue;
        };
        if tool.open {
            tool.open = false;
            let mut p = base(&agents, tool.agent.as_deref());
            close_tool(&mut p, tool, "aborted", Some(why));
            out.emit(last, "tool_completed", None, Value::Object(p), &Value::Null);
            out.problem(
                last,
                format!(
                    "tool {} was still open when {why}; closed as aborted",
                    tool.name
                ),
            );
        }
    }
    for a in agent_order.iter().rev() {
        if agents[a].open {
            let p = close_agent(
                &mut agents,
                a,
                "aborted",
                Some(why.to_string()),
                Value::Null,
            );
            out.emit(
                last,
                "agent_completed",
                None,
                Value::Object(p),
                &Value::Null,
            );
            out.problem(
                last,
                format!("agent {a} was still running when {why}; closed as aborted"),
            );
        }
    }
    out.finish()
}

mod closing;
use closing::{close_agent, close_tool, err_text, is_inside};
