//! The config file (TOML) and command-line overrides, resolved into one validator [`Config`].
//! Every value is checked by the one settings table (`core/validate/settings.rs`). Owns the
//! defaults printed by `gen-config` and the loud, one-line errors naming file, line and
//! key for a typo.

use crate::core::validate::settings::{self, SettingError, Value};
use crate::core::validate::{Config, RULES};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The opening comment of the default config, as `gen-config` prints it.
const HEAD: &str = include_str!("default.toml");

/// The validators' part of the default config: every setting active at its default.
pub fn default_toml() -> String {
    format!("{HEAD}{}", settings::default_toml())
}

/// Each `[validators.RULE]` table: `key = value`, with where each value is.
type Sections = BTreeMap<String, Spanned<BTreeMap<String, Spanned<toml::Value>>>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    validators: Sections,
    /// The TUI's theme (a built-in name or a path); `--theme` wins.
    theme: Option<String>,
    /// The TUI's key bindings: `action = "key"` or `action = ["key", …]`.
    keys: Option<toml::Table>,
    /// Model prices over the built-in table: `[prices."model"] input = …, output = …`.
    prices: Option<toml::Table>,
}

/// The line (from 1) of byte `at` of `text`.
fn line_at(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// Parses config text; a mistake is one line naming the file, the line and the key.
fn read_file(text: &str, origin: &str) -> Result<FileConfig, String> {
    toml::from_str(text).map_err(|e| {
        let msg = e.message().lines().next().unwrap_or("invalid").to_string();
        match e.span() {
            Some(s) => format!(
                "config error in {origin}, line {}: {msg}",
                line_at(text, s.start)
            ),
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

/// A file's value as the settings table takes it.
fn file_value(v: &toml::Value) -> Value<'_> {
    match v {
        toml::Value::String(s) => Value::Quoted(s),
        toml::Value::Integer(i) => Value::Number(*i as f64),
        toml::Value::Float(f) => Value::Number(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(_) => Value::Other("a date"),
        toml::Value::Array(_) => Value::Other("an array"),
        toml::Value::Table(_) => Value::Other("a table"),
    }
}

/// Parses config text; `origin` names the file in errors. Every value goes through the
/// settings table, exactly as `--set` does.
pub fn parse(text: &str, origin: &str) -> Result<Config, String> {
    let file = read_file(text, origin)?;
    let mut c = Config::default();
    let at = |line: usize, e: SettingError| format!("config error in {origin}, line {line}: {e}");
    for (rule, entries) in &file.validators {
        let line = line_at(text, entries.span().start);
        settings::rule_id(rule).map_err(|e| at(line, e))?;
        for (key, value) in entries.get_ref() {
            let line = line_at(text, value.span().start);
            settings::set_value(
                &mut c,
                &format!("{rule}.{key}"),
                file_value(value.get_ref()),
            )
            .map_err(|e| at(line, e))?;
        }
    }
    if let Some(table) = &file.prices {
        c.thresholds.prices = std::sync::Arc::new(prices::read(table, origin)?);
    }
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

/// Reads and checks the config (validators and the TUI's part), for commands that use neither.
pub fn check(flag: Option<&Path>) -> Result<(), String> {
    load(flag)?;
    ui::load_ui(flag).map(|_| ())
}

/// Applies `--rule`, `--skip` and `--set RULE.KEY=VALUE`.
pub fn apply_flags(
    c: &mut Config,
    only: &[String],
    skip: &[String],
    set: &[String],
) -> Result<(), String> {
    let text = |e: SettingError| e.to_string();
    if !only.is_empty() {
        let only: Vec<&str> = only
            .iter()
            .map(|r| settings::rule_id(r))
            .collect::<Result<_, _>>()
            .map_err(text)?;
        for rule in RULES.iter().filter(|r| !only.contains(&r.id)) {
            settings::set(c, &format!("{}.enabled", rule.id), "false").map_err(text)?;
        }
    }
    for id in skip {
        if only.iter().any(|r| r.trim() == id.trim()) {
            // Both at once would leave nothing of that rule to run: a mistake, not a request.
            return Err(format!(
                "--rule {0} and --skip {0} contradict each other: give one of them",
                id.trim()
            ));
        }
        settings::set(c, &format!("{}.enabled", id.trim()), "false").map_err(text)?;
    }
    for s in set {
        set_one(c, s)?;
    }
    Ok(())
}

/// Sets one `RULE.KEY=VALUE`, as `--set` gives it.
pub fn set_one(c: &mut Config, s: &str) -> Result<(), String> {
    let bad = || format!("--set takes RULE.KEY=VALUE (e.g. latency.simple_max_s=20), got '{s}'");
    let (name, value) = s.split_once('=').ok_or_else(bad)?;
    if !name.contains('.') {
        return Err(bad());
    }
    settings::set(c, name.trim(), value).map_err(|e| e.to_string())
}

mod prices;
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
        let text = default_toml();
        let parsed = parse(&text, "default").unwrap();
        let defaults = Config::default();
        assert_eq!(parsed.thresholds, defaults.thresholds);
        for rule in RULES.iter() {
            assert_eq!(parsed.rule(rule.id), defaults.rule(rule.id), "{}", rule.id);
        }
        // Every rule has a section, every threshold a line.
        for rule in RULES.iter() {
            assert!(text.contains(&format!("[validators.{}]", rule.id)));
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
        assert_eq!(
            c.rule("latency").severity,
            crate::core::validate::Severity::Warn
        );
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
