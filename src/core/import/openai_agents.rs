//! OpenAI Agents SDK outputs to native frames: trace/span exports (`{"callback", "export"}`
//! lines from a tracing processor, bare `{"object": "trace.span"}` lines, or `{"data": [...]}`
//! batches, all possibly in END order) and `run_streamed` events. Owns the mapping below; the
//! first recognisable line decides which of the two a file is.
//!
//! Trace export (spans merged by id, the end record winning; replayed sorted by `started_at`):
//!
//! | span (`span_data.type`) | native frames |
//! | --- | --- |
//! | `agent` | `agent_started`/`agent_completed`: `agent_id` = span id, `agent_name` = `name`; `parent_agent_id` = the nearest `agent` ancestor by `parent_id`, or for an agent handed off to, the agent that ran the `handoff` span (`from_agent` → `to_agent`); `context` = `{"messages": input}` of its first `generation`; `result.final_answer` = its last generation's text; span `error` → `status` `error` |
//! | `function` | `tool_executing`/`tool_completed` (`parameters` = `input`, `result.output` = `output`; span `error` → `status` `error`, `error` = message and detail); no tool-call ids |
//! | `generation` | `agent_thinking` at its end (`thought` = the output text) |
//! | `custom` `task`/`turn`, `handoff`, `response`, others | none (links only) |
//!
//! `run_id` = `trace_id`, `thread_id` = the trace's `group_id`, `turn` = the trace's rank among
//! the traces of its group. Timestamps are the spans' `started_at`/`ended_at`.
//!
//! Stream events (no ids for agents or runs: `agent_id` = `<name>#<n>`, `run_id` `stream`):
//!
//! | event | native frames |
//! | --- | --- |
//! | `agent_updated_stream_event` | the previous agent's `agent_completed`, then `agent_started` (`parent_agent_id` = the handoff source, when a `handoff_occured` named this agent) |
//! | `run_item_stream_event` `message_output_created` / `reasoning_item_created` | `agent_thinking` |
//! | `tool_called` / `handoff_requested` | `tool_executing` (`tool_call_id` = `raw_item.call_id`) |
//! | `tool_output` / `handoff_occured` | `tool_completed` by `call_id` (the stream has no error flag: `ok`) |
//! | `raw_response_event` | none (model deltas; the run items carry the same content) |
//!
//! The stream has no end event: at the end of input the current agent completes `ok` with its
//! last message as `final_answer`, unless a tool is still open or the last line was cut off,
//! in which case both are closed `aborted` and reported.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::spans::{index, nearest, parents, timeline, Edge, Span};
use super::{content_text, json_or_string, read_objects, s, Format, Imported, Out};

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::OpenaiAgents);
    let (records, cut) = read_objects(input, &mut out);
    for (line, rec) in &records {
        for item in exported(rec) {
            super::unknowns::openai_agents(&mut out, *line, item);
        }
    }
    let stream = records
        .iter()
        .find_map(|(_, r)| {
            if r.get("export").is_some()
                || r.get("object").is_some()
                || r.get("data").is_some_and(Value::is_array)
            {
                Some(false)
            } else if s(r, &["type"])
                .is_some_and(|t| t.ends_with("_stream_event") || t == "raw_response_event")
            {
                Some(true)
            } else {
                None
            }
        })
        .unwrap_or(false);
    if stream {
        super::openai_stream::import(out, &records, cut)
    } else {
        traces(out, &records)
    }
}

struct Item {
    line: usize,
    trace: String,
    kind: String,
    record: Value,
}

fn rfc3339_ms(v: Option<&Value>) -> Option<f64> {
    let text = v?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_micros() as f64 / 1000.0)
}

fn text_of_output(output: Option<&Value>) -> Option<String> {
    let items = output?.as_array()?;
    let texts: Vec<String> = items
        .iter()
        .filter_map(|i| content_text(i.get("content")))
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n"))
}

/// The trace and span objects of a line: a callback's `export`, an exporter batch's `data`,
/// or the line itself.
fn exported(rec: &Value) -> Vec<&Value> {
    match (rec.get("export"), rec.get("data").and_then(Value::as_array)) {
        (Some(e), _) => vec![e],
        (None, Some(batch)) => batch.iter().collect(),
        _ => vec![rec],
    }
}

