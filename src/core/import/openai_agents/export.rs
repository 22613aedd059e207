//! OpenAI Agents trace exports to native frames (the mapping is in the parent module's
//! documentation): spans merged by id, linked to their agents, replayed in time order.

use serde_json::{json, Map, Value};
use std::collections::HashMap;

use super::super::spans::{index, nearest, parents, timeline, Edge, Phase, Span};
use super::super::{content_text, json_or_string, s, Imported, Out};
use super::exported;

struct Item {
    line: usize,
    trace: String,
    kind: SpanKind,
    record: Value,
}

fn time_ms(v: Option<&Value>) -> Option<f64> {
    crate::core::timestamp::parse_str(v?.as_str()?)
}

fn text_of_output(output: Option<&Value>) -> Option<String> {
    let items = output?.as_array()?;
    let texts: Vec<String> = items
        .iter()
        .filter_map(|i| content_text(i.get("content")))
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n"))
}

/// What a span stands for (`span_data.type`), as far as the frames care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    Agent,
    Function,
    Generation,
    Handoff,
    /// `custom`, `response` and the rest: links only.
    Other,
}

impl SpanKind {
    fn of(name: Option<&str>) -> SpanKind {
        match name {
            Some("agent") => SpanKind::Agent,
            Some("function") => SpanKind::Function,
            Some("generation") => SpanKind::Generation,
            Some("handoff") => SpanKind::Handoff,
            _ => SpanKind::Other,
        }
    }
}

/// A trace export, merged: the spans by id (the end record winning) and each trace's group.
#[derive(Default)]
struct Export {
    groups: HashMap<String, String>,
    spans: Vec<Span>,
    items: Vec<Item>,
}

impl Export {
    /// Reads every trace and span object of the lines.
    fn read(records: &[(usize, Value)]) -> Export {
        let mut export = Export::default();
        let mut slot: HashMap<String, usize> = HashMap::new();
        let mut last_time = 0.0;
        for (line, rec) in records {
            for e in exported(rec) {
                match s(e, &["object"]) {
                    Some("trace") => {
                        if let (Some(id), Some(g)) = (s(e, &["id"]), s(e, &["group_id"])) {
                            export.groups.insert(id.to_string(), g.to_string());
                        }
                    }
                    Some("trace.span") => export.span(*line, e, &mut slot, &mut last_time),
                    _ => {}
                }
            }
        }
        export
    }

    /// One span record: a new span, or the end record of one already seen.
    fn span(&mut self, line: usize, e: &Value, slot: &mut HashMap<String, usize>, last: &mut f64) {
        let Some(id) = s(e, &["id"]) else { return };
        let start = time_ms(e.get("started_at")).unwrap_or(*last);
        *last = start;
        let span = Span {
            id: id.to_string(),
            parent: s(e, &["parent_id"]).map(str::to_string),
            start,
            end: time_ms(e.get("ended_at")),
        };
        let item = Item {
            line,
            trace: s(e, &["trace_id"]).unwrap_or("").to_string(),
            kind: SpanKind::of(s(e, &["span_data", "type"])),
            record: e.clone(),
        };
        match slot.get(id) {
            // The end record carries the complete span; a start after an end is ignored.
            Some(&i) if self.spans[i].end.is_none() => {
                self.spans[i] = span;
                self.items[i] = item;
            }
            Some(_) => {}
            None => {
                slot.insert(id.to_string(), self.spans.len());
                self.spans.push(span);
                self.items.push(item);
            }
        }
    }

    /// The spans of one kind, each with its agent (`agent_of`), by start.
    fn by_start(&self, kind: SpanKind, mut key: impl FnMut(usize) -> Option<usize>) -> Links {
        let mut map: Links = HashMap::new();
        for i in (0..self.items.len()).filter(|&i| self.items[i].kind == kind) {
            if let Some(k) = key(i) {
                map.entry(k).or_default().push(i);
            }
        }
        for list in map.values_mut() {
            list.sort_by(|&x, &y| self.spans[x].start.total_cmp(&self.spans[y].start));
        }
        map
    }

