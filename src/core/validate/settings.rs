//! Every validator setting, defined once: each rule's `enabled` and `severity`, and each
//! threshold with its type, default, range and description. The config file, `--set`, the
//! inspector's `:rule`, `gen-config` and the documentation all go through this table, so the
//! same value is accepted or refused the same way everywhere.

use super::{Config, Severity, Thresholds, RULES};
use std::fmt;

/// What a threshold measures, which fixes its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A duration in seconds: any finite number from 0.
    Seconds,
    /// A share: a number from 0.0 to 1.0.
    Ratio,
    /// How many times: a whole number from 2.
    Count,
}

impl Unit {
    /// The values it allows, in words.
    pub fn range(self) -> &'static str {
        match self {
            Unit::Seconds => "a number of seconds, 0 or more",
            Unit::Ratio => "a number from 0.0 to 1.0",
            Unit::Count => "a whole number, 2 or more",
        }
    }

    fn allows(self, v: f64) -> bool {
        match self {
            Unit::Seconds => v.is_finite() && v >= 0.0,
            Unit::Ratio => (0.0..=1.0).contains(&v),
            Unit::Count => v.is_finite() && v >= 2.0 && v.fract() == 0.0,
        }
    }
}

/// One numeric threshold of one rule.
#[derive(Clone, Copy)]
pub struct Threshold {
    pub rule: &'static str,
    pub key: &'static str,
    pub unit: Unit,
    pub default: f64,
    pub description: &'static str,
    /// Where it lives in [`Thresholds`].
    field: fn(&mut Thresholds) -> &mut f64,
}

impl Threshold {
    /// `rule.key`, as `--set` and `:rule` name it.
    pub fn name(&self) -> String {
        format!("{}.{}", self.rule, self.key)
    }

    /// Its current value in `t`.
    pub fn get(&self, t: &Thresholds) -> f64 {
        let mut t = t.clone();
        *(self.field)(&mut t)
    }
}

impl fmt::Debug for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Threshold({})", self.name())
    }
}

/// Every threshold, in the order `gen-config` prints them.
pub const THRESHOLDS: [Threshold; 11] = [
    Threshold {
        rule: "error-recovery",
        key: "min_recovery_rate",
        unit: Unit::Ratio,
        default: 0.66,
        description: "Recovered failures / all failures must reach this.",
        field: |t| &mut t.min_recovery_rate,
    },
    Threshold {
        rule: "latency",
        key: "simple_max_s",
        unit: Unit::Seconds,
        default: 15.0,
        description: "A run with 0-1 sub-agents must finish within this.",
        field: |t| &mut t.simple_max_s,
    },
    Threshold {
        rule: "latency",
        key: "complex_max_s",
        unit: Unit::Seconds,
        default: 45.0,
        description: "A run with 2 or more sub-agents must finish within this.",
        field: |t| &mut t.complex_max_s,
    },
    Threshold {
        rule: "latency",
        key: "run_max_s",
        unit: Unit::Seconds,
        default: 60.0,
        description: "Every run must finish within this.",
        field: |t| &mut t.run_max_s,
    },
    Threshold {
        rule: "latency",
        key: "first_event_max_s",
        unit: Unit::Seconds,
        default: 3.0,
        description: "First frame of a run after the message that asked for it.",
        field: |t| &mut t.first_event_max_s,
    },
    Threshold {
        rule: "latency",
        key: "max_gap_s",
        unit: Unit::Seconds,
        default: 10.0,
        description: "Longest silence between frames of an active run (pings do not count).",
        field: |t| &mut t.max_gap_s,
    },
    Threshold {
        rule: "concurrency",
        key: "run_max_s",
        unit: Unit::Seconds,
        default: 30.0,
        description: "Each overlapping run must finish within this.",
        field: |t| &mut t.concurrency_run_max_s,
    },
    Threshold {
        rule: "concurrency",
        key: "min_success_rate",
        unit: Unit::Ratio,
        default: 0.8,
        description: "Share of overlapping runs that must succeed.",
        field: |t| &mut t.min_success_rate,
    },
    Threshold {
        rule: "progress",
        key: "loop_min_calls",
        unit: Unit::Count,
        default: 3.0,
        description: "Calls of one tool with equal arguments by one agent that make a loop.",
        field: |t| &mut t.loop_min_calls,
    },
    Threshold {
        rule: "progress",
        key: "loop_window_s",
        unit: Unit::Seconds,
        default: 60.0,
        description: "The repeats of a loop fall within this window.",
        field: |t| &mut t.loop_window_s,
    },
    Threshold {
        rule: "progress",
        key: "stall_s",
        unit: Unit::Seconds,
        default: 60.0,
        description: "A running agent with no event of its own (and no sub-agent at work) this long is stalled.",
        field: |t| &mut t.stall_s,
    },
];

/// What each rule checks, in words, in the order of [`RULES`] (the config's section comments).
pub const RULE_DESCRIPTIONS: [(&str, &str); 10] = [
    ("required-events", "The five critical event types appear; every completed run has started/thinking/completed."),
    ("lifecycle", "Per agent: nothing before its start, nothing after its completion, no duplicates."),
    ("tool-pairing", "Every tool_executing has exactly one tool_completed; no orphans, no duplicate ids."),
    ("hierarchy", "One root per run, no cycles, parents complete after their children."),
    ("context-integrity", "Context hashes agree across hand-offs and chain across turns; history is only appended."),
    ("error-recovery", "Failures are recovered (retry, fallback); the rate must reach min_recovery_rate."),
    ("latency", "Run durations by class, first response, and progress gaps (seconds)."),
    ("concurrency", "Runs that overlap in time: each under its cap, enough succeed, users and threads isolated."),
    ("stream-health", "Malformed frames, unknown types, seq gaps, duplicates, reconnects, oversize frames."),
    ("progress", "Tool loops (equal calls repeated), stalled agents, and tasks delegated again to the same sub-agent."),
];

