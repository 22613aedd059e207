//! Importing at scale (the real-world importers issue): `orchscope validate` on a 1,000,000-line
//! Claude Code transcript and on a 1,000,000-span OTLP file, each side by side in one run with
//! a syntax-only parse of every line (`IgnoredAny`, the floor); bar: within 3× the floor. Also,
//! through `validate` and `summary`, hard cases of 25,000 against easy ones of the same size
//! (bar: at most 3×): a parent chain that deep (OTLP spans and orchscope's own protocol)
//! against a flat tree, calls behind a stuck one, and runs all open at once against one at a
//! time.
//!
//! For OTLP it also prints how the bar splits: the same session's frames validated from a native
//! recording (the log, the derivations and the rules on exactly the frames the import makes),
//! and the spans read with only the fields the tree needs. In the end-order file every span must
//! be read before the first frame can be made, so what is left of the bar for the import's own
//! work is the bar less both.
//!
//! The inputs repeat genuine files of the corpus (tests/fixtures/corpus) with fresh ids. Run by
//! hand: `cargo bench --bench p5_import` (`P5_LINES=200000` for a quicker run).

#[allow(dead_code)] // each bench uses part of the shared support
mod support;

use serde::de::IgnoredAny;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn floor(path: &Path) -> f64 {
    support::time(|| {
        support::each_line(path, |l| {
            if !l.trim().is_empty() {
                let _: IgnoredAny = serde_json::from_str(l).expect("json");
            }
        })
    })
    .0
}

/// The fields of a span the agent tree needs, the rest passed over (`IgnoredAny`).
#[derive(serde::Deserialize)]
#[allow(dead_code)] // read to be timed, never used
struct TreeSpan<'a> {
    #[serde(rename = "traceId", borrow)]
    trace: Option<&'a str>,
    #[serde(rename = "spanId", borrow)]
    span: Option<&'a str>,
    #[serde(rename = "parentSpanId", borrow)]
    parent: Option<&'a str>,
    #[serde(borrow)]
    name: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "startTimeUnixNano", borrow)]
    start: Option<&'a str>,
    #[serde(rename = "endTimeUnixNano", borrow)]
    end: Option<&'a str>,
}

#[derive(serde::Deserialize)]
struct TreeRequest<'a> {
    #[serde(rename = "resourceSpans", borrow)]
    resource_spans: Vec<TreeResource<'a>>,
}

#[derive(serde::Deserialize)]
struct TreeResource<'a> {
    #[serde(rename = "scopeSpans", borrow)]
    scope_spans: Vec<TreeScope<'a>>,
}

#[derive(serde::Deserialize)]
struct TreeScope<'a> {
    #[serde(borrow)]
    spans: Vec<TreeSpan<'a>>,
}

/// Seconds to read every span's tree fields on one core, and the spans read.
fn tree_fields(path: &Path) -> (f64, usize) {
    let mut spans = 0;
    let (secs, ()) = support::time(|| {
        support::each_line(path, |l| {
            let r: TreeRequest = serde_json::from_str(l).expect("an OTLP request");
            for rs in &r.resource_spans {
                spans += rs.scope_spans.iter().map(|s| s.spans.len()).sum::<usize>();
            }
        })
    });
    (secs, spans)
}

/// The frames importing `path` (OTLP) makes, written to `to` as a native recording.
fn as_recording(path: &Path, to: &Path) -> usize {
    use orchscope::core::import::{import, Format};
    use orchscope::core::recording::{Existing, Header, Writer};
    let text = std::fs::read_to_string(path).expect("read");
    let frames = import(Format::Otlp, &text).frames;
    let mut w = Writer::open(to, &Header::default(), Existing::Replace).expect("create");
    for (i, f) in frames.iter().enumerate() {
        w.frame_text(i as f64 / 1000.0, f.dir, &f.text)
            .expect("write");
    }
    frames.len()
}

/// How the OTLP bar splits (see the top of this file).
fn otlp_split(path: &Path, floor: f64) {
    let rec = path.with_extension("recording.jsonl");
    let frames = as_recording(path, &rec);
    support::each_line(&rec, |_| {});
    let r = validate(&rec);
    let (t, spans) = tree_fields(path);
    // Each part as a multiple of the floor; the spans' read at best halved on two cores.
    let (log, tree) = (r / floor, t / floor / 2.0);
    println!("    its {frames} frames from a recording: validate {r:6.2} s = {log:.2}× the floor");
    println!(
        "    its {spans} spans' tree fields read on one core: {t:6.2} s = {:.2}× (half on two cores: {tree:.2}×)",
        t / floor
    );
    println!(
        "    left of the bar for the import's own work: 3× − {log:.2}× − {tree:.2}× = {:.2}× the floor",
        3.0 - log - tree
    );
    let _ = std::fs::remove_file(&rec);
}

