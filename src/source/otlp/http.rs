//! The OTLP/HTTP side of the receiver: `POST /v1/traces` (and `/v1/logs`, taken and not
//! read), protobuf or JSON, gzip or not, with the bearer token checked; each traces request is
//! offered to the intake and answered in its own encoding. Every refusal is a status with one
//! line saying why.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_ENCODING, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use prost::Message as _;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, Semaphore};

use super::body::{gunzip, traces_json, Encoding};
use super::intake::{offer, response, Offer, Refused};
use super::{MAX_BODY, MAX_CONNECTIONS};

struct Ctx {
    token: Option<String>,
    offers: mpsc::Sender<Offer>,
}

type Answer = Response<Full<Bytes>>;

/// Serves OTLP/HTTP on `listener` until aborted, [`MAX_CONNECTIONS`] connections at a time.
pub(super) async fn serve(
    listener: TcpListener,
    token: Option<String>,
    offers: mpsc::Sender<Offer>,
) {
    let ctx = Arc::new(Ctx { token, offers });
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of descriptors, say: wait instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let ctx = ctx.clone();
                async move { Ok::<_, Infallible>(answer(req, &ctx).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

async fn answer(req: Request<Incoming>, ctx: &Ctx) -> Answer {
    match take(req, ctx).await {
        Ok(answer) => answer,
        Err((status, why)) => plain(status, &why),
    }
}

type Failed = (StatusCode, String);

async fn take(req: Request<Incoming>, ctx: &Ctx) -> Result<Answer, Failed> {
    let traces = match req.uri().path() {
        "/v1/traces" => true,
        "/v1/logs" => false,
        other => {
            return Err((
                StatusCode::NOT_FOUND,
                format!("{other}: an OTLP receiver takes POST /v1/traces and /v1/logs"),
            ))
        }
    };
    if req.method() != Method::POST {
        return Err((StatusCode::METHOD_NOT_ALLOWED, "use POST".into()));
    }
    if let Some(token) = &ctx.token {
        let given = req.headers().get(hyper::header::AUTHORIZATION);
        if given.and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {token}")) {
            let mut a = plain(StatusCode::UNAUTHORIZED, "a valid bearer token is required");
            a.headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return Ok(a);
        }
    }
    let (encoding, bytes) = body_of(req).await?;
    if !traces {
        // Logs are accepted so that one exporter can send both; the spans carry the session.
        return Ok(encoded(encoding, Vec::new(), "{}".into()));
    }
    let json = traces_json(bytes, encoding).map_err(|e| (StatusCode::BAD_REQUEST, e))?;
    match offer(&ctx.offers, json).await {
        Ok(taken) => {
            let r = response(taken);
            let json = serde_json::to_string(&r).unwrap_or_else(|_| "{}".into());
            Ok(encoded(encoding, r.encode_to_vec(), json))
        }
        Err(Refused::Bad(why)) => Err((StatusCode::BAD_REQUEST, why)),
        Err(Refused::Busy) => {
            let mut a = plain(StatusCode::SERVICE_UNAVAILABLE, "busy: retry later");
            a.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("1"));
            Ok(a)
        }
    }
}

/// The request's body, gzip undone, and its encoding.
async fn body_of(req: Request<Incoming>) -> Result<(Encoding, Vec<u8>), Failed> {
    let header = |name| {
        req.headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let encoding = Encoding::of(header(CONTENT_TYPE).unwrap_or("")).ok_or((
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "send application/x-protobuf or application/json".to_string(),
    ))?;
    let gzip = match header(CONTENT_ENCODING)
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None | Some("identity") => false,
        Some("gzip") => true,
        Some(_) => {
            return Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the body may be gzip or not compressed".into(),
            ))
        }
    };
    let too_big = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is over {} MiB", MAX_BODY >> 20),
        )
    };
    let bytes = Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|_| too_big())?
        .to_bytes()
        .to_vec();
    let bytes = if gzip {
        gunzip(&bytes).map_err(|e| (StatusCode::BAD_REQUEST, e))?
    } else {
        bytes
    };
    Ok((encoding, bytes))
}

/// A success answer in the request's encoding.
fn encoded(encoding: Encoding, protobuf: Vec<u8>, json: String) -> Answer {
    let body = match encoding {
        Encoding::Protobuf => protobuf,
        Encoding::Json => json.into_bytes(),
    };
    let mut a = Response::new(Full::new(Bytes::from(body)));
    a.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static(encoding.content_type()),
    );
    a
}

fn plain(status: StatusCode, why: &str) -> Answer {
    let mut a = Response::new(Full::new(Bytes::from(format!("{why}\n"))));
    *a.status_mut() = status;
    a.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    a
}
