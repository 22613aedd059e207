//! Command-line definitions (clap): the commands, their flags and the small parsers and checks
//! they share. Running a command is `commands::dispatch`, above this (nothing here imports a
//! command).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

mod diff;
mod export;
mod offered;
mod output;
mod report;
mod rules;
mod token;

pub use diff::{DiffArgs, Latency};
pub use export::{ExportArgs, OtlpExportArgs, OtlpHeaders};
pub use output::{open_error, OutputArgs};
pub use report::{ReportArgs, ShareFormat};
pub use rules::RuleArgs;
pub use token::{read_token_file, server_token, AuthArgs};

#[derive(Parser, Debug)]
#[command(
    name = "orchscope",
    version,
    about = "A terminal inspector for multi-agent LLM orchestration",
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Config file (default: $ORCHSCOPE_CONFIG, else the platform config dir's config.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Theme name or path to a theme file
    #[arg(long, global = true, value_name = "NAME|PATH", value_parser = offered::theme())]
    pub theme: Option<String>,
    /// No colour (also NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// The built-in demo server and the TUI on it, in one command
    Demo(DemoArgs),
    /// The TUI on a live session
    Connect(ConnectArgs),
    /// The TUI on a recording (or any importable event stream)
    Replay(ReplayArgs),
    /// Run the validators on recordings, event streams or a live server
    Validate(ValidateArgs),
    /// Print the derived session: runs, agent trees, tool pairs, turns and hashes
    Summary(SummaryArgs),
    /// Compare two sessions: runs, agents and tool calls aligned, latency, contexts, verdicts
    Diff(DiffArgs),
    /// Write one session as a single file to share (HTML or Markdown), secrets redacted
    Report(ReportArgs),
    /// List the newest agent sessions kept on disk (Claude Code, Codex, and any --dir)
    Sessions(SessionsArgs),
    /// Record a live session headlessly into a file
    Record(RecordArgs),
    /// Send a session to an OpenTelemetry collector as OTLP traces (GenAI conventions)
    Export(ExportArgs),
    /// Run the built-in demo orchestration server (headless)
    Serve(ServeArgs),
    /// Print the sha256 of a JSON value (RFC 8785 canonical form), as orchscope hashes contexts
    Hash {
        /// File to read (stdin when absent or `-`)
        file: Option<String>,
    },
    /// Print the default config, every setting active with a comment
    GenConfig,
    /// Print shell completions
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Files, `-` for stdin, ws:// / wss:// URLs, or session id prefixes
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Report format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub rule_args: RuleArgs,
    /// Make warnings fail too
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Input format (default: detected from the first lines)
    #[arg(long, value_name = "NAME", value_parser = offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
    /// Also list the fields of a foreign format that orchscope does not know (what a newer
    /// producer added), with counts
    #[arg(long)]
    pub unknowns: bool,
    #[command(flatten)]
    pub auth: AuthArgs,
    #[command(flatten)]
    pub live: LiveArgs,
    #[command(flatten)]
    pub otlp: OtlpExportArgs,
}

/// How a headless live capture runs and stops.
#[derive(Args, Debug, Clone)]
pub struct LiveArgs {
    /// Send this as a user_message once connected; each is one turn, sent after the previous
    /// one's runs completed (repeatable)
    #[arg(long = "send", value_name = "TEXT")]
    pub sends: Vec<String>,
    /// Stop once every run completed and nothing arrived for this many seconds
    #[arg(long, default_value_t = 2.0, value_name = "S")]
    pub until_idle: f64,
    /// Stop after this many seconds whatever happens
    #[arg(long, value_name = "S")]
    pub timeout: Option<f64>,
    /// Refuse frames larger than this many bytes
    #[arg(long, default_value_t = crate::source::websocket::DEFAULT_MAX_FRAME_SIZE, value_name = "N")]
    pub max_frame_size: usize,
    /// Do not reconnect after the connection drops
    #[arg(long)]
    pub no_reconnect: bool,
    #[command(flatten)]
    pub receiver: ReceiverArgs,
    /// Follow SOURCE as a file that grows (native frames, bare or a recording) instead of
    /// connecting to it; `-` as SOURCE reads a pipe
    #[arg(long)]
    pub follow: bool,
}

/// How an OTLP receiver (`otlp://`, `otlp+grpc://`) holds spans.
#[derive(Args, Debug, Clone)]
pub struct ReceiverArgs {
    /// OTLP receiver: seconds a trace waits, once its root span is in, for late spans
    #[arg(long, default_value_t = crate::source::otlp::DEFAULT_STRAGGLER, value_name = "S")]
    pub straggler: f64,
    /// OTLP receiver: spans held at most while their traces are open (more are dropped, counted)
    #[arg(long, default_value_t = crate::source::otlp::DEFAULT_MAX_HELD, value_name = "N")]
    pub max_held_spans: usize,
}

