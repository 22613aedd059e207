//! Validator verdicts as GenAI evaluation results: one `gen_ai.evaluation.result` log record
//! per rule that judged the session, linked to the span its evidence points at (the call or
//! agent of its first finding, else the run's root agent), and the same as a span event on
//! that span for backends that keep traces only.

use super::ids::{SpanId, TraceId};
use super::spans::{kv, resource, Mapper};
use crate::core::session::{AgentIx, CallIx, Session};
use crate::core::validate::{Finding, RuleResult, Status};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, KeyValue};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, ResourceLogs, ScopeLogs, SeverityNumber};
use opentelemetry_proto::tonic::trace::v1::span::Event;
use std::collections::HashMap;

/// The event (and log record) name the conventions give an evaluation result.
pub const EVENT: &str = "gen_ai.evaluation.result";
/// At most this many findings are quoted in an explanation.
const QUOTED: usize = 5;

/// One rule's verdict, ready to send.
pub struct Verdict {
    /// The span it judges, when the session has any.
    pub span: Option<(TraceId, SpanId)>,
    /// When: the end of the judged span.
    pub time: u64,
    pub severity: SeverityNumber,
    pub attributes: Vec<KeyValue>,
    pub explanation: String,
}

/// What a finding's evidence points at: a call whose frames it names, else its agent.
fn judged(session: &Session, f: &Finding) -> Option<Target> {
    if let Some(run) = f.run {
        let calls = &session.runs[run].calls;
        let named = |c: &&CallIx| {
            let call = &session.calls[**c];
            [call.exec_pos, call.done_pos]
                .iter()
                .flatten()
                .any(|p| f.frames.contains(p))
        };
        if let Some(&c) = calls.iter().find(named) {
            return Some(Target::Call(c));
        }
    }
    f.agent.map(Target::Agent)
}

enum Target {
    Agent(AgentIx),
    Call(CallIx),
}

/// The run's root span for a verdict without evidence in a span.
fn root(session: &Session, f: Option<&Finding>) -> Option<AgentIx> {
    let run = f.and_then(|f| f.run).map(|r| &session.runs[r]);
    let run = run.or(session.runs.iter().next())?;
    run.root.or(run.agents.first().copied())
}

/// The verdicts of `results` (rules that were skipped are not verdicts and are left out).
pub fn verdicts(m: &Mapper, results: &[RuleResult]) -> Vec<Verdict> {
    let s = m.session;
    results
        .iter()
        .filter(|r| r.status != Status::Skip)
        .map(|r| {
            let first = r.findings.first();
            let target = first.and_then(|f| judged(s, f));
            let target = target.or(root(s, first).map(Target::Agent));
            let span = target.map(|t| match t {
                Target::Agent(a) => m.agent_span(a),
                Target::Call(c) => m.call_span(c),
            });
            let (score, severity) = match r.status {
                Status::Pass => (1.0, SeverityNumber::Info),
                Status::Warn => (0.5, SeverityNumber::Warn),
                _ => (0.0, SeverityNumber::Error),
            };
            let explanation = explain(r);
            let attributes = vec![
                kv("gen_ai.evaluation.name", &format!("orchscope.{}", r.id)),
                kv("gen_ai.evaluation.score.label", r.status.as_str()),
                KeyValue {
                    key: "gen_ai.evaluation.score.value".into(),
                    value: Some(AnyValue {
                        value: Some(any_value::Value::DoubleValue(score)),
                    }),
                    ..Default::default()
                },
                kv("gen_ai.evaluation.explanation", &explanation),
            ];
            let ids = span.as_ref().and_then(|sp| {
                Some((
                    sp.trace_id.clone().try_into().ok()?,
                    sp.span_id.clone().try_into().ok()?,
                ))
            });
            Verdict {
                span: ids,
                time: span.map_or(0, |sp| sp.end_time_unix_nano),
                severity,
                attributes,
                explanation,
            }
        })
        .collect()
}

/// The reason and the first findings with their evidence frames.
fn explain(r: &RuleResult) -> String {
    let mut lines: Vec<String> = r.reason.iter().cloned().collect();
    for f in r.findings.iter().take(QUOTED) {
        let frames: Vec<String> = f.frames.iter().map(|p| p.to_string()).collect();
        lines.push(format!(
            "{}: {} (frames {})",
            f.code,
            f.message,
            frames.join(", ")
        ));
    }
    if r.findings.len() > QUOTED {
        let more = r.findings.len() - QUOTED;
        lines.push(format!(
            "and {}",
            crate::core::plural::count(more, "more finding")
        ));
    }
    if lines.is_empty() {
        lines.push(format!("{} {}", r.id, r.status.as_str()));
    }
    lines.join("\n")
}

/// The verdicts as span events, by the span they judge.
pub fn span_events(verdicts: &[Verdict]) -> HashMap<SpanId, Vec<Event>> {
    let mut events: HashMap<SpanId, Vec<Event>> = HashMap::new();
    for v in verdicts {
        if let Some((_, span)) = v.span {
            events.entry(span).or_default().push(Event {
                time_unix_nano: v.time,
                name: EVENT.into(),
                attributes: v.attributes.clone(),
                dropped_attributes_count: 0,
            });
        }
    }
    events
}

/// The verdicts as one OTLP logs request.
pub fn logs_request(verdicts: &[Verdict], source_name: &str) -> ExportLogsServiceRequest {
    let (resource, scope) = resource(source_name);
    let records = verdicts
        .iter()
        .map(|v| LogRecord {
            time_unix_nano: v.time,
            observed_time_unix_nano: v.time,
            severity_number: v.severity as i32,
            severity_text: v
                .severity
                .as_str_name()
                .trim_start_matches("SEVERITY_NUMBER_")
                .into(),
            body: Some(AnyValue {
                value: Some(any_value::Value::StringValue(v.explanation.clone())),
            }),
            attributes: v.attributes.clone(),
            trace_id: v.span.map_or(Vec::new(), |(t, _)| t.to_vec()),
            span_id: v.span.map_or(Vec::new(), |(_, s)| s.to_vec()),
            event_name: EVENT.into(),
            ..Default::default()
        })
        .collect();
    ExportLogsServiceRequest {
        resource_logs: vec![ResourceLogs {
            resource: Some(resource),
            scope_logs: vec![ScopeLogs {
                scope: Some(scope),
                log_records: records,
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}
