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

use super::otlp_values::{millis, norm_id, status_error, Attrs};
use super::spans::{index, ms_value, parents, timeline, Edge, Span};
use super::{json_or_string, read_objects, Format, Imported, Out};
use roles::Role;

mod roles;

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

/// Turns span edges into native frames.
struct Emitter<'a> {
    out: Out,
    items: &'a [Item<'a>],
    spans: &'a [Span],
    roles: &'a roles::Roles,
    threads: &'a Threads,
    first_chat: HashMap<usize, usize>,
    parent: &'a [Option<usize>],
}

impl Emitter<'_> {
    fn base(&self, i: usize, agent: Option<usize>) -> Map<String, Value> {
        let it = &self.items[i];
        let mut m = Map::new();
        m.insert("run_id".into(), Value::from(it.trace.clone()));
        // A trace with no conversation of its own is one.
        let thread = self
            .threads
            .thread
            .get(&it.trace)
            .cloned()
            .flatten()
            .unwrap_or_else(|| it.trace.clone());
        m.insert("thread_id".into(), Value::from(thread));
        let turn = self.threads.turn.get(&it.trace).copied().unwrap_or(1);
        m.insert("turn".into(), Value::from(turn));
        if let Some(a) = agent {
            m.insert("agent_name".into(), Value::from(self.roles.name[a].clone()));
            m.insert(
                "agent_id".into(),
                Value::from(self.roles.agent_id[a].clone()),
            );
        }
        m
    }

    fn edge(&mut self, edge: Edge) {
        let (i, phase) = match edge {
            Edge::Start(i) => (i, Phase::Start),
            Edge::End(i) => (i, Phase::End),
            Edge::Abort(i) => (i, Phase::Abort),
        };
        let sp = &self.spans[i];
        let at = match phase {
            Phase::Start => Some(ms_value(sp.start)),
            Phase::End => sp.end.map(ms_value),
            Phase::Abort => None,
        };
        match self.roles.role[i] {
            Role::Agent => self.agent(i, phase, at),
            Role::Tool => self.tool(i, phase, at),
            Role::Chat if phase == Phase::End => self.chat(i, at),
            _ => {}
        }
    }

    /// The status and error of a span that ended (or never did).
    fn outcome(&self, i: usize, phase: Phase) -> (&'static str, Option<String>) {
        match (phase, status_error(self.items[i].record)) {
            (Phase::Abort, _) => ("aborted", Some(NEVER_ENDED.to_string())),
            (_, Some(e)) => ("error", Some(e)),
            _ => ("ok", None),
        }
    }

    fn agent(&mut self, i: usize, phase: Phase, at: Option<Value>) {
        let it = &self.items[i];
        let mut p = self.base(i, Some(i));
        if phase == Phase::Start {
            if let Some(parent) = self.roles.owner[i] {
                let id = self.roles.agent_id[parent].clone();
                p.insert("parent_agent_id".into(), Value::from(id));
            }
            if let Some(from) = self.roles.handoff_from[i] {
                let id = self.roles.agent_id[from].clone();
                p.insert("handoff_from".into(), Value::from(id));
            }
            let msgs = it.attrs.get("gen_ai.input.messages").or_else(|| {
                self.first_chat
                    .get(&i)
                    .and_then(|&c| self.items[c].attrs.get("gen_ai.input.messages"))
            });
            if let Some(m) = msgs {
                p.insert(
                    "context".into(),
                    json!({ "messages": json_or_string(Some(m)) }),
                );
            }
            self.out
                .emit(it.line, "agent_started", at, Value::Object(p), it.record);
            return;
        }
        if let Some(o) = it.attrs.get("gen_ai.output.messages") {
            p.insert(
                "result".into(),
                json!({ "output": json_or_string(Some(o)) }),
            );
        }
        let (status, error) = self.outcome(i, phase);
        p.insert("status".into(), Value::from(status));
        p.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        self.out
            .emit(it.line, "agent_completed", at, Value::Object(p), it.record);
        if phase == Phase::Abort {
            let msg = format!(
                "agent {} ({}) never ended; closed as aborted",
                self.roles.name[i], self.roles.agent_id[i]
            );
            self.out.problem(it.line, msg);
        }
    }

    fn tool(&mut self, i: usize, phase: Phase, at: Option<Value>) {
        let it = &self.items[i];
        let mut p = self.base(i, self.roles.owner[i]);
        let tool = tool_name(it);
        p.insert("tool_name".into(), Value::from(tool.clone()));
        let call = call_id(it, self.parent[i].map(|q| &self.items[q]));
        p.insert(
            "tool_call_id".into(),
            call.map(Value::from).unwrap_or(Value::Null),
        );
        if phase == Phase::Start {
            let args = [
                "gen_ai.tool.call.arguments",
                "input.value",
                "traceloop.entity.input",
            ]
            .iter()
            .find_map(|k| it.attrs.get(k));
            p.insert("parameters".into(), json_or_string(args));
            self.out
                .emit(it.line, "tool_executing", at, Value::Object(p), it.record);
            return;
        }
        let result = [
            "gen_ai.tool.call.result",
            "output.value",
            "traceloop.entity.output",
        ]
        .iter()
        .find_map(|k| it.attrs.get(k));
        if let Some(r) = result {
            p.insert(
                "result".into(),
                json!({ "output": json_or_string(Some(r)) }),
            );
        }
        if let Some(end) = self.spans[i].end {
            p.insert("duration_ms".into(), ms_value(end - self.spans[i].start));
        }
        let (status, error) = self.outcome(i, phase);
        p.insert("status".into(), Value::from(status));
        p.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        self.out
            .emit(it.line, "tool_completed", at, Value::Object(p), it.record);
        if phase == Phase::Abort {
            self.out.problem(
                it.line,
                format!("tool {tool} never ended; closed as aborted"),
            );
        }
    }

    fn chat(&mut self, i: usize, at: Option<Value>) {
        let it = &self.items[i];
        let Some(o) = it.attrs.get("gen_ai.output.messages") else {
            return;
        };
        let msgs = json_or_string(Some(o));
        let mut p = self.base(i, self.roles.owner[i]);
        p.insert("thought".into(), Value::from(output_text(&msgs)));
        self.out
            .emit(it.line, "agent_thinking", at, Value::Object(p), it.record);
    }
}

