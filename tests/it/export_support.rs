//! A test OTLP receiver on 127.0.0.1: an HTTP/1.1 one on a plain `TcpListener` thread that
//! keeps every POST (path, headers, body) and answers 200 with a chosen protobuf body, and a
//! gRPC one with opentelemetry-proto's `TraceService`/`LogsService` servers on tonic. Also the
//! decoding and span-tree helpers the export tests share. (The export bench uses the HTTP one
//! as its discarding sink.)
#![allow(dead_code)]

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
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::logs::v1::LogRecord;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One POST the receiver took.
#[derive(Clone, Debug)]
pub struct Post {
    pub path: String,
    pub head: String,
    pub body: Vec<u8>,
}

/// A running HTTP receiver.
pub struct HttpReceiver {
    pub url: String,
    pub posts: Arc<Mutex<Vec<Post>>>,
}

impl HttpReceiver {
    /// Starts one that answers every POST with `answer` (empty: full success).
    pub fn start(answer: Vec<u8>) -> HttpReceiver {
        HttpReceiver::serving(answer, true)
    }

    /// Starts one that accepts everything and keeps only the count of bytes it read.
    pub fn sink() -> HttpReceiver {
        HttpReceiver::serving(Vec::new(), false)
    }

    fn serving(answer: Vec<u8>, keep: bool) -> HttpReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let posts = Arc::new(Mutex::new(Vec::new()));
        let kept = posts.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let kept = kept.clone();
                let answer = answer.clone();
                std::thread::spawn(move || serve(conn, &kept, &answer, keep));
            }
        });
        HttpReceiver { url, posts }
    }

    pub fn posts(&self) -> Vec<Post> {
        self.posts.lock().expect("lock").clone()
    }

    /// Every span received on /v1/traces, in order.
    pub fn spans(&self) -> Vec<Span> {
        let traces = self
            .posts()
            .into_iter()
            .filter(|p| p.path.ends_with("/v1/traces"));
        traces
            .flat_map(|p| {
                spans_of(&ExportTraceServiceRequest::decode(&p.body[..]).expect("decode"))
            })
            .collect()
    }

    /// Every log record received on /v1/logs.
    pub fn logs(&self) -> Vec<LogRecord> {
        let logs = self
            .posts()
            .into_iter()
            .filter(|p| p.path.ends_with("/v1/logs"));
        logs.flat_map(|p| {
            let req = ExportLogsServiceRequest::decode(&p.body[..]).expect("decode");
            req.resource_logs
                .into_iter()
                .flat_map(|r| r.scope_logs)
                .flat_map(|s| s.log_records)
                .collect::<Vec<_>>()
        })
        .collect()
    }
}

/// Reads requests off one connection until it closes, answering each.
fn serve(conn: TcpStream, posts: &Mutex<Vec<Post>>, answer: &[u8], keep: bool) {
    let mut writer = conn.try_clone().expect("clone");
    let mut reader = BufReader::new(conn);
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line == "\r\n" => break,
                Ok(_) => head.push_str(&line),
            }
        }
        let len = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().to_string())
            })
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
        let body = if keep { body } else { Vec::new() };
        posts.lock().expect("lock").push(Post { path, head, body });
        let reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: {}\r\n\r\n",
            answer.len()
        );
        if writer
            .write_all(reply.as_bytes())
            .and_then(|()| writer.write_all(answer))
            .is_err()
        {
            return;
        }
    }
}

pub fn spans_of(req: &ExportTraceServiceRequest) -> Vec<Span> {
    req.resource_spans
        .iter()
        .flat_map(|r| &r.scope_spans)
        .flat_map(|s| s.spans.clone())
        .collect()
}

/// The string value of an attribute.
pub fn attr<'a>(attrs: &'a [KeyValue], key: &str) -> Option<&'a str> {
    attrs.iter().find(|kv| kv.key == key).and_then(|kv| {
        match kv.value.as_ref()?.value.as_ref()? {
            Value::StringValue(s) => Some(s.as_str()),
            _ => None,
        }
    })
}

/// What the gRPC receiver got.
#[derive(Default)]
pub struct Got {
    pub traces: Mutex<Vec<ExportTraceServiceRequest>>,
    pub metadata: Mutex<Vec<String>>,
    pub logs: Mutex<Vec<ExportLogsServiceRequest>>,
}

#[derive(Clone)]
pub struct GrpcReceiver(pub Arc<Got>);

#[tonic::async_trait]
impl TraceService for GrpcReceiver {
    async fn export(
        &self,
        req: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        self.0
            .metadata
            .lock()
            .expect("lock")
            .push(format!("{:?}", req.metadata()));
        self.0.traces.lock().expect("lock").push(req.into_inner());
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

#[tonic::async_trait]
impl LogsService for GrpcReceiver {
    async fn export(
        &self,
        req: tonic::Request<ExportLogsServiceRequest>,
    ) -> Result<tonic::Response<ExportLogsServiceResponse>, tonic::Status> {
        self.0.logs.lock().expect("lock").push(req.into_inner());
        Ok(tonic::Response::new(ExportLogsServiceResponse::default()))
    }
}

/// Starts the gRPC receiver on the current runtime; its `http://` URL.
pub async fn start_grpc(got: Arc<Got>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let incoming = tonic::transport::server::TcpIncoming::from(listener);
    let recv = GrpcReceiver(got);
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(TraceServiceServer::new(recv.clone()))
            .add_service(LogsServiceServer::new(recv))
            .serve_with_incoming(incoming),
    );
    url
}
