//! Validators: the table of rules, the findings they produce, and how findings become a rule's
//! status (validators.md). Each rule is a pure function in its own file,
//! `fn(&Input, &Thresholds) -> Judgement`, stating its rule in its first line.

mod config;
pub mod settings;
pub use config::{Config, RuleConfig, Thresholds};
pub use util::FindingId;

use super::carries::Carries;
use super::intern::Interner;
use super::session::{AgentIx, Pos, RunIx, Session};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warn,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable `rule/what` code.
    pub code: String,
    pub severity: Severity,
    /// One line a person understands without the source.
    pub message: String,
    pub run: Option<RunIx>,
    pub agent: Option<AgentIx>,
    /// Evidence: 0-based frame positions.
    pub frames: Vec<Pos>,
}

/// What one rule returned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Judgement {
    pub findings: Vec<Finding>,
    /// Checks of the rule that could not be judged on this session, each with its reason.
    pub not_judged: Vec<String>,
    /// At least one check could be judged.
    pub judged: bool,
    /// Live, with runs still open: what the verdict depends on has not happened yet (a
    /// finding that only a completed session could show is held back until then).
    pub pending: bool,
}

/// What a rule reads.
pub struct Input<'a> {
    pub session: &'a Session,
    pub interner: &'a Interner,
    pub carries: Carries,
    /// Live: the time now on the receive clock (ms), so silence and open calls are judged as
    /// the clock passes their limits with no new frame; `None` for a finished file.
    pub now: Option<f64>,
}

impl Input<'_> {
    /// The string behind a symbol.
    pub fn name(&self, sym: Option<super::intern::Sym>) -> &str {
        sym.map_or("?", |s| self.interner.resolve(s))
    }
}

/// A rule: its id and its check.
pub struct Rule {
    pub id: &'static str,
    pub check: fn(&Input, &Thresholds) -> Judgement,
}

/// A rule's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Skip,
    /// Live: waiting for runs to complete before it can be judged (never for a file).
    Pending,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Skip => "skip",
            Status::Pending => "pending",
        }
    }
}

/// The outcome of one rule on one session.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub id: &'static str,
    pub status: Status,
    pub reason: Option<String>,
    /// All findings (reports list at most 1,000).
    pub findings: Vec<Finding>,
}

/// Runs every rule of the table with `config`.
pub fn run(input: &Input, config: &Config) -> Vec<RuleResult> {
    RULES
        .iter()
        .map(|rule| {
            let rc = config.rule(rule.id);
            if !rc.enabled {
                return RuleResult {
                    id: rule.id,
                    status: Status::Skip,
                    reason: Some("switched off".into()),
                    findings: Vec::new(),
                };
            }
            let mut j = (rule.check)(input, &config.thresholds);
            if rc.severity == Severity::Warn {
                for f in &mut j.findings {
                    if f.severity == Severity::Error {
                        f.severity = Severity::Warn;
                    }
                }
            }
            verdict(rule.id, j)
        })
        .collect()
}

/// Turns a judgement into a status and reason.
pub fn verdict(id: &'static str, j: Judgement) -> RuleResult {
    let worst = j.findings.iter().map(|f| f.severity).max();
    let status = if j.pending && j.findings.is_empty() {
        Status::Pending
    } else if !j.judged && j.findings.is_empty() {
        Status::Skip
    } else {
        match worst {
            Some(Severity::Error) => Status::Fail,
            Some(Severity::Warn) => Status::Warn,
            _ => Status::Pass,
        }
    };
    let reason = if status == Status::Pending {
        Some("waiting for the open runs to complete".to_owned())
    } else if j.not_judged.is_empty() {
        None
    } else {
        Some(j.not_judged.join("; "))
    };
    RuleResult {
        id,
        status,
        reason,
        findings: j.findings,
    }
}

/// Every rule, in report order.
pub const RULES: [Rule; 10] = [
    Rule {
        id: "required-events",
        check: required_events::check,
    },
    Rule {
        id: "lifecycle",
        check: lifecycle::check,
    },
    Rule {
        id: "tool-pairing",
        check: tool_pairing::check,
    },
    Rule {
        id: "hierarchy",
        check: hierarchy::check,
    },
    Rule {
        id: "context-integrity",
        check: context_integrity::check,
    },
    Rule {
        id: "error-recovery",
        check: error_recovery::check,
    },
    Rule {
        id: "latency",
        check: latency::check,
    },
    Rule {
        id: "concurrency",
        check: concurrency::check,
    },
    Rule {
        id: "stream-health",
        check: stream_health::check,
    },
    Rule {
        id: "progress",
        check: progress::check,
    },
];

mod concurrency;
mod context_integrity;
mod error_recovery;
pub mod evidence;
mod hierarchy;
mod latency;
mod lifecycle;
pub mod live;
pub mod name_lists;
mod progress;
mod required_events;
mod stall;
mod stream_health;
mod tool_pairing;
mod util;
mod wasted;

#[cfg(test)]
mod tests;
