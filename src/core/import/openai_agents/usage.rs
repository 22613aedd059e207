//! Model usage in OpenAI Agents traces: the `usage` of `response` spans (the Responses API:
//! `input_tokens` with `input_tokens_details.cached_tokens` inside it, `output_tokens`) and
//! `generation` spans (with their `model`), each one model call of the agent that owns the
//! span. The SDK's `custom` `turn` and `task` spans repeat those sums and are not counted.

use serde_json::Value;

use crate::core::usage::read;

/// The native `usage` of a `response` or `generation` span's data, when it reports any.
pub(super) fn of_span(span_data: Option<&Value>) -> Option<Value> {
    let d = span_data?;
    if !matches!(
        d.get("type").and_then(Value::as_str),
        Some("response" | "generation")
    ) {
        return None;
    }
    let t = read::tokens(d.get("usage")?.as_object()?).filter(|t| !t.is_zero())?;
    let model = d
        .get("model")
        .or_else(|| d.pointer("/response/model"))
        .and_then(Value::as_str);
    Some(read::native(model, &t))
}

/// The native `usage` of a streamed `raw_response_event` whose data is `response.completed`
/// (`data.response.usage`, `data.response.model`): one model call of the current agent.
pub(in crate::core::import) fn of_stream_event(rec: &Value) -> Option<Value> {
    let data = rec.get("data")?;
    if data.get("type").and_then(Value::as_str) != Some("response.completed") {
        return None;
    }
    let response = data.get("response")?;
    let t = read::tokens(response.get("usage")?.as_object()?).filter(|t| !t.is_zero())?;
    Some(read::native(
        response.get("model").and_then(Value::as_str),
        &t,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_completed_streamed_response_is_one_model_call_of_the_current_agent() {
        use crate::core::import::{import, Format};
        // The shape `Runner.run_streamed` gives for the Responses API's `response.completed`;
        // the genuine stream fixture was written without raw response events.
        let text = r#"{"type":"agent_updated_stream_event","new_agent":{"name":"triage"}}
{"type":"raw_response_event","data":{"type":"response.completed","response":{"model":"gpt-4.1-mini","usage":{"input_tokens":64,"input_tokens_details":{"cached_tokens":32},"output_tokens":12}}}}
{"type":"raw_response_event","data":{"type":"response.output_text.delta","delta":"x"}}"#;
        let out = import(Format::OpenaiAgents, text);
        let with: Vec<&str> = out
            .frames
            .iter()
            .map(|f| f.text.as_str())
            .filter(|t| t.contains("\"usage\""))
            .collect();
        assert_eq!(with.len(), 1);
        assert!(with[0].contains(r#""usage":{"cache_read_tokens":32,"input_tokens":64,"model":"gpt-4.1-mini","output_tokens":12}"#), "{}", with[0]);
        assert!(with[0].contains(r#""agent_name":"triage""#));
    }
}
