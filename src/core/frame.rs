//! Decoding one wire frame into an [`Event`], for every dialect: native (`payload`), Netra era A
//! (`payload` + envelope), era B (`data`), the flattened `critical` variant and `system_message`
//! wrappers. Field lookup: `payload`, then `data`, then the top level; `type` is always the
//! top-level one. Never rejects a frame for its shape: what is not a JSON object with a string
//! `type` is [`Decoded::Malformed`], kept by the caller.

use super::event::{ContextInfo, Event, Kind, Outcome, Reported};
use super::hash::{self, Digest};
use super::intern::Interner;
use super::parsed::{Inline, Parsed};
use super::timestamp;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::hash::{Hash as _, Hasher as _};
use std::sync::Arc;

/// Why a frame could not be decoded into an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// Not valid JSON (or not UTF-8).
    NotJson,
    /// Valid JSON, but not an object.
    NotObject,
    /// An object without a string `type`.
    NoType,
}

impl Malformed {
    /// A short human description.
    pub fn describe(self) -> &'static str {
        match self {
            Malformed::NotJson => "not JSON",
            Malformed::NotObject => "not a JSON object",
            Malformed::NoType => "no `type`",
        }
    }
}

/// The result of decoding one frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    Event(Box<Event>),
    Malformed(Malformed),
}

macro_rules! fields {
    ($($field:ident => $name:literal),* $(,)?) => {
        /// The known keys of one JSON object, as raw borrowed values (first occurrence wins).
        #[derive(Default)]
        struct Fields<'a> { $($field: Option<&'a RawValue>,)* }

        #[derive(Clone, Copy)]
        #[allow(non_camel_case_types)]
        enum Key { $($field,)* Unknown }

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
    parent_agent_name => "parent_agent_name", event => "event",
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

/// Deserialises a JSON value into `Some(Fields)` when it is an object, `None` otherwise.
struct ObjectOrNot<'a>(Option<Fields<'a>>);