fn validate(path: &Path) -> f64 {
    orchscope(&["validate", "--format", "json"], path)
}

/// Seconds `orchscope ARGS PATH` took (its output read and dropped).
fn orchscope(args: &[&str], path: &Path) -> f64 {
    let bin = env!("CARGO_BIN_EXE_orchscope");
    let (secs, out) = support::time(|| Command::new(bin).args(args).arg(path).output());
    let out = out.expect("run orchscope");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    secs
}

/// The hex ids of a template (span ids, trace ids), to replace per copy.
fn hex_ids(text: &str, len: usize) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for part in text.split('"') {
        if part.len() == len && part.chars().all(|c| c.is_ascii_hexdigit()) {
            ids.insert(part.to_string());
        }
    }
    ids
}

/// A Claude Code transcript of at least `lines` lines: the corpus's three-prompt session
/// repeated, each copy's tool call ids made its own.
fn claude(path: &Path, lines: usize) -> std::io::Result<usize> {
    let template = std::fs::read_to_string(format!(
        "{ROOT}/tests/fixtures/corpus/claude-code/disk-multi-prompt/projects/-home-dev-project/33333333-3333-4333-8333-333333333333.jsonl"
    ))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut n = 0;
    let mut k = 0;
    while n < lines {
        k += 1;
        let copy = template.replace("toolu_", &format!("toolu_{k}_"));
        out.write_all(copy.as_bytes())?;
        n += copy.lines().count();
    }
    out.flush()?;
    Ok(n)
}

/// An OTLP/JSON file of at least `spans` spans: the corpus's GenAI hand-off trace repeated, each
/// copy with its own trace and span ids.
fn otlp(path: &Path, spans: usize) -> std::io::Result<usize> {
    let template = std::fs::read_to_string(format!(
        "{ROOT}/tests/fixtures/corpus/otlp-genai/agents-handoff/trace.jsonl"
    ))?;
    let per_copy = template.matches("\"spanId\"").count();
    let ids: Vec<String> = hex_ids(&template, 16)
        .into_iter()
        .chain(hex_ids(&template, 32))
        .collect();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut n = 0;
    let mut k = 0u64;
    while n < spans {
        k += 1;
        let mut copy = template.clone();
        for (j, id) in ids.iter().enumerate() {
            let mut fresh = String::new();
            let _ = write!(fresh, "{k:0w$x}{j:04x}", w = id.len() - 4);
            copy = copy.replace(id.as_str(), &fresh);
        }
        out.write_all(copy.as_bytes())?;
        n += per_copy;
    }
    out.flush()?;
    Ok(n)
}

