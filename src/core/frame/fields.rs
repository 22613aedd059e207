//! The JSON side of decoding: the known keys of a frame object as borrowed raw values (first
//! occurrence wins, unknown keys skipped unread), parsed in place in one pass — the top level
//! with `payload` and `data` — and the readers that turn a raw value into text, a number or a
//! flag without rejecting a wrong type.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The visits of a value that is not an object: skipped, answering `false`.
macro_rules! not_an_object {
    () => {
        fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<bool, S::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    };
}

macro_rules! fields {
    ($($field:ident => $name:literal),* $(,)?) => {
        /// The known keys of one JSON object, as raw borrowed values (first occurrence wins).
        #[derive(Default)]
        pub(super) struct Fields<'a> { $(pub(super) $field: Option<&'a RawValue>,)* }

        #[derive(Clone, Copy)]
        #[allow(non_camel_case_types)]
        pub(super) enum Key { $($field,)* Unknown }

        fn key_of(s: &str) -> Key {
            match s { $($name => Key::$field,)* _ => Key::Unknown }
        }

        impl<'a> Fields<'a> {
            fn set(&mut self, key: Key, raw: &'a RawValue) {
                match key {
                    $(Key::$field => { if self.$field.is_none() { self.$field = Some(raw); } })*
                    Key::Unknown => {}
                }
            }
        }
    };
}

fields! {
    ty => "type", timestamp => "timestamp", payload => "payload", data => "data",
    run_id => "run_id", parent_run_id => "parent_run_id", thread_id => "thread_id",
    user_id => "user_id", turn => "turn", seq => "seq", agent_name => "agent_name",
    agent_id => "agent_id", parent_agent_id => "parent_agent_id", tool_name => "tool_name",
    tool_call_id => "tool_call_id", result => "result", results => "results", error => "error",
    error_message => "error_message", duration_ms => "duration_ms",
    execution_time_ms => "execution_time_ms", duration => "duration", context => "context",
    context_hash => "context_hash", prev_context_hash => "prev_context_hash", status => "status",
    success => "success", final_response => "final_response", final_answer => "final_answer",
    response => "response", report => "report", content => "content",
    subagent_name => "subagent_name", subagent_id => "subagent_id",
    parent_agent_name => "parent_agent_name", event => "event", handoff_from => "handoff_from",
    metadata => "metadata", parameters => "parameters", arguments => "arguments",
    usage => "usage", model => "model",
}

struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
                Ok(key_of(s))
            }
        }
        d.deserialize_str(V)
    }
}

/// The top level of a frame: its fields, with `payload` and `data` parsed in the same pass
/// (so their bytes are scanned once, not skipped and re-read), written in place (the fields are
/// large; moving them per frame would cost more than reading them).
#[derive(Default)]
pub(super) struct TopFrame<'a> {
    pub(super) top: Fields<'a>,
    pub(super) payload: Fields<'a>,
    pub(super) data: Fields<'a>,
    /// Netra's flattened variant puts some fields (`agent_name` of thinking and tool frames,
    /// the real parameters and results) only in a top-level `metadata` object.
    pub(super) metadata: Fields<'a>,
    pub(super) has_payload: bool,
    pub(super) has_data: bool,
    pub(super) has_metadata: bool,
}

/// Parses a frame into a caller's [`TopFrame`]; the value says whether it was an object.
struct TopSeed<'s, 'a>(&'s mut TopFrame<'a>);

impl<'de: 'a, 'a> de::DeserializeSeed<'de> for TopSeed<'_, 'a> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(TopVisitor(self.0))
    }
}

struct TopVisitor<'s, 'a>(&'s mut TopFrame<'a>);

