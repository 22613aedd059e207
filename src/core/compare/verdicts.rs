//! The rule verdicts that changed from A to B: per rule, the status on each side, the finding
//! codes only B has and those only A had. A verdict worse in B (pass or skip → warn → fail), or
//! a new finding code of severity error, is a regression.

use crate::core::validate::{RuleResult, Severity, Status};
use std::collections::BTreeMap;

/// One rule whose verdict or findings changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleChange {
    pub id: &'static str,
    pub a: Status,
    pub b: Status,
    /// Findings on each side.
    pub findings: (usize, usize),
    /// Finding codes only B has, sorted.
    pub new_codes: Vec<String>,
    /// Finding codes only A had, sorted.
    pub gone_codes: Vec<String>,
    pub regression: bool,
}

impl RuleChange {
    /// The verdict is better in B.
    pub fn improved(&self) -> bool {
        rank(self.b) < rank(self.a)
    }
}

/// How bad a status is.
fn rank(s: Status) -> u8 {
    match s {
        Status::Pass | Status::Skip | Status::Pending => 0,
        Status::Warn => 1,
        Status::Fail => 2,
    }
}

/// Each finding code of a result, with its worst severity.
fn codes(r: &RuleResult) -> BTreeMap<&str, Severity> {
    let mut out = BTreeMap::new();
    for f in &r.findings {
        let worst = out.entry(f.code.as_str()).or_insert(f.severity);
        *worst = (*worst).max(f.severity);
    }
    out
}

pub(super) fn changes(a: &[RuleResult], b: &[RuleResult]) -> Vec<RuleChange> {
    let mut out = Vec::new();
    for rb in b {
        let Some(ra) = a.iter().find(|r| r.id == rb.id) else {
            continue;
        };
        let (ca, cb) = (codes(ra), codes(rb));
        let new: Vec<(&str, Severity)> = cb
            .iter()
            .filter(|(c, _)| !ca.contains_key(*c))
            .map(|(c, s)| (*c, *s))
            .collect();
        let gone: Vec<String> = ca
            .keys()
            .filter(|c| !cb.contains_key(*c))
            .map(|c| c.to_string())
            .collect();
        if ra.status == rb.status && new.is_empty() && gone.is_empty() {
            continue;
        }
        let regression =
            rank(rb.status) > rank(ra.status) || new.iter().any(|(_, s)| *s == Severity::Error);
        out.push(RuleChange {
            id: rb.id,
            a: ra.status,
            b: rb.status,
            findings: (ra.findings.len(), rb.findings.len()),
            new_codes: new.into_iter().map(|(c, _)| c.to_string()).collect(),
            gone_codes: gone,
            regression,
        });
    }
    out
}
