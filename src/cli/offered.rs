//! Value parsers that offer their values to shell completions and `--help` while keeping
//! orchscope's own checks and messages: the `--format-in` names, the rule ids of `--rule` and
//! `--skip`, and the built-in theme names of `--theme` (which also takes a path). Each list comes
//! from its one definition (`import::Format::ALL`, `validate::RULES`, `theme::BUILTIN`).

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{Error, ErrorKind};

/// Parses with `parse` and offers `names()` as the possible values.
#[derive(Clone)]
pub struct Offered<T> {
    names: fn() -> Vec<&'static str>,
    parse: fn(&str) -> Result<T, String>,
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Offered<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, Error> {
        let text = value.to_str().ok_or_else(|| {
            Error::raw(ErrorKind::InvalidUtf8, "the value is not valid UTF-8\n").with_cmd(cmd)
        })?;
        (self.parse)(text).map_err(|why| {
            let flag = arg.map_or_else(String::new, |a| format!(" for '{a}'"));
            let text = format!("invalid value '{text}'{flag}: {why}\n");
            Error::raw(ErrorKind::InvalidValue, text).with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.names)().into_iter().map(PossibleValue::new)))
    }
}

fn format_names() -> Vec<&'static str> {
    crate::core::import::Format::ALL
        .iter()
        .map(|f| f.name())
        .collect()
}

fn rule_ids() -> Vec<&'static str> {
    crate::core::validate::RULES.iter().map(|r| r.id).collect()
}

fn theme_names() -> Vec<&'static str> {
    crate::tui::theme::BUILTIN.iter().map(|(n, _)| *n).collect()
}

fn parse_format(s: &str) -> Result<crate::core::import::Format, String> {
    crate::core::import::Format::from_name(s)
        .ok_or_else(|| format!("unknown format (one of: {})", format_names().join(", ")))
}

fn any_text(s: &str) -> Result<String, String> {
    Ok(s.to_owned())
}

/// `--format-in NAME`: one of the importers' names.
pub fn format_in() -> Offered<crate::core::import::Format> {
    Offered {
        names: format_names,
        parse: parse_format,
    }
}

/// `--rule ID` / `--skip ID`: checked later against the rules table, with its own message.
pub fn rule_id() -> Offered<String> {
    Offered {
        names: rule_ids,
        parse: any_text,
    }
}

/// `--theme NAME|PATH`: the built-in names are offered, any path is taken.
pub fn theme() -> Offered<String> {
    Offered {
        names: theme_names,
        parse: any_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<T: Clone + Send + Sync + 'static>(o: &Offered<T>) -> Vec<String> {
        o.possible_values()
            .map(|v| v.map(|p| p.get_name().to_owned()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn each_list_is_offered_from_its_one_definition() {
        assert_eq!(names(&rule_id()).len(), crate::core::validate::RULES.len());
        assert!(names(&theme()).contains(&"high-contrast".to_owned()));
        let formats = names(&format_in());
        assert_eq!(formats.len(), crate::core::import::Format::ALL.len());
        assert!(parse_format("no-such-format").is_err());
        assert_eq!(
            any_text("./my-theme.toml"),
            Ok("./my-theme.toml".to_owned())
        );
    }
}