const NEVER_ENDED: &str = "the input ended with the span still open";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    End,
    Abort,
}

fn tool_name(it: &Item) -> String {
    ["gen_ai.tool.name", "tool.name", "traceloop.entity.name"]
        .iter()
        .find_map(|k| it.attrs.get(k).and_then(Value::as_str))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let n = it.name.trim_start_matches("execute_tool").trim();
            n.strip_suffix(".tool").unwrap_or(n).to_string()
        })
}

/// The model's id for a tool call: `gen_ai.tool.call.id`, else the `tool_call_id` of the
/// tool message in its output (OpenInference, OpenLLMetry), else the call its parent `tools`
/// step ran (OpenInference LangGraph: the call's input).
fn call_id(it: &Item, parent: Option<&Item>) -> Option<String> {
    if let Some(id) = it.attrs.get("gen_ai.tool.call.id").and_then(Value::as_str) {
        return Some(id.to_string());
    }
    let from_json = |v: Option<&Value>, paths: &[&[&str]]| -> Option<String> {
        let v = json_or_string(v);
        paths
            .iter()
            .find_map(|p| super::s(&v, p).map(str::to_string))
    };
    let outputs = [
        "output.value",
        "traceloop.entity.output",
        "gen_ai.tool.call.result",
    ];
    outputs
        .iter()
        .find_map(|k| {
            from_json(
                it.attrs.get(k),
                &[
                    &["tool_call_id"],
                    &["data", "tool_call_id"],
                    &["kwargs", "tool_call_id"],
                    &["output", "kwargs", "tool_call_id"],
                ],
            )
        })
        .or_else(|| {
            let p = parent?;
            from_json(p.attrs.get("input.value"), &[&["tool_call", "id"]])
        })
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
