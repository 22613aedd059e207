//! Model usage in Codex rollouts: each `event_msg` `token_count` is one model request, its
//! `info.last_token_usage` (`input_tokens` with `cached_input_tokens` inside it, and
//! `output_tokens`) counted as an `agent_thinking` of the thread's agent; `total_token_usage`
//! is the running sum and is never counted, and a `token_count` whose total did not move (Codex
//! repeats one when only its rate limits changed) adds nothing. The model is the thread's last
//! `turn_context` `model`.

use std::collections::HashMap;

use serde_json::Value;

use super::super::super::s;
use super::State;
use crate::core::usage::read;

/// Per thread: the model of its last `turn_context`, and the last total seen.
#[derive(Default)]
pub(super) struct Usage {
    model: HashMap<String, String>,
    total: HashMap<String, Value>,
}

impl State {
    /// A `turn_context`: the model the thread's next requests use.
    pub(super) fn turn_context(&mut self, p: &Value, thread: &str) {
        if let Some(m) = s(p, &["model"]) {
            self.usage.model.insert(thread.to_string(), m.to_string());
        }
    }

    /// A `token_count` event: the last request's usage, once.
    pub(super) fn token_count(&mut self, line: usize, rec: &Value, p: &Value, thread: &str) {
        let Some(info) = p.get("info").filter(|i| !i.is_null()) else {
            return;
        };
        if let Some(total) = info.get("total_token_usage") {
            if self.usage.total.get(thread) == Some(total) {
                return;
            }
            self.usage.total.insert(thread.to_string(), total.clone());
        }
        let last = info.get("last_token_usage").and_then(Value::as_object);
        let Some(t) = last.and_then(read::tokens).filter(|t| !t.is_zero()) else {
            return;
        };
        let ts = rec.get("timestamp").cloned();
        self.ensure_started(line, thread, ts.clone(), rec);
        let mut m = self.base(thread);
        let model = self.usage.model.get(thread).map(String::as_str);
        m.insert("usage".into(), read::native(model, &t));
        self.out
            .emit(line, "agent_thinking", ts, Value::Object(m), rec);
    }
}
