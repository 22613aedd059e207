//! `serve` left running under attack, over real loopback sockets and the real binary: an
//! empty token or a speed out of range is a mistake (exit 2, one line), idle and slow-header
//! sockets cannot lock real clients out, plain HTTP gets `426`/`400`, the `Bearer` scheme is
//! matched in any case, a client's unfinished run is never played to the next client, and one
//! log line per connection and per refusal, without the token.

use crate::demo_support as support;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use orchscope::demo::Scenario;
use support::*;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

const SECRET: &str = "door-S3cret-9931";

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_orchscope"));
    c.env_remove("ORCHSCOPE_TOKEN");
    c
}

/// Runs `orchscope ARGS` expecting a one-line mistake: exit 2 and one stderr line.
fn mistake(args: &[&str], env: Option<(&str, &str)>) -> String {
    let mut c = bin();
    c.args(args);
    if let Some((k, v)) = env {
        c.env(k, v);
    }
    let out = c.output().expect("run orchscope");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    stderr
}

#[test]
fn empty_token_and_speed_out_of_range_are_mistakes() {
    let s = mistake(&["serve", "--addr", "127.0.0.1:0", "--token", ""], None);
    assert!(s.contains("empty"), "{s}");
    mistake(&["serve", "--addr", "127.0.0.1:0", "--token", "  "], None);
    mistake(
        &["serve", "--addr", "127.0.0.1:0"],
        Some(("ORCHSCOPE_TOKEN", "")),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n  \n").expect("write");
    let e = empty.to_str().expect("utf-8");
    assert!(mistake(&["serve", "--token-file", e], None).contains("empty"));
    let missing = dir
        .path()
        .join("missing")
        .to_str()
        .expect("utf-8")
        .to_owned();
    mistake(&["serve", "--token-file", &missing], None);
    for speed in ["1e-300", "0", "-1", "NaN", "inf", "1001"] {
        let flag = format!("--speed={speed}");
        let s = mistake(&["serve", "--addr", "127.0.0.1:0", &flag], None);
        assert!(s.contains("--speed"), "{s}");
        mistake(&["demo", "--no-record", &flag], None);
    }
}

/// A running `orchscope serve`; killed (by its own id) when dropped.
struct Serve {
    child: Child,
    url: String,
}

impl Serve {
    fn start(extra: &[&str], env: Option<(&str, &str)>) -> Serve {
        let mut c = bin();
        c.args(["serve", "--addr", "127.0.0.1:0", "--speed", "1000"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some((k, v)) = env {
            c.env(k, v);
        }
        let mut child = c.spawn().expect("spawn serve");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("url line");
        let url = line.trim().rsplit(' ').next().expect("url").to_string();
        assert!(url.starts_with("ws://127.0.0.1:"), "{line}");
        Serve { child, url }
    }

    /// Stops the server and returns what it logged.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut log = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut log);
        }
        log
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn addr_of(url: &str) -> String {
    url.trim_start_matches("ws://")
        .trim_end_matches("/ws")
        .to_string()
}

/// Sends `request` raw and returns the status line of the reply.
fn raw_http(addr: &str, request: &str) -> String {
    let mut tcp = std::net::TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    tcp.write_all(request.as_bytes()).expect("write");
    let mut reply = String::new();
    let _ = tcp.read_to_string(&mut reply);
    reply.lines().next().unwrap_or_default().to_string()
}

#[test]
fn plain_http_gets_a_reply_and_every_connection_is_logged_without_the_token() {
    let serve = Serve::start(&[], Some(("ORCHSCOPE_TOKEN", SECRET)));
    let addr = addr_of(&serve.url);
    let get = format!("GET /ws HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    assert_eq!(raw_http(&addr, &get), "HTTP/1.1 426 Upgrade Required");
    assert_eq!(
        raw_http(&addr, "NONSENSE\u{1b}]0;x\u{7}\r\n\r\n"),
        "HTTP/1.1 400 Bad Request"
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let mut r = serve.url.as_str().into_client_request().expect("request");
        let bearer = format!("Bearer {SECRET}");
        r.headers_mut()
            .insert("authorization", bearer.parse().expect("header"));
        let (mut ws, _) = tokio_tungstenite::connect_async(r).await.expect("ws");
        let first = tokio::time::timeout(LIMIT, ws.next())
            .await
            .expect("greeting");
        assert!(matches!(first, Some(Ok(Message::Text(_)))));
        assert_eq!(
            close_with(&serve.url, Some("Bearer wrong")).await,
            Some(CloseCode::Policy)
        );
    });
    let log = serve.stop();
    assert!(!log.contains(SECRET), "{log}");
    assert!(!log.contains('\u{1b}'), "{log}");
    assert!(log.contains("(426)") && log.contains("(400)"), "{log}");
    assert_eq!(log.matches(" connected").count(), 1, "{log}");
    assert!(log.contains("no valid token"), "{log}");
}

/// The close code a client gets with `authorization` (None: it got a text frame instead).
async fn close_with(url: &str, authorization: Option<&str>) -> Option<CloseCode> {
    let mut r = url.into_client_request().expect("request");
    if let Some(a) = authorization {
        r.headers_mut()
            .insert("authorization", a.parse().expect("header"));
    }
    close_code(r).await
}

#[tokio::test]
async fn the_bearer_scheme_is_matched_in_any_case() {
    let mut c = config(Scenario::Simple, &[]);
    c.token = Some(SECRET.into());
    let server = start(c).await;
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let value = format!("{scheme} {SECRET}");
        assert_eq!(
            close_with(&server.url, Some(&value)).await,
            None,
            "{scheme}"
        );
    }
    for wrong in [
        format!("Basic {SECRET}"),
        format!("Bearer{SECRET}"),
        "bearer x".into(),
    ] {
        assert_eq!(
            close_with(&server.url, Some(&wrong)).await,
            Some(CloseCode::Policy),
            "{wrong}"
        );
    }
}

#[tokio::test]
async fn idle_sockets_beyond_every_cap_do_not_lock_out_a_real_client() {
    let server = start(config(Scenario::Simple, &[])).await;
    let addr = addr_of(&server.url);
    let mut idle = Vec::new();
    for _ in 0..150 {
        idle.push(TcpStream::connect(&addr).await.expect("idle socket"));
    }
    // Half of them send half a request head and stall (slow headers).
    for s in idle.iter_mut().step_by(2) {
        let _ = s.write_all(b"GET /ws HTTP/1.1\r\nHost: x\r\n").await;
    }
    let mut ws = connect(&server.url).await;
    ws.send(Message::text(message("hello", None)))
        .await
        .expect("send");
    let mut seen = Seen::default();
    read_quiet(&mut ws, &mut seen).await;
    assert!(seen.texts.len() > 2, "served: {:?}", seen.texts);
    // The oldest idle sockets were let go to make room.
    let mut buf = [0u8; 16];
    let first = tokio::time::timeout(LIMIT, idle[0].read(&mut buf)).await;
    assert!(
        matches!(first, Ok(Ok(0)) | Ok(Err(_))),
        "evicted socket closed"
    );
}

#[tokio::test]
async fn a_slow_header_socket_is_closed_by_the_deadline() {
    let server = start(config(Scenario::Simple, &[])).await;
    let mut s = TcpStream::connect(addr_of(&server.url)).await.expect("tcp");
    s.write_all(b"GET /ws HTTP/1.1\r\n").await.expect("write");
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(30), s.read(&mut buf)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "closed within 30 s");
}

#[tokio::test]
async fn a_departed_clients_run_is_not_played_to_the_next_client() {
    // Wall clock at speed 1: ml-cost takes seconds, so the first client leaves mid-run.
    let mut c = config(Scenario::MlCost, &[]);
    c.fixed_start = None;
    c.speed = 1.0;
    let server = start(c).await;
    let mut first = connect(&server.url).await;
    first
        .send(Message::text(message(
            "Analyze our ML training costs",
            None,
        )))
        .await
        .expect("send");
    let mut seen = Seen::default();
    while seen.texts.len() < 3 {
        match tokio::time::timeout(LIMIT, first.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => seen.texts.push(t.to_string()),
            Ok(Some(Ok(_))) => {}
            other => panic!("first client: {other:?}"),
        }
    }
    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut second = connect(&server.url).await;
    let mut later = Seen::default();
    for _ in 0..5 {
        read_quiet(&mut second, &mut later).await;
    }
    let frames = parse(&later.texts);
    assert_eq!(frames.len(), 1, "only the greeting: {:?}", later.texts);
    assert_eq!(kind(&frames[0]), "connection_established");
}

#[tokio::test]
async fn past_the_session_cap_a_client_is_told_503_and_a_freed_slot_serves_again() {
    let server = start(config(Scenario::Simple, &[])).await;
    let mut sessions = Vec::new();
    for _ in 0..64 {
        sessions.push(connect(&server.url).await);
    }
    let refused = tokio::time::timeout(LIMIT, tokio_tungstenite::connect_async(&server.url))
        .await
        .expect("answered in time");
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => {
            assert_eq!(resp.status().as_u16(), 503)
        }
        other => panic!("expected 503, got {:?}", other.map(|_| ())),
    }
    drop(sessions.pop());
    // The slot comes back once the server has seen that client go.
    let served = async {
        loop {
            if tokio_tungstenite::connect_async(&server.url).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(LIMIT, served)
        .await
        .expect("served again");
}