#[derive(Args, Debug)]
pub struct RecordArgs {
    /// ws:// or wss:// URL of the server, or otlp:// / otlp+grpc:// address to receive on
    pub url: String,
    /// The recording to write (refused if it exists, unless --force or --append)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    #[command(flatten)]
    pub existing: OutputArgs,
    #[command(flatten)]
    pub auth: AuthArgs,
    #[command(flatten)]
    pub live: LiveArgs,
    /// Input format of a followed file or pipe, or of a WebSocket's text frames (default:
    /// detected from the first line; a WebSocket: orchscope's own frames)
    #[arg(long, value_name = "NAME", value_parser = offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8765")]
    pub addr: std::net::SocketAddr,
    /// Scenario each request plays
    #[arg(long, value_enum, default_value = "all")]
    pub scenario: crate::demo::Scenario,
    /// Fault to inject (repeatable)
    #[arg(long = "fault", value_enum)]
    pub faults: Vec<crate::demo::Fault>,
    /// Scenario seconds per real second (0.01 to 1000)
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Seed for ids, timings and tool outputs
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Wire shape to speak
    #[arg(long, value_enum, default_value = "native")]
    pub dialect: crate::demo::Dialect,
    /// Require this token (Bearer header or jwt subprotocol; also ORCHSCOPE_TOKEN)
    #[arg(long, env = "ORCHSCOPE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Require the token in this file (its content, trimmed; wins over --token and
    /// ORCHSCOPE_TOKEN)
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Bench mode: send N small frames as fast as possible on the first request
    #[arg(long, value_name = "N")]
    pub flood: Option<u64>,
    /// Start the scenario clock at this epoch-ms instead of now (byte-identical replays)
    #[arg(long, value_name = "MS", hide = true)]
    pub fixed_start: Option<i64>,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Scenario each request plays
    #[arg(long, value_enum, default_value = "all")]
    pub scenario: crate::demo::Scenario,
    /// Fault to inject (repeatable)
    #[arg(long = "fault", value_enum)]
    pub faults: Vec<crate::demo::Fault>,
    /// Scenario seconds per real second
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Record to this file (default: the platform data dir's recordings/)
    #[arg(long, value_name = "PATH", conflicts_with = "no_record")]
    pub record: Option<PathBuf>,
    /// Do not record
    #[arg(long)]
    pub no_record: bool,
    #[command(flatten)]
    pub existing: OutputArgs,
}

#[derive(Args, Debug)]
pub struct ConnectArgs {
    /// ws:// or wss:// URL of the server, or otlp:// / otlp+grpc:// address to receive on
    pub url: String,
    /// Input format of a followed file or pipe, or of a WebSocket's text frames (default:
    /// detected from the first line; a WebSocket: orchscope's own frames)
    #[arg(long, value_name = "NAME", value_parser = offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
    #[command(flatten)]
    pub auth: AuthArgs,
    /// Send this as a user_message once connected; one turn each (repeatable)
    #[arg(long = "send", value_name = "TEXT")]
    pub sends: Vec<String>,
    /// Record to this file (default: the platform data dir's recordings/)
    #[arg(long, value_name = "PATH", conflicts_with = "no_record")]
    pub record: Option<PathBuf>,
    /// Do not record
    #[arg(long)]
    pub no_record: bool,
    #[command(flatten)]
    pub existing: OutputArgs,
    /// Refuse frames larger than this many bytes
    #[arg(long, default_value_t = crate::source::websocket::DEFAULT_MAX_FRAME_SIZE, value_name = "N")]
    pub max_frame_size: usize,
    /// Do not reconnect after the connection drops
    #[arg(long)]
    pub no_reconnect: bool,
    #[command(flatten)]
    pub receiver: ReceiverArgs,
    /// Follow URL as a file that grows (native frames, bare or a recording); `-` as URL reads a
    /// pipe
    #[arg(long)]
    pub follow: bool,
}

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// A recording, a bare JSONL event stream, a foreign format, or a session id prefix
    pub file: String,
    /// Replay speed, 0.25 to 64 (any value in between; `+`/`-` step from it)
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Cut idle gaps longer than this many seconds
    #[arg(long, value_name = "S")]
    pub idle_limit: Option<f64>,
    /// Start paused
    #[arg(long)]
    pub paused: bool,
    /// Open on the Story and pause at each marker, bookmark and note while it is shown (for
    /// presenting)
    #[arg(long)]
    pub pause_on_markers: bool,
    /// Compare with session A (a file or a session id prefix): the Compare tab (`7`) shows
    /// the two aligned side by side, as `orchscope diff A FILE` compares them
    #[arg(long, value_name = "A")]
    pub against: Option<String>,
    #[command(flatten)]
    pub latency: Latency,
    /// Keep bookmarks and notes in memory instead of appending them to the recording
    #[arg(long)]
    pub read_only: bool,
    /// Input format (default: detected from the first lines)
    #[arg(long, value_name = "NAME", value_parser = offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
}

#[derive(Args, Debug)]
pub struct SummaryArgs {
    /// A file, `-` for stdin, or a session id prefix
    pub source: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    /// Input format (default: detected from the first lines)
    #[arg(long, value_name = "NAME", value_parser = offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
    /// Also list the fields of a foreign format that orchscope does not know (what a newer
    /// producer added), with counts
    #[arg(long)]
    pub unknowns: bool,
}

#[derive(Args, Debug)]
pub struct SessionsArgs {
    /// Also look in this directory, recursively (repeatable)
    #[arg(long = "dir", value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// List at most this many sessions, the newest
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// Output format
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Junit,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Warn,
}

/// Whether output may be coloured.
pub fn color_allowed(common: &Common) -> bool {
    !common.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A failure to report: one line, exit code 2.
pub struct Fatal(pub String);
