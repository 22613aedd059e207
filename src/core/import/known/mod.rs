//! The fields orchscope knows in each foreign format, per kind of record: tables generated from
//! the genuine corpus (one file per producer family). A field outside these is one a newer
//! producer added: `--unknowns` counts and lists it.

mod claude_code;
mod codex;
mod streams;

pub(super) use claude_code::CLAUDE_CODE;
pub(super) use codex::CODEX;
pub(super) use streams::{LANGGRAPH, OPENAI_AGENTS, OTLP};

/// Known fields of one kind of record: (kind, sorted field names).
pub(super) type Table = &'static [(&'static str, &'static [&'static str])];
