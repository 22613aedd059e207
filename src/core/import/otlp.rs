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

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use serde_json::Value;

use serde_json::value::RawValue;

use super::otlp_values::{millis_raw, norm_id_text};
use super::peek::object_lines;
use super::spans::{index, parents, timeline_of, Edge, Span};
use super::{Format, Imported, Out};
use attrs::{AttrValue, Attrs};
use roles::Role;
use wire::{raw_text, Request, WireSpan};

/// How many spans have their fields checked for ones orchscope does not know.
const UNKNOWNS_SAMPLE: usize = 1024;

mod attrs;
mod emit;
pub(crate) mod live;
mod roles;
mod usage;
mod walk;
mod wire;
mod wire_attr;
use emit::Emitter;

struct Item<'a> {
    line: usize,
    trace: String,
    op: Cow<'a, str>,
    name: Cow<'a, str>,
    attrs: Attrs<'a>,
    /// The span as written (kept in each frame it gives).
    record: &'a str,
    status: Option<&'a RawValue>,
    events: Option<&'a RawValue>,
}

/// A span decoded, or (`Err`) one without an id, as written.
type Decoded<'a> = Result<(Span, Item<'a>), &'a str>;

/// What one line of the input gave: its spans, or why it gave none.
type LineSpans<'a> = (usize, Result<Vec<Decoded<'a>>, String>);

/// Lines per batch decoded on a worker (a line holds a whole export request: many spans).
const LINES_PER_BATCH: usize = 16;

pub(super) fn import(input: &str, sink: Option<super::Sink>) -> Imported {
    import_with(input, sink, &mut Turns::default())
}

/// Turns already given per conversation, for inputs read in parts (the live receiver reads a
/// trace at a time: its turn follows the ones its conversation already had).
pub(crate) type Turns = HashMap<String, usize>;

/// [`import`], numbering each conversation's turns after those `turns` already counted.
fn import_with(input: &str, sink: Option<super::Sink>, turns: &mut Turns) -> Imported {
    let mut out = Out::new(Format::Otlp);
    out.sink_to(sink);
    let mut spans = Vec::new();
    let mut items = Vec::new();
    let (lines, last) = object_lines(input);
    // Lines are decoded on both cores; their spans are taken back in the order of the input.
    crate::core::load::ordered::in_order(
        |send| {
            for batch in lines.chunks(LINES_PER_BATCH) {
                if !send(batch) {
                    return;
                }
            }
        },
        |_: &mut (), batch: &[(usize, &str)]| {
            let decoded: Vec<LineSpans> = batch
                .iter()
                .map(|&(line, text)| decode_line(line, text, last))
                .collect();
            decoded
        },
        |decoded| {
            for (line, got) in decoded {
                take_line(&mut out, &mut spans, &mut items, line, got);
            }
            true
        },
    );
    emit_all(out, (&spans, &items), turns)
}

/// Edges emitted by a worker at once.
const EDGES_PER_BATCH: usize = 256;

/// The spans' frames, in timeline order: the tables every frame reads are built once, then the
/// edges are turned into frames on both cores and handed on in order.
fn emit_all(mut out: Out, (spans, items): (&[Span], &[Item]), turns: &mut Turns) -> Imported {
    let parent = parents(spans, &index(spans));
    // The roles on this thread; the conversations, the timeline and the tokens on another.
    let (roles, (threads, edges, tokens)) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            (
                Threads::of(items, spans, turns),
                timeline_of(spans, &parent),
                usage::own_tokens(items),
            )
        });
        let roles = roles::assign(items, spans, &parent);
        let other = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (roles, other)
    });
    let em = Emitter {
        items,
        spans,
        roles: &roles,
        threads: &threads,
        first_chat: first_chats(items, spans, &roles),
        parent: &parent,
        usage: usage::leaf_usage(tokens, &parent, |i| roles.role[i] == Role::Agent),
    };
    crate::core::load::ordered::in_order(
        |send| {
            for batch in edges.chunks(EDGES_PER_BATCH) {
                if !send(batch) {
                    return;
                }
            }
        },
        |_: &mut (), batch: &[Edge]| {
            let mut local = Out::new(Format::Otlp);
            for &edge in batch {
                em.edge(&mut local, edge);
            }
            local
        },
        |local| {
            out.take_frames_of(local);
            true
        },
    );
    out.finish()
}

