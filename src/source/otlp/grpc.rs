//! The OTLP gRPC side of the receiver: the `TraceService` and `LogsService` of the
//! OpenTelemetry protocol (logs taken and not read), gzip accepted, the bearer token checked
//! in the `authorization` metadata; each export is offered to the intake.

use opentelemetry_proto::tonic::collector::logs::v1::logs_service_server::{
    LogsService, LogsServiceServer,
};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tonic::codec::CompressionEncoding;
use tonic::{Request, Response, Status};

use super::body::request_json;
use super::intake::{offer, response, Offer, Refused};
use super::{MAX_BODY, MAX_CONNECTIONS};

#[derive(Clone)]
struct Receiver {
    token: Option<String>,
    offers: mpsc::Sender<Offer>,
}

impl Receiver {
    fn check<T>(&self, req: &Request<T>) -> Result<(), Status> {
        let Some(token) = &self.token else {
            return Ok(());
        };
        let given = req
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if given == Some(&format!("Bearer {token}")) {
            Ok(())
        } else {
            Err(Status::unauthenticated("a valid bearer token is required"))
        }
    }
}

#[tonic::async_trait]
impl TraceService for Receiver {
    async fn export(
        &self,
        req: Request<ExportTraceServiceRequest>,
    ) -> Result<Response<ExportTraceServiceResponse>, Status> {
        self.check(&req)?;
        let json = request_json(req.get_ref()).map_err(Status::invalid_argument)?;
        match offer(&self.offers, json).await {
            Ok(taken) => Ok(Response::new(response(taken))),
            Err(Refused::Bad(why)) => Err(Status::invalid_argument(why)),
            Err(Refused::Busy) => Err(Status::unavailable("busy: retry later")),
        }
    }
}

#[tonic::async_trait]
impl LogsService for Receiver {
    async fn export(
        &self,
        req: Request<ExportLogsServiceRequest>,
    ) -> Result<Response<ExportLogsServiceResponse>, Status> {
        // Logs are accepted so that one exporter can send both; the spans carry the session.
        self.check(&req)?;
        Ok(Response::new(ExportLogsServiceResponse::default()))
    }
}

/// Serves OTLP gRPC on `listener` until aborted.
pub(super) async fn serve(
    listener: TcpListener,
    token: Option<String>,
    offers: mpsc::Sender<Offer>,
) {
    let receiver = Receiver { token, offers };
    let traces = TraceServiceServer::new(receiver.clone())
        .accept_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(MAX_BODY);
    let logs = LogsServiceServer::new(receiver)
        .accept_compressed(CompressionEncoding::Gzip)
        .max_decoding_message_size(MAX_BODY);
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    let _ = tonic::transport::Server::builder()
        .concurrency_limit_per_connection(MAX_CONNECTIONS)
        .add_service(traces)
        .add_service(logs)
        .serve_with_incoming(incoming)
        .await;
}