fn traces(mut out: Out, records: &[(usize, Value)]) -> Imported {
    let mut groups: HashMap<String, String> = HashMap::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut items: Vec<Item> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    let mut last_time = 0.0;
    for (line, rec) in records {
        for e in exported(rec) {
            match s(e, &["object"]) {
                Some("trace") => {
                    if let (Some(id), Some(g)) = (s(e, &["id"]), s(e, &["group_id"])) {
                        groups.insert(id.to_string(), g.to_string());
                    }
                }
                Some("trace.span") => {
                    let Some(id) = s(e, &["id"]) else { continue };
                    let start = rfc3339_ms(e.get("started_at")).unwrap_or(last_time);
                    last_time = start;
                    let span = Span {
                        id: id.to_string(),
                        parent: s(e, &["parent_id"]).map(str::to_string),
                        start,
                        end: rfc3339_ms(e.get("ended_at")),
                    };
                    let item = Item {
                        line: *line,
                        trace: s(e, &["trace_id"]).unwrap_or("").to_string(),
                        kind: s(e, &["span_data", "type"]).unwrap_or("").to_string(),
                        record: e.clone(),
                    };
                    match slot.get(id) {
                        // The end record carries the complete span; a start after an end is ignored.
                        Some(&i) if spans[i].end.is_none() => {
                            spans[i] = span;
                            items[i] = item;
                        }
                        Some(_) => {}
                        None => {
                            slot.insert(id.to_string(), spans.len());
                            spans.push(span);
                            items.push(item);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let by_id = index(&spans);
    let agent_of = nearest(&parents(&spans, &by_id), |a| {
        (items[a].kind == "agent").then_some(a)
    });
    // Agents of each (trace, name), by start: where a hand-off's target is looked for.
    let mut agents_named: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for a in (0..items.len()).filter(|&a| items[a].kind == "agent") {
        if let Some(name) = s(&items[a].record, &["span_data", "name"]) {
            agents_named
                .entry((items[a].trace.as_str(), name))
                .or_default()
                .push(a);
        }
    }
    for list in agents_named.values_mut() {
        list.sort_by(|&x, &y| spans[x].start.total_cmp(&spans[y].start));
    }
    // Handoffs: the first agent named `to_agent` starting after the handoff, in its trace.
    let mut handed: HashMap<usize, usize> = HashMap::new();
    for (h, it) in items.iter().enumerate() {
        let (Some(from), Some(to)) = (agent_of[h], s(&it.record, &["span_data", "to_agent"]))
        else {
            continue;
        };
        if it.kind != "handoff" {
            continue;
        }
        let target = agents_named.get(&(it.trace.as_str(), to)).and_then(|list| {
            list.iter()
                .find(|&&a| a != from && spans[a].start >= spans[h].start)
        });
        if let Some(&t) = target {
            handed.entry(t).or_insert(from);
        }
    }
    let mut first_start: HashMap<&str, f64> = HashMap::new();
    for (sp, it) in spans.iter().zip(&items) {
        let e = first_start.entry(it.trace.as_str()).or_insert(sp.start);
        *e = e.min(sp.start);
    }
    let mut trace_start: Vec<(String, f64)> = first_start
        .into_iter()
        .map(|(t, s)| (t.to_string(), s))
        .collect();
    trace_start.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut turn_of: HashMap<String, usize> = HashMap::new();
    let mut per_group: HashMap<String, usize> = HashMap::new();
    for (t, _) in &trace_start {
        let g = groups.get(t).cloned().unwrap_or_else(|| t.clone());
        let n = per_group.entry(g).or_insert(0);
        *n += 1;
        turn_of.insert(t.clone(), *n);
    }
    // Each agent's generations, by start (its context is the first one's input).
    let mut generations: HashMap<usize, Vec<usize>> = HashMap::new();
    for c in (0..items.len()).filter(|&c| items[c].kind == "generation") {
        if let Some(a) = agent_of[c] {
            generations.entry(a).or_default().push(c);
        }
    }
    for list in generations.values_mut() {
        list.sort_by(|&x, &y| spans[x].start.total_cmp(&spans[y].start));
    }
    let gens_of = |a: usize| -> &[usize] { generations.get(&a).map_or(&[], Vec::as_slice) };
    let base = |i: usize, owner: Option<usize>| -> Map<String, Value> {
        let it = &items[i];
        let mut m = Map::new();
        m.insert("run_id".into(), Value::from(it.trace.clone()));
        // A trace with no group is a conversation of its own.
        m.insert(
            "thread_id".into(),
            Value::from(
                groups
                    .get(&it.trace)
                    .cloned()
                    .unwrap_or_else(|| it.trace.clone()),
            ),
        );
        m.insert(
            "turn".into(),
            Value::from(turn_of.get(&it.trace).copied().unwrap_or(1)),
        );
        if let Some(a) = owner {
            m.insert(
                "agent_name".into(),
                s(&items[a].record, &["span_data", "name"])
                    .map(Value::from)
                    .unwrap_or(Value::Null),
            );
            m.insert("agent_id".into(), Value::from(spans[a].id.clone()));
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
        let rec = &it.record;
        let at = match phase {
            0 => rec.get("started_at").cloned(),
            1 => rec.get("ended_at").cloned(),
            _ => None,
        };
        let why = "the input ended with the span still open";
        let span_error = rec.get("error").filter(|e| !e.is_null()).map(|e| {
            let msg = s(e, &["message"]).unwrap_or("error");
            match e.pointer("/data/error").and_then(Value::as_str) {
                Some(detail) => format!("{msg}: {detail}"),
                None => msg.to_string(),
            }
        });
        let (status, error) = match (phase, span_error) {
            (2, _) => ("aborted", Some(why.to_string())),
            (_, Some(e)) => ("error", Some(e)),
            _ => ("ok", None),
        };
        match it.kind.as_str() {
            "agent" => {
                let mut p = base(i, Some(i));
                if phase == 0 {
                    if let Some(parent) = agent_of[i] {
                        p.insert(
                            "parent_agent_id".into(),
                            Value::from(spans[parent].id.clone()),
                        );
                    }
                    // An agent handed to sits under the agent that handed off when nothing
                    // encloses it (the session model makes that its parent).
                    if let Some(&from) = handed.get(&i) {
                        p.insert("handoff_from".into(), Value::from(spans[from].id.clone()));
                    }
                    if let Some(first) = gens_of(i).first() {
                        let input = items[*first].record.pointer("/span_data/input").cloned();
                        p.insert("context".into(), json!({ "messages": input }));
                    }
                    out.emit(it.line, "agent_started", at, Value::Object(p), rec);
                    continue;
                }
                let answer = gens_of(i)
                    .iter()
                    .rev()
                    .find_map(|&g| text_of_output(items[g].record.pointer("/span_data/output")));
                if let Some(a) = answer {
                    p.insert("result".into(), json!({ "final_answer": a }));
                }
                p.insert("status".into(), Value::from(status));
                p.insert(
                    "error".into(),
                    error.map(Value::from).unwrap_or(Value::Null),
                );
                out.emit(it.line, "agent_completed", at, Value::Object(p), rec);
                if phase == 2 {
                    out.problem(
                        it.line,
                        format!("agent span {} never ended; closed as aborted", spans[i].id),
                    );
                }
            }
            "function" => {
                let mut p = base(i, agent_of[i]);
                p.insert(
                    "tool_name".into(),
                    rec.pointer("/span_data/name")
                        .cloned()
                        .unwrap_or(Value::Null),
                );
                if phase == 0 {
                    p.insert(
                        "parameters".into(),
                        json_or_string(rec.pointer("/span_data/input")),
                    );
                    out.emit(it.line, "tool_executing", at, Value::Object(p), rec);
                    continue;
                }
                p.insert(
                    "result".into(),
                    json!({ "output": json_or_string(rec.pointer("/span_data/output")) }),
                );
                p.insert("status".into(), Value::from(status));
                p.insert(
                    "error".into(),
                    error.map(Value::from).unwrap_or(Value::Null),
                );
                out.emit(it.line, "tool_completed", at, Value::Object(p), rec);
                if phase == 2 {
                    out.problem(
                        it.line,
                        format!(
                            "function span {} never ended; closed as aborted",
                            spans[i].id
                        ),
                    );
                }
            }
            "generation" if phase == 1 => {
                let mut p = base(i, agent_of[i]);
                let text = text_of_output(rec.pointer("/span_data/output")).unwrap_or_default();
                p.insert("thought".into(), Value::from(text));
                out.emit(it.line, "agent_thinking", at, Value::Object(p), rec);
            }
            _ => {}
        }
    }
    out.finish()
}
