//! The built-in demo orchestration server (spec: demo.md): its configuration, the scenario,
//! fault and dialect choices, and the public entry points. A real WebSocket server whose
//! agents follow scripted, seeded plans: everything on the wire is real, nothing calls an LLM.
//!
//! Data flow: a request becomes a [`plan::Job`] (scenario builders in `scenario`, mutated by
//! `fault`), which `player` plays on the scenario clock (`clock`), rendering each step in
//! the chosen dialect (`dialect`) onto a connection accepted by `server`.

mod clock;
mod dialect;
mod fault;
mod gate;
mod plan;
mod player;
mod scenario;
mod script;
mod server;
mod usage;
mod world;

pub use server::{DemoServer, SentFrames};

use std::net::SocketAddr;

/// What one request plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Scenario {
    /// One agent answers with one tool call.
    Simple,
    /// Supervisor delegating to triage, data and optimization.
    MlCost,
    /// Three turns on one thread; contexts carry the history, hashes chain.
    MultiTurn,
    /// An agent error recovered by fallback, a tool retried, one data source lost.
    Recovery,
    /// Three simultaneous runs of three users, interleaved on one connection.
    Concurrent,
    /// ml-cost, multi-turn (three turns), recovery, concurrent, simple, one after another.
    All,
}

impl Scenario {
    /// The kebab-case name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Simple => "simple",
            Scenario::MlCost => "ml-cost",
            Scenario::MultiTurn => "multi-turn",
            Scenario::Recovery => "recovery",
            Scenario::Concurrent => "concurrent",
            Scenario::All => "all",
        }
    }
}

/// A deliberate defect, each tripping exactly one validator rule (demo.md, "Faults").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Fault {
    DropToolResult,
    OrphanResult,
    LateEvent,
    ContextDrift,
    HistoryRewrite,
    NoRecovery,
    Slow,
    SilentGap,
    CrossUser,
    Malformed,
    SeqGap,
    Disconnect,
}

impl Fault {
    /// Every fault, in the order of demo.md's table.
    pub const ALL: [Fault; 12] = [
        Fault::DropToolResult,
        Fault::OrphanResult,
        Fault::LateEvent,
        Fault::ContextDrift,
        Fault::HistoryRewrite,
        Fault::NoRecovery,
        Fault::Slow,
        Fault::SilentGap,
        Fault::CrossUser,
        Fault::Malformed,
        Fault::SeqGap,
        Fault::Disconnect,
    ];

    /// The scenario the fault is shown on.
    pub fn host_scenario(self) -> Scenario {
        match self {
            Fault::HistoryRewrite => Scenario::MultiTurn,
            Fault::NoRecovery => Scenario::Recovery,
            Fault::CrossUser => Scenario::Concurrent,
            _ => Scenario::MlCost,
        }
    }

    /// The kebab-case name used on the command line and in `demo_mark` frames.
    pub fn name(self) -> &'static str {
        match self {
            Fault::DropToolResult => "drop-tool-result",
            Fault::OrphanResult => "orphan-result",
            Fault::LateEvent => "late-event",
            Fault::ContextDrift => "context-drift",
            Fault::HistoryRewrite => "history-rewrite",
            Fault::NoRecovery => "no-recovery",
            Fault::Slow => "slow",
            Fault::SilentGap => "silent-gap",
            Fault::CrossUser => "cross-user",
            Fault::Malformed => "malformed",
            Fault::SeqGap => "seq-gap",
            Fault::Disconnect => "disconnect",
        }
    }

    /// The validator rule that catches it.
    pub fn rule(self) -> &'static str {
        match self {
            Fault::DropToolResult | Fault::OrphanResult => "tool-pairing",
            Fault::LateEvent => "lifecycle",
            Fault::ContextDrift | Fault::HistoryRewrite => "context-integrity",
            Fault::NoRecovery => "error-recovery",
            Fault::Slow | Fault::SilentGap => "latency",
            Fault::CrossUser => "concurrency",
            Fault::Malformed | Fault::SeqGap | Fault::Disconnect => "stream-health",
        }
    }
}

/// The wire shape the server speaks (protocol.md §1–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Dialect {
    /// `{type, timestamp, payload}` with every optional field.
    Native,
    /// Netra era A: `{type, payload, sender, timestamp}`, no ids, duplicates, ToolExecutor.
    NetraA,
    /// Netra era B: flat envelope with `data`, and the fully flattened `critical` variant.
    NetraB,
}

/// Everything `serve` can be told.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Where to listen (port 0 picks a free one).
    pub addr: SocketAddr,
    pub scenario: Scenario,
    pub faults: Vec<Fault>,
    /// Scenario seconds per real second (within [`SPEEDS`]).
    pub speed: f64,
    pub seed: u64,
    pub dialect: Dialect,
    /// When set, clients must present it (Bearer header or `jwt.` subprotocol).
    pub token: Option<String>,
    /// Bench mode: on the first request send this many small native frames, as fast as possible.
    pub flood: Option<u64>,
    /// Fixed scenario start (epoch ms): the scenario clock then starts there and advances only
    /// as the plans do, so recordings can be regenerated byte-identically.
    pub fixed_start: Option<i64>,
    /// Write one line on stderr per connection and per refusal (`serve`; not under a TUI).
    pub log: bool,
}

/// The speeds the demo server plays at: scenario seconds per real second.
pub const SPEEDS: std::ops::RangeInclusive<f64> = 0.01..=1000.0;

/// `Ok` when `speed` is within [`SPEEDS`]; else what is wrong, in one line.
pub fn check_speed(speed: f64) -> Result<(), String> {
    if SPEEDS.contains(&speed) {
        Ok(())
    } else {
        Err(format!(
            "--speed must be between {} and {} (scenario seconds per real second), got {speed:?}",
            SPEEDS.start(),
            SPEEDS.end()
        ))
    }
}

impl DemoConfig {
    /// A loopback config with the CLI defaults (scenario `all`, speed 1, seed 1, native).
    pub fn new(addr: SocketAddr) -> DemoConfig {
        DemoConfig {
            addr,
            scenario: Scenario::All,
            faults: Vec::new(),
            speed: 1.0,
            seed: 1,
            dialect: Dialect::Native,
            token: None,
            flood: None,
            fixed_start: None,
            log: false,
        }
    }
}

/// What a client should send for a scenario: the request texts, one per turn
/// (multi-turn: three; every other scenario, `all` included: one).
pub fn requests_for(scenario: Scenario) -> Vec<String> {
    match scenario {
        Scenario::MultiTurn => scenario::MULTI_TURN_PROMPTS
            .iter()
            .map(|p| p.to_string())
            .collect(),
        Scenario::Simple => vec![scenario::SIMPLE_PROMPT.to_string()],
        Scenario::Recovery => vec![scenario::RECOVERY_PROMPT.to_string()],
        Scenario::Concurrent => vec![scenario::CONCURRENT_PROMPTS[0].to_string()],
        Scenario::MlCost | Scenario::All => vec![scenario::ML_COST_PROMPT.to_string()],
    }
}