    /// Handoffs: the first agent named `to_agent` starting after the handoff, in its trace,
    /// and the agent that handed off to it.
    fn handoffs(&self, agent_of: &[Option<usize>]) -> HashMap<usize, usize> {
        let (items, spans) = (&self.items, &self.spans);
        // Agents of each (trace, name), by start: where a hand-off's target is looked for.
        let mut names: HashMap<(&str, &str), usize> = HashMap::new();
        let agents_named = self.by_start(SpanKind::Agent, |a| {
            let name = s(&items[a].record, &["span_data", "name"])?;
            let n = names.len();
            Some(*names.entry((items[a].trace.as_str(), name)).or_insert(n))
        });
        let mut handed: HashMap<usize, usize> = HashMap::new();
        for (h, it) in items.iter().enumerate() {
            let (Some(from), Some(to)) = (agent_of[h], s(&it.record, &["span_data", "to_agent"]))
            else {
                continue;
            };
            if it.kind != SpanKind::Handoff {
                continue;
            }
            let list = names
                .get(&(it.trace.as_str(), to))
                .and_then(|n| agents_named.get(n));
            let target = list.and_then(|list| {
                list.iter()
                    .find(|&&a| a != from && spans[a].start >= spans[h].start)
            });
            if let Some(&t) = target {
                handed.entry(t).or_insert(from);
            }
        }
        handed
    }

    /// Each trace's rank among the traces of its group, by first start.
    fn turns(&self) -> HashMap<String, usize> {
        let mut first_start: HashMap<&str, f64> = HashMap::new();
        for (sp, it) in self.spans.iter().zip(&self.items) {
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
            let g = self.groups.get(t).cloned().unwrap_or_else(|| t.clone());
            let n = per_group.entry(g).or_insert(0);
            *n += 1;
            turn_of.insert(t.clone(), *n);
        }
        turn_of
    }
}

/// Span indexes by a key span's index.
type Links = HashMap<usize, Vec<usize>>;

/// Turning a merged export into frames, one timeline step at a time.
struct Traces<'e> {
    out: Out,
    x: &'e Export,
    /// The nearest `agent` ancestor of each span.
    agent_of: Vec<Option<usize>>,
    /// The agent each agent was handed off from.
    handed: HashMap<usize, usize>,
    turn_of: HashMap<String, usize>,
    /// Each agent's generations, by start (its context is the first one's input).
    generations: Links,
}

pub(super) fn traces(out: Out, records: &[(usize, Value)]) -> Imported {
    let x = Export::read(records);
    let by_id = index(&x.spans);
    let agent_of = nearest(&parents(&x.spans, &by_id), |a| {
        (x.items[a].kind == SpanKind::Agent).then_some(a)
    });
    let mut st = Traces {
        out,
        x: &x,
        handed: x.handoffs(&agent_of),
        turn_of: x.turns(),
        generations: x.by_start(SpanKind::Generation, |c| agent_of[c]),
        agent_of,
    };
    for edge in timeline(&x.spans) {
        st.edge(edge);
    }
    st.out.finish()
}

