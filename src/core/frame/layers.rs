//! The field lookup rule (protocol.md §3): a field of a frame is looked for in `payload`, then
//! in `data`, then at the top level, and the first layer that has it wins (a `null` there
//! included). One function for every reader of frames: the decoder over its raw fields, the
//! timeline's gists and the demo server over parsed values.

use serde_json::{Map, Value};

/// The layers of one frame a field may be in; `payload` and `data` count when they are objects.
#[derive(Debug, Clone, Copy)]
pub struct Layers<L> {
    pub payload: Option<L>,
    pub data: Option<L>,
    pub top: L,
}

impl<L: Copy> Layers<L> {
    /// The field from the first layer where `get` finds it: `payload`, `data`, the top level.
    pub fn find<T>(&self, get: impl Fn(L) -> Option<T>) -> Option<T> {
        (self.payload.and_then(&get))
            .or_else(|| self.data.and_then(&get))
            .or_else(|| get(self.top))
    }
}

impl<'v> Layers<&'v Map<String, Value>> {
    /// A parsed frame's layers; none when the frame is not an object.
    pub fn of(frame: &'v Value) -> Option<Self> {
        Some(Layers {
            payload: frame.get("payload").and_then(Value::as_object),
            data: frame.get("data").and_then(Value::as_object),
            top: frame.as_object()?,
        })
    }
}

/// A field of a parsed frame, by the rule.
pub fn field<'v>(frame: &'v Value, key: &str) -> Option<&'v Value> {
    Layers::of(frame)?.find(|layer| layer.get(key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::frame::{decode, Decoded};
    use crate::core::intern::Interner;
    use serde_json::json;

    /// The run id as the decoder reads it and as [`field`] reads it.
    fn both(frame: &Value) -> (Option<String>, Option<String>) {
        let mut names = Interner::default();
        let decoded = match decode(&frame.to_string(), &mut names) {
            Decoded::Event(e) => e.run_id.map(|s| names.resolve(s).to_owned()),
            Decoded::Malformed(_) => None,
        };
        let looked_up = field(frame, "run_id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        (decoded, looked_up)
    }

    #[test]
    fn payload_then_data_then_top_level_first_found_wins() {
        let cases = [
            (
                json!({"type": "x", "payload": {"run_id": "p"}, "data": {"run_id": "d"}, "run_id": "t"}),
                Some("p"),
            ),
            (
                json!({"type": "x", "payload": {}, "data": {"run_id": "d"}, "run_id": "t"}),
                Some("d"),
            ),
            (
                json!({"type": "x", "payload": {}, "data": {}, "run_id": "t"}),
                Some("t"),
            ),
            (
                json!({"type": "x", "data": {"run_id": "d"}, "run_id": "t"}),
                Some("d"),
            ),
            // A layer that is not an object is no layer.
            (
                json!({"type": "x", "payload": "p", "data": ["d"], "run_id": "t"}),
                Some("t"),
            ),
            // Found is found: a `null` in `payload` hides the layers below it.
            (
                json!({"type": "x", "payload": {"run_id": null}, "run_id": "t"}),
                None,
            ),
            (json!({"type": "x"}), None),
        ];
        for (frame, want) in cases {
            let want = want.map(str::to_owned);
            assert_eq!(both(&frame), (want.clone(), want), "{frame}");
        }
        assert_eq!(field(&json!("not an object"), "run_id"), None);
    }
}
