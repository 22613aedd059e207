//! Command-line definitions (clap) and dispatch to the commands.

use clap::{Parser, Subcommand};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use crate::demo::{DemoConfig, DemoServer, Dialect, Fault, Scenario};

#[derive(Parser, Debug)]
#[command(
    name = "orchscope",
    version,
    about = "A terminal inspector for multi-agent LLM orchestration"
)]
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
    /// Run the built-in demo orchestration server
    Serve {
        /// Address to listen on
        #[arg(long, default_value = "127.0.0.1:8765")]
        addr: SocketAddr,
        /// Scenario each request plays
        #[arg(long, value_enum, default_value = "all")]
        scenario: Scenario,
        /// Fault to inject (repeatable)
        #[arg(long = "fault", value_enum)]
        faults: Vec<Fault>,
        /// Scenario seconds per real second
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// Seed for ids, timings and tool outputs
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Wire shape to speak
        #[arg(long, value_enum, default_value = "native")]
        dialect: Dialect,
        /// Require this token (Bearer header or jwt subprotocol)
        #[arg(long, env = "ORCHSCOPE_TOKEN", hide_env_values = true)]
        token: Option<String>,
        /// Bench mode: send N small frames as fast as possible on the first request
        #[arg(long, value_name = "N")]
        flood: Option<u64>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Hash { file } => {
            let _ = file;
            ExitCode::SUCCESS
        }
        Command::Serve {
            addr,
            scenario,
            faults,
            speed,
            seed,
            dialect,
            token,
            flood,
        } => {
            let config = DemoConfig {
                addr,
                scenario,
                faults,
                speed,
                seed,
                dialect,
                token,
                flood,
                fixed_start: None,
            };
            serve(config)
        }
    }
}

/// `orchscope serve`: bind, announce, serve until Ctrl-C. A bind error exits 2.
fn serve(config: DemoConfig) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("orchscope: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async move {
        let addr = config.addr;
        let server = match DemoServer::bind(config).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("orchscope: cannot start the demo server on {addr}: {e}");
                return ExitCode::from(2);
            }
        };
        let mut out = std::io::stdout();
        let _ = writeln!(out, "orchscope demo server listening on {}", server.url());
        let _ = out.flush();
        tokio::select! {
            result = server.run() => match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("orchscope: demo server failed: {e}");
                    ExitCode::from(2)
                }
            },
            _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
        }
    })
}