impl<'de: 'a, 'a> Visitor<'de> for TopVisitor<'_, 'a> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<bool, M::Error> {
        let frame = self.0;
        let (mut seen_payload, mut seen_data, mut seen_metadata) = (false, false, false);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::payload if !seen_payload => {
                    seen_payload = true;
                    frame.has_payload = map.next_value_seed(FieldsSeed(&mut frame.payload))?;
                }
                Key::data if !seen_data => {
                    seen_data = true;
                    frame.has_data = map.next_value_seed(FieldsSeed(&mut frame.data))?;
                }
                Key::metadata if !seen_metadata => {
                    seen_metadata = true;
                    frame.has_metadata = map.next_value_seed(FieldsSeed(&mut frame.metadata))?;
                }
                Key::Unknown | Key::payload | Key::data | Key::metadata => {
                    map.next_value::<IgnoredAny>()?;
                }
                key => {
                    let raw: &'de RawValue = map.next_value()?;
                    frame.top.set(key, raw);
                }
            }
        }
        Ok(true)
    }
    not_an_object!();
}

/// Parses an object's known keys into a caller's [`Fields`]; the value says whether the value
/// was an object (anything else is skipped).
struct FieldsSeed<'s, 'a>(&'s mut Fields<'a>);

impl<'de: 'a, 'a> de::DeserializeSeed<'de> for FieldsSeed<'_, 'a> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(FieldsVisitor(self.0))
    }
}

struct FieldsVisitor<'s, 'a>(&'s mut Fields<'a>);

impl<'de: 'a, 'a> Visitor<'de> for FieldsVisitor<'_, 'a> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<bool, M::Error> {
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Unknown => {
                    map.next_value::<IgnoredAny>()?;
                }
                key => {
                    let raw: &'de RawValue = map.next_value()?;
                    self.0.set(key, raw);
                }
            }
        }
        Ok(true)
    }
    not_an_object!();
}

/// The known keys of a raw value, when it is an object.
pub(super) fn object(raw: Option<&RawValue>) -> Option<Fields<'_>> {
    let mut fields = Fields::default();
    let mut de = serde_json::Deserializer::from_str(raw?.get());
    let is_object = de::DeserializeSeed::deserialize(FieldsSeed(&mut fields), &mut de).ok()?;
    is_object.then_some(fields)
}

/// Parses a frame's text into its top-level fields (with `payload` and `data`), in place.
/// `Err` when it is not JSON, `Ok(false)` when it is JSON but not an object.
pub(super) fn parse_top<'a>(frame: &'a str, into: &mut TopFrame<'a>) -> Result<bool, ()> {
    let mut de = serde_json::Deserializer::from_str(frame);
    let is_object = de::DeserializeSeed::deserialize(TopSeed(into), &mut de).map_err(|_| ())?;
    de.end().map_err(|_| ())?;
    Ok(is_object)
}

/// A JSON string (or a number, read as its text) from a raw value.
pub(super) fn text(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let s = raw?.get();
    // Fast path: a string without escapes is its own text between the quotes.
    if s.len() >= 2 && s.starts_with('"') && !s.contains('\\') {
        return Some(Cow::Borrowed(&s[1..s.len() - 1]));
    }
    match s.as_bytes().first()? {
        b'"' => serde_json::from_str::<&str>(s)
            .map(Cow::Borrowed)
            .or_else(|_| serde_json::from_str::<String>(s).map(Cow::Owned))
            .ok(),
        b'-' | b'0'..=b'9' => Some(Cow::Borrowed(s)),
        _ => None,
    }
}

pub(super) fn number(raw: Option<&RawValue>) -> Option<f64> {
    let s = raw?.get();
    match s.as_bytes().first()? {
        b'-' | b'0'..=b'9' => s.parse::<f64>().ok().filter(|f| f.is_finite()),
        b'"' => serde_json::from_str::<&str>(s)
            .ok()?
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite()),
        _ => None,
    }
}

pub(super) fn boolean(raw: Option<&RawValue>) -> Option<bool> {
    match raw?.get() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

pub(super) fn is_null(raw: Option<&RawValue>) -> bool {
    raw.is_none_or(|r| r.get() == "null")
}
