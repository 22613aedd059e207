//! Importers: other frameworks' event streams turned into native orchscope frames.
//!
//! Owns format names, detection (importers.md order), what each format can carry, and the
//! shared plumbing every importer uses (line reading, frame building, problem reporting). Each
//! importer is a pure adapter in its own file: foreign text in, a list of native frames
//! (protocol.md §1) out, which the normal decoder and session derivation then consume. The
//! importers never touch session internals. Every frame keeps its source record under
//! `payload.foreign`, so no field a format sends is lost.

mod claude_code;
mod codex;
mod detect;
mod graph_agents;
mod interleaving;
mod known;
mod langgraph;
mod openai_agents;
mod openai_stream;
mod otlp;
mod otlp_values;
mod out;
mod payload;
mod peek;
mod sink;
mod spans;
mod stream;
#[cfg(test)]
mod stream_tests;
mod unknowns;

use super::link::Dir;
use serde_json::Value;

/// An input format orchscope reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Orchscope,
    Jsonl,
    ClaudeCode,
    Otlp,
    Langgraph,
    OpenaiAgents,
    Codex,
}

pub use super::carries::Carries;
pub use detect::detect;
pub use interleaving::Interleaving;
pub use otlp::live::{Holding, LiveSpans, Open as HeldSpans, OpenTrace, Ready, Taken};
pub(crate) use out::Out;
pub use sink::{Emitted, Sink};
pub use stream::{foreign_format, LineImporter};

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Orchscope,
        Format::Jsonl,
        Format::ClaudeCode,
        Format::Otlp,
        Format::Langgraph,
        Format::OpenaiAgents,
        Format::Codex,
    ];

    /// The `--format-in` name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Orchscope => "orchscope",
            Format::Jsonl => "jsonl",
            Format::ClaudeCode => "claude-code",
            Format::Otlp => "otlp",
            Format::Langgraph => "langgraph",
            Format::OpenaiAgents => "openai-agents",
            Format::Codex => "codex",
        }
    }

    /// The format named exactly `s` (a `--format-in` value).
    pub fn from_name(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

    /// What the format can express (importers.md, "What each format can carry").
    ///
    /// No foreign format carries `contexts`: what an importer may attach as an agent's
    /// `context` is that agent's own model input (so its hash can be shown), not a context a
    /// supervisor handed to a sub-agent, so the hand-off checks cannot be judged on it.
    pub fn carries(self) -> Carries {
        let none = Carries {
            thinking: false,
            tool_call_ids: false,
            seq: false,
            subagent_links: false,
            contexts: false,
            user_ids: false,
            parent_waits: true,
        };
        match self {
            Format::Orchscope | Format::Jsonl => Carries::ALL,
            Format::ClaudeCode => Carries {
                thinking: true,
                tool_call_ids: true,
                subagent_links: true,
                ..none
            },
            // Message content (thinking, model input) only when the producer opted in.
            Format::Otlp => Carries {
                tool_call_ids: true,
                subagent_links: true,
                ..none
            },
            Format::Langgraph => Carries {
                thinking: true,
                tool_call_ids: true,
                subagent_links: true,
                ..none
            },
            // Trace exports carry no tool-call ids (the stream events do, exports do not).
            // Its agent links are hand-offs: the agent handed to outlives the one that handed off.
            Format::OpenaiAgents => Carries {
                thinking: true,
                subagent_links: true,
                parent_waits: false,
                ..none
            },
            // `exec --json` has no sub-agent links; reasoning only when enabled.
            Format::Codex => Carries {
                tool_call_ids: true,
                ..none
            },
        }
    }
}

/// One native frame produced from a foreign record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFrame {
    /// 1-based line of the source record.
    pub line: usize,
    /// `Out` for what the user sent (a prompt), `In` for everything the agents did.
    pub dir: Dir,
    /// One native JSON frame (protocol.md §1), on a single line.
    pub text: String,
    /// Where the payload's own fields end: `text[..fields_end]` closed by `}}` is the same
    /// frame without `payload.foreign`, which the frame decoder never reads.
    pub(crate) fields_end: usize,
}

impl ImportedFrame {
    /// The frame without its source record (`payload.foreign`), written into `head`: it
    /// decodes to exactly what the whole frame does, without reading the record again.
    pub fn head<'a>(&self, head: &'a mut String) -> Option<&'a str> {
        head.clear();
        head.push_str(self.text.get(..self.fields_end)?);
        head.push_str("}}");
        Some(head)
    }
}

/// A marker an importer places before the frame at `before` (an index into the frames): a
/// moment the format records that is not an event (a context compaction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedMark {
    pub before: usize,
    pub text: String,
}

