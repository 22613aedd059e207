//! `orchscope report`'s flags: the source, the output file, the format and redaction.

use clap::Args;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// A file, `-` for stdin, or a session id prefix
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// The file to write (`-` for stdout); replaced if it exists
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ShareFormat::Html)]
    pub format: ShareFormat,
    /// Also redact what matches this regular expression (repeatable)
    #[arg(long = "redact", value_name = "REGEX")]
    pub redact: Vec<String>,
    /// Do not redact keys, tokens, Authorization values and emails
    #[arg(long)]
    pub no_redact: bool,
    /// Input format (default: detected from the first lines)
    #[arg(long, value_name = "NAME", value_parser = super::offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
    #[command(flatten)]
    pub rule_args: super::RuleArgs,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareFormat {
    Html,
    Md,
}
