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

use serde_json::Value;

use super::otlp_values::{millis, norm_id, Attrs};
use super::spans::{index, parents, timeline, Span};
use super::{read_objects, Format, Imported, Out};
use roles::Role;

mod emit;
mod roles;
use emit::Emitter;

struct Item<'a> {
    line: usize,
    trace: String,
    op: String,
    name: String,
    attrs: Attrs<'a>,
    record: &'a Value,
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
                    super::unknowns::otlp_span(&mut out, *line, span);
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
    let parent = parents(&spans, &by_id);
    let roles = roles::assign(&items, &spans, &parent);
    let threads = Threads::of(&items, &spans);
    let mut em = Emitter {
        out,
        items: &items,
        spans: &spans,
        roles: &roles,
        threads: &threads,
        first_chat: first_chats(&items, &spans, &roles),
        parent: &parent,
    };
    for edge in timeline(&spans) {
        em.edge(edge);
    }
    em.out.finish()
}

/// Each trace's conversation (`gen_ai.conversation.id`, OpenInference `session.id`, else the
/// trace itself) and its turn: the trace's rank by start among its conversation's traces.
struct Threads {
    thread: HashMap<String, Option<String>>,
    turn: HashMap<String, usize>,
}

impl Threads {
    fn of(items: &[Item], spans: &[Span]) -> Threads {
        let mut start: HashMap<&str, f64> = HashMap::new();
        let mut conv: HashMap<&str, &str> = HashMap::new();
        for (sp, it) in spans.iter().zip(items) {
            let e = start.entry(it.trace.as_str()).or_insert(sp.start);
            *e = e.min(sp.start);
            let c = [
                "gen_ai.conversation.id",
                "session.id",
                "traceloop.association.properties.session_id",
            ]
            .iter()
            .find_map(|k| it.attrs.get(k).and_then(Value::as_str));
            if let Some(c) = c {
                conv.insert(it.trace.as_str(), c);
            }
        }
        let mut traces: Vec<(&str, f64)> = start.into_iter().collect();
        traces.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
        let mut per_conv: HashMap<&str, usize> = HashMap::new();
        let mut turn = HashMap::new();
        for (t, _) in &traces {
            let n = per_conv
                .entry(conv.get(t).copied().unwrap_or(t))
                .or_insert(0);
            *n += 1;
            turn.insert(t.to_string(), *n);
        }
        let thread = traces
            .iter()
            .map(|(t, _)| (t.to_string(), conv.get(t).map(|c| c.to_string())))
            .collect();
        Threads { thread, turn }
    }
}

/// Each agent's first chat span (its model input is the agent's context).
fn first_chats(items: &[Item], spans: &[Span], roles: &roles::Roles) -> HashMap<usize, usize> {
    let mut first: HashMap<usize, usize> = HashMap::new();
    for c in (0..items.len()).filter(|&c| {
        roles.role[c] == Role::Chat && items[c].attrs.contains_key("gen_ai.input.messages")
    }) {
        if let Some(a) = roles.owner[c] {
            let e = first.entry(a).or_insert(c);
            if spans[c].start < spans[*e].start {
                *e = c;
            }
        }
    }
    first
}

fn arr(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

fn decode(line: usize, span: &Value) -> Option<(Span, Item<'_>)> {
    let id = norm_id(span.get("spanId"))?;
    let attrs = Attrs::of(span.get("attributes"));
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
            record: span,
        },
    ))
}
