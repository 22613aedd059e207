//! The config file (TOML) and command-line overrides, resolved into one validator [`Config`].
//! Owns the defaults printed by `gen-config` and the loud, one-line errors naming file, line and
//! key for a typo.

use crate::core::validate::{Config, RuleConfig, Severity, Thresholds, RULES};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The default config, as `gen-config` prints it: every setting active at its default.
pub const DEFAULT_TOML: &str = include_str!("default.toml");

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    validators: Validators,
    /// The TUI's theme (a built-in name or a path); `--theme` wins.
    theme: Option<String>,
    /// The TUI's key bindings: `action = "key"` or `action = ["key", …]`.
    keys: Option<toml::Table>,
}

/// Parses config text; a mistake is one line naming the file, the line and the key.
fn read_file(text: &str, origin: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let msg = e.message().lines().next().unwrap_or("invalid").to_string();
        match line {
            Some(l) => format!("config error in {origin}, line {l}: {msg}"),
            None => format!("config error in {origin}: {msg}"),
        }
    })
}

/// The config file's text and name, if there is one.
fn read_text(flag: Option<&Path>) -> Result<Option<(String, String)>, String> {
    let Some(path) = locate(flag) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read config {}: {e}", path.display()))?;
    Ok(Some((text, path.display().to_string())))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Validators {
    required_events: Option<Basic>,
    lifecycle: Option<Basic>,
    tool_pairing: Option<Basic>,
    hierarchy: Option<Basic>,
    context_integrity: Option<Basic>,
    error_recovery: Option<ErrorRecovery>,
    latency: Option<Latency>,
    concurrency: Option<Concurrency>,
    stream_health: Option<Basic>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Sev {
    Error,
    Warn,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Basic {
    enabled: Option<bool>,
    severity: Option<Sev>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorRecovery {
    enabled: Option<bool>,
    severity: Option<Sev>,
    min_recovery_rate: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Latency {
    enabled: Option<bool>,
    severity: Option<Sev>,
    simple_max_s: Option<f64>,
    complex_max_s: Option<f64>,
    run_max_s: Option<f64>,
    first_event_max_s: Option<f64>,
    max_gap_s: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Concurrency {
    enabled: Option<bool>,
    severity: Option<Sev>,
    run_max_s: Option<f64>,
    min_success_rate: Option<f64>,
}

fn rule_config(enabled: Option<bool>, severity: Option<Sev>) -> RuleConfig {
    RuleConfig {
        enabled: enabled.unwrap_or(true),
        severity: match severity {
            Some(Sev::Warn) => Severity::Warn,
            _ => Severity::Error,
        },
    }
}

/// Parses config text; `origin` names the file in errors.
pub fn parse(text: &str, origin: &str) -> Result<Config, String> {
    let file = read_file(text, origin)?;
    let mut c = Config::default();
    let v = file.validators;
    let mut t = Thresholds::default();
    let basics = [
        ("required-events", &v.required_events),
        ("lifecycle", &v.lifecycle),
        ("tool-pairing", &v.tool_pairing),
        ("hierarchy", &v.hierarchy),
        ("context-integrity", &v.context_integrity),
        ("stream-health", &v.stream_health),
    ];
    for (id, b) in basics {
        if let Some(b) = b {
            c.set_rule(id, rule_config(b.enabled, b.severity));
        }
    }
    if let Some(e) = &v.error_recovery {
        c.set_rule("error-recovery", rule_config(e.enabled, e.severity));
        t.min_recovery_rate = e.min_recovery_rate.unwrap_or(t.min_recovery_rate);
    }
    if let Some(l) = &v.latency {
        c.set_rule("latency", rule_config(l.enabled, l.severity));
        t.simple_max_s = l.simple_max_s.unwrap_or(t.simple_max_s);
        t.complex_max_s = l.complex_max_s.unwrap_or(t.complex_max_s);
        t.run_max_s = l.run_max_s.unwrap_or(t.run_max_s);
        t.first_event_max_s = l.first_event_max_s.unwrap_or(t.first_event_max_s);
        t.max_gap_s = l.max_gap_s.unwrap_or(t.max_gap_s);
    }
    if let Some(cc) = &v.concurrency {
        c.set_rule("concurrency", rule_config(cc.enabled, cc.severity));
        t.concurrency_run_max_s = cc.run_max_s.unwrap_or(t.concurrency_run_max_s);
        t.min_success_rate = cc.min_success_rate.unwrap_or(t.min_success_rate);
    }
    c.thresholds = t;
    Ok(c)
}

/// Where the config is read from: `--config`, else `ORCHSCOPE_CONFIG`, else the platform
/// config dir's `config.toml` (only if it exists).
pub fn locate(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("ORCHSCOPE_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let dirs = directories::ProjectDirs::from("", "", "orchscope")?;
    let p = dirs.config_dir().join("config.toml");
    p.exists().then_some(p)
}

/// Loads the config (defaults when there is none).
pub fn load(flag: Option<&Path>) -> Result<Config, String> {
    match read_text(flag)? {
        None => Ok(Config::default()),
        Some((text, origin)) => parse(&text, &origin),
    }
}

fn known_rule(id: &str) -> Result<&'static str, String> {
    RULES
        .iter()
        .map(|r| r.id)
        .find(|r| *r == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            format!("unknown rule '{id}' (rules: {})", ids.join(", "))
        })
}

/// Applies `--rule`, `--skip` and `--set RULE.KEY=VALUE`.
pub fn apply_flags(
    c: &mut Config,
    only: &[String],
    skip: &[String],
    set: &[String],
) -> Result<(), String> {
    if !only.is_empty() {
        let only: Vec<&str> = only
            .iter()
            .map(|r| known_rule(r))
            .collect::<Result<_, _>>()?;
        for rule in RULES.iter() {
            if !only.contains(&rule.id) {
                let mut rc = c.rule(rule.id);
                rc.enabled = false;
                c.set_rule(rule.id, rc);
            }
        }
    }
    for id in skip {
        let id = known_rule(id)?;
        let mut rc = c.rule(id);
        rc.enabled = false;
        c.set_rule(id, rc);
    }
    for s in set {
        set_one(c, s)?;
    }
    Ok(())
}

/// Sets one `RULE.KEY=VALUE` (also used by the TUI's `:rule` command).
pub fn set_one(c: &mut Config, s: &str) -> Result<(), String> {
    let bad = || format!("--set takes RULE.KEY=VALUE (e.g. latency.simple_max_s=20), got '{s}'");
    let (lhs, value) = s.split_once('=').ok_or_else(bad)?;
    let (rule, key) = lhs.trim().split_once('.').ok_or_else(bad)?;
    let rule = known_rule(rule.trim())?;
    let key = key.trim();
    let value = value.trim();
    let number = || {
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("{rule}.{key} needs a non-negative number, got '{value}'"))
    };
    let t = &mut c.thresholds;
    match (rule, key) {
        (_, "enabled") => {
            let mut rc = c.rule(rule);
            rc.enabled = value
                .parse::<bool>()
                .map_err(|_| format!("{rule}.enabled needs true or false, got '{value}'"))?;
            c.set_rule(rule, rc);
        }
        (_, "severity") => {
            let mut rc = c.rule(rule);
            rc.severity = match value.trim_matches('"') {
                "error" => Severity::Error,
                "warn" => Severity::Warn,
                _ => {
                    return Err(format!(
                        "{rule}.severity needs \"error\" or \"warn\", got '{value}'"
                    ))
                }
            };
            c.set_rule(rule, rc);
        }
        ("error-recovery", "min_recovery_rate") => t.min_recovery_rate = number()?,
        ("latency", "simple_max_s") => t.simple_max_s = number()?,
        ("latency", "complex_max_s") => t.complex_max_s = number()?,
        ("latency", "run_max_s") => t.run_max_s = number()?,
        ("latency", "first_event_max_s") => t.first_event_max_s = number()?,
        ("latency", "max_gap_s") => t.max_gap_s = number()?,
        ("concurrency", "run_max_s") => t.concurrency_run_max_s = number()?,
        ("concurrency", "min_success_rate") => t.min_success_rate = number()?,
        _ => {
            return Err(format!(
                "unknown setting '{rule}.{key}' (see orchscope gen-config)"
            ))
        }
    }
    Ok(())
}

mod ui;
pub use ui::{default_text, load_ui, parse_ui, UiSettings};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_printed_config_parses_back_to_the_defaults() {
        use crate::tui::keymap::{Action, Keymap};
        let text = default_text();
        let ui = parse_ui(&text, "gen-config").unwrap();
        assert_eq!(ui.theme.as_deref(), Some("default"));
        let printed = Keymap::with_overrides(&ui.keys).unwrap();
        let defaults = Keymap::default();
        for a in Action::ALL {
            assert_eq!(printed.keys(*a), defaults.keys(*a), "{}", a.name());
        }
        assert_eq!(ui.keys.len(), Action::ALL.len());
        let parsed = parse(&text, "gen-config").unwrap();
        assert_eq!(parsed.thresholds, Config::default().thresholds);
    }

    #[test]
    fn printed_defaults_parse_back_to_the_defaults() {
        let parsed = parse(DEFAULT_TOML, "default").unwrap();
        let defaults = Config::default();
        assert_eq!(parsed.thresholds, defaults.thresholds);
        for rule in RULES.iter() {
            assert_eq!(parsed.rule(rule.id), defaults.rule(rule.id), "{}", rule.id);
        }
        // Every rule has a section, every threshold a line.
        for rule in RULES.iter() {
            assert!(DEFAULT_TOML.contains(&format!("[validators.{}]", rule.id)));
        }
    }

    #[test]
    fn typo_names_file_line_and_key() {
        let err = parse(
            "[validators.latency]\nenabled = true\nsimple_max = 3\n",
            "my.toml",
        )
        .unwrap_err();
        assert!(err.contains("my.toml"), "{err}");
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("simple_max"), "{err}");
        assert!(!err.contains('\n'));
        let err = parse("[validators.latncy]\n", "x.toml").unwrap_err();
        assert!(err.contains("latncy"), "{err}");
    }

    #[test]
    fn ui_settings_parse_with_lines() {
        let u = parse_ui(
            "theme = \"light\"\n[keys]\nquit = \"Q\"\nhelp = [\"?\", \"h\"]\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(u.theme.as_deref(), Some("light"));
        assert!(u.keys.contains(&("quit".into(), vec!["Q".into()], 3)));
        assert!(u
            .keys
            .contains(&("help".into(), vec!["?".into(), "h".into()], 4)));
        assert!(parse_ui("[keys]\nquit = 3\n", "c.toml")
            .unwrap_err()
            .contains("line 2"));
        assert!(parse("theme = \"mono\"\n[keys]\nquit = \"Q\"\n", "c").is_ok());
    }

    #[test]
    fn values_and_flags_apply() {
        let mut c = parse(
            "[validators.latency]\nsimple_max_s = 20.0\nseverity = \"warn\"\n",
            "x",
        )
        .unwrap();
        assert_eq!(c.thresholds.simple_max_s, 20.0);
        assert_eq!(c.rule("latency").severity, Severity::Warn);
        apply_flags(
            &mut c,
            &[],
            &["hierarchy".into()],
            &["concurrency.min_success_rate=0.5".into()],
        )
        .unwrap();
        assert!(!c.rule("hierarchy").enabled);
        assert_eq!(c.thresholds.min_success_rate, 0.5);
        apply_flags(&mut c, &["latency".into()], &[], &[]).unwrap();
        assert!(!c.rule("lifecycle").enabled);
        assert!(c.rule("latency").enabled);
        assert!(apply_flags(&mut c, &["nope".into()], &[], &[]).is_err());
        assert!(set_one(&mut c, "latency.simple_max_s=-1").is_err());
        assert!(set_one(&mut c, "latency.bogus=1").is_err());
        assert!(set_one(&mut c, "latency").is_err());
    }
}
