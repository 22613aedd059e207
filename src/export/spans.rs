//! The pure mapping of a derived session onto OTLP spans under the GenAI semantic conventions:
//! an `invoke_agent {name}` span per agent (a sub-agent's a child of its supervisor's, a
//! hand-off a link to the agent that handed off), an `execute_tool {tool}` span per call under
//! its agent's, at the recording's own times; and those spans cut into bounded requests.

use super::ids::{Ids, SpanId};
use crate::core::intern::{Interner, Sym};
use crate::core::session::{AgentIx, AgentStatus, CallIx, CallStatus, Clock, Session, Times};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::span::{Event, Link, SpanKind};
use opentelemetry_proto::tonic::trace::v1::status::StatusCode;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};
use prost::Message as _;
use std::collections::HashMap;

/// At most this many spans go in one request.
pub const MAX_SPANS: usize = 512;
/// And at most about this many encoded bytes (gRPC servers refuse messages over 4 MiB).
pub const MAX_BYTES: usize = 1 << 20;

/// What the spans of one session are made from.
pub struct Mapper<'a> {
    pub session: &'a Session,
    pub interner: &'a Interner,
    pub ids: &'a Ids,
    /// Span events to attach (the evaluation verdicts), by span id.
    pub events: HashMap<SpanId, Vec<Event>>,
}

/// A string attribute.
pub fn kv(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_string(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.to_string())),
        }),
        ..Default::default()
    }
}

/// Nanoseconds since the epoch of a time in ms (0, "unknown", when there is none).
pub fn nanos(ms: Option<f64>) -> u64 {
    ms.filter(|m| m.is_finite() && *m > 0.0)
        .map_or(0, |m| (m * 1_000_000.0) as u64)
}

fn error_status(message: &str) -> Option<Status> {
    Some(Status {
        message: message.to_string(),
        code: StatusCode::Error as i32,
    })
}

