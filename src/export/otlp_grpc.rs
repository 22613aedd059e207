//! OTLP over gRPC: the `TraceService` and `LogsService` clients of opentelemetry-proto on one
//! tonic channel, the `--otlp-header` pairs sent as request metadata.

use super::endpoint::{Accepted, Endpoint};
use super::otlp_http::Partial as _;
use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use std::time::Duration;
use tonic::metadata::{MetadataKey, MetadataValue};
use tonic::transport::Channel;

/// An OTLP/gRPC exporter to one endpoint.
pub struct GrpcExporter {
    endpoint: Endpoint,
    channel: Channel,
}

impl GrpcExporter {
    /// Connects; an unreachable endpoint is one line.
    pub async fn connect(endpoint: Endpoint) -> Result<GrpcExporter, String> {
        if endpoint.https {
            return Err(
                "--otlp-grpc speaks plain-text gRPC only; for TLS use --otlp https://HOST:4318"
                    .into(),
            );
        }
        let url = format!("http://{}:{}", endpoint.host, endpoint.port);
        let channel = tonic::transport::Endpoint::from_shared(url)
            .map_err(|_| "the OTLP gRPC endpoint is not a URL".to_string())?
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .connect()
            .await
            .map_err(|e| {
                endpoint.redact(&format!(
                    "cannot reach the OTLP endpoint {}: {}",
                    endpoint.url,
                    source(&e)
                ))
            })?;
        Ok(GrpcExporter { endpoint, channel })
    }

    fn request<T>(&self, message: T) -> Result<tonic::Request<T>, String> {
        let mut req = tonic::Request::new(message);
        for (k, v) in &self.endpoint.headers {
            let key = MetadataKey::from_bytes(k.to_ascii_lowercase().as_bytes())
                .map_err(|_| format!("--otlp-header {k:?} is not a gRPC metadata name"))?;
            let value = MetadataValue::try_from(v.as_str())
                .map_err(|_| format!("the value of --otlp-header {k:?} cannot be sent in gRPC"))?;
            req.metadata_mut().insert(key, value);
        }
        Ok(req)
    }

    fn refused(&self, status: &tonic::Status) -> String {
        self.endpoint.redact(&format!(
            "the OTLP endpoint {} refused the export: {:?} {}",
            self.endpoint.url,
            status.code(),
            status.message()
        ))
    }

    pub async fn traces(&mut self, req: ExportTraceServiceRequest) -> Result<Accepted, String> {
        let req = self.request(req)?;
        let mut client = TraceServiceClient::new(self.channel.clone());
        match client.export(req).await {
            Ok(resp) => Ok(resp.into_inner().accepted()),
            Err(status) => Err(self.refused(&status)),
        }
    }

    pub async fn logs(&mut self, req: ExportLogsServiceRequest) -> Result<Accepted, String> {
        let req = self.request(req)?;
        let mut client = LogsServiceClient::new(self.channel.clone());
        match client.export(req).await {
            Ok(resp) => Ok(resp.into_inner().accepted()),
            Err(status) => Err(self.refused(&status)),
        }
    }
}

/// The innermost cause of a connection error (tonic's own text is only "transport error").
fn source(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}
