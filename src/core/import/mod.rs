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
mod graph_agents;
mod known;
mod langgraph;
mod openai_agents;
mod openai_stream;
mod otlp;
mod otlp_values;
mod spans;
mod unknowns;

use super::link::Dir;
use serde_json::{Map, Value};

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

/// Detects the format from the first non-blank, non-`#` lines, in importers.md order.
/// `None` when the first such line is not a JSON object.
pub fn detect(first_lines: &[&str]) -> Option<Format> {
    let mut objects = Vec::new();
    for line in first_lines {
        // A UTF-8 byte-order mark (Windows tools write one) is not part of the first record.
        let t = line.trim_start_matches('\u{feff}').trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        match serde_json::from_str::<Value>(t) {
            Ok(Value::Object(m)) => objects.push(m),
            _ if objects.is_empty() => return None,
            _ => {}
        }
    }
    let first = objects.first()?;
    if first.contains_key("orchscope_recording") {
        return Some(Format::Orchscope);
    }
    let rules: [(Format, Rule); 5] = [
        (Format::Otlp, |m| m.contains_key("resourceSpans")),
        (Format::Langgraph, |m| {
            str_of(m, "event").is_some_and(|e| e.starts_with("on_"))
        }),
        (Format::OpenaiAgents, is_openai_agents),
        (Format::Codex, is_codex),
        (Format::ClaudeCode, is_claude_code),
    ];
    for (format, matches) in rules {
        if objects.iter().any(matches) {
            return Some(format);
        }
    }
    Some(Format::Jsonl)
}

/// A detection rule over one JSON object line.
type Rule = fn(&Map<String, Value>) -> bool;

/// `exec --json` events, or a rollout's `{timestamp, type, payload}` lines.
fn is_codex(m: &Map<String, Value>) -> bool {
    match str_of(m, "type") {
        Some(t) if t == "thread.started" || t.starts_with("turn.") || t.starts_with("item.") => {
            true
        }
        Some("session_meta" | "response_item" | "event_msg" | "turn_context") => {
            m.get("payload").is_some_and(Value::is_object)
        }
        _ => false,
    }
}

/// stream-json lines (`session_id`), or an on-disk transcript's (`sessionId`; a `summary`
/// line with its `leafUuid`).
fn is_claude_code(m: &Map<String, Value>) -> bool {
    let stream = match str_of(m, "type") {
        Some("system") => m.contains_key("subtype"),
        Some("assistant" | "user" | "result") => true,
        _ => false,
    };
    let transcript = str_of(m, "type").is_some()
        && m.get("sessionId").is_some_and(Value::is_string)
        || (str_of(m, "type") == Some("summary") && m.contains_key("leafUuid"));
    (stream && m.contains_key("session_id")) || transcript
}

fn is_openai_agents(m: &Map<String, Value>) -> bool {
    // The SDK exporter's request bodies: `{"data": [trace and span objects]}`.
    if let Some(Value::Array(items)) = m.get("data") {
        return items.iter().any(|i| {
            matches!(
                i.get("object").and_then(Value::as_str),
                Some("trace" | "trace.span")
            )
        });
    }
    if m.contains_key("callback") && m.contains_key("export") {
        return true;
    }
    if matches!(str_of(m, "object"), Some("trace" | "trace.span")) {
        return true;
    }
    matches!(
        str_of(m, "type"),
        Some("run_item_stream_event" | "agent_updated_stream_event" | "raw_response_event")
    )
}

fn str_of<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key).and_then(Value::as_str)
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
        Format::Otlp => otlp::import(input),
        Format::Langgraph => langgraph::import(input),
        Format::OpenaiAgents => openai_agents::import(input),
        Format::Codex => codex::import(input),
    }
}

/// Imports a file: as [`import`], and formats whose sessions span several files (a Claude
/// Code transcript and its sub-agents' transcripts) read the others from beside it.
pub fn import_path(format: Format, path: &std::path::Path, input: &str) -> Imported {
    match format {
        Format::ClaudeCode => claude_code::import_path(path, input),
        Format::Codex => codex::import_path(path, input),
        other => import(other, input),
    }
}

/// Collects frames and problems for one importer.
pub(crate) struct Out {
    format: Format,
    imported: Imported,
    /// The file the records being read come from, when it is not the one opened.
    file: Option<String>,
    /// Unknown fields: count and first line, by name.
    unknown: std::collections::HashMap<String, (usize, usize)>,
}

impl Out {
    pub(crate) fn new(format: Format) -> Out {
        Out {
            format,
            imported: Imported::default(),
            file: None,
            unknown: std::collections::HashMap::new(),
        }
    }

