//! Quality S2 through the real binary, for text from a server: a hostile WebSocket server of
//! the test's own on 127.0.0.1 closes with a reason holding a title change, an OSC 52
//! clipboard write and C1 controls, or answers the upgrade with a plain HTTP reply full of
//! them; `record`'s stderr (progress and the final error) shows them escaped and never raw,
//! while a plain close reason is shown as it is.

use crate::support;

use futures_util::SinkExt;
use std::process::{Command, Output};
use support::{accept, listener};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

const HOSTILE_REASON: &str = "bye\u{1b}]0;pwned\u{7}\u{1b}]52;c;aGVsbG8=\u{7}\u{9b}2J";
const FRAME: &str = r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}"#;

/// `record URL` with no reconnect and a generous time-out, off the async threads.
async fn record(url: String) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("out.jsonl");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_orchscope"))
            .args(["record", &url, "--no-reconnect", "--timeout", "20"])
            .args(["--until-idle", "0.2", "-o"])
            .arg(&file)
            .env_remove("ORCHSCOPE_TOKEN")
            .output()
            .expect("run orchscope")
    })
    .await
    .expect("join");
    (out, dir)
}

fn assert_inert(text: &str) {
    let raw = text
        .chars()
        .find(|&c| (c < ' ' && c != '\n') || c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c));
    assert!(raw.is_none(), "raw {raw:?} on stderr: {text:?}");
}

/// A server that sends `frames` frames, then closes with `reason`.
async fn closing_server(frames: usize, reason: &'static str) -> (Output, tempfile::TempDir) {
    let (l, url) = listener().await;
    let server = tokio::spawn(async move {
        let mut conn = accept(&l).await;
        for _ in 0..frames {
            conn.send(FRAME).await;
        }
        let close = CloseFrame {
            code: CloseCode::Library(4000),
            reason: reason.into(),
        };
        let _ = conn.ws.send(Message::Close(Some(close))).await;
        let _ = conn.ws.close(None).await;
    });
    let result = record(url).await;
    server.abort();
    result
}

/// `record`'s stderr against [`closing_server`], checked inert, after exit code `status`.
async fn stderr_after_close(frames: usize, reason: &'static str, status: i32) -> String {
    let (out, _dir) = closing_server(frames, reason).await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(status), "{err}");
    assert_inert(&err);
    err
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_close_reason_is_shown_escaped() {
    let err = stderr_after_close(1, HOSTILE_REASON, 0).await;
    assert!(
        err.contains("bye␛]0;pwned␇␛]52;c;aGVsbG8=␇\\u{9b}2J"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_close_before_any_frame_is_one_escaped_error() {
    let err = stderr_after_close(0, HOSTILE_REASON, 2).await;
    let last = err.lines().last().unwrap_or_default();
    assert!(last.contains("no frame was received"), "{err}");
    assert!(last.contains("bye␛]0;pwned␇"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_close_reason_is_shown_as_it_is() {
    let err = stderr_after_close(1, "maintenance – back soon", 0).await;
    assert!(
        err.contains("closed by the server (4000: maintenance – back soon)"),
        "{err}"
    );
}

/// `record` against a server that answers the upgrade with `status` (a status line and maybe
/// headers) and a hostile body; its stderr, checked inert after exit code 2.
async fn stderr_after_http(status: &'static str) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("ws://{}/ws", l.local_addr().expect("addr"));
    let server = tokio::spawn(async move {
        while let Ok((mut tcp, _)) = l.accept().await {
            let mut request = vec![0u8; 4096];
            let _ = tcp.read(&mut request).await;
            let body = "denied\u{1b}]0;pwned\u{7}\u{9b}2J";
            let reply = format!("{status}\r\nContent-Length: {}\r\n\r\n{body}", body.len());
            let _ = tcp.write_all(reply.as_bytes()).await;
            let _ = tcp.shutdown().await;
        }
    });
    let (out, _dir) = record(url).await;
    server.abort();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_inert(&err);
    err
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_http_reply_is_never_shown_raw() {
    let err = stderr_after_http("HTTP/1.1 403 Forbidden").await;
    assert!(err.contains("server answered HTTP 403"), "{err}");
    stderr_after_http("HTTP/1.1 403 No\u{1b}[2J\u{9b}2J\r\nX-Why: \u{1b}]0;x\u{7}").await;
}
