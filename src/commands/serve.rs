//! `orchscope serve`: the demo server alone. Binds loopback unless told otherwise, prints its
//! URL, logs each connection and refusal on stderr, serves until Ctrl-C; a bind error, a speed
//! out of range or an empty token is one line and exit code 2.

use crate::cli::{server_token, Fatal, ServeArgs};
use crate::commands::live::runtime;
use crate::demo::{DemoConfig, DemoServer};
use std::io::Write as _;

pub fn run(args: ServeArgs) -> Result<u8, Fatal> {
    crate::demo::check_speed(args.speed).map_err(Fatal)?;
    let token = server_token(args.token.as_deref(), args.token_file.as_deref())?;
    let config = DemoConfig {
        addr: args.addr,
        scenario: args.scenario,
        faults: args.faults,
        speed: args.speed,
        seed: args.seed,
        dialect: args.dialect,
        token,
        flood: args.flood,
        fixed_start: args.fixed_start,
        log: true,
    };
    runtime()?.block_on(async move {
        let addr = config.addr;
        let server = DemoServer::bind(config).await.map_err(|e| Fatal(format!("cannot start the demo server on {addr}: {e}")))?;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "orchscope demo server listening on {}", server.url());
        let _ = out.flush();
        tokio::select! {
            result = server.run() => result.map(|()| 0).map_err(|e| Fatal(format!("demo server failed: {e}"))),
            _ = tokio::signal::ctrl_c() => Ok(0),
        }
    })
}
