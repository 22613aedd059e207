//! The run script builder: the vocabulary scenarios are written in (start an agent, think,
//! call a tool, complete), keeping a scenario-time cursor with seeded jitter and filling
//! every native field (ids, parents, contexts, hashes, durations) so scenarios stay short.

use fastrand::Rng;
use serde_json::{json, Map, Value};

use super::plan::{Action, Event, Kind, RunMeta, RunPlan, Step};
use crate::core::hash::hash_value;

/// How a tool call ends.
pub enum Outcome {
    Ok(Value),
    Failed(&'static str),
}

/// Builds one run's plan.
pub struct Script<'r> {
    pub rng: &'r mut Rng,
    meta: RunMeta,
    context: Value,
    context_hash: String,
    prev_hash: Option<String>,
    t: i64,
    steps: Vec<Step>,
    calls: u32,
    /// (agent name, start offset) of agents started so far.
    started: Vec<(String, i64)>,
}

impl<'r> Script<'r> {
    pub fn new(rng: &'r mut Rng, meta: RunMeta, context: Value, prev_hash: Option<String>) -> Self {
        let context_hash = hash_of(&context);
        Script {
            rng,
            meta,
            context,
            context_hash,
            prev_hash,
            t: 0,
            steps: Vec::new(),
            calls: 0,
            started: Vec::new(),
        }
    }

    pub fn context_hash(&self) -> &str {
        &self.context_hash
    }

    /// Advance the cursor by a jittered amount in `[lo, hi]` ms.
    pub fn wait(&mut self, lo: i64, hi: i64) {
        self.t += self.rng.i64(lo..=hi.max(lo));
    }

    /// A seeded integer, for tool outputs.
    pub fn pick(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.i64(lo..=hi.max(lo))
    }

    fn agent_id(&self, agent: &str) -> String {
        format!("{}/{}", self.meta.run_id, agent)
    }

    fn emit(&mut self, kind: Kind, agent: &str, fields: Value) {
        let mut payload = Map::new();
        payload.insert("run_id".into(), json!(self.meta.run_id));
        payload.insert("thread_id".into(), json!(self.meta.thread_id));
        payload.insert("user_id".into(), json!(self.meta.user_id));
        payload.insert("turn".into(), json!(self.meta.turn));
        payload.insert("agent_name".into(), json!(agent));
        payload.insert("agent_id".into(), json!(self.agent_id(agent)));
        if let Value::Object(extra) = fields {
            payload.extend(extra);
        }
        self.steps.push(Step {
            at: self.t,
            action: Action::Event(Event { kind, payload }),
        });
    }

    /// `agent_started`; `parent` is the delegating agent's name (None for the turn's root).
    pub fn start(&mut self, agent: &str, parent: Option<&str>) {
        let mut fields = json!({
            "context": self.context,
            "context_hash": self.context_hash,
        });
        match parent {
            Some(p) => fields["parent_agent_id"] = json!(self.agent_id(p)),
            None => fields["prev_context_hash"] = json!(self.prev_hash),
        }
        self.started.push((agent.to_string(), self.t));
        self.emit(Kind::AgentStarted, agent, fields);
    }

    pub fn think(&mut self, agent: &str, thought: &str, step: u32, total: u32) {
        let pct = (step * 100).checked_div(total).unwrap_or(0);
        let root = self.started.first().is_none_or(|(a, _)| a == agent);
        self.emit(
            Kind::AgentThinking,
            agent,
            json!({"thought": thought, "step_number": step, "total_steps": total,
                   "progress_percentage": pct.min(100),
                   "usage": super::usage::of_thought(agent, thought, root)}),
        );
    }

    /// A tool call lasting `[lo, hi]` ms; returns its output (or the error text).
    pub fn tool(
        &mut self,
        agent: &str,
        tool: &str,
        params: Value,
        lo: i64,
        hi: i64,
        outcome: Outcome,
    ) -> Value {
        self.calls += 1;
        let id = format!("call-{}", self.calls);
        self.emit(
            Kind::ToolExecuting,
            agent,
            json!({"tool_name": tool, "tool_call_id": id, "parameters": params}),
        );
        let before = self.t;
        self.wait(lo, hi);
        let (result, out) = match outcome {
            Outcome::Ok(v) => (json!({"status": "success", "output": v}), v),
            Outcome::Failed(e) => (json!({"status": "error", "error": e}), json!(e)),
        };
        self.emit(
            Kind::ToolCompleted,
            agent,
            json!({"tool_name": tool, "tool_call_id": id, "result": result,
                   "duration_ms": self.t - before}),
        );
        out
    }

    /// `agent_completed` with `result` (its `status` filled in when missing).
    pub fn complete(&mut self, agent: &str, result: Value) {
        let mut result = result;
        if let Value::Object(m) = &mut result {
            m.entry("status").or_insert(json!("completed"));
        }
        let since = self
            .started
            .iter()
            .rev()
            .find(|(n, _)| n == agent)
            .map_or(0, |(_, t)| *t);
        self.emit(
            Kind::AgentCompleted,
            agent,
            json!({"result": result, "duration_ms": self.t - since,
                   "context_hash": self.context_hash}),
        );
    }

    pub fn error(&mut self, agent: &str, error: &str, error_type: &str) {
        self.emit(
            Kind::AgentError,
            agent,
            json!({"error": error, "error_type": error_type, "is_recoverable": true}),
        );
    }

    pub fn fallback(&mut self, agent: &str, message: &str) {
        self.emit(
            Kind::AgentFallback,
            agent,
            json!({"fallback_type": "heuristic", "message": message}),
        );
    }

    pub fn final_report(&mut self, agent: &str, report: &str) {
        self.emit(
            Kind::FinalReport,
            agent,
            json!({"report": report, "total_duration_ms": self.t}),
        );
    }

    /// The root completes with `result`; a moment later it sends the final report of `answer`.
    pub fn conclude(&mut self, agent: &str, result: Value, answer: &str) {
        self.complete(agent, result);
        self.wait(150, 300);
        self.final_report(agent, answer);
    }

    pub fn finish(self) -> RunPlan {
        RunPlan {
            meta: self.meta,
            start: 0,
            steps: self.steps,
        }
    }
}

/// The context hash as sent on the wire (`sha256:<hex>`).
pub fn hash_of(context: &Value) -> String {
    // Contexts are built from strings, integers and objects: canonicalisation cannot fail.
    hash_value(context).unwrap_or_default()
}
