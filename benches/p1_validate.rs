//! P1/P2 (spec quality.md): `orchscope validate` on a 1,000,000-frame recording, side by side in
//! one run with a syntax-only parse of every line (`IgnoredAny`, the floor), a
//! `serde_json::Value` parse of every line, and `jq -c .frame.type`; plus peak memory of
//! `validate` against the file's size. Run by hand: `cargo bench --bench p1_validate`
//! (`P1_FRAMES=200000` for a quicker run).

mod support;

use serde::de::IgnoredAny;
use std::process::Command;

/// Peak resident memory (KiB) and seconds of a command, via /usr/bin/time.
fn run_measured(cmd: &str, args: &[&str]) -> (f64, Option<u64>) {
    let time_bin = std::path::Path::new("/usr/bin/time");
    let (secs, out) = support::time(|| {
        if time_bin.exists() {
            Command::new(time_bin)
                .arg("-f")
                .arg("%M")
                .arg(cmd)
                .args(args)
                .stdout(std::process::Stdio::null())
                .output()
        } else {
            Command::new(cmd)
                .args(args)
                .stdout(std::process::Stdio::null())
                .output()
        }
    });
    let out = out.expect("run command");
    let rss = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok());
    (secs, rss)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("p1_validate: benchmark");
        return;
    }
    let (frames, path) = support::large_recording("P1_FRAMES");
    let size = std::fs::metadata(&path).expect("stat").len();
    let bin = env!("CARGO_BIN_EXE_orchscope");
    // Warm the page cache so every contender reads from memory.
    support::each_line(&path, |_| {});

    let (floor, _) = support::time(|| {
        support::each_line(&path, |l| {
            let _: IgnoredAny = serde_json::from_str(l).expect("json");
        })
    });
    let (value, _) = support::time(|| {
        support::each_line(&path, |l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            std::hint::black_box(v);
        })
    });
    let p = path.to_str().expect("utf-8 path");
    let (validate, rss) = run_measured(bin, &["validate", "--format", "json", p]);
    let jq = if Command::new("jq").arg("--version").output().is_ok() {
        Some(run_measured("jq", &["-c", ".frame.type", p]).0)
    } else {
        None
    };
    println!(
        "P1/P2 on {} ({} frames, {:.0} MB)",
        path.display(),
        frames,
        size as f64 / 1e6
    );
    println!("  floor (IgnoredAny parse)     {floor:7.2} s");
    println!("  serde_json::Value parse      {value:7.2} s");
    println!("  orchscope validate           {validate:7.2} s");
    if let Some(jq) = jq {
        println!("  jq -c .frame.type            {jq:7.2} s");
    }
    println!("ratios:");
    println!(
        "  validate / Value     {:.2}×  (bar ≤ 1.0×)",
        validate / value
    );
    println!(
        "  validate / floor     {:.2}×  (bar ≤ 3×)",
        validate / floor
    );
    if let Some(jq) = jq {
        println!("  jq / validate        {:.2}×  (bar ≥ 5×)", jq / validate);
    }
    if let Some(kib) = rss {
        let ratio = (kib * 1024) as f64 / size as f64;
        println!(
            "  validate peak memory {:.0} MB = {ratio:.2}× the file  (bar ≤ 0.5×)",
            kib as f64 / 1024.0
        );
    }
}
