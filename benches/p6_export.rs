//! P6 (issue: export in at most 3x validate): `orchscope export --otlp` of a large recording to
//! a local OTLP/HTTP sink that accepts and discards (the test receiver, so the network is not
//! what is measured), side by side with `orchscope validate` of the same file in one run. Run
//! by hand: `cargo bench --bench p6_export` (`P6_FRAMES=200000` for a quicker run).

#[path = "../tests/it/export_support.rs"]
mod export_support;
mod support;

use std::process::{Command, Stdio};

fn run(args: &[&str]) -> f64 {
    let (secs, out) = support::time(|| {
        Command::new(env!("CARGO_BIN_EXE_orchscope"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run orchscope")
    });
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    secs
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("p6_export: benchmark");
        return;
    }
    let (frames, path) = support::large_recording("P6_FRAMES");
    let file = path.display().to_string();
    support::each_line(&path, |_| {});
    let sink = export_support::HttpReceiver::sink();
    let validate = run(&["validate", "--format", "json", &file]);
    let export = run(&["export", &file, "--otlp", &sink.url]);
    let requests = sink.posts().len();
    println!("p6_export: {frames} frames");
    println!("  validate          {validate:>8.2} s");
    println!("  export --otlp     {export:>8.2} s  ({requests} requests to the sink)");
    let ratio = export / validate;
    println!(
        "  export/validate   {ratio:>8.2}x  (bar: <= 3x) {}",
        if ratio <= 3.0 { "ok" } else { "OVER" }
    );
}
