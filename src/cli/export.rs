//! The flags of `orchscope export` and of `validate --otlp-export`: where to send OTLP and the
//! headers to send with it.

use super::{AuthArgs, LiveArgs};
use clap::Args;

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A file, `-` for stdin, a session id prefix, or a ws:// / wss:// URL
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// OTLP/HTTP collector endpoint (protobuf, POST /v1/traces), e.g. http://localhost:4318
    #[arg(
        long,
        value_name = "URL",
        required_unless_present = "otlp_grpc",
        conflicts_with = "otlp_grpc"
    )]
    pub otlp: Option<String>,
    /// OTLP/gRPC collector endpoint (TraceService), e.g. http://localhost:4317
    #[arg(long, value_name = "URL")]
    pub otlp_grpc: Option<String>,
    #[command(flatten)]
    pub headers: OtlpHeaders,
    /// Input format (default: detected from the first lines)
    #[arg(long, value_name = "NAME", value_parser = super::offered::format_in())]
    pub format_in: Option<crate::core::import::Format>,
    #[command(flatten)]
    pub auth: AuthArgs,
    #[command(flatten)]
    pub live: LiveArgs,
}

/// `--otlp-header`, repeatable.
#[derive(Args, Debug, Clone, Default)]
pub struct OtlpHeaders {
    /// Send this header to the collector, e.g. 'Authorization: Bearer …' (repeatable; values
    /// are never printed)
    #[arg(long = "otlp-header", value_name = "'NAME: VALUE'")]
    pub otlp_headers: Vec<String>,
}

/// `validate --otlp-export URL`.
#[derive(Args, Debug, Clone, Default)]
pub struct OtlpExportArgs {
    /// Also send the session (OTLP traces) and every verdict (gen_ai.evaluation.result log
    /// records and span events) to this OTLP/HTTP collector endpoint
    #[arg(long, value_name = "URL")]
    pub otlp_export: Option<String>,
    #[command(flatten)]
    pub headers: OtlpHeaders,
}
