//! Turning an OTLP trace's span edges into native frames: an agent span's start and end, a
//! tool span's call and result (with the model's call id wherever the trace keeps it), a chat
//! span's output as thinking.

use rustc_hash::FxHashMap as HashMap;

use serde_json::{json, Value};

use super::super::otlp_values::status_error_raw;
use super::super::out::AsWritten;
use super::super::payload::Payload;
use super::super::spans::{ms_value, Edge, Span};
use super::super::Out;
use super::attrs::AttrValue;
use super::roles::{self, Role};
use super::usage;
use super::{arr, Item, Threads};
use crate::core::usage::Tokens;

/// What an end frame keeps of its span: the span is kept once, with its start frame.
const SPAN_AT_START: &str = "the span is kept with its start frame";

/// Turns span edges into native frames.
pub(super) struct Emitter<'a> {
    pub(super) items: &'a [Item<'a>],
    pub(super) spans: &'a [Span],
    pub(super) roles: &'a roles::Roles,
    pub(super) threads: &'a Threads<'a>,
    pub(super) first_chat: HashMap<usize, usize>,
    pub(super) parent: &'a [Option<usize>],
    /// The tokens of each span that counts (see `usage.rs`).
    pub(super) usage: Vec<Option<Tokens>>,
}

impl<'a> Emitter<'a> {
    fn base(&self, i: usize, agent: Option<usize>) -> Payload<'a> {
        let it = &self.items[i];
        let mut p = Payload::new();
        p.set_str("run_id", &it.trace);
        p.set_str("thread_id", self.threads.thread[i]);
        p.set("turn", Value::from(self.threads.turn[i]));
        if let Some(a) = agent {
            p.set_str("agent_name", &self.roles.name[a]);
            p.set_str("agent_id", &self.roles.agent_id[a]);
        }
        p
    }

    /// One edge's frames (and problems) into `out`.
    pub(super) fn edge(&self, out: &mut Out, edge: Edge) {
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
            Role::Agent => self.agent(out, i, phase, at),
            Role::Tool => self.tool(out, i, phase, at),
            Role::Chat if phase == Phase::End => self.chat(out, i, at),
            Role::Other if phase == Phase::End && self.usage[i].is_some() => self.chat(out, i, at),
            _ => {}
        }
    }

    /// The status and error of a span that ended (or never did), on its end frame.
    fn close(&self, p: &mut Payload, i: usize, phase: Phase) {
        let (status, error) = match (
            phase,
            status_error_raw(self.items[i].status, self.items[i].events),
        ) {
            (Phase::Abort, _) => ("aborted", Some(NEVER_ENDED.to_string())),
            (_, Some(e)) => ("error", Some(e)),
            _ => ("ok", None),
        };
        p.set("status", status);
        match error {
            Some(e) => p.set("error", e),
            None => p.set("error", Value::Null),
        }
    }

    fn agent(&self, out: &mut Out, i: usize, phase: Phase, at: Option<Value>) {
        let it = &self.items[i];
        let mut p = self.base(i, Some(i));
        if phase == Phase::Start {
            if let Some(parent) = self.roles.owner[i] {
                p.set_str("parent_agent_id", &self.roles.agent_id[parent]);
            }
            if let Some(from) = self.roles.handoff_from[i] {
                p.set_str("handoff_from", &self.roles.agent_id[from]);
            }
            let msgs = it.attrs.get("gen_ai.input.messages").or_else(|| {
                self.first_chat
                    .get(&i)
                    .and_then(|&c| self.items[c].attrs.get("gen_ai.input.messages"))
            });
            if let Some(m) = msgs {
                p.set("context", json!({ "messages": m.json() }));
            }
            out.emit_payload(it.line, "agent_started", at, &mut p, &AsWritten(it.record));
            return;
        }
        if let Some(o) = it.attrs.get("gen_ai.output.messages") {
            p.set("result", json!({ "output": o.json() }));
        }
        self.close(&mut p, i, phase);
        if let Some(t) = &self.usage[i] {
            p.set("usage", usage::native(&self.items[i], t));
        }
        out.emit_payload(it.line, "agent_completed", at, &mut p, SPAN_AT_START);
        if phase == Phase::Abort {
            let msg = format!(
                "agent {} ({}) never ended; closed as aborted",
                self.roles.name[i], self.roles.agent_id[i]
            );
            out.problem(it.line, msg);
        }
    }

    fn tool(&self, out: &mut Out, i: usize, phase: Phase, at: Option<Value>) {
        let it = &self.items[i];
        let mut p = self.base(i, self.roles.owner[i]);
        let tool = tool_name(it);
        p.set_str("tool_name", tool);
        let call = call_id(it, self.parent[i].map(|q| &self.items[q]));
        match call {
            Some(c) => p.set("tool_call_id", c),
            None => p.set("tool_call_id", Value::Null),
        }
        if phase == Phase::Start {
            let args = [
                "gen_ai.tool.call.arguments",
                "input.value",
                "traceloop.entity.input",
            ]
            .iter()
            .find_map(|k| it.attrs.get(k));
            p.set("parameters", args.map_or(Value::Null, AttrValue::json));
            out.emit_payload(it.line, "tool_executing", at, &mut p, &AsWritten(it.record));
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
            p.set("result", json!({ "output": r.json() }));
        }
        if let Some(end) = self.spans[i].end {
            p.set("duration_ms", ms_value(end - self.spans[i].start));
        }
        self.close(&mut p, i, phase);
        if let Some(t) = &self.usage[i] {
            p.set("usage", usage::native(&self.items[i], t));
        }
        out.emit_payload(it.line, "tool_completed", at, &mut p, SPAN_AT_START);
        if phase == Phase::Abort {
            out.problem(
                it.line,
                format!("tool {tool} never ended; closed as aborted"),
            );
        }
    }

    fn chat(&self, out: &mut Out, i: usize, at: Option<Value>) {
        let it = &self.items[i];
        let output = it.attrs.get("gen_ai.output.messages");
        if output.is_none() && self.usage[i].is_none() {
            return;
        }
        let mut p = self.base(i, self.roles.owner[i]);
        if let Some(o) = output {
            p.set("thought", output_text(&o.json()));
        }
        if let Some(t) = &self.usage[i] {
            p.set("usage", usage::native(&self.items[i], t));
        }
        out.emit_payload(it.line, "agent_thinking", at, &mut p, &AsWritten(it.record));
    }
}

const NEVER_ENDED: &str = "the input ended with the span still open";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    End,
    Abort,
}

fn tool_name<'a>(it: &'a Item) -> &'a str {
    ["gen_ai.tool.name", "tool.name", "traceloop.entity.name"]
        .iter()
        .find_map(|k| it.attrs.get_str(k))
        .unwrap_or_else(|| {
            let n = it.name.trim_start_matches("execute_tool").trim();
            n.strip_suffix(".tool").unwrap_or(n)
        })
}

/// The model's id for a tool call: `gen_ai.tool.call.id`, else the `tool_call_id` of the
/// tool message in its output (OpenInference, OpenLLMetry), else the call its parent `tools`
/// step ran (OpenInference LangGraph: the call's input).
fn call_id(it: &Item, parent: Option<&Item>) -> Option<String> {
    if let Some(id) = it.attrs.get_str("gen_ai.tool.call.id") {
        return Some(id.to_string());
    }
    let from_json = |v: Option<&AttrValue>, paths: &[&[&str]]| -> Option<String> {
        let v = v.map_or(Value::Null, AttrValue::json);
        paths
            .iter()
            .find_map(|p| super::super::s(&v, p).map(str::to_string))
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