/// One line's spans, decoded (on a worker), or the problem it has.
fn decode_line(line: usize, text: &str, last: Option<usize>) -> LineSpans<'_> {
    if let Some(found) = walk::spans(text) {
        let got = (found.into_iter())
            .map(|(span, raw)| from_wire(line, span, raw).ok_or(raw))
            .collect();
        return (line, Ok(got));
    }
    let request = match serde_json::from_str::<Request>(text) {
        Ok(r) => r,
        Err(_) if Some(line) == last => {
            return (
                line,
                Err(format!("line {line}: last line is cut off; ignored")),
            )
        }
        Err(e) => {
            let what = if text.starts_with('{') {
                format!("line {line} is not a readable OTLP request ({e}); skipped")
            } else {
                format!("line {line} is not a JSON object; skipped")
            };
            return (line, Err(what));
        }
    };
    let raw_spans = request.resource_spans.iter().flat_map(|rs| {
        rs.scope_spans
            .iter()
            .chain(&rs.library_spans)
            .flat_map(|ss| ss.spans.iter().copied())
    });
    let got = raw_spans
        .map(|raw| decode(line, raw.get()).ok_or(raw.get()))
        .collect();
    (line, Ok(got))
}

/// A line's spans (or its problem) taken in, in the order of the input.
fn take_line<'a>(
    out: &mut Out,
    spans: &mut Vec<Span>,
    items: &mut Vec<Item<'a>>,
    line: usize,
    got: Result<Vec<Decoded<'a>>, String>,
) {
    let got = match got {
        Ok(got) => got,
        Err(problem) => return out.problem(line, problem),
    };
    for span in got {
        // A producer's spans share one shape: the first few show a field it added.
        if items.len() < UNKNOWNS_SAMPLE {
            let raw = match &span {
                Ok((_, item)) => item.record,
                Err(raw) => raw,
            };
            super::unknowns::otlp_span_keys(out, line, raw);
        }
        match span {
            Ok((sp, item)) => {
                spans.push(sp);
                items.push(item);
            }
            Err(_) => out.problem(line, format!("line {line}: a span without an id; skipped")),
        }
    }
}

/// Each span's conversation (its trace's `gen_ai.conversation.id`, OpenInference
/// `session.id`, else the trace itself) and turn (the trace's rank by start among its
/// conversation's traces), found once per span.
struct Threads<'a> {
    thread: Vec<&'a str>,
    turn: Vec<usize>,
}

impl<'a> Threads<'a> {
    fn of(items: &'a [Item], spans: &[Span], per_conv: &mut Turns) -> Threads<'a> {
        let mut start: HashMap<&str, f64> = HashMap::default();
        let mut conv: HashMap<&str, &str> = HashMap::default();
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
        let mut turn_of: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(traces.len(), Default::default());
        for (t, _) in &traces {
            let n = per_conv
                .entry(conv.get(t).copied().unwrap_or(t).to_string())
                .or_insert(0);
            *n += 1;
            turn_of.insert(t, *n);
        }
        let trace = |it: &'a Item| it.trace.as_str();
        Threads {
            thread: (items.iter())
                .map(|it| conv.get(trace(it)).copied().unwrap_or(trace(it)))
                .collect(),
            turn: (items.iter())
                .map(|it| turn_of.get(trace(it)).copied().unwrap_or(1))
                .collect(),
        }
    }
}

/// Each agent's first chat span (its model input is the agent's context).
fn first_chats(items: &[Item], spans: &[Span], roles: &roles::Roles) -> HashMap<usize, usize> {
    let mut first: HashMap<usize, usize> = HashMap::default();
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

fn decode(line: usize, raw: &str) -> Option<(Span, Item<'_>)> {
    from_wire(line, serde_json::from_str(raw).ok()?, raw)
}

/// A span read (`raw`: its text as written), or `None` when it has no id.
fn from_wire<'a>(line: usize, span: WireSpan<'a>, raw: &'a str) -> Option<(Span, Item<'a>)> {
    let id = raw_text(span.span_id).and_then(|t| norm_id_text(&t))?;
    let attrs = Attrs::from_pairs(span.attributes.0);
    let name = span.name.unwrap_or_default();
    let op = match attrs.get("gen_ai.operation.name") {
        Some(AttrValue::Str(Cow::Borrowed(op))) => Cow::Borrowed(*op),
        Some(AttrValue::Str(op)) => Cow::Owned(op.to_string()),
        _ => match &name {
            Cow::Borrowed(n) => Cow::Borrowed(n.split_whitespace().next().unwrap_or("")),
            Cow::Owned(n) => Cow::Owned(n.split_whitespace().next().unwrap_or("").to_string()),
        },
    };
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
