//! The flags of `orchscope diff A B`: the two sources, the output format, the rules' settings
//! (as `validate` takes them) and the latency thresholds.

use super::SummaryFormat;
use clap::Args;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The reference session (a file, `-` for stdin, or a session id prefix)
    #[arg(value_name = "A")]
    pub a: String,
    /// The session compared against it (a file, `-`, or a session id prefix)
    #[arg(value_name = "B")]
    pub b: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    #[command(flatten)]
    pub latency: Latency,
    #[command(flatten)]
    pub rule_args: super::RuleArgs,
    /// Input format of both (default: detected from the first lines of each)
    #[arg(long, value_name = "NAME", value_parser = super::offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
}

/// When a duration counts as changed (`diff`, `replay --against`).
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct Latency {
    /// A duration differs when it changed by more than this percentage of A's… [default: 50]
    #[arg(long, value_name = "PCT", value_parser = non_negative)]
    pub latency_threshold: Option<f64>,
    /// …and by more than this many seconds [default: 1]
    #[arg(long, value_name = "S", value_parser = non_negative)]
    pub latency_min: Option<f64>,
}

impl Latency {
    pub fn thresholds(self) -> crate::core::compare::Thresholds {
        let default = crate::core::compare::Thresholds::default();
        crate::core::compare::Thresholds {
            ratio: self
                .latency_threshold
                .map_or(default.ratio, |pct| pct / 100.0),
            min_ms: self.latency_min.map_or(default.min_ms, |s| s * 1000.0),
        }
    }

    /// Whether either threshold was given.
    pub fn given(self) -> bool {
        self.latency_threshold.is_some() || self.latency_min.is_some()
    }
}

/// A finite number ≥ 0 (a trailing `%` allowed).
fn non_negative(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err("expected a number ≥ 0".to_string()),
    }
}
