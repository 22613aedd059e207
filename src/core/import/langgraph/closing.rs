//! Closing what a LangGraph stream leaves open: tools and agents ended by an error event or by
//! the end of the input (closed as `aborted`, or failed when an error ended the stream, with the
//! reason), and the tests of which agent encloses which.

use super::{Agent, State, Tool};
use serde_json::{Map, Value};
use std::collections::HashMap;

pub(super) fn is_inside(agents: &HashMap<String, Agent>, id: &str, outer: &str) -> bool {
    let mut cur = agents.get(id).and_then(|a| a.parent.clone());
    for _ in 0..agents.len() {
        match cur {
            Some(p) if p == outer => return true,
            Some(p) => cur = agents.get(&p).and_then(|a| a.parent.clone()),
            None => return false,
        }
    }
    false
}

pub(super) fn err_text(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

pub(super) fn close_tool(
    p: &mut Map<String, Value>,
    tool: &Tool,
    status: &str,
    error: Option<&str>,
) {
    p.insert("tool_name".into(), Value::from(tool.name.clone()));
    p.insert(
        "tool_call_id".into(),
        tool.call_id.clone().map(Value::from).unwrap_or(Value::Null),
    );
    p.insert("status".into(), Value::from(status));
    p.insert(
        "error".into(),
        error.map(Value::from).unwrap_or(Value::Null),
    );
}

/// Marks an agent closed and completes its `agent_completed` payload (`m`: its base fields).
pub(super) fn close_agent(
    agents: &mut HashMap<String, Agent>,
    id: &str,
    mut m: Map<String, Value>,
    status: &str,
    error: Option<String>,
    result: Value,
) -> Map<String, Value> {
    if let Some(a) = agents.get_mut(id) {
        a.open = false;
        m.insert(
            "parent_agent_id".into(),
            a.parent.clone().map(Value::from).unwrap_or(Value::Null),
        );
    }
    m.insert("status".into(), Value::from(status));
    m.insert(
        "error".into(),
        error.map(Value::from).unwrap_or(Value::Null),
    );
    m.insert("result".into(), result);
    m
}

impl State {
    /// Closes an agent the stream left open, with `status` and the reason, and reports it.
    pub(super) fn cut_short(&mut self, line: usize, id: &str, status: &str, why: &str) {
        self.end_agent(
            line,
            id,
            status,
            Some(why.into()),
            Value::Null,
            &Value::Null,
        );
        let closed = if status == "error" {
            "failed"
        } else {
            "aborted"
        };
        self.out.problem(
            line,
            format!("agent {id} was still running when {why}; closed as {closed}"),
        );
    }

    /// Closes the open tools and agents inside `id` as aborted, reporting each.
    pub(super) fn close_inside(&mut self, line: usize, id: &str, why: &str) {
        let inner: Vec<String> = self
            .agent_order
            .iter()
            .rev()
            .filter(|a| **a != id && self.agents[*a].open && is_inside(&self.agents, a, id))
            .cloned()
            .collect();
        for t in self.tool_order.clone().iter().rev() {
            let inside = self.tools[t]
                .agent
                .as_ref()
                .is_some_and(|a| a == id || inner.contains(a));
            if self.tools[t].open && inside {
                self.abort_tool(line, t, "aborted", why);
            }
        }
        for a in inner {
            self.cut_short(line, &a, "aborted", why);
        }
    }

    /// Closes every open tool and agent, newest first, with `status` and the reason.
    pub(super) fn close_all(&mut self, line: usize, status: &str, why: &str) {
        for t in self.tool_order.clone().iter().rev() {
            if self.tools[t].open {
                self.abort_tool(line, t, status, why);
            }
        }
        for a in self.agent_order.clone().iter().rev() {
            if self.agents[a].open {
                self.cut_short(line, a, status, why);
            }
        }
    }
}
