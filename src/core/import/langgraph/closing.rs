//! Closing what a LangGraph stream leaves open: tools and agents ended by an error event or by
//! the end of the input (closed as `aborted`, with the reason), and the tests of which agent
//! encloses which.

use super::{Agent, Tool};
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
