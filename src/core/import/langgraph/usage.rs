//! Model usage in LangChain/LangGraph event streams: an `on_chat_model_end`'s
//! `data.output.usage_metadata` (`input_tokens` with `input_token_details.cache_read` and
//! `cache_creation` inside it, `output_tokens`), and the model from the output's
//! `response_metadata.model_name` (else `model`), else the event's `metadata.ls_model_name`.
//! Only the end of a chat model counts: streamed chunks and chain outputs repeat the same
//! usage.

use serde_json::Value;

use crate::core::usage::read;

/// The native `usage` of an `on_chat_model_end`, when it reports any.
pub(super) fn of_chat_end(rec: &Value) -> Option<Value> {
    let out = rec.pointer("/data/output")?;
    let t = read::tokens(out.get("usage_metadata")?.as_object()?).filter(|t| !t.is_zero())?;
    let meta = out.get("response_metadata");
    let model = ["model_name", "model"]
        .iter()
        .find_map(|k| meta.and_then(|m| m.get(*k)).and_then(Value::as_str))
        .or_else(|| {
            rec.pointer("/metadata/ls_model_name")
                .and_then(Value::as_str)
        });
    Some(read::native(model, &t))
}
