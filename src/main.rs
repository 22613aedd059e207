//! The `orchscope` binary: parse the command line and dispatch.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    orchscope::commands::dispatch::main()
}
