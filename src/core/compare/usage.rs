//! The two sessions' model usage side by side: the whole session's, and each pair of runs (by
//! position, as the runs are paired) whose tokens or model calls differ. Informative: a change
//! in usage is not by itself a regression. Costs are priced by the renderers, from one table.

use super::Side;
use crate::core::usage::pricing::{cost, Prices};
use crate::core::usage::Book;

/// At most this many run pairs are listed; the count covers all.
pub const MAX_RUNS_LISTED: usize = 1000;

/// One pair of runs whose usage differs: its 1-based position and each side's book (`None`: the
/// run is missing on that side, or reported no usage).
pub struct RunUsage<'a> {
    pub run: usize,
    pub a: Option<&'a Book>,
    pub b: Option<&'a Book>,
}

/// The run pairs whose usage differs (at most [`MAX_RUNS_LISTED`]), and how many differ in all.
pub fn differing_runs<'a>(a: &Side<'a>, b: &Side<'a>) -> (Vec<RunUsage<'a>>, usize) {
    let (sa, sb) = (a.log.session(), b.log.session());
    let book = |s: &'a crate::core::session::Session, r: usize| {
        s.runs
            .get(r)
            .and_then(|run| run.usage.as_deref())
            .filter(|b| !b.is_empty())
    };
    let mut listed = Vec::new();
    let mut total = 0;
    for r in 0..sa.runs.len().max(sb.runs.len()) {
        let (x, y) = (book(sa, r), book(sb, r));
        if same(x, y) {
            continue;
        }
        total += 1;
        if listed.len() < MAX_RUNS_LISTED {
            listed.push(RunUsage {
                run: r + 1,
                a: x,
                b: y,
            });
        }
    }
    (listed, total)
}

/// The same tokens and model calls (models are named by each log's own symbols, so books are
/// compared by their totals).
fn same(a: Option<&Book>, b: Option<&Book>) -> bool {
    let key = |b: Option<&Book>| b.map(|b| (b.tokens(), b.calls()));
    key(a) == key(b)
}

/// How B's figure changed against A's, as a signed percentage (`None` when A's is zero).
pub fn change_pct(a: f64, b: f64) -> Option<f64> {
    (a > 0.0).then(|| (b - a) / a * 100.0)
}

/// How B's session input and output tokens changed against A's, in percent (`None` when A has
/// none).
pub fn tokens_change_pct(a: &Side, b: &Side) -> Option<f64> {
    let total = |s: &Side| s.log.session().usage.tokens().total() as f64;
    change_pct(total(a), total(b))
}

/// How B's session cost changed against A's, in percent: `None` unless both are priced in full
/// (a partly priced sum would compare unlike things).
pub fn cost_change_pct(a: &Side, b: &Side, prices: &Prices) -> Option<f64> {
    let priced = |s: &Side| {
        let c = cost(prices, &s.log.session().usage, |m| {
            s.log.interner.resolve(m)
        });
        (c.priced && c.complete()).then_some(c.usd)
    };
    change_pct(priced(a)?, priced(b)?)
}
