//! P4 (quality.md): live throughput from the demo server over loopback into the session the TUI
//! shows, with recording on, and no frame lost.
//!
//! The demo server runs in flood mode in this process; the live client path
//! (`source::websocket::run` → `Sink` keeping everything, recording to a temp file) takes the
//! frames. Prints frames/s from the first frame received to the last, then checks that the
//! server's sent count, the sink's, the log's and the recording's (read back) are all equal.
//!
//! `cargo bench --bench p4_live` (set `P4_FRAMES` to change the flood size; default 200,000;
//! `P4_KEEP=summary` keeps only the derived session, without the TUI's items and checkpoints,
//! to see what those cost).

use std::time::{Duration, Instant};

use orchscope::core::log::Keep;
use orchscope::core::recording::{self, Dir, Header, Item};
use orchscope::demo::{DemoConfig, DemoServer};
use orchscope::source::sink::Sink;
use orchscope::source::websocket::{self, ClientConfig, Command, SourceMsg};
use tokio::sync::mpsc;

const BAR: f64 = 50_000.0;

fn main() {
    let n: u64 = std::env::var("P4_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p4.jsonl");

    let mut config = DemoConfig::new("127.0.0.1:0".parse().expect("addr"));
    config.flood = Some(n);
    let server = rt.block_on(DemoServer::bind(config)).expect("bind");
    let url = server.url();
    let sent = server.sent_frames();
    rt.spawn(server.run());

    let header = Header {
        started_at: None,
        source: Some(serde_json::json!({"kind": "websocket", "url": url})),
        title: Some("p4 flood".into()),
        meta: None,
    };
    let keep = match std::env::var("P4_KEEP").as_deref() {
        Ok("summary") => Keep::Summary,
        _ => Keep::All,
    };
    let mut sink = Sink::new(keep, Some((&path, header))).expect("sink");
    let (first, last) = rt.block_on(async {
        let (tx, mut rx) = mpsc::channel::<SourceMsg>(4096);
        let (cmd_tx, cmd_rx) = mpsc::channel::<Command>(64);
        // The recording is written by the task that reads the socket, as in the TUI.
        let mut config = ClientConfig::new(url.clone());
        config.recorder = sink.recorder();
        let client = tokio::spawn(websocket::run(config, tx, cmd_rx));
        cmd_tx
            .send(Command::Send(websocket::user_message("flood", None)))
            .await
            .expect("send");
        let mut first: Option<Instant> = None;
        let mut last = Instant::now();
        // Greeting + the flood; stop early once everything sent has arrived, else on idle.
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
            let incoming = matches!(msg, SourceMsg::Frame { dir: Dir::In, .. });
            sink.accept(msg);
            if incoming {
                last = Instant::now();
                first.get_or_insert(last);
                let got = sink.frames_in as u64;
                if got > n && got == sent.get() {
                    break;
                }
            }
        }
        let _ = cmd_tx.send(Command::Shutdown).await;
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(2), rx.recv()).await {
            sink.accept(msg);
        }
        client.abort();
        (first.expect("no frame received"), last)
    });
    sink.log.finish();
    let secs = last.duration_since(first).as_secs_f64();
    let received = sink.frames_in as u64;
    let rate = received as f64 / secs.max(1e-9);

    let server_sent = sent.get();
    let log_in = if keep == Keep::Summary {
        received // a summary log keeps no entries to count
    } else {
        let facts = &sink.log.session().facts;
        sink.log
            .entries()
            .filter(|e| {
                matches!(e, orchscope::core::log::Logged::Frame(p) if facts[p.index()].dir == Dir::In)
            })
            .count() as u64
    };
    drop(sink);
    let mut reader = recording::open(&path).expect("open recording");
    let mut recorded_in = 0u64;
    let mut bad = 0u64;
    while let Some(item) = reader.next_item().expect("read recording") {
        match item {
            Item::Frame { dir: Dir::In, .. } => recorded_in += 1,
            Item::Bad { .. } | Item::TruncatedTail { .. } => bad += 1,
            _ => {}
        }
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    println!("P4 live: flood of {n} frames over loopback, sink keeping {keep:?}, recording on");
    println!(
        "  received {received} frames in {secs:.3} s (first to last): {rate:.0} frames/s (bar: >= {BAR:.0}) {}",
        if rate >= BAR { "PASS" } else { "FAIL" }
    );
    println!(
        "  counts: server sent {server_sent}, sink received {received}, log frames in {log_in}, recording frames in {recorded_in} ({} bytes, {bad} bad lines) {}",
        size,
        if server_sent == received && received == log_in && log_in == recorded_in && bad == 0 {
            "EQUAL"
        } else {
            "MISMATCH"
        }
    );
    assert_eq!(server_sent, received, "server sent vs received");
    assert_eq!(received, log_in, "received vs log");
    assert_eq!(log_in, recorded_in, "log vs recording");
    assert_eq!(bad, 0, "bad recording lines");
}
