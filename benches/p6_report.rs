//! Sharing at scale: `orchscope report` (HTML and Markdown) of a 1,000,000-frame recording, side
//! by side in one run with `orchscope validate` of it; bar: within 2× the validate time. The
//! three commands take turns (validate, report html, report md, again), so a drift in the
//! machine's speed falls on all of them; each ratio is taken within one round and the median
//! of the rounds is printed. Run by hand: `cargo bench --bench p6_report` (`P6_FRAMES=200000`
//! for a quicker run, `P6_ROUNDS` rounds, default 3).

#[allow(dead_code)] // each bench uses part of the shared support
mod support;

use std::path::Path;

/// Seconds `orchscope ARGS` took; panics unless it exited 0 or 1.
fn orchscope(args: &[&str]) -> f64 {
    let (secs, code) = support::orchscope(args);
    assert!(matches!(code, Some(0 | 1)), "{args:?} exited {code:?}");
    secs
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("p6_report: benchmark");
        return;
    }
    let (frames, path) = support::large_recording("P6_FRAMES");
    let rounds = support::count_from_env("P6_ROUNDS", 3).max(1);
    support::each_line(&path, |_| {}); // warm the page cache
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (html, md) = (dir.join("p6-report.html"), dir.join("p6-report.md"));
    let p = path.to_str().expect("utf-8");
    let (h, m) = (html.to_str().expect("utf-8"), md.to_str().expect("utf-8"));
    let (mut v, mut rh, mut rm) = (Vec::new(), Vec::new(), Vec::new());
    println!("P6 report on {frames} frames ({rounds} rounds, side by side)");
    for round in 1..=rounds {
        let tv = orchscope(&["validate", "--format", "json", p]);
        let th = orchscope(&["report", p, "-o", h]);
        let tm = orchscope(&["report", p, "--format", "md", "-o", m]);
        println!(
            "  round {round}: validate {tv:6.2} s  report html {th:6.2} s = {:.2}×  report md {tm:6.2} s = {:.2}×",
            th / tv,
            tm / tv
        );
        v.push(tv);
        rh.push(th / tv);
        rm.push(tm / tv);
    }
    println!("  validate (median) {:6.2} s", median(v));
    println!(
        "  report html / validate, median of rounds {:.2}×  (bar ≤ 2×)",
        median(rh)
    );
    println!(
        "  report md   / validate, median of rounds {:.2}×  (bar ≤ 2×)",
        median(rm)
    );
    let size = std::fs::metadata(&html).map(|m| m.len()).unwrap_or(0);
    println!("  report html size {:.1} MB", size as f64 / 1e6);
    let _ = std::fs::remove_file(html);
    let _ = std::fs::remove_file(md);
}
