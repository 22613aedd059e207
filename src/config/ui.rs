//! The inspector's part of the config file: the theme and the `[keys]` table (with the line of
//! each entry, for errors), and the whole default config as `gen-config` prints it.

use super::{default_toml, read_file, read_text};
use std::path::Path;

/// The TUI's settings from the config file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UiSettings {
    pub theme: Option<String>,
    /// (action, keys, line) for each `[keys]` entry.
    pub keys: Vec<(String, Vec<String>, usize)>,
}

/// Parses the `theme` key and `[keys]` table of config text; errors name file, line and key.
pub fn parse_ui(text: &str, origin: &str) -> Result<UiSettings, String> {
    let file = read_file(text, origin)?;
    let line_of = |key: &str| {
        let section = text.lines().position(|l| l.trim() == "[keys]").unwrap_or(0);
        text.lines()
            .enumerate()
            .skip(section)
            .find(|(_, l)| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
            .map_or(section + 1, |(i, _)| i + 1)
    };
    let mut keys = Vec::new();
    for (action, v) in file.keys.unwrap_or_default() {
        let line = line_of(&action);
        let list = match &v {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect::<Option<Vec<_>>>().ok_or_else(|| format!("config error in {origin}, line {line}: keys.{action}: needs strings"))?,
            _ => return Err(format!("config error in {origin}, line {line}: keys.{action}: needs a key or a list of keys")),
        };
        keys.push((action, list, line));
    }
    Ok(UiSettings {
        theme: file.theme,
        keys,
    })
}

/// Loads the TUI's settings from the config file (defaults when there is none).
pub fn load_ui(flag: Option<&Path>) -> Result<(UiSettings, String), String> {
    match read_text(flag)? {
        None => Ok((UiSettings::default(), "config".into())),
        Some((text, origin)) => parse_ui(&text, &origin).map(|u| (u, origin)),
    }
}

/// The whole default config as `gen-config` prints it: the validators, the theme and every key
/// binding, each active at its default with a comment.
pub fn default_text() -> String {
    use crate::tui::keymap::Action;
    // A top-level key must come before the first table.
    let validators = default_toml();
    let (head, rules) = validators.split_once("\n\n").unwrap_or(("", &validators));
    let mut out = format!("{head}\n\n");
    out.push_str(
        "# The inspector's theme: default, light, high-contrast, mono, a name from the config\n",
    );
    out.push_str("# dir's themes/, or a path. --theme wins; NO_COLOR or --no-color mean mono.\n");
    out.push_str("theme = \"default\"\n\n");
    out.push_str(rules);
    out.push_str("\n# Key bindings: action = \"key\" or [\"key\", …]. A key bound twice is an error.\n[keys]\n");
    for a in Action::ALL {
        let keys: Vec<String> = a.defaults().iter().map(|k| format!("{k:?}")).collect();
        out.push_str(&format!(
            "# {}\n{} = [{}]\n",
            a.describe(),
            a.name(),
            keys.join(", ")
        ));
    }
    out
}
