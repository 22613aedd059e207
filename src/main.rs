//! orchscope: a terminal inspector for multi-agent LLM orchestration.
#![forbid(unsafe_code)]

mod cli;
mod core;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
