//! Comparing at scale: `orchscope diff A B` of two 1,000,000-frame recordings, side by side in
//! one run with `orchscope validate` of A alone; bar: within 3× the validate time. B is A with
//! one `tool_completed` in every 500 dropped (so calls change status, rules change verdict and
//! the alignment has real work), and a history entry of its last turn rewritten (so a context
//! diverges). Run by hand: `cargo bench --bench p6_diff` (`P6_FRAMES=200000` for a quicker
//! run).

#[allow(dead_code)] // each bench uses part of the shared support
mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// B: A with every 500th `tool_completed` left out and the first history response of the
/// last turn changed.
fn variant(a: &Path, b: &Path) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(b)?);
    let mut completed = 0usize;
    let mut lines = Vec::new();
    support::each_line(a, |l| lines.push(l.to_string()));
    let last_context = lines
        .iter()
        .rposition(|l| l.contains(r#""history":[{"#))
        .unwrap_or(usize::MAX);
    for (i, line) in lines.iter().enumerate() {
        if line.contains(r#""type":"tool_completed""#) {
            completed += 1;
            if completed.is_multiple_of(500) {
                continue;
            }
        }
        if i == last_context {
            out.write_all(
                line.replacen(r#""response":"Plan"#, r#""response":"Rewritten plan"#, 1)
                    .as_bytes(),
            )?;
        } else {
            out.write_all(line.as_bytes())?;
        }
    }
    out.flush()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("p6_diff: benchmark");
        return;
    }
    let frames = support::count_from_env("P6_FRAMES", 1_000_000);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let a = dir.join(format!("p6-a-{frames}.bench.jsonl"));
    let b = dir.join(format!("p6-b-{frames}.bench.jsonl"));
    if !a.exists() || !b.exists() {
        eprintln!("generating {} and {} ...", a.display(), b.display());
        support::generate(&a, frames).expect("generate A");
        variant(&a, &b).expect("generate B");
    }
    // Warm the page cache so both commands read from memory.
    support::each_line(&a, |_| {});
    support::each_line(&b, |_| {});
    let (pa, pb) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    let (validate, _) = support::orchscope(&["validate", "--format", "json", pa]);
    let (same, same_code) = support::orchscope(&["diff", "--format", "json", pa, pa]);
    let (diff, code) = support::orchscope(&["diff", "--format", "json", pa, pb]);
    println!("P6 on {frames} frames per recording");
    println!("  validate A        {validate:6.2} s");
    println!(
        "  diff A A          {same:6.2} s  = {:.2}× validate  (exit {same_code:?})",
        same / validate
    );
    println!(
        "  diff A B          {diff:6.2} s  = {:.2}× validate  (exit {code:?}; bar ≤ 3×)",
        diff / validate
    );
}
