//! The settings that name things (`progress.polling_tools`): a comma-separated list of names,
//! written as one string in the config file and on `--set`, checked here once for every source.
//! They sit beside the numeric thresholds of the settings table and appear with them in
//! `gen-config` and the README table.

use super::settings::{SettingError, Value};
use super::{Config, Thresholds};

/// One setting holding a list of names.
pub struct NameList {
    pub rule: &'static str,
    pub key: &'static str,
    pub description: &'static str,
    /// Where it lives in [`Thresholds`].
    field: fn(&mut Thresholds) -> &mut Vec<String>,
}

impl NameList {
    /// `rule.key`, as `--set` and `:rule` name it.
    pub fn name(&self) -> String {
        format!("{}.{}", self.rule, self.key)
    }
}

/// What a list setting accepts, in words.
pub const RANGE: &str = "a comma-separated list of names";

/// Every list setting (each empty by default).
pub const NAME_LISTS: [NameList; 1] = [NameList {
    rule: "progress",
    key: "polling_tools",
    description: "Tools called again by design (polling): their repeats are never a loop.",
    field: |t| &mut t.polling_tools,
}];

/// The names in `text`: split at commas, trimmed, empty ones dropped.
pub fn names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Sets `rule.key` when it is a list setting: `Ok(false)` when it is not one.
pub fn set(
    config: &mut Config,
    rule: &str,
    key: &str,
    value: Value<'_>,
) -> Result<bool, SettingError> {
    let Some(list) = NAME_LISTS.iter().find(|l| l.rule == rule && l.key == key) else {
        return Ok(false);
    };
    let text = match value {
        Value::Text(t) | Value::Quoted(t) => t.trim_matches('"'),
        _ => {
            return Err(SettingError::BadValue {
                name: list.name(),
                needs: RANGE,
                got: value.to_string(),
            })
        }
    };
    *(list.field)(&mut config.thresholds) = names(text);
    Ok(true)
}

/// The list settings of `rule` as `gen-config` prints them.
pub fn default_toml(rule: &str) -> String {
    NAME_LISTS
        .iter()
        .filter(|l| l.rule == rule)
        .map(|l| {
            format!(
                "# {} (A comma-separated list of names.)\n{} = \"\"\n",
                l.description, l.key
            )
        })
        .collect()
}

/// The list settings as rows of the README's settings table.
pub fn markdown_rows() -> String {
    NAME_LISTS
        .iter()
        .map(|l| format!("| `{}` | \"\" | {RANGE} | {} |\n", l.name(), l.description))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::settings::{
        default_toml as toml, markdown_table, set as set_text, set_value,
    };
    use super::*;

    #[test]
    fn a_list_is_split_at_commas_from_a_command_line_or_a_file() {
        let mut c = Config::default();
        assert!(c.thresholds.polling_tools.is_empty());
        set_text(&mut c, "progress.polling_tools", " check_job , wait,, ").unwrap();
        assert_eq!(c.thresholds.polling_tools, ["check_job", "wait"]);
        set_value(&mut c, "progress.polling_tools", Value::Quoted("status")).unwrap();
        assert_eq!(c.thresholds.polling_tools, ["status"]);
        let e = set_value(&mut c, "progress.polling_tools", Value::Other("an array"));
        assert!(e.unwrap_err().to_string().contains(RANGE));
        assert!(set_value(&mut c, "progress.polling_tools", Value::Number(3.0)).is_err());
        assert!(set_text(&mut c, "latency.polling_tools", "x").is_err());
    }

    #[test]
    fn the_generated_texts_carry_every_list() {
        for l in &NAME_LISTS {
            assert!(toml().contains(&format!("\n{} = \"\"\n", l.key)));
            assert!(markdown_table().contains(&format!("| `{}` | \"\" |", l.name())));
        }
    }
}
