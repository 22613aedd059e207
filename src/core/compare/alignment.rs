//! The whole alignment of A and B, equal items included, for a side-by-side view (`replay B
//! --against A`): one [`Aligned`] per run position, per aligned or unaligned agent and per tool
//! call, made by the same pass that finds the differences (`items`), so the view and `diff`
//! share one definition. Also its nesting (each run, its agents, each agent's calls under it)
//! and the mark a row carries: a glyph and a word, never colour alone. Pure.

use super::{Change, Kind};
use crate::core::session::Session;

/// One side of an aligned row: the item's index in its session (run, agent or call), its
/// status and its duration (latency for a call).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    pub ix: usize,
    pub status: &'static str,
    pub ms: Option<f64>,
}

/// One row of the alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Aligned {
    pub kind: Kind,
    /// The run's position, 0-based (runs are paired by position).
    pub run: usize,
    pub a: Option<Pick>,
    pub b: Option<Pick>,
    /// How it differs (`None`: equal within the thresholds).
    pub change: Option<Change>,
    pub regression: bool,
    /// Both sides present, paired by name (agent; tool and agent), and their ids differ.
    pub by_name: bool,
}

impl Aligned {
    pub fn differs(&self) -> bool {
        self.change.is_some()
    }
}

/// How a row's mark should read: worse in B, better, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Same,
    Worse,
    Better,
    Neutral,
}

/// A row's mark: a glyph, words, and how it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub glyph: &'static str,
    pub word: String,
    pub tone: Tone,
}

/// `+1.2s` / `-0.8s`.
fn delta(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:+.1}s", (b - a) / 1000.0),
        _ => String::new(),
    }
}

/// The mark of a row: `= same`, `+ added`, `- missing`, `✗ ok→error`, `▲ slower +1.2s`, …; a
/// run only one side has says so (`+ only in B`).
pub fn mark(r: &Aligned) -> Mark {
    let tone = match (r.change, r.regression) {
        (None, _) => Tone::Same,
        (Some(_), true) => Tone::Worse,
        (Some(Change::Faster), false) => Tone::Better,
        (Some(Change::Status), false) if r.b.is_some_and(|b| ok(b.status)) => Tone::Better,
        (Some(_), false) => Tone::Neutral,
    };
    let run = r.kind == Kind::Run;
    let (glyph, word) = match r.change {
        None => ("=", "same".to_string()),
        Some(Change::Added) if run => ("+", "only in B".to_string()),
        Some(Change::Missing) if run => ("-", "only in A".to_string()),
        Some(Change::Added) => ("+", "added".to_string()),
        Some(Change::Missing) => ("-", "missing".to_string()),
        Some(Change::Status) => {
            let st = |p: Option<Pick>| p.map_or("—", |p| p.status);
            let g = if tone == Tone::Worse { "✗" } else { "≠" };
            (g, format!("{}→{}", st(r.a), st(r.b)))
        }
        Some(c @ (Change::Slower | Change::Faster)) => {
            let d = delta(r.a.and_then(|p| p.ms), r.b.and_then(|p| p.ms));
            let g = if c == Change::Slower { "▲" } else { "▼" };
            (g, format!("{} {d}", c.as_str()))
        }
    };
    Mark { glyph, word, tone }
}

/// Whether a status is a success (an agent completed, a call ok).
fn ok(status: &str) -> bool {
    matches!(status, "completed" | "ok")
}

/// The rows in the order a tree reads: each run's row, then its agents in aligned order, each
/// followed by the calls it made (found by the call's agent on either side), then the run's
/// calls whose agent has no row. Indexes into `rows`; linear.
pub fn nest(rows: &[Aligned], a: &Session, b: &Session) -> Vec<usize> {
    let mut out = Vec::with_capacity(rows.len());
    let mut start = 0;
    while start < rows.len() {
        let run = rows[start].run;
        let end = (start..rows.len())
            .find(|&i| rows[i].run != run)
            .unwrap_or(rows.len());
        nest_run(rows, start..end, (a, b), &mut out);
        start = end;
    }
    out
}

/// One run's rows (`span`) in tree order.
fn nest_run(
    rows: &[Aligned],
    span: std::ops::Range<usize>,
    (a, b): (&Session, &Session),
    out: &mut Vec<usize>,
) {
    use rustc_hash::FxHashMap;
    // The agent row of each agent index, per side.
    let mut agent_row: [FxHashMap<usize, usize>; 2] = Default::default();
    for i in span.clone().filter(|&i| rows[i].kind == Kind::Agent) {
        for (side, p) in [rows[i].a, rows[i].b].into_iter().enumerate() {
            if let Some(p) = p {
                agent_row[side].insert(p.ix, i);
            }
        }
    }
    let mut under: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut loose = Vec::new();
    for i in span.clone().filter(|&i| rows[i].kind == Kind::ToolCall) {
        let agent_of = |side: usize, s: &Session, p: Option<Pick>| {
            let ag = s.calls.get(p?.ix)?.agent?;
            agent_row[side].get(&ag.index()).copied()
        };
        match agent_of(0, a, rows[i].a).or_else(|| agent_of(1, b, rows[i].b)) {
            Some(row) => under.entry(row).or_default().push(i),
            None => loose.push(i),
        }
    }
    for i in span.clone().filter(|&i| rows[i].kind == Kind::Run) {
        out.push(i);
    }
    for i in span.filter(|&i| rows[i].kind == Kind::Agent) {
        out.push(i);
        out.extend(under.remove(&i).unwrap_or_default());
    }
    out.extend(loose);
}

/// Rows `kept` (increasing), each preceded by its ancestors — the last row before it at each
/// smaller depth (`depth` of a row: 0 a run, 1 an agent, 2 a call) — once each, in order: a
/// diff's hunk header, saying where a difference is. Linear.
pub fn with_ancestors(
    depth: impl Fn(usize) -> u8,
    kept: impl Iterator<Item = usize>,
) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    // The last row seen at each depth.
    let mut last = [None::<usize>; 3];
    let mut from = 0;
    for e in kept {
        for i in from..e {
            let d = (depth(i) as usize).min(last.len() - 1);
            last[d] = Some(i);
            // A new run or agent: the rows below it so far were another's.
            last[d + 1..].fill(None);
        }
        from = e;
        for p in last.iter().take(depth(e) as usize).flatten() {
            if out.last().is_none_or(|l| l < p) {
                out.push(*p);
            }
        }
        out.push(e);
    }
    out
}