impl Traces<'_> {
    fn gens_of(&self, a: usize) -> &[usize] {
        self.generations.get(&a).map_or(&[], Vec::as_slice)
    }

    /// The fields every frame of span `i` carries, with `owner` as its agent.
    fn base(&self, i: usize, owner: Option<usize>) -> Map<String, Value> {
        let it = &self.x.items[i];
        let mut m = Map::new();
        m.insert("run_id".into(), Value::from(it.trace.clone()));
        // A trace with no group is a conversation of its own.
        let group = self.x.groups.get(&it.trace).unwrap_or(&it.trace);
        m.insert("thread_id".into(), Value::from(group.clone()));
        m.insert(
            "turn".into(),
            Value::from(self.turn_of.get(&it.trace).copied().unwrap_or(1)),
        );
        if let Some(a) = owner {
            m.insert(
                "agent_name".into(),
                s(&self.x.items[a].record, &["span_data", "name"])
                    .map(Value::from)
                    .unwrap_or(Value::Null),
            );
            m.insert("agent_id".into(), Value::from(self.x.spans[a].id.clone()));
        }
        m
    }

    /// One step of the timeline: the frame its span's kind makes at that side.
    fn edge(&mut self, edge: Edge) {
        let (i, phase) = edge.split();
        let rec = &self.x.items[i].record;
        let at = match phase {
            Phase::Start => rec.get("started_at").cloned(),
            Phase::End => rec.get("ended_at").cloned(),
            Phase::Abort => None,
        };
        match self.x.items[i].kind {
            SpanKind::Agent => self.agent(i, phase, at),
            SpanKind::Function => self.function(i, phase, at),
            SpanKind::Generation if phase == Phase::End => {
                let mut p = self.base(i, self.agent_of[i]);
                let text = text_of_output(rec.pointer("/span_data/output")).unwrap_or_default();
                p.insert("thought".into(), Value::from(text));
                p.extend(super::usage::of_span(rec.get("span_data")).map(|u| ("usage".into(), u)));
                self.emit(i, "agent_thinking", at, p);
            }
            SpanKind::Other if phase == Phase::End => {
                if let Some(u) = super::usage::of_span(rec.get("span_data")) {
                    let mut p = self.base(i, self.agent_of[i]);
                    p.insert("usage".into(), u);
                    self.emit(i, "agent_thinking", at, p);
                }
            }
            _ => {}
        }
    }

    fn emit(&mut self, i: usize, kind: &str, at: Option<Value>, p: Map<String, Value>) {
        let it = &self.x.items[i];
        self.out
            .emit(it.line, kind, at, Value::Object(p), &it.record);
    }

    /// The end of a span: its status and error; the report to make when it never ended.
    fn close(
        &self,
        i: usize,
        phase: Phase,
        p: &mut Map<String, Value>,
        what: &str,
    ) -> Option<String> {
        let rec = &self.x.items[i].record;
        let span_error = rec.get("error").filter(|e| !e.is_null()).map(|e| {
            let msg = s(e, &["message"]).unwrap_or("error");
            match e.pointer("/data/error").and_then(Value::as_str) {
                Some(detail) => format!("{msg}: {detail}"),
                None => msg.to_string(),
            }
        });
        let (status, error) = match (phase, span_error) {
            (Phase::Abort, _) => (
                "aborted",
                Some("the input ended with the span still open".to_string()),
            ),
            (_, Some(e)) => ("error", Some(e)),
            _ => ("ok", None),
        };
        p.insert("status".into(), Value::from(status));
        p.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        (phase == Phase::Abort).then(|| {
            let id = &self.x.spans[i].id;
            format!("{what} span {id} never ended; closed as aborted")
        })
    }

    /// An `agent` span: `agent_started` with its parent, hand-off and context; at its end
    /// `agent_completed` with the last generation's text as the final answer.
    fn agent(&mut self, i: usize, phase: Phase, at: Option<Value>) {
        let x = self.x;
        let mut p = self.base(i, Some(i));
        if phase == Phase::Start {
            if let Some(parent) = self.agent_of[i] {
                p.insert(
                    "parent_agent_id".into(),
                    Value::from(x.spans[parent].id.clone()),
                );
            }
            // An agent handed to sits under the agent that handed off when nothing
            // encloses it (the session model makes that its parent).
            if let Some(&from) = self.handed.get(&i) {
                p.insert("handoff_from".into(), Value::from(x.spans[from].id.clone()));
            }
            if let Some(first) = self.gens_of(i).first() {
                let input = x.items[*first].record.pointer("/span_data/input").cloned();
                p.insert("context".into(), json!({ "messages": input }));
            }
            self.emit(i, "agent_started", at, p);
            return;
        }
        let answer = self
            .gens_of(i)
            .iter()
            .rev()
            .find_map(|&g| text_of_output(x.items[g].record.pointer("/span_data/output")));
        if let Some(a) = answer {
            p.insert("result".into(), json!({ "final_answer": a }));
        }
        self.close_and_emit(i, phase, p, "agent", "agent_completed", at);
    }

    /// A `function` span: `tool_executing` with its input, `tool_completed` with its output.
    fn function(&mut self, i: usize, phase: Phase, at: Option<Value>) {
        let rec = &self.x.items[i].record;
        let mut p = self.base(i, self.agent_of[i]);
        p.insert(
            "tool_name".into(),
            rec.pointer("/span_data/name")
                .cloned()
                .unwrap_or(Value::Null),
        );
        if phase == Phase::Start {
            p.insert(
                "parameters".into(),
                json_or_string(rec.pointer("/span_data/input")),
            );
            self.emit(i, "tool_executing", at, p);
            return;
        }
        p.insert(
            "result".into(),
            json!({ "output": json_or_string(rec.pointer("/span_data/output")) }),
        );
        self.close_and_emit(i, phase, p, "function", "tool_completed", at);
    }

    /// The end frame of a span, then the report of one closed as aborted.
    fn close_and_emit(
        &mut self,
        i: usize,
        phase: Phase,
        mut p: Map<String, Value>,
        what: &str,
        kind: &str,
        at: Option<Value>,
    ) {
        let report = self.close(i, phase, &mut p, what);
        self.emit(i, kind, at, p);
        if let Some(message) = report {
            self.out.problem(self.x.items[i].line, message);
        }
    }
}
