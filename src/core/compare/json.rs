//! `diff --format json`: the comparison as one document with stable keys (the README lists
//! them). Absent values are `null`, never omitted; durations in whole milliseconds.

use super::context::TurnSide;
use super::{Comparison, Counts, Difference, Item, Side};
use crate::core::escape::json_pretty;
use crate::core::jsondiff::HistoryVerdict;
use crate::core::usage::pricing::Prices;
use crate::core::usage::report::{json as usage_json, UsageJson};
use crate::core::usage::Book;
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    orchscope_diff: u32,
    a: SideDoc<'a>,
    b: SideDoc<'a>,
    thresholds: ThresholdsDoc,
    regressed: bool,
    counts: Counts,
    total_differences: usize,
    differences: Vec<DiffDoc<'a>>,
    context: Option<ContextDoc<'a>>,
    rules: Vec<RuleDoc<'a>>,
    marks: &'a [super::marks::SideMark],
    usage: UsageDoc,
}

/// Both sessions' usage, how it changed, and the run pairs whose usage differs.
#[derive(Serialize)]
struct UsageDoc {
    a: Option<UsageJson>,
    b: Option<UsageJson>,
    /// B's input and output tokens against A's, in percent (`null` when A has none).
    tokens_change_pct: Option<f64>,
    /// B's cost against A's, in percent (`null` unless both are priced in full).
    cost_change_pct: Option<f64>,
    total_runs_differing: usize,
    runs: Vec<RunUsageDoc>,
}

#[derive(Serialize)]
struct RunUsageDoc {
    run: usize,
    a: Option<UsageJson>,
    b: Option<UsageJson>,
}

#[derive(Serialize)]
struct SideDoc<'a> {
    source: &'a str,
    format: &'a str,
    frames: usize,
    runs: usize,
    agents: usize,
    tool_calls: usize,
    turns: usize,
}

#[derive(Serialize)]
struct ThresholdsDoc {
    latency_ratio: f64,
    latency_min_ms: i64,
}

#[derive(Serialize)]
struct DiffDoc<'a> {
    kind: &'static str,
    change: &'static str,
    run: usize,
    run_a: Option<&'a str>,
    run_b: Option<&'a str>,
    name: &'a str,
    agent: Option<&'a str>,
    a: Option<ItemDoc<'a>>,
    b: Option<ItemDoc<'a>>,
    regression: bool,
}

#[derive(Serialize)]
struct ItemDoc<'a> {
    id: Option<&'a str>,
    status: &'static str,
    ms: Option<i64>,
}

#[derive(Serialize)]
struct ContextDoc<'a> {
    turn: usize,
    a: Option<TurnDoc<'a>>,
    b: Option<TurnDoc<'a>>,
    history: Option<HistoryDoc>,
    total_changes: Option<usize>,
    changes: Vec<ChangeDoc<'a>>,
    note: Option<&'static str>,
}

#[derive(Serialize)]
struct TurnDoc<'a> {
    thread: Option<&'a str>,
    index: u32,
    hash: Option<&'a str>,
}

#[derive(Serialize)]
struct HistoryDoc {
    verdict: &'static str,
    a_entries: usize,
    b_entries: usize,
    first_rewritten: Option<usize>,
}

#[derive(Serialize)]
struct ChangeDoc<'a> {
    path: &'a str,
    change: &'static str,
    a: Option<&'a str>,
    b: Option<&'a str>,
}

#[derive(Serialize)]
struct RuleDoc<'a> {
    id: &'a str,
    a: &'static str,
    b: &'static str,
    findings_a: usize,
    findings_b: usize,
    new_codes: &'a [String],
    gone_codes: &'a [String],
    regression: bool,
}

fn ms(v: Option<f64>) -> Option<i64> {
    v.filter(|f| f.is_finite()).map(|f| f.round() as i64)
}

