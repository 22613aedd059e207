//! `diff` as text: both sources, the differences (run by run, regressions marked `✗`), the
//! first diverging context with its structural diff, both sessions' usage, the rule verdicts
//! that changed, and the conclusion. Everything a producer wrote is escaped (core::escape)
//! before it is shown.

use super::{Change, Comparison, ContextDivergence, Difference, Item, Kind, Side};
use crate::core::context_diff::body;
use crate::core::escape::escape;
use crate::core::plural::count;
use crate::core::usage::pricing::Prices;
use crate::core::usage::report::line;
use crate::core::usage::Book;
use std::fmt::Write as _;

/// Differences shown; `--format json` lists up to [`super::MAX_LISTED`].
const SHOWN: usize = 50;

/// Run pairs whose usage differs, shown; `--format json` lists up to
/// [`super::usage::MAX_RUNS_LISTED`].
const RUNS_SHOWN: usize = 20;

fn secs(ms: Option<f64>) -> String {
    ms.map_or("—".to_string(), |m| format!("{:.1}s", m / 1000.0))
}

/// `✗` a regression, `✓` a repair or a speed-up, `+`/`-` added or missing, `·` otherwise.
fn glyph(d: &Difference) -> &'static str {
    let ok_now =
        d.b.as_ref()
            .is_some_and(|i| matches!(i.status, "ok" | "completed"));
    match (d.regression, d.change) {
        (true, _) => "✗",
        (false, Change::Added) => "+",
        (false, Change::Missing) => "-",
        (false, Change::Faster) => "✓",
        (false, Change::Status) if ok_now => "✓",
        (false, _) => "·",
    }
}

fn side_line(label: &str, s: &Side) -> String {
    let session = s.log.session();
    format!(
        "{label}  {}  {} · {} · {} · {} · {} · {}\n",
        escape(s.source, true),
        s.format,
        count(s.log.frames(), "frame"),
        count(session.runs.len(), "run"),
        count(session.agents.len(), "agent"),
        count(session.calls.len(), "tool call"),
        count(session.turns.len(), "turn")
    )
}

fn item_text(i: &Option<Item>) -> String {
    i.as_ref().map_or("—".to_string(), |i| {
        let id =
            i.id.as_deref()
                .map_or(String::new(), |x| format!(" {}", escape(x, true)));
        format!("{}{id}", i.status)
    })
}

fn difference(d: &Difference) -> String {
    let what = match (d.kind, &d.agent) {
        (Kind::ToolCall, Some(agent)) => {
            format!(
                "tool call {} · {}",
                escape(&d.name, true),
                escape(agent, true)
            )
        }
        (kind, _) => format!("{} {}", kind.as_str(), escape(&d.name, true)),
    };
    let how = match d.change {
        Change::Added => format!("added ({})", item_text(&d.b)),
        Change::Missing => format!("missing ({} in A)", item_text(&d.a)),
        Change::Status => format!("{} → {}", item_text(&d.a), item_text(&d.b)),
        Change::Slower | Change::Faster => format!(
            "{} {} → {}",
            d.change.as_str(),
            secs(d.a.as_ref().and_then(|i| i.ms)),
            secs(d.b.as_ref().and_then(|i| i.ms))
        ),
    };
    format!("  {} run {}  {what}  {how}\n", glyph(d), d.run)
}

fn context(c: &ContextDivergence, out: &mut String) {
    let turn = |t: &Option<super::TurnSide>| {
        t.as_ref().map_or("no turn".to_string(), |t| {
            let hash: String = t.hash.as_deref().map_or("—".to_string(), |h| {
                h.strip_prefix("sha256:")
                    .unwrap_or(h)
                    .chars()
                    .take(12)
                    .collect()
            });
            let thread = t
                .thread
                .as_deref()
                .map_or("—".to_string(), |x| escape(x, true));
            format!("thread {thread} T{} {}", t.index, escape(&hash, true))
        })
    };
    let _ = writeln!(
        out,
        "context  diverges at turn {}: {} → {}",
        c.turn,
        turn(&c.a),
        turn(&c.b)
    );
    let entries = c.entries.as_slice();
    for (_, line) in body(c.history, entries, c.diff.as_ref(), c.note) {
        let _ = writeln!(out, "  {line}");
    }
}

/// One mark: its side, frame, glyph and word, and text (`B #41 ✎ note: retried here`).
fn mark(m: &super::marks::SideMark) -> String {
    let frame = m.frame.map_or("start".to_string(), |f| format!("#{f}"));
    let glyph = if m.kind == "note" { "✎" } else { "⚑" };
    let side = m.side.to_uppercase();
    format!(
        "{side} {frame} {glyph} {}: {}",
        m.kind,
        escape(&m.text, true)
    )
}

