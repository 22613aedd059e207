//! OpenTelemetry OTLP/JSON traces with the GenAI semantic conventions to native frames. Owns
//! span decoding (the JS encoder's and the Collector's shapes: integers as numbers or
//! strings, ids in any hex case, attribute values of every OTLP kind) and the mapping below.
//! Spans arrive in END order; they are replayed sorted by start time.
//!
//! | OTLP span (`gen_ai.operation.name`, else the name's first word) | native frames |
//! | --- | --- |
//! | `invoke_agent` | `agent_started` at start, `agent_completed` at end; `agent_id` = `gen_ai.agent.id` (else the span id), `agent_name` = `gen_ai.agent.name`; `parent_agent_id` = the nearest `invoke_agent` ancestor by `parentSpanId`; `context` = `{"messages": gen_ai.input.messages}` of the span or its first `chat` span, when the producer recorded content |
//! | `execute_tool` | `tool_executing` at start, `tool_completed` at end: `tool_name` = `gen_ai.tool.name`, `tool_call_id` = `gen_ai.tool.call.id`, `parameters`/`result` from `gen_ai.tool.call.arguments`/`.result`; span status error → `status` `error` with the status message (or the `exception` event's) |
//! | `chat` / `text_completion` / `generate_content` with `gen_ai.output.messages` | `agent_thinking` at end (`thought` = the text parts) |
//! | anything else (`invoke_workflow`, plain spans, chats without content) | none; it still links ancestors |
//!
//! `run_id` = `traceId`; `thread_id` = `gen_ai.conversation.id`; `turn` = the trace's rank by
//! start among the traces of its conversation. Timestamps are epoch milliseconds. A span with
//! no end is closed `aborted` at the end of input and reported. Every frame keeps the span
//! under `foreign.record`.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::otlp_values::{attributes, millis, norm_id, status_error};
use super::spans::{ancestor, index, ms_value, timeline, Edge, Span};
use super::{json_or_string, read_objects, Format, Imported, Out};

