//! Model usage of Claude Code's assistant lines: `message.usage` (`input_tokens`,
//! `output_tokens`, `cache_read_input_tokens`, `cache_creation_input_tokens`) and
//! `message.model`. One API message is written as several lines sharing `message.id`, each
//! repeating the message's usage: it is counted once per `message.id`, on the first frame made
//! from one of its lines, for the agent whose lane the line is in.

use serde_json::Value;

use super::super::peek::Rec;
use super::State;
use crate::core::usage::read;

impl State {
    /// The native `usage` of an assistant line's API message, unless its `message.id` was
    /// counted already (a message without an id counts on each line); `None` for no usage.
    pub(super) fn message_usage(&self, rec: &Rec) -> Option<Value> {
        let m = rec.get("message")?;
        if let Some(id) = m.get("id").and_then(Value::as_str) {
            if self.counted.contains(id) {
                return None;
            }
        }
        let tokens = read::tokens(m.get("usage")?.as_object()?).filter(|t| !t.is_zero())?;
        // `<synthetic>` marks a message Claude Code wrote itself, not a model's.
        let model = m
            .get("model")
            .and_then(Value::as_str)
            .filter(|m| *m != "<synthetic>");
        Some(read::native(model.or(self.model.as_deref()), &tokens))
    }

    /// Puts the line's usage on a frame's payload, and counts its `message.id` as done.
    pub(super) fn attach_usage(
        &mut self,
        rec: &Rec,
        usage: &mut Option<Value>,
        p: &mut serde_json::Map<String, Value>,
    ) {
        let Some(u) = usage.take() else {
            return;
        };
        p.insert("usage".into(), u);
        let id = rec
            .get("message")
            .and_then(|m| m.get("id"))
            .and_then(Value::as_str);
        if let Some(id) = id {
            self.counted.insert(id.to_string());
        }
    }
}