impl<'de: 'a, 'a> de::Deserialize<'de> for ObjectOrNot<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ObjectOrNot<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut fields = Fields::default();
                while let Some(key) = map.next_key_seed(KeySeed)? {
                    match key {
                        Key::Unknown => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        key => {
                            let raw: &'de RawValue = map.next_value()?;
                            fields.set(key, raw);
                        }
                    }
                }
                Ok(ObjectOrNot(Some(fields)))
            }
            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ObjectOrNot(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ObjectOrNot(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ObjectOrNot(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ObjectOrNot(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ObjectOrNot(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ObjectOrNot(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(ObjectOrNot(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The top level of a frame: its fields, with `payload` and `data` parsed in the same pass
/// (so their bytes are scanned once, not skipped and re-read), written in place (the fields are
/// large; moving them per frame would cost more than reading them).
#[derive(Default)]
struct TopFrame<'a> {
    top: Fields<'a>,
    payload: Fields<'a>,
    data: Fields<'a>,
    has_payload: bool,
    has_data: bool,
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
        let (mut seen_payload, mut seen_data) = (false, false);
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
                Key::Unknown | Key::payload | Key::data => {
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
}

fn object(raw: Option<&RawValue>) -> Option<Fields<'_>> {
    let raw = raw?;
    serde_json::from_str::<ObjectOrNot>(raw.get()).ok()?.0
}

/// A JSON string (or a number, read as its text) from a raw value.
fn text(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
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

fn number(raw: Option<&RawValue>) -> Option<f64> {
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

fn boolean(raw: Option<&RawValue>) -> Option<bool> {
    match raw?.get() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn is_null(raw: Option<&RawValue>) -> bool {
    raw.is_none_or(|r| r.get() == "null")
}

fn status_failed(status: &str) -> Option<Outcome> {
    match status.to_ascii_lowercase().as_str() {
        "error" | "failed" | "failure" | "timeout" | "timed_out" => Some(Outcome::Failed),
        "aborted" | "cancelled" | "canceled" | "interrupted" => Some(Outcome::Aborted),
        "ok" | "success" | "succeeded" | "completed" | "complete" | "done" => Some(Outcome::Ok),
        _ => None,
    }
}

/// The three places a field may be, in lookup order.
struct Layers<'r, 'a> {
    payload: Option<&'r Fields<'a>>,
    data: Option<&'r Fields<'a>>,
    top: &'r Fields<'a>,
}

macro_rules! lookup {
    ($layers:expr, $field:ident) => {
        $layers
            .payload
            .as_ref()
            .and_then(|f| f.$field)
            .or_else(|| $layers.data.as_ref().and_then(|f| f.$field))
            .or($layers.top.$field)
    };
}

/// Decodes one frame's text.
pub fn decode(frame: &str, interner: &mut Interner) -> Decoded {
    decode_cached(frame, interner, &mut ContextCache::default())
}

/// Contexts recently hashed, by their exact text: sub-agents usually receive their turn's
/// context verbatim, so most `agent_started` frames need no canonicalisation at all.
#[derive(Debug, Default, Clone)]
pub struct ContextCache {
    entries: rustc_hash::FxHashMap<Box<str>, Arc<ContextInfo>>,
}

impl ContextCache {
    const MAX: usize = 256;

    fn info(&mut self, raw: &str) -> Arc<ContextInfo> {
        if let Some(info) = self.entries.get(raw) {
            return Arc::clone(info);
        }
        let info = Arc::new(context_info(raw));
        if self.entries.len() >= Self::MAX {
            self.entries.clear();
        }
        self.entries.insert(raw.into(), info.clone());
        info
    }
}

/// Decodes one frame's text, reusing recently computed context hashes.
pub fn decode_cached(frame: &str, interner: &mut Interner, cache: &mut ContextCache) -> Decoded {
    match decode_event(frame, interner, cache) {
        Ok(e) => Decoded::Event(Box::new(e)),
        Err(m) => Decoded::Malformed(m),
    }
}

/// Decodes one frame's text into an event (unboxed), or says why it is malformed.
pub fn decode_event(
    frame: &str,
    interner: &mut Interner,
    cache: &mut ContextCache,
) -> Result<Event, Malformed> {
    Ok(parse(frame, cache)?.intern(interner, &Inline))
}

/// Parses one frame's text into its fields, strings still borrowed (or unescaped copies).
/// Needs no interner, so it can run on a reading thread.
pub fn parse<'a>(
    frame: &'a str,
    cache: &mut ContextCache,
) -> Result<Parsed<Cow<'a, str>>, Malformed> {
    let mut parsed = TopFrame::default();
    let mut de = serde_json::Deserializer::from_str(frame);
    let is_object = de::DeserializeSeed::deserialize(TopSeed(&mut parsed), &mut de)
        .and_then(|o| de.end().map(|()| o))
        .map_err(|_| Malformed::NotJson)?;
    if !is_object {
        return Err(Malformed::NotObject);
    }
    let Some(type_text) = parsed
        .top
        .ty
        .filter(|r| r.get().starts_with('"'))
        .and_then(|r| text(Some(r)))
    else {
        return Err(Malformed::NoType);
    };
    let layers = Layers {
        payload: parsed.has_payload.then_some(&parsed.payload),
        data: parsed.has_data.then_some(&parsed.data),
        top: &parsed.top,
    };
    let mut type_name: Cow<str> = type_text;
    if type_name == "system_message" {
        if let Some(inner) = layers
            .data
            .as_ref()
            .and_then(|d| text(d.event).or_else(|| text(d.ty)))
        {
            type_name = inner;
        }
    }
    let kind = Kind::from_name(&type_name);
    let result = lookup!(layers, result).or(lookup!(layers, results));
    let result_fields = object(result);
    let context = lookup!(layers, context)
        .filter(|r| r.get() != "null")
        .map(|ctx| cache.info(ctx.get()));
    Ok(Parsed {
        kind,
        type_name,
        ts_ms: timestamp_of(&layers),
        run_id: text(lookup!(layers, run_id)).or_else(|| text(lookup!(layers, parent_run_id))),
        thread_id: text(lookup!(layers, thread_id)),
        user_id: text(lookup!(layers, user_id)),
        agent_name: text(lookup!(layers, agent_name)),
        agent_id: text(lookup!(layers, agent_id)),
        parent_agent_id: text(lookup!(layers, parent_agent_id)),
        tool_name: text(lookup!(layers, tool_name)),
        tool_call_id: text(lookup!(layers, tool_call_id)),
        subagent_name: text(lookup!(layers, subagent_name)),
        subagent_id: text(lookup!(layers, subagent_id)),
        parent_agent_name: text(lookup!(layers, parent_agent_name)),
        turn: number(lookup!(layers, turn))
            .filter(|n| *n >= 0.0 && *n <= u32::MAX as f64)
            .map(|n| n as u32),
        seq: number(lookup!(layers, seq))
            .filter(|n| *n >= 0.0 && *n <= 9.0e15)
            .map(|n| n as u64),
        outcome: outcome_of(&layers, result_fields.as_ref()),
        duration_ms: number(lookup!(layers, duration_ms))
            .or_else(|| number(lookup!(layers, execution_time_ms)))
            .or_else(|| number(lookup!(layers, duration)).map(|s| s * 1000.0)),
        final_answer: has_final_answer(&layers, result_fields.as_ref()),
        context,
        context_hash: reported(lookup!(layers, context_hash)),
        prev_context_hash: reported(lookup!(layers, prev_context_hash)),
    })
}

fn timestamp_of(layers: &Layers) -> Option<f64> {
    let from = |f: Option<&Fields>| f.and_then(|f| f.timestamp).and_then(timestamp::parse_raw);
    from(layers.payload)
        .or_else(|| from(layers.data))
        .or_else(|| from(Some(layers.top)))
}

fn outcome_of(layers: &Layers, result: Option<&Fields>) -> Outcome {
    let mut outcome = Outcome::Unknown;
    let candidates = [result.and_then(|r| r.status), lookup!(layers, status)];
    for status in candidates.into_iter().flatten() {
        if let Some(o) = text(Some(status)).and_then(|s| status_failed(&s)) {
            if o != Outcome::Ok || outcome == Outcome::Unknown {
                outcome = o;
            }
            if o != Outcome::Ok {
                return o;
            }
        }
    }
    let success = result
        .and_then(|r| boolean(r.success))
        .or_else(|| boolean(lookup!(layers, success)));
    match success {
        Some(false) => return Outcome::Failed,
        Some(true) if outcome == Outcome::Unknown => outcome = Outcome::Ok,
        _ => {}
    }
    let error = result
        .map(|r| r.error)
        .unwrap_or(None)
        .or(lookup!(layers, error))
        .or(lookup!(layers, error_message));
    if !is_null(error) && error.is_some_and(|e| e.get() != "\"\"" && e.get() != "false") {
        return Outcome::Failed;
    }
    outcome
}

fn has_final_answer(layers: &Layers, result: Option<&Fields>) -> bool {
    let present = |raw: Option<&RawValue>| !is_null(raw) && raw.is_some_and(|r| r.get() != "\"\"");
    if let Some(r) = result {
        if present(r.final_answer)
            || present(r.response)
            || present(r.final_response)
            || present(r.report)
            || present(r.content)
        {
            return true;
        }
    }
    present(lookup!(layers, final_response)) || present(lookup!(layers, final_answer))
}

fn reported(raw: Option<&RawValue>) -> Option<Reported> {
    let s = text(raw)?;
    Some(match hash::parse_reported(&s) {
        Some(d) => Reported::Digest(d),
        None => Reported::Other(s.into_owned().into_boxed_str()),
    })
}

/// Reduces a context to its hash and what the history checks compare.
pub fn context_info(raw: &str) -> ContextInfo {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
        return ContextInfo {
            digest: None,
            history: None,
            user_request: None,
        };
    };
    let digest: Option<Digest> = hash::digest(&value).ok();
    let short = |v: &serde_json::Value| -> u64 {
        match hash::digest(v) {
            Ok(d) => u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]),
            Err(_) => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                v.to_string().hash(&mut h);
                h.finish()
            }
        }
    };
    let history = value
        .get("history")
        .and_then(|h| h.as_array())
        .map(|items| items.iter().map(short).collect());
    let user_request = value.get("user_request").map(short);
    ContextInfo {
        digest,
        history,
        user_request,
    }
}

#[cfg(test)]
mod tests;
