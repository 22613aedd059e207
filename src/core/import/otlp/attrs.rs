//! An OTLP span's attributes as the rules read them: names and string values borrowed from
//! the span where they can be, other values as plain JSON, and the names the rules look up
//! each given a slot when the span is read, so a lookup is an index, not a scan.

use std::borrow::Cow;

use serde_json::Value;

/// An attribute's value: a string borrowed from the span where it can be, else plain JSON.
pub(super) enum AttrValue<'a> {
    Str(Cow<'a, str>),
    Json(Value),
}

impl AttrValue<'_> {
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            AttrValue::Str(s) => Some(s),
            AttrValue::Json(_) => None,
        }
    }

    /// The value as JSON, a string that holds JSON parsed (see `json_or_string`).
    pub(super) fn json(&self) -> Value {
        match self {
            AttrValue::Str(s) => {
                serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
            }
            AttrValue::Json(v) => v.clone(),
        }
    }
}

/// How many names have a slot.
const SLOTS: usize = 25;
/// No attribute of that name (or one past the slots' reach: looked up by a scan).
const NONE: u16 = u16::MAX;

/// The slot of a name the rules look up.
fn slot(key: &str) -> Option<usize> {
    Some(match key {
        "gen_ai.operation.name" => 0,
        "gen_ai.agent.name" => 1,
        "gen_ai.agent.id" => 2,
        "gen_ai.input.messages" => 3,
        "gen_ai.output.messages" => 4,
        "gen_ai.conversation.id" => 5,
        "gen_ai.tool.name" => 6,
        "gen_ai.tool.call.id" => 7,
        "gen_ai.tool.call.arguments" => 8,
        "gen_ai.tool.call.result" => 9,
        "gen_ai.workflow.name" => 10,
        "agent.name" => 11,
        "tool.name" => 12,
        "session.id" => 13,
        "input.value" => 14,
        "output.value" => 15,
        "metadata" => 16,
        "openinference.span.kind" => 17,
        "graph.node.parent_id" => 18,
        "traceloop.span.kind" => 19,
        "traceloop.entity.name" => 20,
        "traceloop.entity.input" => 21,
        "traceloop.entity.output" => 22,
        "traceloop.workflow.name" => 23,
        "traceloop.association.properties.session_id" => 24,
        _ => return None,
    })
}

/// Whether the rules read an attribute of this name: a slotted name, or a hand-off's
/// `…from_agent`/`…to_agent`.
pub(super) fn wanted(key: &str) -> bool {
    slot(key).is_some()
        || key.ends_with("from_agent")
        || key.ends_with("to_agent")
        || super::usage::wanted(key)
}

/// A span's attributes, in the order written (the first of a name counts).
pub(super) struct Attrs<'a> {
    pairs: Vec<(Cow<'a, str>, AttrValue<'a>)>,
    /// For each slotted name, the index of its first attribute.
    slots: [u16; SLOTS],
}

impl<'a> Attrs<'a> {
    /// A span's attributes as read by the borrowed reader.
    pub(super) fn from_pairs(pairs: Vec<(Cow<'a, str>, AttrValue<'a>)>) -> Attrs<'a> {
        let mut slots = [NONE; SLOTS];
        for (i, (k, _)) in pairs.iter().enumerate().take(usize::from(NONE)) {
            if let Some(s) = slot(k) {
                if slots[s] == NONE {
                    slots[s] = i as u16;
                }
            }
        }
        Attrs { pairs, slots }
    }

    pub(super) fn get(&self, key: &str) -> Option<&AttrValue<'a>> {
        match slot(key).map(|s| self.slots[s]) {
            Some(i) if i != NONE => Some(&self.pairs[usize::from(i)].1),
            // Absent, unless beyond the slots' reach (a span with 65,535 attributes).
            Some(_) if self.pairs.len() < usize::from(NONE) => None,
            _ => self.pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        }
    }

    /// A string attribute's text.
    pub(super) fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(AttrValue::as_str)
    }

    pub(super) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &AttrValue<'a>)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_finds_the_first_attribute_of_a_name() {
        let pair = |k: &'static str, v: &'static str| (Cow::Borrowed(k), AttrValue::Str(v.into()));
        let attrs = Attrs::from_pairs(vec![
            pair("x.y", "1"),
            pair("gen_ai.agent.name", "a"),
            pair("gen_ai.agent.name", "b"),
            pair("x.y", "2"),
        ]);
        assert_eq!(attrs.get_str("gen_ai.agent.name"), Some("a"));
        assert_eq!(attrs.get_str("x.y"), Some("1"));
        assert!(!attrs.contains_key("gen_ai.agent.id"));
        assert!(!attrs.contains_key("z"));
    }
}