/// The thresholds at their defaults.
pub fn default_thresholds() -> Thresholds {
    let mut t = Thresholds {
        min_recovery_rate: 0.0,
        simple_max_s: 0.0,
        complex_max_s: 0.0,
        run_max_s: 0.0,
        first_event_max_s: 0.0,
        max_gap_s: 0.0,
        concurrency_run_max_s: 0.0,
        min_success_rate: 0.0,
        loop_min_calls: 0.0,
        loop_window_s: 0.0,
        stall_s: 0.0,
        polling_tools: Vec::new(),
        prices: Default::default(),
    };
    for th in &THRESHOLDS {
        *(th.field)(&mut t) = th.default;
    }
    t
}

/// A value as its source gives it: untyped text from a command line, or a typed value from
/// a file (where `"20"` is a string, not a number).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// From a command line: whatever it parses as.
    Text(&'a str),
    /// A quoted string in a file.
    Quoted(&'a str),
    Bool(bool),
    Number(f64),
    /// Anything else a file can hold (a table, an array, a date), shown as written.
    Other(&'a str),
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) | Value::Other(s) => f.write_str(s),
            Value::Quoted(s) => write!(f, "{s:?}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
        }
    }
}

/// Why a setting was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingError {
    UnknownRule(String),
    UnknownSetting(String),
    /// `name` needs `needs`; `got` is the value given.
    BadValue {
        name: String,
        needs: &'static str,
        got: String,
    },
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingError::UnknownRule(id) => {
                let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
                write!(f, "unknown rule '{id}' (rules: {})", ids.join(", "))
            }
            SettingError::UnknownSetting(name) => {
                write!(f, "unknown setting '{name}' (see orchscope gen-config)")
            }
            SettingError::BadValue { name, needs, got } => {
                write!(f, "{name} needs {needs}, got '{got}'")
            }
        }
    }
}

impl std::error::Error for SettingError {}

/// The rule `id` as the table spells it.
pub fn rule_id(id: &str) -> Result<&'static str, SettingError> {
    RULES
        .iter()
        .map(|r| r.id)
        .find(|r| *r == id)
        .ok_or_else(|| SettingError::UnknownRule(id.to_string()))
}

/// Sets `name` (`rule.key`) from text, as `--set` and `:rule` give it.
pub fn set(config: &mut Config, name: &str, value: &str) -> Result<(), SettingError> {
    set_value(config, name, Value::Text(value.trim()))
}

/// Sets `name` (`rule.key`) to `value`: the one place every setting is checked.
pub fn set_value(config: &mut Config, name: &str, value: Value<'_>) -> Result<(), SettingError> {
    let (rule, key) = name
        .split_once('.')
        .ok_or_else(|| SettingError::UnknownSetting(name.to_string()))?;
    let rule = rule_id(rule.trim())?;
    let key = key.trim();
    let bad = |needs| SettingError::BadValue {
        name: format!("{rule}.{key}"),
        needs,
        got: value.to_string(),
    };
    match key {
        "enabled" => {
            let enabled = match value {
                Value::Bool(b) => b,
                Value::Text(t) => t.parse::<bool>().map_err(|_| bad("true or false"))?,
                _ => return Err(bad("true or false")),
            };
            let mut rc = config.rule(rule);
            rc.enabled = enabled;
            config.set_rule(rule, rc);
        }
        "severity" => {
            let needs = "\"error\" or \"warn\"";
            let severity = match value {
                Value::Text(t) | Value::Quoted(t) => match t.trim_matches('"') {
                    "error" => Severity::Error,
                    "warn" => Severity::Warn,
                    _ => return Err(bad(needs)),
                },
                _ => return Err(bad(needs)),
            };
            let mut rc = config.rule(rule);
            rc.severity = severity;
            config.set_rule(rule, rc);
        }
        _ if super::name_lists::set(config, rule, key, value)? => {}
        _ => {
            let th = THRESHOLDS
                .iter()
                .find(|t| t.rule == rule && t.key == key)
                .ok_or_else(|| SettingError::UnknownSetting(format!("{rule}.{key}")))?;
            let number = match value {
                Value::Number(n) => Some(n),
                Value::Text(t) => t.parse::<f64>().ok(),
                _ => None,
            };
            let v = number
                .filter(|v| th.unit.allows(*v))
                .ok_or_else(|| bad(th.unit.range()))?;
            *(th.field)(&mut config.thresholds) = v;
        }
    }
    Ok(())
}

/// The validators' part of the default config file, as `gen-config` prints it: every rule's
/// section with its switches and thresholds at their defaults, each with its description.
pub fn default_toml() -> String {
    let mut out = String::new();
    for (rule, description) in RULE_DESCRIPTIONS {
        out.push_str(&format!(
            "\n[validators.{rule}]\n# {description}\nenabled = true\nseverity = \"error\"\n"
        ));
        for th in THRESHOLDS.iter().filter(|t| t.rule == rule) {
            out.push_str(&format!(
                "# {} ({}.)\n{} = {:?}\n",
                th.description,
                capitalised(th.unit.range()),
                th.key,
                th.default
            ));
        }
        out.push_str(&super::name_lists::default_toml(rule));
    }
    out
}

/// The thresholds as a Markdown table (setting, default, range, meaning), for the README.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| setting | default | range | meaning |\n| --- | --- | --- | --- |\n");
    for th in &THRESHOLDS {
        out.push_str(&format!(
            "| `{}` | {:?} | {} | {} |\n",
            th.name(),
            th.default,
            th.unit.range(),
            th.description
        ));
    }
    out.push_str(&super::name_lists::markdown_rows());
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