struct Item {
    line: usize,
    trace: String,
    op: String,
    name: String,
    attrs: Map<String, Value>,
    record: Value,
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::Otlp);
    let (records, _) = read_objects(input, &mut out);
    let mut spans = Vec::new();
    let mut items = Vec::new();
    for (line, rec) in &records {
        for rs in arr(rec.get("resourceSpans")) {
            for ss in arr(rs.get("scopeSpans")).chain(arr(rs.get("instrumentationLibrarySpans"))) {
                for span in arr(ss.get("spans")) {
                    let Some((sp, item)) = decode(*line, span) else {
                        out.problem(*line, format!("line {line}: a span without an id; skipped"));
                        continue;
                    };
                    spans.push(sp);
                    items.push(item);
                }
            }
        }
    }
    let by_id = index(&spans);
    let is_agent = |i: usize| items[i].op == "invoke_agent";
    let agent_of: Vec<Option<usize>> = (0..spans.len())
        .map(|i| ancestor(&spans, &by_id, i, is_agent))
        .collect();
    // Threads and turns: traces of one conversation, ranked by their first start.
    let mut trace_start: HashMap<&str, f64> = HashMap::new();
    let mut trace_conv: HashMap<&str, &str> = HashMap::new();
    for (sp, it) in spans.iter().zip(&items) {
        let e = trace_start.entry(it.trace.as_str()).or_insert(sp.start);
        *e = e.min(sp.start);
        if let Some(c) = it
            .attrs
            .get("gen_ai.conversation.id")
            .and_then(Value::as_str)
        {
            trace_conv.insert(it.trace.as_str(), c);
        }
    }
    let mut turn_of: HashMap<&str, usize> = HashMap::new();
    let mut traces: Vec<(&str, f64)> = trace_start.iter().map(|(t, s)| (*t, *s)).collect();
    traces.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
    let mut per_conv: HashMap<&str, usize> = HashMap::new();
    for (t, _) in &traces {
        let conv = trace_conv.get(t).copied().unwrap_or(t);
        let n = per_conv.entry(conv).or_insert(0);
        *n += 1;
        turn_of.insert(t, *n);
    }
    let agent_id = |i: usize| -> String {
        items[i]
            .attrs
            .get("gen_ai.agent.id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| spans[i].id.clone())
    };
    let agent_name = |i: usize| -> String {
        items[i]
            .attrs
            .get("gen_ai.agent.name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| {
                items[i]
                    .name
                    .trim_start_matches("invoke_agent")
                    .trim()
                    .to_string()
            })
    };
    let base = |i: usize, owner: Option<usize>| -> Map<String, Value> {
        let it = &items[i];
        let mut m = Map::new();
        m.insert("run_id".into(), Value::from(it.trace.clone()));
        let conv = trace_conv.get(it.trace.as_str()).copied();
        m.insert(
            "thread_id".into(),
            conv.map(Value::from).unwrap_or(Value::Null),
        );
        m.insert(
            "turn".into(),
            Value::from(turn_of.get(it.trace.as_str()).copied().unwrap_or(1)),
        );
        if let Some(a) = owner {
            m.insert("agent_name".into(), Value::from(agent_name(a)));
            m.insert("agent_id".into(), Value::from(agent_id(a)));
        }
        m
    };
    for edge in timeline(&spans) {
        let (i, phase) = match edge {
            Edge::Start(i) => (i, 0),
            Edge::End(i) => (i, 1),
            Edge::Abort(i) => (i, 2),
        };
        let it = &items[i];
        let sp = &spans[i];
        let at = match phase {
            0 => Some(ms_value(sp.start)),
            1 => sp.end.map(ms_value),
            _ => None,
        };
        let failed = status_error(&it.record);
        let final_status = match (phase, &failed) {
            (2, _) => "aborted",
            (_, Some(_)) => "error",
            _ => "ok",
        };
        let why = "the input ended with the span still open";
        let error = if phase == 2 {
            Some(why.to_string())
        } else {
            failed.clone()
        };
        match it.op.as_str() {
            "invoke_agent" => {
                let mut p = base(i, Some(i));
                if phase == 0 {
                    if let Some(parent) = agent_of[i] {
                        p.insert("parent_agent_id".into(), Value::from(agent_id(parent)));
                    }
                    let own = it.attrs.get("gen_ai.input.messages");
                    let first_chat = (0..spans.len()).find(|&c| {
                        agent_of[c] == Some(i)
                            && is_chat(&items[c].op)
                            && items[c].attrs.contains_key("gen_ai.input.messages")
                    });
                    let msgs = own.or_else(|| {
                        first_chat.and_then(|c| items[c].attrs.get("gen_ai.input.messages"))
                    });
                    if let Some(m) = msgs {
                        p.insert(
                            "context".into(),
                            json!({ "messages": json_or_string(Some(m)) }),
                        );
                    }
                    out.emit(it.line, "agent_started", at, Value::Object(p), &it.record);
                    continue;
                }
                if let Some(o) = it.attrs.get("gen_ai.output.messages") {
                    p.insert(
                        "result".into(),
                        json!({ "output": json_or_string(Some(o)) }),
                    );
                }
                p.insert("status".into(), Value::from(final_status));
                p.insert(
                    "error".into(),
                    error.map(Value::from).unwrap_or(Value::Null),
                );
                out.emit(it.line, "agent_completed", at, Value::Object(p), &it.record);
                if phase == 2 {
                    out.problem(
                        it.line,
                        format!(
                            "agent {} ({}) never ended; closed as aborted",
                            agent_name(i),
                            agent_id(i)
                        ),
                    );
                }
            }
            "execute_tool" => {
                let mut p = base(i, agent_of[i]);
                let tool = it
                    .attrs
                    .get("gen_ai.tool.name")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        it.name
                            .trim_start_matches("execute_tool")
                            .trim()
                            .to_string()
                    });
                p.insert("tool_name".into(), Value::from(tool.clone()));
                p.insert(
                    "tool_call_id".into(),
                    it.attrs
                        .get("gen_ai.tool.call.id")
                        .cloned()
                        .unwrap_or(Value::Null),
                );
                if phase == 0 {
                    p.insert(
                        "parameters".into(),
                        json_or_string(it.attrs.get("gen_ai.tool.call.arguments")),
                    );
                    out.emit(it.line, "tool_executing", at, Value::Object(p), &it.record);
                    continue;
                }
                if let Some(r) = it.attrs.get("gen_ai.tool.call.result") {
                    p.insert(
                        "result".into(),
                        json!({ "output": json_or_string(Some(r)) }),
                    );
                }
                if let Some(end) = sp.end {
                    p.insert("duration_ms".into(), ms_value(end - sp.start));
                }
                p.insert("status".into(), Value::from(final_status));
                p.insert(
                    "error".into(),
                    error.map(Value::from).unwrap_or(Value::Null),
                );
                out.emit(it.line, "tool_completed", at, Value::Object(p), &it.record);
                if phase == 2 {
                    out.problem(
                        it.line,
                        format!("tool {tool} never ended; closed as aborted"),
                    );
                }
            }
            op if is_chat(op) && phase == 1 => {
                let Some(o) = it.attrs.get("gen_ai.output.messages") else {
                    continue;
                };
                let msgs = json_or_string(Some(o));
                let mut p = base(i, agent_of[i]);
                p.insert("thought".into(), Value::from(output_text(&msgs)));
                out.emit(it.line, "agent_thinking", at, Value::Object(p), &it.record);
            }
            _ => {}
        }
    }
    out.finish()
}

fn is_chat(op: &str) -> bool {
    matches!(op, "chat" | "text_completion" | "generate_content")
}

fn arr(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

/// The text parts of GenAI output messages (`[{role, parts: [{type: text, content}]}]`).
fn output_text(msgs: &Value) -> String {
    let mut texts = Vec::new();
    for m in msgs.as_array().into_iter().flatten() {
        for part in arr(m.get("parts")) {
            if let Some(t) = part.get("content").and_then(Value::as_str) {
                texts.push(t.to_string());
            }
        }
        if let Some(t) = m.get("content").and_then(Value::as_str) {
            texts.push(t.to_string());
        }
    }
    texts.join("\n")
}

fn decode(line: usize, span: &Value) -> Option<(Span, Item)> {
    let id = norm_id(span.get("spanId"))?;
    let attrs = attributes(span.get("attributes"));
    let name = span
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let op = attrs
        .get("gen_ai.operation.name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| name.split_whitespace().next().unwrap_or("").to_string());
    let start = millis(span.get("startTimeUnixNano")).unwrap_or(0.0);
    let end = millis(span.get("endTimeUnixNano")).filter(|n| *n > 0.0);
    let sp = Span {
        id,
        parent: norm_id(span.get("parentSpanId")),
        start,
        end,
    };
    let trace = norm_id(span.get("traceId")).unwrap_or_default();
    Some((
        sp,
        Item {
            line,
            trace,
            op,
            name,
            attrs,
            record: span.clone(),
        },
    ))
}
