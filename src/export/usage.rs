//! An agent's own model usage on its `invoke_agent` span, with the GenAI conventions' current
//! names: `gen_ai.usage.input_tokens` (cached tokens inside it), `gen_ai.usage.output_tokens`,
//! `gen_ai.usage.cache_read.input_tokens`, `gen_ai.usage.cache_creation.input_tokens`, and
//! `gen_ai.response.model` when one model did all its calls. Each agent span carries its own
//! calls only (a supervisor's does not repeat its sub-agents'), so a consumer that adds up
//! spans counts every call once.

use crate::core::intern::Interner;
use crate::core::usage::Book;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, KeyValue};

fn int(key: &str, n: u64) -> KeyValue {
    KeyValue {
        key: key.to_string(),
        value: Some(AnyValue {
            value: Some(any_value::Value::IntValue(
                i64::try_from(n).unwrap_or(i64::MAX),
            )),
        }),
        ..Default::default()
    }
}

/// The usage attributes of an agent's own book (none without usage).
pub fn attributes(book: Option<&Book>, i: &Interner) -> Vec<KeyValue> {
    let Some(book) = book.filter(|b| !b.is_empty()) else {
        return Vec::new();
    };
    let t = book.tokens();
    let mut out = vec![
        int("gen_ai.usage.input_tokens", t.input),
        int("gen_ai.usage.output_tokens", t.output),
    ];
    if t.cache_read > 0 {
        out.push(int("gen_ai.usage.cache_read.input_tokens", t.cache_read));
    }
    if t.cache_write > 0 {
        out.push(int(
            "gen_ai.usage.cache_creation.input_tokens",
            t.cache_write,
        ));
    }
    if let [only] = &book.lines[..] {
        if let Some(m) = only.model {
            out.push(super::spans::kv("gen_ai.response.model", i.resolve(m)));
        }
    }
    out
}
