//! OTLP/HTTP with protobuf bodies: `POST {base}/v1/traces` and `/v1/logs` over one kept-alive
//! HTTP/1.1 connection (TLS for `https://`), retrying what the OTLP spec calls retryable
//! (429, 502, 503, 504) a few times with a growing pause.

use super::endpoint::{Accepted, Endpoint};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;
use prost::Message;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// How long one request may take, connection included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Tries of a request the collector asked to retry.
const TRIES: u32 = 4;

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// An OTLP/HTTP exporter to one endpoint.
pub struct HttpExporter {
    endpoint: Endpoint,
    conn: Option<SendRequest<Full<Bytes>>>,
}

/// The response fields both signals share: OTLP partial success.
pub trait Partial: Message + Default {
    fn accepted(self) -> Accepted;
}

impl HttpExporter {
    pub fn new(endpoint: Endpoint) -> HttpExporter {
        HttpExporter {
            endpoint,
            conn: None,
        }
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, String> {
        let e = &self.endpoint;
        let tcp = TcpStream::connect((e.host.as_str(), e.port))
            .await
            .map_err(|err| format!("cannot reach the OTLP endpoint {}: {err}", e.url))?;
        let _ = tcp.set_nodelay(true);
        let io: Box<dyn Io> = if e.https {
            let config = crate::source::tls::connector()?;
            let name = rustls::pki_types::ServerName::try_from(e.host.clone())
                .map_err(|_| format!("{} is not a TLS server name", e.host))?;
            let tls = tokio_rustls::TlsConnector::from(config)
                .connect(name, tcp)
                .await
                .map_err(|err| format!("TLS with the OTLP endpoint {} failed: {err}", e.url))?;
            Box::new(tls)
        } else {
            Box::new(tcp)
        };
        let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .map_err(|err| format!("the OTLP endpoint {} does not speak HTTP: {err}", e.url))?;
        tokio::spawn(conn);
        Ok(send)
    }

    /// Sends one request to `/v1/{signal}`; an error is one line, already redacted.
    pub async fn send<R: Partial>(
        &mut self,
        signal: &str,
        body: Vec<u8>,
    ) -> Result<Accepted, String> {
        let body = Bytes::from(body);
        let mut pause = Duration::from_millis(250);
        for attempt in 1..=TRIES {
            let result = tokio::time::timeout(REQUEST_TIMEOUT, self.post(signal, body.clone()))
                .await
                .unwrap_or_else(|_| Err((None, "the OTLP endpoint did not answer in time".into())));
            match result {
                Ok(bytes) => {
                    return Ok(R::decode(bytes).unwrap_or_default().accepted());
                }
                Err((Some(404 | 405), _)) if signal == "logs" => {
                    // Trace-only backends (Langfuse, Phoenix) have no logs endpoint: the
                    // verdicts went as span events too, so this is no failure.
                    return Ok(Accepted {
                        rejected: 0,
                        message: "the endpoint takes no logs; the verdicts went as span events"
                            .into(),
                    });
                }
                Err((Some(status), _)) if retryable(status) && attempt < TRIES => {
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
                Err((_, msg)) => return Err(self.endpoint.redact(&msg)),
            }
        }
        Err("the OTLP endpoint kept asking to retry".into())
    }

    /// One POST; on failure the HTTP status (when there was one) and a message.
    async fn post(&mut self, signal: &str, body: Bytes) -> Result<Bytes, (Option<u16>, String)> {
        let mut send = match self.conn.take() {
            Some(s) if s.is_ready() => s,
            _ => self.connect().await.map_err(|m| (None, m))?,
        };
        let e = &self.endpoint;
        let mut req = hyper::Request::post(e.path(signal))
            .header(hyper::header::HOST, format!("{}:{}", e.host, e.port))
            .header(hyper::header::CONTENT_TYPE, "application/x-protobuf");
        for (k, v) in &e.headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let req = req
            .body(Full::new(body))
            .map_err(|_| (None, "an --otlp-header cannot be sent in HTTP".to_string()))?;
        let resp = send
            .send_request(req)
            .await
            .map_err(|err| (None, format!("the OTLP endpoint {} failed: {err}", e.url)))?;
        let status = resp.status();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .map_err(|err| {
                (
                    None,
                    format!("reading the OTLP endpoint's answer failed: {err}"),
                )
            })?
            .to_bytes();
        if !status.is_success() {
            let text = String::from_utf8_lossy(&bytes);
            let text: String = text.chars().filter(|c| !c.is_control()).take(200).collect();
            let msg = format!(
                "the OTLP endpoint {} refused the export: HTTP {status} {text}",
                e.url
            );
            return Err((Some(status.as_u16()), msg.trim_end().to_string()));
        }
        self.conn = Some(send);
        Ok(bytes)
    }
}

fn retryable(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

impl Partial for opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceResponse {
    fn accepted(self) -> Accepted {
        self.partial_success
            .map_or(Accepted::default(), |p| Accepted {
                rejected: p.rejected_spans,
                message: p.error_message,
            })
    }
}

impl Partial for opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceResponse {
    fn accepted(self) -> Accepted {
        self.partial_success
            .map_or(Accepted::default(), |p| Accepted {
                rejected: p.rejected_log_records,
                message: p.error_message,
            })
    }
}
