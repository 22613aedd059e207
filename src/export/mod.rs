//! Export to the OpenTelemetry pipeline: a session as OTLP traces under the GenAI semantic
//! conventions (`spans`, `ids`), validator verdicts as evaluation results (`evaluation`), and
//! the two ways to send them (`otlp_http`, `otlp_grpc`). The mapping is pure; only the
//! senders touch the network.

pub mod endpoint;
pub mod evaluation;
pub mod ids;
pub mod otlp_grpc;
pub mod otlp_http;
pub mod spans;
mod usage;

use crate::core::intern::Interner;
use crate::core::session::Session;
use crate::core::validate::RuleResult;
use endpoint::{Accepted, Endpoint};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use prost::Message as _;

/// The default port of OTLP/HTTP.
pub const HTTP_PORT: u16 = 4318;
/// The default port of OTLP/gRPC.
pub const GRPC_PORT: u16 = 4317;

/// A connected exporter of either transport.
pub enum Exporter {
    Http(otlp_http::HttpExporter),
    Grpc(otlp_grpc::GrpcExporter),
}

impl Exporter {
    /// An exporter to `endpoint` over OTLP/HTTP, or over gRPC when `grpc`.
    pub async fn new(endpoint: Endpoint, grpc: bool) -> Result<Exporter, String> {
        Ok(if grpc {
            Exporter::Grpc(otlp_grpc::GrpcExporter::connect(endpoint).await?)
        } else {
            Exporter::Http(otlp_http::HttpExporter::new(endpoint))
        })
    }

    async fn traces(&mut self, req: ExportTraceServiceRequest) -> Result<Accepted, String> {
        match self {
            Exporter::Http(h) => {
                h.send::<ExportTraceServiceResponse>("traces", req.encode_to_vec())
                    .await
            }
            Exporter::Grpc(g) => g.traces(req).await,
        }
    }

    async fn logs(&mut self, req: ExportLogsServiceRequest) -> Result<Accepted, String> {
        match self {
            Exporter::Http(h) => {
                h.send::<ExportLogsServiceResponse>("logs", req.encode_to_vec())
                    .await
            }
            Exporter::Grpc(g) => g.logs(req).await,
        }
    }
}

/// What one export sent and what the collector rejected of it.
#[derive(Debug, Default)]
pub struct Outcome {
    pub spans: u64,
    pub logs: u64,
    pub rejected: i64,
    /// The collector's messages about what it rejected.
    pub messages: Vec<String>,
}

impl Outcome {
    fn add(&mut self, a: Accepted) {
        self.rejected += a.rejected;
        if !a.message.is_empty() && !self.messages.contains(&a.message) {
            self.messages.push(a.message);
        }
    }
}

/// One session to export: what it is and where it came from.
pub struct Export<'a> {
    pub session: &'a Session,
    pub interner: &'a Interner,
    /// The key the trace ids are derived from (the recording's canonical path).
    pub key: &'a str,
    /// The name the resource carries (the recording's file name).
    pub name: &'a str,
    /// The verdicts to send as evaluation results too, if any.
    pub verdicts: Option<&'a [RuleResult]>,
}

/// Sends the session's spans in bounded batches, then the verdicts as log records.
pub async fn send(x: &Export<'_>, exporter: &mut Exporter) -> Result<Outcome, String> {
    let ids = ids::Ids::new(x.session, x.interner, x.key);
    let mut mapper = spans::Mapper {
        session: x.session,
        interner: x.interner,
        ids: &ids,
        events: Default::default(),
    };
    let verdicts = x.verdicts.map(|r| evaluation::verdicts(&mapper, r));
    if let Some(v) = &verdicts {
        mapper.events = evaluation::span_events(v);
    }
    let mut out = Outcome::default();
    for req in spans::requests(mapper.spans(), x.name) {
        let n: usize = req
            .resource_spans
            .iter()
            .flat_map(|r| &r.scope_spans)
            .map(|s| s.spans.len())
            .sum();
        out.add(exporter.traces(req).await?);
        out.spans += n as u64;
    }
    if let Some(v) = verdicts.filter(|v| !v.is_empty()) {
        out.add(exporter.logs(evaluation::logs_request(&v, x.name)).await?);
        out.logs = v.len() as u64;
    }
    Ok(out)
}