    /// Counts a field orchscope does not know.
    pub(crate) fn unknown(&mut self, line: usize, field: String) {
        let field = match &self.file {
            Some(file) => format!("{field} ({file})"),
            None => field,
        };
        self.unknown.entry(field).or_insert((0, line)).0 += 1;
    }

    /// Records read from now on come from `file` (`None`: the file opened).
    pub(crate) fn set_file(&mut self, file: Option<String>) {
        self.file = file;
    }

    /// A marker before the next frame.
    pub(crate) fn mark(&mut self, _line: usize, text: String) {
        let before = self.imported.frames.len();
        self.imported.marks.push(ImportedMark { before, text });
    }

    /// Emits one native frame in the `in` direction (see [`Out::emit_dir`]).
    pub(crate) fn emit(
        &mut self,
        line: usize,
        kind: &str,
        timestamp: Option<Value>,
        payload: Value,
        record: &Value,
    ) {
        self.emit_dir(line, Dir::In, kind, timestamp, payload, record);
    }

    /// Emits one native frame. `payload` must be a JSON object (anything else is wrapped);
    /// its null fields are dropped; `foreign` is added with the source `record`.
    pub(crate) fn emit_dir(
        &mut self,
        line: usize,
        dir: Dir,
        kind: &str,
        timestamp: Option<Value>,
        payload: Value,
        record: &Value,
    ) {
        let mut payload = match payload {
            Value::Object(m) => m,
            other => Map::from_iter([("value".to_string(), other)]),
        };
        payload.retain(|_, v| !v.is_null());
        // Written by hand around the serialised parts, so the source record is written once,
        // straight from the value (never cloned into the frame first).
        let fields = Value::Object(payload).to_string();
        let record = record.to_string();
        let mut text = String::with_capacity(fields.len() + record.len() + 96);
        text.push_str("{\"type\":");
        text.push_str(&Value::from(kind).to_string());
        if let Some(ts) = timestamp.filter(|t| !t.is_null()) {
            text.push_str(",\"timestamp\":");
            text.push_str(&ts.to_string());
        }
        text.push_str(",\"payload\":");
        text.push_str(&fields[..fields.len() - 1]);
        if fields.len() > 2 {
            text.push(',');
        }
        text.push_str("\"foreign\":{\"format\":");
        text.push_str(&Value::from(self.format.name()).to_string());
        if let Some(file) = &self.file {
            text.push_str(",\"file\":");
            text.push_str(&Value::from(file.as_str()).to_string());
        }
        text.push_str(&format!(",\"line\":{line},\"record\":"));
        text.push_str(&record);
        text.push_str("}}}");
        self.imported.frames.push(ImportedFrame { line, dir, text });
    }

    /// Closes a tool call the stream left open as `aborted` (on `base`, its agent's payload
    /// fields) and reports it.
    pub(crate) fn abort_tool(
        &mut self,
        line: usize,
        mut base: Map<String, Value>,
        tool: &str,
        call_id: &str,
        why: &str,
    ) {
        base.insert("tool_name".into(), Value::from(tool));
        base.insert("tool_call_id".into(), Value::from(call_id));
        base.insert("status".into(), Value::from("aborted"));
        base.insert("error".into(), Value::from(why));
        self.emit(
            line,
            "tool_completed",
            None,
            Value::Object(base),
            &Value::Null,
        );
        self.problem(
            line,
            format!("tool {tool} ({call_id}) was still open when {why}; closed as aborted"),
        );
    }

    pub(crate) fn problem(&mut self, line: usize, message: impl Into<String>) {
        let message = match &self.file {
            Some(file) => format!("{file}: {}", message.into()),
            None => message.into(),
        };
        self.imported.problems.push(Problem { line, message });
    }

    pub(crate) fn finish(mut self) -> Imported {
        let mut unknown: Vec<Unknown> = self
            .unknown
            .into_iter()
            .map(|(field, (count, first_line))| Unknown {
                field,
                count,
                first_line,
            })
            .collect();
        unknown.sort_by(|a, b| b.count.cmp(&a.count).then(a.field.cmp(&b.field)));
        self.imported.unknown = unknown;
        self.imported
    }
}

/// The JSON objects of a JSON-lines input, with their 1-based line numbers. Blank lines and
/// lines starting with `#` are skipped; a line that is not a JSON object is reported (a cut-off
/// last line as such). The flag says whether the last line was cut off.
pub(crate) fn read_objects(input: &str, out: &mut Out) -> (Vec<(usize, Value)>, bool) {
    let lines: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_start_matches('\u{feff}').trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let last = lines.last().map(|(n, _)| *n);
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
