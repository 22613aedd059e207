//! Test client for the demo server: start a server on loopback at high speed, play a
//! session (send the requests a scenario needs, read until the server goes quiet) and
//! inspect the frames. Every wait is bounded so a test never hangs.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use orchscope::demo::{requests_for, DemoConfig, DemoServer, Dialect, Fault, Scenario};
use serde_json::{json, Value};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

pub const START: i64 = 1_790_000_000_000;
/// Real time without a frame after which a request's work is taken as done.
pub const QUIET: Duration = Duration::from_millis(400);
pub const LIMIT: Duration = Duration::from_secs(30);

pub fn config(scenario: Scenario, faults: &[Fault]) -> DemoConfig {
    let mut c = DemoConfig::new("127.0.0.1:0".parse().expect("addr"));
    c.scenario = scenario;
    c.faults = faults.to_vec();
    c.speed = 1000.0;
    c.seed = 7;
    c.fixed_start = Some(START);
    c
}

pub fn with_dialect(mut c: DemoConfig, dialect: Dialect) -> DemoConfig {
    c.dialect = dialect;
    c
}

pub struct Running {
    pub url: String,
    task: JoinHandle<std::io::Result<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start(config: DemoConfig) -> Running {
    let server = DemoServer::bind(config).await.expect("bind");
    let url = server.url();
    let task = tokio::spawn(server.run());
    Running { url, task }
}

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(url: &str) -> Ws {
    let (ws, _) = tokio::time::timeout(LIMIT, tokio_tungstenite::connect_async(url))
        .await
        .expect("connect in time")
        .expect("connect");
    ws
}

/// What reading until quiet saw.
#[derive(Default)]
pub struct Seen {
    pub texts: Vec<String>,
    /// The connection ended (dropped or closed) while reading.
    pub ended: bool,
}

/// Read text frames until `QUIET` passes without one or the connection ends.
pub async fn read_quiet(ws: &mut Ws, seen: &mut Seen) {
    loop {
        match tokio::time::timeout(QUIET, ws.next()).await {
            Err(_) => return,
            Ok(Some(Ok(Message::Text(t)))) => seen.texts.push(t.to_string()),
            Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => {
                seen.ended = true;
                return;
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

pub fn message(content: &str, thread: Option<&str>) -> String {
    match thread {
        Some(t) => json!({"type": "user_message", "payload": {"content": content, "thread_id": t}}),
        None => json!({"type": "user_message", "payload": {"content": content}}),
    }
    .to_string()
}

/// The first thread id seen in the frames.
pub fn thread_of(texts: &[String]) -> Option<String> {
    texts.iter().find_map(|t| {
        let v: Value = serde_json::from_str(t).ok()?;
        field(&v, "thread_id")
            .and_then(Value::as_str)
            .map(str::to_string)
    })
}

/// Play `scenario`'s requests on one connection; the frames received (greeting included).
pub async fn session(url: &str, scenario: Scenario) -> Seen {
    let run = async {
        let mut ws = connect(url).await;
        let mut seen = Seen::default();
        for (i, text) in requests_for(scenario).iter().enumerate() {
            let thread = if i == 0 { None } else { thread_of(&seen.texts) };
            ws.send(Message::text(message(text, thread.as_deref())))
                .await
                .expect("send");
            read_quiet(&mut ws, &mut seen).await;
        }
        seen
    };
    tokio::time::timeout(LIMIT, run)
        .await
        .expect("session in time")
}

pub fn parse(texts: &[String]) -> Vec<Value> {
    texts
        .iter()
        .filter_map(|t| serde_json::from_str(t).ok())
        .collect()
}

/// Field lookup: payload, then data, then top level.
pub fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.get("payload")
        .and_then(|p| p.get(key))
        .or_else(|| v.get("data").and_then(|d| d.get(key)))
        .or_else(|| v.get(key))
}

pub fn kind(v: &Value) -> &str {
    v.get("type").and_then(Value::as_str).unwrap_or("")
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    field(v, key).and_then(Value::as_str).unwrap_or("")
}

/// Run events only (frames with a run id).
pub fn events(frames: &[Value]) -> Vec<&Value> {
    frames
        .iter()
        .filter(|v| field(v, "run_id").is_some())
        .collect()
}

pub fn of_kind<'a>(frames: &'a [Value], k: &str) -> Vec<&'a Value> {
    frames.iter().filter(|v| kind(v) == k).collect()
}

pub fn millis(v: &Value) -> i64 {
    let ts = v
        .get("timestamp")
        .and_then(Value::as_str)
        .expect("timestamp");
    chrono::DateTime::parse_from_rfc3339(ts)
        .expect("rfc3339")
        .timestamp_millis()
}

/// Per run: (first, last) producer time and the largest gap between its frames.
pub fn timings(frames: &[Value]) -> HashMap<String, (i64, i64, i64)> {
    let mut out: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for v in events(frames) {
        let t = millis(v);
        let e = out.entry(s(v, "run_id").to_string()).or_insert((t, t, 0));
        e.2 = e.2.max(t - e.1);
        e.1 = t;
    }
    out
}

/// Tool call ids started and completed.
pub fn tool_ids(frames: &[Value]) -> (Vec<String>, Vec<String>) {
    let ids = |k: &str| {
        of_kind(frames, k)
            .iter()
            .map(|v| format!("{}:{}", s(v, "run_id"), s(v, "tool_call_id")))
            .collect()
    };
    (ids("tool_executing"), ids("tool_completed"))
}

pub fn marks(frames: &[Value]) -> Vec<String> {
    frames
        .iter()
        .filter(|v| kind(v) == "system_message")
        .filter(|v| v.pointer("/data/event").and_then(Value::as_str) == Some("demo_mark"))
        .filter_map(|v| {
            v.pointer("/data/text")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect()
}

pub fn seqs(frames: &[Value]) -> Vec<u64> {
    frames
        .iter()
        .filter_map(|v| v.pointer("/payload/seq").and_then(Value::as_u64))
        .collect()
}

/// The close code the server answers `request` with (`None`: it sent a text frame instead).
pub async fn close_code(
    request: tokio_tungstenite::tungstenite::handshake::client::Request,
) -> Option<tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode> {
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("handshake");
    let read = async {
        while let Some(Ok(m)) = ws.next().await {
            match m {
                Message::Close(frame) => return frame.map(|f| f.code),
                Message::Text(_) => return None,
                _ => {}
            }
        }
        None
    };
    tokio::time::timeout(LIMIT, read).await.expect("in time")
}