/// The usage lines: each session's, how B's changed, and the run pairs whose usage differs.
fn usage(a: &Side, b: &Side, prices: &Prices, out: &mut String) {
    let (ba, bb) = (&a.log.session().usage, &b.log.session().usage);
    if ba.is_empty() && bb.is_empty() {
        out.push_str("usage  neither session reported model usage\n");
        return;
    }
    let book = |s: &Side, b: Option<&Book>| match b.filter(|b| !b.is_empty()) {
        Some(b) => escape(&line(b, prices, &s.log.interner), true),
        None => "none".to_string(),
    };
    let _ = writeln!(out, "usage  A {}", book(a, Some(ba)));
    let tokens = super::usage::tokens_change_pct(a, b);
    let cost = super::usage::cost_change_pct(a, b, prices);
    let change = match (tokens, cost) {
        (Some(t), Some(c)) => format!("  ({t:+.1}% tokens, {c:+.1}% cost)"),
        (Some(t), None) => format!("  ({t:+.1}% tokens)"),
        _ => String::new(),
    };
    let _ = writeln!(out, "       B {}{change}", book(b, Some(bb)));
    let (runs, total) = super::usage::differing_runs(a, b);
    for r in runs.iter().take(RUNS_SHOWN) {
        let _ = writeln!(out, "  run {}  {} → {}", r.run, book(a, r.a), book(b, r.b));
    }
    if total > RUNS_SHOWN {
        let _ = writeln!(
            out,
            "  … {} more runs (use --format json)",
            total - RUNS_SHOWN
        );
    }
}

/// The text report; costs priced with `prices`.
pub fn render(a: &Side, b: &Side, cmp: &Comparison, prices: &Prices) -> String {
    let mut out = side_line("A", a) + &side_line("B", b);
    let th = cmp.thresholds;
    let _ = writeln!(
        out,
        "durations differ when by more than {}% and more than {}",
        th.ratio * 100.0,
        secs(Some(th.min_ms))
    );
    let c = cmp.counts;
    let _ = writeln!(
        out,
        "differences  {} added · {} missing · {} status · {} slower · {} faster",
        c.added, c.missing, c.status, c.slower, c.faster
    );
    let shown = &cmp.differences[..cmp.differences.len().min(SHOWN)];
    let marked = super::marks::by_difference(&cmp.marks, shown);
    for (d, marks) in shown.iter().zip(marked) {
        out.push_str(&difference(d));
        for m in marks {
            let _ = writeln!(out, "      {}", mark(m));
        }
    }
    if cmp.total() > SHOWN {
        let _ = writeln!(out, "  … {} more (use --format json)", cmp.total() - SHOWN);
    }
    if !cmp.marks.is_empty() {
        out.push_str("marks\n");
    }
    for m in &cmp.marks {
        let on = match (&m.on.name, &m.on.agent) {
            (Some(name), Some(agent)) => format!("{} {} · {}", m.on.kind, name, agent),
            (Some(name), None) => format!("{} {name}", m.on.kind),
            _ => m.on.kind.to_string(),
        };
        let run = m.run.map_or(String::new(), |r| format!("run {r} "));
        let _ = writeln!(out, "  {}  {run}{}", mark(m), escape(&on, true));
    }
    match &cmp.context {
        Some(ctx) => context(ctx, &mut out),
        None => out.push_str("context  no turn's context hash differs\n"),
    }
    usage(a, b, prices, &mut out);
    if cmp.rules.is_empty() {
        out.push_str("rules  no verdict changed\n");
    } else {
        out.push_str("rules\n");
    }
    for r in &cmp.rules {
        let mut line = format!(
            "  {} {:<18} {} → {}",
            match (r.regression, r.improved()) {
                (true, _) => "✗",
                (false, true) => "✓",
                (false, false) => "·",
            },
            r.id,
            r.a.as_str(),
            r.b.as_str()
        );
        for (word, codes) in [("new", &r.new_codes), ("gone", &r.gone_codes)] {
            if !codes.is_empty() {
                let _ = write!(line, "  {word} {}", escape(&codes.join(", "), true));
            }
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = match c.regressions {
        0 => writeln!(out, "B does not regress against A"),
        n => writeln!(
            out,
            "B regresses against A: {n} regression{}",
            if n == 1 { "" } else { "s" }
        ),
    };
    out
}
