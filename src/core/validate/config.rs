//! Validator settings: which rules run, their severity, and the thresholds (validators.md),
//! with the compiled-in defaults.

use super::Severity;

/// The numeric thresholds the rules read.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub min_recovery_rate: f64,
    pub simple_max_s: f64,
    pub complex_max_s: f64,
    pub run_max_s: f64,
    pub first_event_max_s: f64,
    pub max_gap_s: f64,
    pub concurrency_run_max_s: f64,
    pub min_success_rate: f64,
    pub loop_min_calls: f64,
    pub loop_window_s: f64,
    pub stall_s: f64,
    /// Tools that are called again by design (polling), never a loop.
    pub polling_tools: Vec<String>,
    /// The pricing table costs are computed with (the config's `[prices]` over the built-in).
    pub prices: std::sync::Arc<crate::core::usage::pricing::Prices>,
}

impl Default for Thresholds {
    /// The defaults of the settings table (`settings.rs`).
    fn default() -> Self {
        super::settings::default_thresholds()
    }
}

/// Per-rule switches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RuleConfig {
    pub enabled: bool,
    /// `Warn` downgrades the rule's errors.
    pub severity: Severity,
}

impl Default for RuleConfig {
    fn default() -> Self {
        RuleConfig {
            enabled: true,
            severity: Severity::Error,
        }
    }
}

/// Every validator setting.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub rules: Vec<(&'static str, RuleConfig)>,
    pub thresholds: Thresholds,
}

impl Config {
    /// A rule's switches (defaults when not set).
    pub fn rule(&self, id: &str) -> RuleConfig {
        self.rules
            .iter()
            .find(|(r, _)| *r == id)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }

    /// Sets a rule's switches.
    pub fn set_rule(&mut self, id: &'static str, config: RuleConfig) {
        match self.rules.iter_mut().find(|(r, _)| *r == id) {
            Some(slot) => slot.1 = config,
            None => self.rules.push((id, config)),
        }
    }
}
