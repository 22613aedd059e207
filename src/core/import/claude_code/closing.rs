//! Closing lanes of a Claude Code stream: a sub-agent or the root completing (with its status),
//! and everything still open when the stream ends or reports an error, closed as `aborted` and
//! reported.

use super::super::out::Record;
use super::super::Imported;
use super::State;
use serde_json::Value;

impl State {
    /// The end of a transcript (it has no `result`): its last turn ends, and whatever is still
    /// open is closed as aborted.
    pub(super) fn finish_transcript(mut self, last_line: usize, cut: bool) -> Imported {
        let why = if cut {
            "the transcript ended with a cut-off line"
        } else {
            "the transcript ended"
        };
        self.end_turn(last_line, why);
        self.abort_all(last_line, why, true);
        self.out.finish()
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn close_agent(
        &mut self,
        line: usize,
        id: &str,
        stamp: Option<Value>,
        status: &str,
        error: Option<&str>,
        result: Value,
        rec: &(impl Record + ?Sized),
    ) {
        let Some(a) = self.agents.get_mut(id) else {
            return;
        };
        if !a.open {
            return;
        }
        a.open = false;
        let (name, parent) = (a.name.clone(), a.parent.clone());
        let mut p = self.base(id, &name);
        p.insert("parent_agent_id".into(), Value::from(parent));
        p.insert("result".into(), result);
        self.emit_completed(line, stamp, p, status, error, rec);
    }

    pub(super) fn emit_completed(
        &mut self,
        line: usize,
        stamp: Option<Value>,
        mut p: serde_json::Map<String, Value>,
        status: &str,
        error: Option<&str>,
        rec: &(impl Record + ?Sized),
    ) {
        p.insert("status".into(), Value::from(status));
        p.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        self.out
            .emit(line, "agent_completed", stamp, Value::Object(p), rec);
    }

    /// Closes open tools and sub-agents as aborted (background sub-agents only when the input
    /// ended), newest first, reporting each.
    pub(super) fn abort_all(&mut self, line: usize, why: &str, include_background: bool) {
        // What is closed is dropped from the order lists here, so a long session's turns each
        // look only at what is still open (linear overall).
        let tools_now = &self.tools;
        self.tool_order
            .retain(|id| tools_now.get(id).is_some_and(|t| t.open));
        let agents_now = &self.agents;
        self.agent_order
            .retain(|id| agents_now.get(id).is_some_and(|a| a.open));
        let tools: Vec<String> = self.tool_order.iter().rev().cloned().collect();
        for id in tools {
            let Some(t) = self.tools.get(&id) else {
                continue;
            };
            let background = self.agents.get(&id).is_some_and(|a| a.background);
            if !t.open || (background && !include_background) {
                continue;
            }
            let (agent, name) = (t.agent.clone(), t.name.clone());
            if let Some(t) = self.tools.get_mut(&id) {
                t.open = false;
            }
            let p = self.base(&agent, &self.agent_name(&agent));
            self.out.abort_tool(line, p, &name, &id, why);
        }
        let agents: Vec<String> = self.agent_order.iter().rev().cloned().collect();
        for id in agents {
            let Some(a) = self.agents.get(&id) else {
                continue;
            };
            if !a.open || (a.background && !include_background) {
                continue;
            }
            let name = a.name.clone();
            self.close_agent(
                line,
                &id,
                None,
                "aborted",
                Some(why),
                Value::Null,
                &Value::Null,
            );
            self.out.problem(
                line,
                format!("sub-agent {name} ({id}) was still running when {why}; closed as aborted"),
            );
        }
    }
}
