//! Comparing two sessions (`orchscope diff A B`): their runs paired by position, within each
//! run the agents (keyed by name) and the tool calls (keyed by tool and agent name) aligned by
//! longest common subsequence, and what differs — added, missing, changed in status, slower or
//! faster beyond the thresholds —; the first turn whose context hash differs, with the
//! structural diff of the two contexts; the rule verdicts that changed; and the model usage of
//! both (informative). Each difference says whether B regresses against A. Pure: reads two logs
//! and their rule results.

pub mod alignment;
mod context;
mod items;
pub mod json;
pub mod marks;
#[cfg(test)]
mod tests;
pub mod text;
pub mod usage;
mod verdicts;

pub use context::{ContextDivergence, TurnSide};
pub use verdicts::RuleChange;

use super::log::Log;
use super::validate::RuleResult;

/// At most this many differences are listed; the counts cover all.
pub const MAX_LISTED: usize = 1000;

/// One session to compare: where it came from, its log and the rules' results on it.
pub struct Side<'a> {
    pub source: &'a str,
    /// The input format's `--format-in` name.
    pub format: &'a str,
    pub log: &'a Log,
    pub results: &'a [RuleResult],
}

/// When a duration counts as changed: by more than `ratio` of A's and by more than `min_ms`,
/// both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub ratio: f64,
    pub min_ms: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            ratio: 0.5,
            min_ms: 1000.0,
        }
    }
}

impl Thresholds {
    /// Whether going from `a` to `b` milliseconds is slower (`Some(true)`) or faster
    /// (`Some(false)`) beyond the thresholds.
    pub fn judge(&self, a: f64, b: f64) -> Option<bool> {
        let beyond = |from: f64, to: f64| to - from > self.min_ms && to > from * (1.0 + self.ratio);
        if beyond(a, b) {
            Some(true)
        } else if beyond(b, a) {
            Some(false)
        } else {
            None
        }
    }
}

/// What a difference is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Run,
    Agent,
    ToolCall,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Agent => "agent",
            Kind::ToolCall => "tool_call",
        }
    }
}

/// How it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only B has it.
    Added,
    /// Only A has it.
    Missing,
    /// Both have it, in different statuses.
    Status,
    /// Both have it; B took longer beyond the thresholds.
    Slower,
    /// Both have it; B was quicker beyond the thresholds.
    Faster,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Missing => "missing",
            Change::Status => "status",
            Change::Slower => "slower",
            Change::Faster => "faster",
        }
    }
}

/// One side of a difference: the item's id, status and duration (latency for a tool call).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: Option<String>,
    pub status: &'static str,
    pub ms: Option<f64>,
}

/// One thing that differs between A and B.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub kind: Kind,
    pub change: Change,
    /// The run's position, 1-based, and its id on each side.
    pub run: usize,
    pub run_ids: (Option<String>, Option<String>),
    /// The agent's name, the tool's name, or the run's id.
    pub name: String,
    /// The agent of a tool call.
    pub agent: Option<String>,
    pub a: Option<Item>,
    pub b: Option<Item>,
    /// B is worse here: a new failure, something that was ok now failed or missing, slower.
    pub regression: bool,
}

/// How many differences of each change, and how many of them (rules included) regress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub added: usize,
    pub missing: usize,
    pub status: usize,
    pub slower: usize,
    pub faster: usize,
    pub regressions: usize,
}

/// Everything that differs from A to B.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    pub thresholds: Thresholds,
    /// Listed differences, at most [`MAX_LISTED`], in run order.
    pub differences: Vec<Difference>,
    pub counts: Counts,
    pub context: Option<ContextDivergence>,
    pub rules: Vec<RuleChange>,
    /// Every row of the alignment, equal ones included, when asked for ([`compare_aligned`]).
    pub rows: Option<Vec<alignment::Aligned>>,
    /// The bookmarks and notes of A, then of B, each with the item it is on.
    pub marks: Vec<marks::SideMark>,
}

impl Comparison {
    /// Every difference, listed or not.
    pub fn total(&self) -> usize {
        let c = &self.counts;
        c.added + c.missing + c.status + c.slower + c.faster
    }

    /// B regresses against A.
    pub fn regressed(&self) -> bool {
        self.counts.regressions > 0
    }

    fn push(&mut self, d: Difference) {
        let c = &mut self.counts;
        *match d.change {
            Change::Added => &mut c.added,
            Change::Missing => &mut c.missing,
            Change::Status => &mut c.status,
            Change::Slower => &mut c.slower,
            Change::Faster => &mut c.faster,
        } += 1;
        c.regressions += usize::from(d.regression);
        if self.differences.len() < MAX_LISTED {
            self.differences.push(d);
        }
    }
}

/// Compares B against A.
pub fn compare(a: &Side, b: &Side, thresholds: Thresholds) -> Comparison {
    compare_into(a, b, thresholds, None)
}

/// Compares B against A and keeps the whole alignment too (`replay B --against A`).
pub fn compare_aligned(a: &Side, b: &Side, thresholds: Thresholds) -> Comparison {
    compare_into(a, b, thresholds, Some(Vec::new()))
}

fn compare_into(
    a: &Side,
    b: &Side,
    thresholds: Thresholds,
    rows: Option<Vec<alignment::Aligned>>,
) -> Comparison {
    let mut out = Comparison {
        thresholds,
        rows,
        ..Comparison::default()
    };
    items::runs(a, b, &mut out);
    out.context = context::first_divergence(a, b);
    out.rules = verdicts::changes(a.results, b.results);
    out.marks = marks::of(a, b);
    out.counts.regressions += out.rules.iter().filter(|r| r.regression).count();
    out
}