/// OTLP spans in one chain `depth` deep (each the child of the one before), or all siblings of
/// one root when `deep` is false: the same spans, the same bytes but for the parent ids.
fn chain(path: &Path, depth: usize, deep: bool) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    for i in 0..depth {
        let parent = match (i, deep) {
            (0, _) => String::new(),
            (_, true) => format!(r#","parentSpanId":"{:016x}""#, i - 1),
            (_, false) => format!(r#","parentSpanId":"{:016x}""#, 0),
        };
        let (op, name) = if i % 2 == 0 {
            ("invoke_agent", format!("agent-{i}"))
        } else {
            ("execute_tool", format!("tool-{i}"))
        };
        writeln!(
            out,
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{{"traceId":"0000000000000000000000000000abcd","spanId":"{i:016x}"{parent},"name":"{op} {name}","startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"{op}"}}}},{{"key":"gen_ai.agent.name","value":{{"stringValue":"{name}"}}}}]}}]}}]}}]}}"#,
            1_795_435_200_000_000_000u64 + i as u64 * 1000,
            1_795_435_300_000_000_000u64 - i as u64 * 1000,
        )?;
    }
    out.flush()
}

/// The same chain (or flat tree) of agents in orchscope's own protocol: `agent_started` with
/// `parent_agent_id`, then the completions, innermost first.
fn protocol_chain(path: &Path, depth: usize, deep: bool) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    for i in 0..depth {
        let parent = match (i, deep) {
            (0, _) => String::new(),
            (_, true) => format!(r#","parent_agent_id":"a{}""#, i - 1),
            (_, false) => r#","parent_agent_id":"a0""#.to_owned(),
        };
        writeln!(
            out,
            r#"{{"type":"agent_started","payload":{{"run_id":"r1","agent_name":"a{i}","agent_id":"a{i}"{parent}}}}}"#
        )?;
    }
    for i in (0..depth).rev() {
        writeln!(
            out,
            r#"{{"type":"agent_completed","payload":{{"run_id":"r1","agent_name":"a{i}","agent_id":"a{i}"}}}}"#
        )?;
    }
    out.flush()
}

/// `n` id-less `search` calls of agent `b`, each completed at once, while agent `a` has a
/// `search` call that never completes (`stuck`) or a call of another tool: pairing a result
/// must not rescan the calls that closed behind the stuck one.
fn stuck_call(path: &Path, n: usize, stuck: bool) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let tool = if stuck { "search" } else { "fetch" };
    for agent in ["a", "b"] {
        writeln!(
            out,
            r#"{{"type":"agent_started","payload":{{"run_id":"r1","agent_name":"{agent}","agent_id":"{agent}"}}}}"#
        )?;
    }
    writeln!(
        out,
        r#"{{"type":"tool_executing","payload":{{"run_id":"r1","agent_name":"a","tool_name":"{tool}"}}}}"#
    )?;
    for _ in 0..n {
        for kind in ["tool_executing", "tool_completed"] {
            writeln!(
                out,
                r#"{{"type":"{kind}","payload":{{"run_id":"r1","agent_name":"b","tool_name":"search"}}}}"#
            )?;
        }
    }
    out.flush()
}

/// `n` runs of one agent each in orchscope's own protocol, all started before any completes
/// (`together`: every run open at once, as in a busy server's stream) or each completed before
/// the next starts: closing a run must not rescan the runs still open.
fn open_runs(path: &Path, n: usize, together: bool) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let frame = |out: &mut std::io::BufWriter<std::fs::File>, kind: &str, i: usize| {
        writeln!(
            out,
            r#"{{"type":"{kind}","payload":{{"run_id":"r{i}","agent_name":"a","agent_id":"a{i}"}}}}"#
        )
    };
    if together {
        (0..n).try_for_each(|i| frame(&mut out, "agent_started", i))?;
        (0..n).try_for_each(|i| frame(&mut out, "agent_completed", i))?;
    } else {
        for i in 0..n {
            frame(&mut out, "agent_started", i)?;
            frame(&mut out, "agent_completed", i)?;
        }
    }
    out.flush()
}

/// Writes a hard case of `n` (a parent chain `n` deep, …) or, when the flag is false, an easy
/// case of the same size to a path.
type Chain = fn(&Path, usize, bool) -> std::io::Result<()>;

/// Writes an input of at least so many lines (or spans) to a path.
type Generator = fn(&Path, usize) -> std::io::Result<usize>;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("p5_import: benchmark");
        return;
    }
    let lines: usize = std::env::var("P5_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let cases: [(&str, PathBuf, Generator); 2] = [
        (
            "Claude Code transcript",
            dir.join(format!("p5-claude-{lines}.jsonl")),
            claude,
        ),
        (
            "OTLP GenAI spans",
            dir.join(format!("p5-otlp-{lines}.jsonl")),
            otlp,
        ),
    ];
    println!("P5: importing, side by side with the syntax-only floor");
    for (what, path, make) in cases {
        if !path.exists() {
            eprintln!("generating {} ...", path.display());
            make(&path, lines).expect("generate");
        }
        let size = std::fs::metadata(&path).expect("stat").len();
        support::each_line(&path, |_| {}); // warm the page cache
        let f = floor(&path);
        let v = validate(&path);
        println!(
            "  {what:<24} {:>6.0} MB  floor {f:6.2} s  validate {v:6.2} s  = {:.2}× the floor  (bar ≤ 3×)",
            size as f64 / 1e6,
            v / f
        );
        if what.starts_with("OTLP") {
            otlp_split(&path, f);
        }
    }
    let depth = 25_000;
    let chains: [(&str, Chain, [&str; 2]); 4] = [
        ("OTLP", chain, ["chain {n} deep", "flat"]),
        ("protocol", protocol_chain, ["chain {n} deep", "flat"]),
        (
            "stuck-call",
            stuck_call,
            ["{n} calls behind a stuck one", "none stuck"],
        ),
        ("runs", open_runs, ["{n} open at once", "one at a time"]),
    ];
    for (what, make, [hard, easy]) in chains {
        let deep = dir.join(format!("p5-{what}-chain-deep.jsonl"));
        let flat = dir.join(format!("p5-{what}-chain-flat.jsonl"));
        make(&deep, depth, true).expect("deep");
        make(&flat, depth, false).expect("flat");
        for args in [&["validate", "--format", "json"][..], &["summary"][..]] {
            let (d, f) = (orchscope(args, &deep), orchscope(args, &flat));
            let (hard, easy) = (hard.replace("{n}", &depth.to_string()), easy);
            println!(
                "  {what:<10} {hard}, {:<8}  {d:6.2} s  {easy} {f:6.2} s  = {:.2}×  (bar ≤ 3×)",
                args[0],
                d / f
            );
        }
    }
}