fn side<'a>(s: &Side<'a>) -> SideDoc<'a> {
    let session = s.log.session();
    SideDoc {
        source: s.source,
        format: s.format,
        frames: s.log.frames(),
        runs: session.runs.len(),
        agents: session.agents.len(),
        tool_calls: session.calls.len(),
        turns: session.turns.len(),
    }
}

fn item(i: &Option<Item>) -> Option<ItemDoc<'_>> {
    i.as_ref().map(|i| ItemDoc {
        id: i.id.as_deref(),
        status: i.status,
        ms: ms(i.ms),
    })
}

fn turn(t: &Option<TurnSide>) -> Option<TurnDoc<'_>> {
    t.as_ref().map(|t| TurnDoc {
        thread: t.thread.as_deref(),
        index: t.index,
        hash: t.hash.as_deref(),
    })
}

fn difference(d: &Difference) -> DiffDoc<'_> {
    DiffDoc {
        kind: d.kind.as_str(),
        change: d.change.as_str(),
        run: d.run,
        run_a: d.run_ids.0.as_deref(),
        run_b: d.run_ids.1.as_deref(),
        name: &d.name,
        agent: d.agent.as_deref(),
        a: item(&d.a),
        b: item(&d.b),
        regression: d.regression,
    }
}

fn context(c: &super::ContextDivergence) -> ContextDoc<'_> {
    let changes = c.diff.as_ref().map_or(&[][..], |d| &d.changes[..]);
    ContextDoc {
        turn: c.turn,
        a: turn(&c.a),
        b: turn(&c.b),
        history: c.history.map(|h| HistoryDoc {
            verdict: h.verdict.as_str(),
            a_entries: h.before,
            b_entries: h.after,
            first_rewritten: match h.verdict {
                HistoryVerdict::Rewritten { first } => Some(first),
                _ => None,
            },
        }),
        total_changes: c.diff.as_ref().map(|d| d.total()),
        changes: changes
            .iter()
            .map(|ch| ChangeDoc {
                path: &ch.path,
                change: ch.kind.as_str(),
                a: ch.before.as_deref(),
                b: ch.after.as_deref(),
            })
            .collect(),
        note: c.note,
    }
}

fn usage(a: &Side, b: &Side, prices: &Prices) -> UsageDoc {
    let one = |s: &Side, book: Option<&Book>| usage_json(book, prices, &s.log.interner);
    let (ba, bb) = (&a.log.session().usage, &b.log.session().usage);
    let (runs, total_runs_differing) = super::usage::differing_runs(a, b);
    UsageDoc {
        a: one(a, Some(ba)),
        b: one(b, Some(bb)),
        tokens_change_pct: super::usage::tokens_change_pct(a, b),
        cost_change_pct: super::usage::cost_change_pct(a, b, prices),
        total_runs_differing,
        runs: runs
            .into_iter()
            .map(|r| RunUsageDoc {
                run: r.run,
                a: one(a, r.a),
                b: one(b, r.b),
            })
            .collect(),
    }
}

/// The JSON document; costs priced with `prices`.
pub fn render(a: &Side, b: &Side, cmp: &Comparison, prices: &Prices) -> String {
    let doc = Doc {
        orchscope_diff: 1,
        a: side(a),
        b: side(b),
        thresholds: ThresholdsDoc {
            latency_ratio: cmp.thresholds.ratio,
            latency_min_ms: cmp.thresholds.min_ms.round() as i64,
        },
        regressed: cmp.regressed(),
        counts: cmp.counts,
        total_differences: cmp.total(),
        differences: cmp.differences.iter().map(difference).collect(),
        context: cmp.context.as_ref().map(context),
        rules: cmp
            .rules
            .iter()
            .map(|r| RuleDoc {
                id: r.id,
                a: r.a.as_str(),
                b: r.b.as_str(),
                findings_a: r.findings.0,
                findings_b: r.findings.1,
                new_codes: &r.new_codes,
                gone_codes: &r.gone_codes,
                regression: r.regression,
            })
            .collect(),
        marks: &cmp.marks,
        usage: usage(a, b, prices),
    };
    json_pretty(&doc).unwrap_or_default()
}
