//! A command line clap refused, as the one line orchscope prints: what was wrong (a missing
//! argument named as `<FILE>`), and the `--help` of the command that was being written.

use clap::error::{ContextKind, ContextValue, Error, ErrorKind};

/// The command being written: from clap's usage line (`Usage: orchscope replay [OPTIONS]
/// <FILE>` gives `orchscope replay`), else the first argument that names a command.
fn command_path(rendered: &str, args: &[String]) -> String {
    let usage = rendered
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("Usage: "));
    let words: Vec<&str> = usage
        .unwrap_or_default()
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect();
    if words.len() > 1 {
        return words.join(" ");
    }
    let cli = <crate::cli::Cli as clap::CommandFactory>::command();
    let named = args
        .iter()
        .skip(1)
        .find(|a| cli.get_subcommands().any(|c| c.get_name() == a.as_str()));
    match named {
        Some(name) => format!("orchscope {name}"),
        None => "orchscope".to_owned(),
    }
}

/// The arguments clap found missing, as it names them (`<FILE>`, `--output <FILE>`).
fn missing(e: &Error) -> Option<String> {
    match e.get(ContextKind::InvalidArg)? {
        ContextValue::Strings(names) if !names.is_empty() => Some(names.join(", ")),
        ContextValue::String(name) => Some(name.clone()),
        _ => None,
    }
}

/// One line for a refused command line, pointing at that command's `--help`.
pub fn line(e: &Error, args: &[String]) -> String {
    let rendered = e.render().to_string();
    let command = command_path(&rendered, args);
    let first = match (e.kind(), missing(e)) {
        (ErrorKind::MissingRequiredArgument, Some(names)) => {
            let subject = command.strip_prefix("orchscope ").unwrap_or(&command);
            format!("{subject} needs {names}")
        }
        _ => rendered
            .lines()
            .next()
            .unwrap_or("error: bad arguments")
            .trim_start_matches("error: ")
            .to_owned(),
    };
    format!("{first} (see {command} --help)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn refused(args: &[&str]) -> String {
        let owned: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        match Cli::try_parse_from(args) {
            Ok(_) => String::from("accepted"),
            Err(e) => line(&e, &owned),
        }
    }

    #[test]
    fn a_missing_argument_names_itself_and_its_command() {
        assert_eq!(
            refused(&["orchscope", "replay"]),
            "replay needs <FILE> (see orchscope replay --help)"
        );
        let record = refused(&["orchscope", "record", "ws://x"]);
        assert!(record.contains("--output <FILE>"), "{record}");
        assert!(
            record.ends_with("(see orchscope record --help)"),
            "{record}"
        );
        let flag = refused(&["orchscope", "summary", "a.jsonl", "--bogus"]);
        assert!(flag.contains("--bogus"), "{flag}");
        assert!(flag.ends_with("(see orchscope summary --help)"), "{flag}");
        let value = refused(&["orchscope", "validate", "a", "--format-in", "nope"]);
        assert!(value.contains("claude-code"), "{value}");
        assert!(
            value.ends_with("(see orchscope validate --help)"),
            "{value}"
        );
        let top = refused(&["orchscope", "frobnicate"]);
        assert!(top.ends_with("(see orchscope --help)"), "{top}");
    }
}
