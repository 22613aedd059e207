//! Command-line definitions (clap) and dispatch to the commands.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "orchscope", version, about = "A terminal inspector for multi-agent LLM orchestration")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the sha256 of a JSON value (RFC 8785 canonical form)
    Hash {
        /// File to read; stdin when absent or `-`
        file: Option<String>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Hash { file } => {
            let _ = file;
            ExitCode::SUCCESS
        }
    }
}