/// Something reported while importing: a thing closed as aborted, a line that could not be
/// read, an error the stream reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// The result of an import: native frames in replay order, and what went wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub frames: Vec<ImportedFrame>,
    pub marks: Vec<ImportedMark>,
    pub problems: Vec<Problem>,
    /// Fields orchscope does not know (a newer producer's), by name, most frequent first.
    pub unknown: Vec<Unknown>,
    /// Frames handed to a [`Sink`] as they were made (not in `frames`).
    pub streamed: usize,
}

/// A field of foreign records that orchscope does not know: `kind.field` (or a whole kind of
/// record), how many records had it, and the first line that did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub field: String,
    pub count: usize,
    pub first_line: usize,
}

/// Imports `input` as `format`. `Orchscope` and `Jsonl` are read elsewhere (the recording
/// reader and the frame decoder): they give an empty result here.
pub fn import(format: Format, input: &str) -> Imported {
    match format {
        Format::Orchscope | Format::Jsonl => Imported::default(),
        Format::ClaudeCode => claude_code::import(input),
        Format::Otlp => otlp::import(input, None),
        Format::Langgraph => langgraph::import(input),
        Format::OpenaiAgents => openai_agents::import(input),
        Format::Codex => codex::import(input),
    }
}

/// Imports a source as `format`: a Claude Code file is read by its importer a line at a time
/// (most of a transcript's bytes are lines it only checks), anything else from `bytes()` (the
/// whole input). A file's session may span several files (a Claude Code transcript and its
/// sub-agents', a Codex thread and its children), read from beside it. With a `sink`, the
/// importers at scale (Claude Code, OTLP) hand their frames and markers on as they make them.
pub fn import_source(
    format: Format,
    path: Option<&std::path::Path>,
    bytes: impl FnOnce() -> std::io::Result<Vec<u8>>,
    sink: Option<Sink>,
) -> std::io::Result<Imported> {
    if let (Format::ClaudeCode, Some(p)) = (format, path) {
        return Ok(claude_code::import_file(p, sink));
    }
    let bytes = bytes()?;
    // Valid UTF-8 is checked fast and borrowed; anything else is read with replacements.
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(&bytes),
    };
    Ok(match (format, path) {
        (Format::Otlp, _) => otlp::import(&text, sink),
        (Format::Codex, Some(p)) => codex::import_path(p, &text),
        _ => import(format, &text),
    })
}

/// The JSON objects of a JSON-lines input, with their 1-based line numbers. Blank lines and
/// lines starting with `#` are skipped; a line that is not a JSON object is reported (a cut-off
/// last line as such). The flag says whether the last line was cut off.
pub(crate) fn read_objects(input: &str, out: &mut Out) -> (Vec<(usize, Value)>, bool) {
    let (lines, last) = peek::object_lines(input);
    let mut records = Vec::with_capacity(lines.len());
    let mut cut = false;
    for (n, text) in lines {
        match serde_json::from_str::<Value>(text) {
            Ok(v @ Value::Object(_)) => records.push((n, v)),
            Ok(_) => out.problem(n, format!("line {n} is JSON but not an object; skipped")),
            Err(_) if Some(n) == last => {
                cut = true;
                out.problem(n, format!("line {n}: last line is cut off; ignored"));
            }
            Err(e) => out.problem(n, format!("line {n} is not valid JSON ({e}); skipped")),
        }
    }
    (records, cut)
}

/// A file's first line as JSON, read alone (at most 1 MiB of it): enough to tell which session a
/// file beside the one opened belongs to without reading it whole.
pub(crate) fn first_record(path: &std::path::Path) -> Option<Value> {
    use std::io::{BufRead as _, Read as _};
    let f = std::fs::File::open(path).ok()?;
    let mut line = String::new();
    std::io::BufReader::new(f)
        .take(1 << 20)
        .read_line(&mut line)
        .ok()?;
    serde_json::from_str(line.trim_start_matches('\u{feff}')).ok()
}

/// A string field of a JSON value, looked up by a path of object keys.
pub(crate) fn s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(v, path).and_then(Value::as_str)
}

/// A sub-value by a path of object keys.
pub(crate) fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, key| cur.get(key))
}

/// A JSON string that itself holds JSON (tool arguments): parsed when it parses, else kept as
/// the string.
pub(crate) fn json_or_string(v: Option<&Value>) -> Value {
    match v {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| v_str(text)),
        Some(other) => other.clone(),
        None => Value::Null,
    }
}

fn v_str(text: &str) -> Value {
    Value::String(text.to_string())
}

/// The text of a message content: a string, or the `text` of its text blocks joined.
pub(crate) fn content_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(t) => Some(t.clone()),
        Value::Array(blocks) => {
            let parts: Vec<&str> = blocks
                .iter()
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        _ => None,
    }
}
