//! P7 (issue: at least 20,000 spans/s through the OTLP/HTTP receiver into the session's log,
//! with recording on): `orchscope export --otlp` of a large recording into `orchscope record
//! otlp://` (the receiver holds each trace, shows it once complete, records every frame), side
//! by side in one run with the same export into a sink that accepts and discards (what the
//! sender alone costs). Run by hand: `cargo bench --bench p7_receive` (`P7_FRAMES=200000` for a
//! quicker run).

#[path = "../tests/it/export_support.rs"]
mod export_support;
mod support;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

/// Exports `file` to `url`: the seconds it took and how many spans it sent.
fn export(file: &str, url: &str) -> (f64, usize) {
    let (secs, out) = support::time(|| {
        Command::new(env!("CARGO_BIN_EXE_orchscope"))
            .args(["export", file, "--otlp", url])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("run orchscope export")
    });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // "exported N spans to URL"
    let said = String::from_utf8_lossy(&out.stdout);
    let spans = said
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    (secs, spans)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("p7_receive: benchmark");
        return;
    }
    let (frames, path) = support::large_recording("P7_FRAMES");
    let file = path.display().to_string();
    // Read once, so both runs find it in the page cache.
    support::each_line(&path, |_| {});
    let sink = export_support::HttpReceiver::sink();
    let (discard, spans) = export(&file, &sink.url);
    drop(sink);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("received.jsonl");
    let (straggler, idle) = (0.2, 0.5);
    let mut rec = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["record", "otlp://127.0.0.1:0", "-o"])
        .arg(&out)
        .args([
            "--straggler",
            &straggler.to_string(),
            "--until-idle",
            &idle.to_string(),
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the receiver");
    let mut err = BufReader::new(rec.stderr.take().expect("stderr"));
    let mut line = String::new();
    err.read_line(&mut line).expect("listening line");
    let addr = line
        .split("otlp://")
        .nth(1)
        .expect("listening on")
        .trim()
        .to_string();
    let (received, ()) = support::time(|| {
        export(&file, &format!("http://{addr}"));
        let status = rec.wait().expect("receiver ends");
        assert!(status.success(), "the receiver failed");
    });
    // The receiver stops once idle: that wait is not receiving.
    let busy = received - straggler - idle;
    let recorded = std::fs::read_to_string(&out)
        .map(|t| t.lines().count())
        .unwrap_or(0);
    println!("p7_receive: {frames} frames, {spans} spans");
    println!("  export → discarding sink    {discard:>8.2} s");
    println!("  export → orchscope record   {busy:>8.2} s  ({recorded} recording lines)");
    println!("  receiver / sink             {:>8.2}x", busy / discard);
    let rate = spans as f64 / busy;
    println!(
        "  spans/s received            {rate:>8.0}  (bar: >= 20000) {}",
        if rate >= 20_000.0 { "ok" } else { "UNDER" }
    );
}
