//! Reading a `usage` object: the native names (`input_tokens`, `output_tokens`,
//! `cache_read_tokens`, `cache_write_tokens`, `model`) and the synonyms producers send —
//! OpenAI's `prompt_tokens`/`completion_tokens` and `*_tokens_details.cached_tokens`,
//! Anthropic's `cache_read_input_tokens`/`cache_creation_input_tokens` (whose `input_tokens`
//! leaves the cache out: it is added back) with its one-hour part in
//! `cache_creation.ephemeral_1h_input_tokens` (native `cache_write_1h_tokens`),
//! `cached_input_tokens`, and LangChain's `input_token_details`.

use super::Tokens;
use serde_json::{Map, Value};

/// A non-negative whole count (a float or a negative number is not a count).
fn count(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
}

fn first(o: &Map<String, Value>, keys: &[&str]) -> Option<u64> {
    keys.iter().find_map(|k| count(o.get(*k)))
}

fn nested(o: &Map<String, Value>, outer: &[&str], inner: &[&str]) -> Option<u64> {
    outer
        .iter()
        .filter_map(|k| o.get(*k).and_then(Value::as_object))
        .find_map(|d| first(d, inner))
}

/// The tokens of a usage object, or `None` when it names no count at all.
pub fn tokens(o: &Map<String, Value>) -> Option<Tokens> {
    let input = first(o, &["input_tokens", "prompt_tokens", "input"]);
    let output = first(o, &["output_tokens", "completion_tokens", "output"]);
    let anthropic_read = count(o.get("cache_read_input_tokens"));
    let anthropic_write = count(o.get("cache_creation_input_tokens"));
    let details = [
        "input_tokens_details",
        "prompt_tokens_details",
        "input_token_details",
    ];
    let read = first(
        o,
        &["cache_read_tokens", "cached_input_tokens", "cache_read"],
    )
    .or_else(|| nested(o, &details, &["cached_tokens", "cache_read"]));
    let write = first(
        o,
        &[
            "cache_write_tokens",
            "cache_write_input_tokens",
            "cache_write",
        ],
    )
    .or_else(|| nested(o, &details, &["cache_creation", "cache_write"]));
    let one_hour = count(o.get("cache_write_1h_tokens"))
        .or_else(|| nested(o, &["cache_creation"], &["ephemeral_1h_input_tokens"]));
    if input.is_none()
        && output.is_none()
        && read.is_none()
        && write.is_none()
        && anthropic_read.is_none()
        && anthropic_write.is_none()
    {
        return None;
    }
    let mut t = Tokens {
        input: input.unwrap_or(0),
        output: output.unwrap_or(0),
        cache_read: read.unwrap_or(0),
        cache_write: write.unwrap_or(0),
        cache_write_1h: 0,
    };
    if anthropic_read.is_some() || anthropic_write.is_some() {
        // Anthropic counts cache reads and writes beside `input_tokens`, not inside it.
        let (r, w) = (anthropic_read.unwrap_or(0), anthropic_write.unwrap_or(0));
        t.cache_read = r;
        t.cache_write = w;
        t.input = t.input.saturating_add(r).saturating_add(w);
    }
    t.cache_write_1h = one_hour.unwrap_or(0).min(t.cache_write);
    Some(t)
}

/// The model a usage object (or the record around it) names.
pub fn model(o: &Map<String, Value>) -> Option<&str> {
    ["model", "model_name"]
        .iter()
        .find_map(|k| o.get(*k).and_then(Value::as_str))
        .filter(|m| !m.is_empty())
}

/// The native `usage` object for `tokens` of `model`, as importers write it.
pub fn native(model: Option<&str>, t: &Tokens) -> Value {
    let mut o = Map::new();
    if let Some(m) = model {
        o.insert("model".into(), Value::from(m));
    }
    o.insert("input_tokens".into(), Value::from(t.input));
    o.insert("output_tokens".into(), Value::from(t.output));
    if t.cache_read > 0 {
        o.insert("cache_read_tokens".into(), Value::from(t.cache_read));
    }
    if t.cache_write > 0 {
        o.insert("cache_write_tokens".into(), Value::from(t.cache_write));
    }
    if t.cache_write_1h > 0 {
        o.insert(
            "cache_write_1h_tokens".into(),
            Value::from(t.cache_write_1h),
        );
    }
    Value::Object(o)
}
