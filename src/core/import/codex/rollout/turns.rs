//! A Codex thread's turns: a `task_started` opens one (a new run for the root thread, the
//! root's run for a child), its `agent_started` held until the turn's prompt, and its end
//! (completed, failed or aborted) with whatever of it is still open.

use serde_json::{json, Value};

use super::super::super::s;
use super::State;

impl State {
    pub(super) fn task_started(&mut self, thread: &str, p: &Value) {
        let root_turn = s(p, &["turn_attribution", "root_turn_id"])
            .or(s(p, &["root_turn_id"]))
            .or(s(p, &["turn_id"]))
            .map(str::to_string);
        let is_root = self.threads.get(thread).is_some_and(|t| t.parent.is_none());
        let (run, turn) = if is_root {
            self.root_turns += 1;
            let run = if self.root_turns == 1 {
                thread.to_string()
            } else {
                format!("{thread}#{}", self.root_turns)
            };
            if let Some(rt) = &root_turn {
                self.runs.insert(rt.clone(), (run.clone(), self.root_turns));
            }
            (run, self.root_turns)
        } else {
            root_turn
                .and_then(|rt| self.runs.get(&rt).cloned())
                .unwrap_or((self.root.clone(), self.root_turns.max(1)))
        };
        let Some(t) = self.threads.get_mut(thread) else {
            return;
        };
        t.turns += 1;
        t.agent = Some(if t.turns == 1 {
            thread.to_string()
        } else {
            format!("{thread}#{}", t.turns)
        });
        t.started = false;
        t.run = run;
        t.turn = turn;
    }

    /// The turn's `agent_started`, once: held until the turn's prompt or first act.
    pub(super) fn ensure_started(
        &mut self,
        line: usize,
        thread: &str,
        ts: Option<Value>,
        rec: &Value,
    ) {
        let Some(t) = self.threads.get(thread) else {
            return;
        };
        if t.started {
            return;
        }
        if t.agent.is_none() {
            // Lines before any `task_started`: the thread's first turn.
            self.task_started(thread, &Value::Null);
        }
        let parent = self.threads[thread]
            .parent
            .as_ref()
            .and_then(|p| self.threads.get(p))
            .and_then(|p| p.agent.clone());
        let task = self.threads[thread].task.clone();
        let mut p = self.base(thread);
        if let Some(parent) = parent {
            p.insert("parent_agent_id".into(), Value::from(parent));
        }
        if let Some(task) = task {
            p.insert("parameters".into(), json!({ "task": task }));
        }
        self.out
            .emit(line, "agent_started", ts, Value::Object(p), rec);
        if let Some(t) = self.threads.get_mut(thread) {
            t.started = true;
        }
    }

    /// Ends the open turn of `thread`: its open tools closed `aborted`, then its agent.
    pub(super) fn close_turn(
        &mut self,
        line: usize,
        thread: &str,
        status: &str,
        error: Option<&str>,
        answer: Option<String>,
        rec: &Value,
    ) {
        let Some(agent) = self.threads.get(thread).and_then(|t| t.agent.clone()) else {
            return;
        };
        if !self.threads[thread].started {
            return;
        }
        let tools_now = &self.tools;
        self.tool_order
            .retain(|id| tools_now.get(id).is_some_and(|t| t.2));
        for id in self.tool_order.clone().iter().rev() {
            let Some((a, name, open)) = self.tools.get(id).cloned() else {
                continue;
            };
            if !open || a != agent {
                continue;
            }
            if let Some(t) = self.tools.get_mut(id) {
                t.2 = false;
            }
            let why = error.unwrap_or("the turn ended");
            let base = self.base(thread);
            self.out.abort_tool(line, base, &name, id, why);
        }
        let mut m = self.base(thread);
        m.insert("status".into(), Value::from(status));
        m.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        if let Some(a) = answer {
            m.insert("result".into(), json!({ "final_answer": a }));
        }
        let ts = rec.get("timestamp").cloned();
        self.out
            .emit(line, "agent_completed", ts, Value::Object(m), rec);
        if let Some(t) = self.threads.get_mut(thread) {
            t.agent = None;
            t.started = false;
        }
    }

    /// The end of the rollouts: a thread's turn still open is closed `aborted`, and said.
    pub(super) fn cut_off(&mut self, line: usize, thread: &str, why: &str) {
        let open = self.threads.get(thread).filter(|t| t.started);
        let Some(agent) = open.and_then(|t| t.agent.clone()) else {
            return;
        };
        self.close_turn(line, thread, "aborted", Some(why), None, &Value::Null);
        self.out.problem(
            line,
            format!("agent {agent} was still running when {why}; closed as aborted"),
        );
    }
}
