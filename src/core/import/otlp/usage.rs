//! Model usage on OTLP spans, for the file importer and the live receiver alike: the current
//! GenAI conventions (`gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`,
//! `gen_ai.usage.cache_read.input_tokens`, `gen_ai.usage.cache_creation.input_tokens`, and
//! their older names `gen_ai.usage.prompt_tokens`, `gen_ai.usage.completion_tokens`,
//! `gen_ai.usage.cache_read_input_tokens`, `gen_ai.usage.cache_creation_input_tokens`),
//! OpenInference's `llm.token_count.*`, and the model (`gen_ai.response.model`, else
//! `gen_ai.request.model`, else `llm.model_name`). Both conventions count cached tokens inside
//! the input tokens, as orchscope does. Only the leaves count: an agent span summing its own
//! model calls' usage, or a span wrapping another with the same usage, is left out, so
//! nothing is counted twice.

use serde_json::Value;

use super::attrs::{AttrValue, Attrs};
use super::Item;
use crate::core::usage::{read, Tokens};

const INPUT: [&str; 3] = [
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "llm.token_count.prompt",
];
const OUTPUT: [&str; 3] = [
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "llm.token_count.completion",
];
const CACHE_READ: [&str; 3] = [
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "llm.token_count.prompt_details.cache_read",
];
const CACHE_WRITE: [&str; 3] = [
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
    "llm.token_count.prompt_details.cache_write",
];
const MODEL: [&str; 3] = [
    "gen_ai.response.model",
    "gen_ai.request.model",
    "llm.model_name",
];

/// Whether the importer keeps an attribute of this name for usage.
pub(super) fn wanted(key: &str) -> bool {
    [INPUT, OUTPUT, CACHE_READ, CACHE_WRITE, MODEL]
        .iter()
        .any(|names| names.contains(&key))
}

/// A count: an OTLP `intValue` (JSON writes it as a string), or a whole number.
fn count(v: &AttrValue) -> Option<u64> {
    match v {
        AttrValue::Str(s) => s.trim().parse().ok(),
        AttrValue::Json(Value::String(s)) => s.trim().parse().ok(),
        AttrValue::Json(v) => v.as_u64(),
    }
}

fn first(attrs: &Attrs, names: &[&str]) -> Option<u64> {
    names.iter().find_map(|k| attrs.get(k).and_then(count))
}

/// A span's tokens, when it carries any.
fn tokens(attrs: &Attrs) -> Option<Tokens> {
    let (input, output) = (first(attrs, &INPUT), first(attrs, &OUTPUT));
    let (read, write) = (first(attrs, &CACHE_READ), first(attrs, &CACHE_WRITE));
    if input.is_none() && output.is_none() && read.is_none() && write.is_none() {
        return None;
    }
    Some(Tokens {
        input: input.unwrap_or(0),
        output: output.unwrap_or(0),
        cache_read: read.unwrap_or(0),
        cache_write: write.unwrap_or(0),
        // OpenTelemetry names no one-hour part of the cache writes.
        cache_write_1h: 0,
    })
}

/// Each span's own tokens, when it carries any (read apart from [`leaf_usage`], so it can be
/// read while the roles are found).
pub(super) fn own_tokens(items: &[Item]) -> Vec<Option<Tokens>> {
    items.iter().map(|it| tokens(&it.attrs)).collect()
}

/// The tokens of every span that counts, by span (`own`: see [`own_tokens`]). A model-call
/// span's usage marks the spans above it, up to and including the nearest agent span, as
/// summing it: those are left out (an agent span with usage of its own and none below it
/// counts; a sub-agent's usage never hides its parent's). Linear: a walk stops at a span marked
/// already.
pub(super) fn leaf_usage(
    mut own: Vec<Option<Tokens>>,
    parent: &[Option<usize>],
    is_agent: impl Fn(usize) -> bool,
) -> Vec<Option<Tokens>> {
    let mut below = vec![false; own.len()];
    for i in (0..own.len()).filter(|&i| own[i].is_some() && !is_agent(i)) {
        let mut at = parent.get(i).copied().flatten();
        while let Some(p) = at.filter(|&p| p < below.len() && !below[p]) {
            below[p] = true;
            if is_agent(p) {
                break;
            }
            at = parent.get(p).copied().flatten();
        }
    }
    for (t, below) in own.iter_mut().zip(below) {
        if below {
            *t = None;
        }
    }
    own
}

/// A span's tokens as its frame's native `usage`, with the model it names.
pub(super) fn native(it: &Item, t: &Tokens) -> Value {
    let model = MODEL.iter().find_map(|k| it.attrs.get_str(k));
    read::native(model, t)
}
