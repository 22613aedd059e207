//! Detecting a format from the first lines of an input, in importers.md's order (and the
//! shapes the real producers write: stream-json and transcripts, exec output and rollouts,
//! exporter batches).

use serde_json::{Map, Value};

use super::Format;

/// Detects the format from the first non-blank, non-`#` lines, in importers.md order.
/// `None` when the first such line is not a JSON object.
pub fn detect(first_lines: &[&str]) -> Option<Format> {
    let first_line = first_lines.iter().find(|l| {
        let t = l.trim_start_matches(['\0', '\u{feff}']).trim();
        !t.is_empty() && !t.starts_with('#')
    })?;
    if crate::core::recording::is_recording_line(first_line) {
        return Some(Format::Orchscope);
    }
    let mut objects = Vec::new();
    for line in first_lines {
        // A UTF-8 byte-order mark (Windows tools write one) is not part of the first record.
        let t = line.trim_start_matches('\u{feff}').trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        match serde_json::from_str::<Value>(t) {
            Ok(Value::Object(m)) => objects.push(m),
            _ if objects.is_empty() => return None,
            _ => {}
        }
    }
    objects.first()?;
    let rules: [(Format, Rule); 5] = [
        (Format::Otlp, |m| m.contains_key("resourceSpans")),
        (Format::Langgraph, |m| {
            str_of(m, "event").is_some_and(|e| e.starts_with("on_"))
        }),
        (Format::OpenaiAgents, is_openai_agents),
        (Format::Codex, is_codex),
        (Format::ClaudeCode, is_claude_code),
    ];
    for (format, matches) in rules {
        if objects.iter().any(matches) {
            return Some(format);
        }
    }
    Some(Format::Jsonl)
}

/// A detection rule over one JSON object line.
type Rule = fn(&Map<String, Value>) -> bool;

/// `exec --json` events, or a rollout's `{timestamp, type, payload}` lines.
fn is_codex(m: &Map<String, Value>) -> bool {
    match str_of(m, "type") {
        Some(t) if t == "thread.started" || t.starts_with("turn.") || t.starts_with("item.") => {
            true
        }
        Some("session_meta" | "response_item" | "event_msg" | "turn_context") => {
            m.get("payload").is_some_and(Value::is_object)
        }
        _ => false,
    }
}

/// stream-json lines (`session_id`), or an on-disk transcript's (`sessionId`; a `summary`
/// line with its `leafUuid`).
fn is_claude_code(m: &Map<String, Value>) -> bool {
    let stream = match str_of(m, "type") {
        Some("system") => m.contains_key("subtype"),
        Some("assistant" | "user" | "result") => true,
        _ => false,
    };
    let transcript = str_of(m, "type").is_some()
        && m.get("sessionId").is_some_and(Value::is_string)
        || (str_of(m, "type") == Some("summary") && m.contains_key("leafUuid"));
    (stream && m.contains_key("session_id")) || transcript
}

fn is_openai_agents(m: &Map<String, Value>) -> bool {
    // The SDK exporter's request bodies: `{"data": [trace and span objects]}`.
    if let Some(Value::Array(items)) = m.get("data") {
        return items.iter().any(|i| {
            matches!(
                i.get("object").and_then(Value::as_str),
                Some("trace" | "trace.span")
            )
        });
    }
    if m.contains_key("callback") && m.contains_key("export") {
        return true;
    }
    if matches!(str_of(m, "object"), Some("trace" | "trace.span")) {
        return true;
    }
    matches!(
        str_of(m, "type"),
        Some("run_item_stream_event" | "agent_updated_stream_event" | "raw_response_event")
    )
}

fn str_of<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key).and_then(Value::as_str)
}