impl Mapper<'_> {
    fn text(&self, sym: Option<Sym>) -> Option<&str> {
        sym.map(|s| self.interner.resolve(s))
    }

    fn agent_name(&self, a: AgentIx) -> &str {
        let ag = &self.session.agents[a];
        self.interner.resolve(ag.name.unwrap_or(ag.id))
    }

    fn events_of(&self, id: &SpanId) -> Vec<Event> {
        self.events.get(id).cloned().unwrap_or_default()
    }

    /// The `invoke_agent` span of an agent.
    pub fn agent_span(&self, a: AgentIx) -> Span {
        let s = self.session;
        let ag = &s.agents[a];
        let run = &s.runs[ag.run];
        let clock = run.clock();
        let at = |t: Option<Times>| t.and_then(|t| clock.of(&t));
        let start = at(ag.started).or(at(Some(run.first)));
        let end = at(ag.ended).or(ag.last_ts).or(start);
        let name = self.agent_name(a);
        let mut attributes = vec![
            kv("gen_ai.operation.name", "invoke_agent"),
            kv("gen_ai.agent.name", name),
            kv("gen_ai.agent.id", self.interner.resolve(ag.id)),
            kv("orchscope.agent.status", ag.status.as_str()),
        ];
        if let Some(thread) = self.text(run.thread) {
            attributes.push(kv("gen_ai.conversation.id", thread));
        }
        attributes.extend(super::usage::attributes(ag.usage.as_deref(), self.interner));
        let mut links = Vec::new();
        if let Some(from) = ag.handoff_from {
            let from_ag = &s.agents[from];
            attributes.push(kv(
                "orchscope.handoff.from.agent.id",
                self.interner.resolve(from_ag.id),
            ));
            attributes.push(kv(
                "orchscope.handoff.from.agent.name",
                self.agent_name(from),
            ));
            links.push(Link {
                trace_id: self.ids.traces[s.agents[from].run.index()].to_vec(),
                span_id: self.ids.agent(from).to_vec(),
                attributes: vec![kv("orchscope.link", "handoff")],
                ..Default::default()
            });
        }
        let failure = match ag.status {
            AgentStatus::Failed => Some("agent_failed"),
            AgentStatus::FellBack => Some("fell_back"),
            AgentStatus::Aborted => Some("aborted"),
            AgentStatus::Running | AgentStatus::Completed => None,
        };
        if let Some(kind) = failure {
            attributes.push(kv("error.type", kind));
        }
        let id = self.ids.agent(a);
        Span {
            trace_id: self.ids.traces[ag.run.index()].to_vec(),
            span_id: id.to_vec(),
            parent_span_id: ag.parent.map_or(Vec::new(), |p| self.ids.agent(p).to_vec()),
            name: format!("invoke_agent {name}"),
            kind: SpanKind::Internal as i32,
            start_time_unix_nano: nanos(start),
            end_time_unix_nano: nanos(end),
            attributes,
            events: self.events_of(&id),
            links,
            status: failure.and_then(error_status),
            ..Default::default()
        }
    }

    /// The `execute_tool` span of a call.
    pub fn call_span(&self, c: CallIx) -> Span {
        let s = self.session;
        let call = &s.calls[c];
        let run = &s.runs[call.run];
        let clock: Clock = run.clock();
        let at = |t: Option<Times>| t.and_then(|t| clock.of(&t));
        let start = at(call.exec()).or(at(call.done()));
        let end = at(call.done()).or(start);
        let tool = self.text(call.tool).unwrap_or("unknown");
        let mut attributes = vec![
            kv("gen_ai.operation.name", "execute_tool"),
            kv("gen_ai.tool.name", tool),
            kv("orchscope.call.status", call.status.as_str()),
        ];
        if let Some(id) = self.text(call.call_id) {
            attributes.push(kv("gen_ai.tool.call.id", id));
        }
        let failure = match call.status {
            CallStatus::Error => Some("tool_error"),
            CallStatus::Aborted => Some("aborted"),
            CallStatus::Ok | CallStatus::Open | CallStatus::Orphan => None,
        };
        if let Some(kind) = failure {
            attributes.push(kv("error.type", kind));
        }
        let parent = call.agent.or(run.root).or(run.agents.first().copied());
        let id = self.ids.call(c);
        Span {
            trace_id: self.ids.traces[call.run.index()].to_vec(),
            span_id: id.to_vec(),
            parent_span_id: parent.map_or(Vec::new(), |p| self.ids.agent(p).to_vec()),
            name: format!("execute_tool {tool}"),
            kind: SpanKind::Internal as i32,
            start_time_unix_nano: nanos(start),
            end_time_unix_nano: nanos(end),
            attributes,
            events: self.events_of(&id),
            status: failure.and_then(error_status),
            ..Default::default()
        }
    }

    /// Every span of the session: per run, its agents then its calls.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.session.runs.iter().flat_map(move |run| {
            let agents = run.agents.iter().map(move |&a| self.agent_span(a));
            agents.chain(run.calls.iter().map(move |&c| self.call_span(c)))
        })
    }
}

/// The resource and scope every exported span is sent under.
pub fn resource(source_name: &str) -> (Resource, InstrumentationScope) {
    let resource = Resource {
        attributes: vec![
            kv("service.name", "orchscope"),
            kv("orchscope.source", source_name),
        ],
        ..Default::default()
    };
    let scope = InstrumentationScope {
        name: "orchscope".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        ..Default::default()
    };
    (resource, scope)
}

/// Cuts spans into requests of at most [`MAX_SPANS`] spans and about [`MAX_BYTES`] bytes.
pub fn requests<'a>(
    mut spans: impl Iterator<Item = Span> + 'a,
    source_name: &'a str,
) -> impl Iterator<Item = ExportTraceServiceRequest> + 'a {
    let (resource, scope) = resource(source_name);
    std::iter::from_fn(move || {
        let mut batch = Vec::new();
        let mut bytes = 0;
        while batch.len() < MAX_SPANS && bytes < MAX_BYTES {
            let Some(span) = spans.next() else { break };
            bytes += span.encoded_len();
            batch.push(span);
        }
        (!batch.is_empty()).then(|| ExportTraceServiceRequest {
            resource_spans: vec![ResourceSpans {
                resource: Some(resource.clone()),
                scope_spans: vec![ScopeSpans {
                    scope: Some(scope.clone()),
                    spans: batch,
                    ..Default::default()
                }],
                ..Default::default()
            }],
        })
    })
}
