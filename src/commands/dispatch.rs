//! The binary's entry: parse the command line, run the command, turn its result into an exit
//! code (a failure is one line on stderr and exit 2). Commands sit below it and `cli` below
//! them: nothing here is imported back.

use crate::cli::{Cli, Command, Fatal};
use clap::{CommandFactory, Parser};
use std::process::ExitCode;

/// Runs the binary.
pub fn main() -> ExitCode {
    crate::crash::install(|| {}, "");
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
            // clap quotes the argument it refused: escaped like all of stderr.
            let args: Vec<String> = std::env::args().collect();
            crate::console::note(&super::usage::line(&e, &args));
            return ExitCode::from(2);
        }
    };
    crate::crash::test_panic_in_command();
    // A config named by --config or ORCHSCOPE_CONFIG must be readable and valid, whatever the
    // command (one that does not use it would otherwise hide the mistake).
    if let Err(e) = crate::config::check(cli.common.config.as_deref()) {
        crate::console::note(&e);
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Demo(args) => super::demo::run(&cli.common, args),
        Command::Connect(args) => super::connect::run(&cli.common, args),
        Command::Replay(args) => super::replay::run(&cli.common, args),
        Command::Validate(args) => super::validate::run(&cli.common, args),
        Command::Summary(args) => super::summary::run(&cli.common, args),
        Command::Diff(args) => super::diff::run(&cli.common, args),
        Command::Report(args) => super::report::run(&cli.common, args),
        Command::Export(args) => super::export::run(args),
        Command::Sessions(args) => super::sessions::run(args),
        Command::Record(args) => super::record::run(args),
        Command::Serve(args) => super::serve::run(args),
        Command::Hash { file } => super::hash::run(file.as_deref()),
        Command::GenConfig => crate::console::out(&crate::config::default_text())
            .map(|()| 0)
            .map_err(Fatal),
        Command::Completions { shell } => {
            // Generated whole first: the generator panics on a failed write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "orchscope", &mut script);
            crate::console::out(&String::from_utf8_lossy(&script))
                .map(|()| 0)
                .map_err(Fatal)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(msg)) => {
            // A URL given on the command line may be quoted back: never its credentials.
            let msg = std::env::args().fold(msg, |m, arg| crate::source::url::scrub(&m, &arg));
            crate::console::note(&msg);
            ExitCode::from(2)
        }
    }
}
