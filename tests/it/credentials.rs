//! S1 for every form of credential: `user:password@` in the URL, token-like query parameters,
//! `--token-file`, a bearer token and header values reach the server but never a recording,
//! stderr or a report — even when a hostile server of our own quotes them back in its close
//! reason. The real binary against a real socket on loopback.
// The handshake callback's error type is fixed by tungstenite.
#![allow(clippy::result_large_err)]

use crate::e2e_support as e2e;

use base64::Engine as _;
use futures_util::SinkExt as _;
use std::path::Path;
use std::sync::mpsc;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "pw-Secret-1";
const QUERY_TOKEN: &str = "qs-Secret-2";
const FILE_TOKEN: &str = "tok-File-3";
const HEADER_VALUE: &str = "hdr-Secret-4";
const SIG: &str = "sig-Secret-5";
const SECRETS: [&str; 5] = [PASSWORD, QUERY_TOKEN, FILE_TOKEN, HEADER_VALUE, SIG];

/// What the server saw of one handshake.
struct Seen {
    uri: String,
    authorization: Option<String>,
    api_key: Option<String>,
}

/// A server that accepts `connections` clients, sends each two frames, then closes with a
/// reason quoting every secret. Returns its port and what it saw.
fn hostile_server(connections: usize) -> (u16, mpsc::Receiver<Seen>) {
    let (port_tx, port_rx) = mpsc::channel();
    let (seen_tx, seen_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let port = listener.local_addr().expect("addr").port();
            port_tx.send(port).expect("port");
            for _ in 0..connections {
                let (tcp, _) = listener.accept().await.expect("accept");
                let seen_tx = seen_tx.clone();
                let callback = move |req: &Request, resp: Response| {
                    let header = |n: &str| {
                        req.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_string)
                    };
                    let _ = seen_tx.send(Seen {
                        uri: req.uri().to_string(),
                        authorization: header("authorization"),
                        api_key: header("x-api-key"),
                    });
                    Ok(resp)
                };
                let mut ws = tokio_tungstenite::accept_hdr_async(tcp, callback)
                    .await
                    .expect("handshake");
                let frame = r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"a"}}"#;
                let _ = ws.send(Message::text(frame)).await;
                let _ = ws.send(Message::text(r#"{"type":"pong"}"#)).await;
                let reason = format!(
                    "rejecting alice:{PASSWORD} token={QUERY_TOKEN} {FILE_TOKEN} {HEADER_VALUE} {SIG}"
                );
                let close = CloseFrame {
                    code: CloseCode::Error,
                    reason: reason.into(),
                };
                let _ = ws.close(Some(close)).await;
            }
        });
    });
    let port = port_rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("port");
    (port, seen_rx)
}

fn url(port: u16) -> String {
    format!("ws://alice:{PASSWORD}@127.0.0.1:{port}/ws?run=7&Token={QUERY_TOKEN}&sig={SIG}")
}

fn assert_clean(what: &str, text: &str) {
    assert_none_of(&SECRETS, what, text);
}

fn assert_none_of(secrets: &[&str], what: &str, text: &str) {
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} in {what}:\n{text}");
    }
}

fn token_file(dir: &Path) -> String {
    let path = dir.join("token");
    std::fs::write(&path, format!("  {FILE_TOKEN}\n")).expect("write");
    path.to_str().expect("utf-8").to_string()
}

#[test]
fn record_uses_every_credential_and_shows_none() {
    let (port, seen) = hostile_server(2);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("rec.jsonl");
    let header = format!("X-Api-Key: {HEADER_VALUE}");
    let out_arg = out.to_str().expect("utf-8").to_string();
    let tf = token_file(dir.path());
    let args = [
        "record",
        &url(port),
        "-o",
        &out_arg,
        "--token-file",
        &tf,
        "--header",
        &header,
        "--no-reconnect",
        "--until-idle",
        "0.3",
        "--timeout",
        "20",
    ];
    let run = e2e::run(&args.map(String::from));
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert_clean("stderr", &stderr);
    assert!(stderr.contains("ws://alice:••••@127.0.0.1"), "{stderr}");
    let recording = std::fs::read_to_string(&out).expect("recording");
    assert_clean("the recording", &recording);
    assert!(recording.contains("Token=••••") && recording.contains("rejecting"));

    let used = seen.recv().expect("handshake seen");
    assert!(
        used.uri.contains(&format!("Token={QUERY_TOKEN}")),
        "{}",
        used.uri
    );
    assert_eq!(used.authorization, Some(format!("Bearer {FILE_TOKEN}")));
    assert_eq!(used.api_key.as_deref(), Some(HEADER_VALUE));

    // Without a token, the URL's user:password is sent as Basic credentials.
    let report = e2e::run(
        &[
            "validate",
            &url(port),
            "--format",
            "json",
            "--no-reconnect",
            "--until-idle",
            "0.3",
            "--timeout",
            "20",
        ]
        .map(String::from),
    );
    let used = seen.recv().expect("handshake seen");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("alice:{PASSWORD}"));
    assert_eq!(used.authorization, Some(format!("Basic {basic}")));
    // This run was given no token or header: only what the URL carries is its to hide.
    let url_secrets = [PASSWORD, QUERY_TOKEN, SIG];
    let shown = String::from_utf8_lossy(&report.stdout);
    assert_none_of(&url_secrets, "the report", &shown);
    assert!(shown.contains("alice:••••@"), "{shown}");
    assert_none_of(
        &url_secrets,
        "stderr",
        &String::from_utf8_lossy(&report.stderr),
    );
}

#[test]
fn mistakes_never_quote_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.jsonl");
    let out = out.to_str().expect("utf-8");
    let bad = format!("http://alice:{PASSWORD}@h/ws?api_key={QUERY_TOKEN}");
    for args in [
        vec!["record", bad.as_str(), "-o", out],
        vec!["validate", bad.as_str()],
        vec!["summary", bad.as_str()],
    ] {
        let run = e2e::run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let stderr = String::from_utf8_lossy(&run.stderr).to_string();
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_clean("stderr", &stderr);
    }
}

#[test]
fn a_token_file_that_is_missing_or_empty_is_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty");
    std::fs::write(&empty, " \n").expect("write");
    let out = dir.path().join("x.jsonl");
    for file in [empty, dir.path().join("missing")] {
        let args = [
            "record",
            "ws://127.0.0.1:9/ws",
            "-o",
            out.to_str().expect("utf-8"),
            "--token-file",
            file.to_str().expect("utf-8"),
        ];
        let run = e2e::run(&args.map(String::from));
        let stderr = String::from_utf8_lossy(&run.stderr).to_string();
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("token file"), "{stderr}");
        assert!(!out.exists(), "nothing recorded");
    }
}
