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

use serde_json::value::RawValue;

use super::otlp_values::{millis_raw, norm_id_text};
use super::peek::object_lines;
use super::spans::{index, parents, timeline_of, Span};
use super::{Format, Imported, Out};
use attrs::Attrs;
use roles::Role;
use wire::{raw_text, Request, WireSpan};

/// How many spans have their fields checked for ones orchscope does not know.
const UNKNOWNS_SAMPLE: usize = 1024;

mod attrs;
mod emit;
mod roles;
mod wire;
use emit::Emitter;

struct Item<'a> {
    line: usize,
    trace: String,
    op: String,
    name: String,
    attrs: Attrs<'a>,
    /// The span as written (kept in each frame it gives).
    record: &'a RawValue,
    status: Option<&'a RawValue>,
    events: Option<&'a RawValue>,
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::Otlp);
    let mut spans = Vec::new();
    let mut items = Vec::new();
    let (lines, last) = object_lines(input);
    for (line, text) in lines {
        let request = match serde_json::from_str::<Request>(text) {
            Ok(r) => r,
            Err(_) if Some(line) == last => {
                out.problem(line, format!("line {line}: last line is cut off; ignored"));
                continue;
            }
            Err(e) => {
                let what = if text.starts_with('{') {
                    format!("line {line} is not a readable OTLP request ({e}); skipped")
                } else {
                    format!("line {line} is not a JSON object; skipped")
                };
                out.problem(line, what);
                continue;
            }
        };
        let raw_spans = request.resource_spans.iter().flat_map(|rs| {
            rs.scope_spans
                .iter()
                .chain(&rs.library_spans)
                .flat_map(|ss| ss.spans.iter().copied())
        });
        for raw in raw_spans {
            // A producer's spans share one shape: the first few show a field it added.
            if items.len() < UNKNOWNS_SAMPLE {
                super::unknowns::otlp_span_keys(&mut out, line, raw.get());
            }
            match decode(line, raw) {
                Some((sp, item)) => {
                    spans.push(sp);
                    items.push(item);
                }
                None => out.problem(line, format!("line {line}: a span without an id; skipped")),
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
    for edge in timeline_of(&spans, &parent) {
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
            .find_map(|k| it.attrs.get_str(k));
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

fn decode(line: usize, raw: &RawValue) -> Option<(Span, Item<'_>)> {
    let span: WireSpan = serde_json::from_str(raw.get()).ok()?;
    let id = raw_text(span.span_id).and_then(|t| norm_id_text(&t))?;
    let attrs = Attrs::from_pairs(span.attributes.0);
    let name = span.name.map(|n| n.into_owned()).unwrap_or_default();
    let op = attrs
        .get_str("gen_ai.operation.name")
        .map(str::to_string)
        .unwrap_or_else(|| name.split_whitespace().next().unwrap_or("").to_string());
    let time = |raw: Option<&RawValue>| millis_raw(raw?.get());
    let sp = Span {
        id,
        parent: raw_text(span.parent_span_id).and_then(|t| norm_id_text(&t)),
        start: time(span.start).unwrap_or(0.0),
        end: time(span.end).filter(|n| *n > 0.0),
    };
    let trace = raw_text(span.trace_id)
        .and_then(|t| norm_id_text(&t))
        .unwrap_or_default();
    Some((
        sp,
        Item {
            line,
            trace,
            op,
            name,
            attrs,
            record: raw,
            status: span.status,
            events: span.events,
        },
    ))
}
