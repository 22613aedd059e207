//! Finding the sessions producers keep on disk: walking directories for `*.jsonl` files,
//! telling a session's own file from a sub-agent's transcript or a Codex child thread's
//! rollout, and the session id each one has. Directory walks read metadata only; a file's
//! first lines are read only when its name does not say enough, and only as far as needed
//! (the newest `limit`, or the names an id prefix can match).

use super::import::{self, Format};
use serde_json::Value;
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How deep a walk goes below a root.
const MAX_DEPTH: usize = 16;
/// How many lines a probe reads to recognise a file whose name says nothing.
const PROBE_LINES: usize = 5;
/// The longest line a probe reads (a rollout's first line carries the base instructions).
const PROBE_LINE_BYTES: u64 = 4 << 20;

/// What a file's name says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `<uuid>.jsonl`: a Claude Code session transcript.
    Transcript,
    /// `rollout-<timestamp>-<thread id>.jsonl`: a Codex thread (a session, or a child thread).
    Rollout,
    /// Anything else: its first lines decide.
    Unnamed,
}

/// A `*.jsonl` file found by a walk, not yet known to be a session.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub modified: SystemTime,
    shape: Shape,
    /// The session id the name gives, when it gives one.
    named_id: Option<String>,
}

/// A session's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub modified: SystemTime,
    pub id: String,
    /// The producer the name or the first lines point to (loading says for sure).
    pub producer: Option<Format>,
}

/// Whether `s` can be the start of a session id: at least 4 hex digits and dashes.
pub fn is_id_prefix(s: &str) -> bool {
    s.len() >= 4 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// Every `*.jsonl` file under `roots` that can be a session (sub-agent transcripts are left
/// out by their names), newest first by modification time, each file once.
pub fn scan(roots: &[PathBuf]) -> Vec<Candidate> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for root in roots {
        let Ok(root) = root.canonicalize() else {
            continue;
        };
        let mut stack = vec![(root, 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                // Directory links are not followed: a walk never loops.
                if kind.is_dir() {
                    if depth < MAX_DEPTH {
                        stack.push((path, depth + 1));
                    }
                } else if let Some(c) = candidate(path) {
                    if seen.insert(c.path.clone()) {
                        out.push(c);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.path.cmp(&b.path)));
    out
}

/// The file as a candidate, when its name allows it to be a session.
fn candidate(path: PathBuf) -> Option<Candidate> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".jsonl")?;
    let in_subagents = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "subagents");
    if in_subagents || stem.starts_with("agent-") {
        return None; // a Claude Code sub-agent's transcript
    }
    let (shape, named_id) = if is_uuid(stem) {
        (Shape::Transcript, Some(stem.to_ascii_lowercase()))
    } else if let Some(rest) = stem.strip_prefix("rollout-") {
        let tail = rest
            .get(rest.len().saturating_sub(36)..)
            .filter(|t| is_uuid(t));
        (Shape::Rollout, tail.map(str::to_ascii_lowercase))
    } else {
        (Shape::Unnamed, None)
    };
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    Some(Candidate {
        path,
        modified,
        shape,
        named_id,
    })
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The newest `limit` sessions among `candidates` (which are newest first).
pub fn newest(candidates: Vec<Candidate>, limit: usize) -> Vec<Found> {
    candidates
        .into_iter()
        .filter_map(probe)
        .take(limit)
        .collect()
}

/// The sessions among `candidates` whose id starts with `prefix` (ignoring case), newest
/// first. Only files whose names cannot rule the prefix out are read.
pub fn with_prefix(candidates: Vec<Candidate>, prefix: &str) -> Vec<Found> {
    let prefix = prefix.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter(|c| c.named_id.as_ref().is_none_or(|id| id.starts_with(&prefix)))
        .filter_map(probe)
        .filter(|f| f.id.to_ascii_lowercase().starts_with(&prefix))
        .collect()
}

/// The candidate as a session, or `None` when its first lines say it is not one (a Codex
/// child thread, a file no importer recognises). A file that cannot be read is kept: listing
/// it says why.
fn probe(c: Candidate) -> Option<Found> {
    let stem = || {
        c.path
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned())
    };
    let (id, producer) = match c.shape {
        Shape::Transcript => (c.named_id.clone(), Some(Format::ClaudeCode)),
        Shape::Rollout => {
            let lines = head(&c.path, 1).unwrap_or_default();
            let meta = lines.first().and_then(|l| serde_json::from_str(l).ok());
            if meta.as_ref().is_some_and(is_child_thread) {
                return None;
            }
            let id = meta.as_ref().and_then(id_in).or(c.named_id.clone());
            (id, Some(Format::Codex))
        }
        Shape::Unnamed => match head(&c.path, PROBE_LINES) {
            Err(_) => (None, None),
            Ok(lines) => {
                let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
                let format = import::detect(&refs)?;
                let values: Vec<Value> = lines
                    .iter()
                    .filter_map(|l| serde_json::from_str(l).ok())
                    .collect();
                if values.iter().any(is_child_thread)
                    || (format == Format::Jsonl && !values.iter().any(is_known_frame))
                {
                    return None;
                }
                (values.iter().find_map(id_in), Some(format))
            }
        },
    };
    Some(Found {
        id: id.unwrap_or_else(stem),
        producer,
        modified: c.modified,
        path: c.path,
    })
}

/// Up to `n` non-blank lines from the start of the file, each read no further than
/// [`PROBE_LINE_BYTES`] (a longer line ends the probe).
fn head(path: &Path, n: usize) -> std::io::Result<Vec<String>> {
    let mut r = BufReader::new(File::open(path)?);
    let mut lines = Vec::new();
    let mut buf = Vec::new();
    while lines.len() < n {
        buf.clear();
        let got = (&mut r)
            .take(PROBE_LINE_BYTES)
            .read_until(b'\n', &mut buf)?;
        if got == 0 || (got as u64 == PROBE_LINE_BYTES && buf.last() != Some(&b'\n')) {
            break;
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_start_matches('\u{feff}').trim();
        if !line.is_empty() {
            lines.push(line.to_string());
        }
    }
    Ok(lines)
}

/// A Codex rollout's `session_meta` naming a parent thread: a child thread of a session.
fn is_child_thread(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("session_meta")
        && v.pointer("/payload/parent_thread_id")
            .is_some_and(|p| !p.is_null())
}

/// The session id a line states: a rollout's `payload.id`, Claude Code's `sessionId` or
/// `session_id`, `codex exec`'s `thread_id`.
fn id_in(v: &Value) -> Option<String> {
    let meta = (v.get("type").and_then(Value::as_str) == Some("session_meta"))
        .then(|| v.pointer("/payload/id"))
        .flatten();
    [
        meta,
        v.get("sessionId"),
        v.get("session_id"),
        v.get("thread_id"),
    ]
    .into_iter()
    .flatten()
    .find_map(|id| id.as_str().filter(|s| !s.is_empty()).map(str::to_string))
}

/// A bare frame of a type orchscope knows.
fn is_known_frame(v: &Value) -> bool {
    v.get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| super::event::Kind::from_name(t) != super::event::Kind::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_prefixes_and_uuids() {
        assert!(is_id_prefix("01a2"));
        assert!(is_id_prefix("01A21D49-2851"));
        assert!(!is_id_prefix("01a"));
        assert!(!is_id_prefix("notes.jsonl"));
        assert!(is_uuid("01a21d49-2851-7f10-a6c3-2a00f6ad867a"));
        assert!(!is_uuid("01a21d49-2851-7f10-a6c3-2a00f6ad867"));
        assert!(!is_uuid("01a21d49x2851-7f10-a6c3-2a00f6ad867a"));
    }

    #[test]
    fn ids_lines_state() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        let meta = v(r#"{"type":"session_meta","payload":{"id":"a1","parent_thread_id":null}}"#);
        assert_eq!(id_in(&meta).as_deref(), Some("a1"));
        assert!(!is_child_thread(&meta));
        let child = v(r#"{"type":"session_meta","payload":{"id":"b","parent_thread_id":"a1"}}"#);
        assert!(is_child_thread(&child));
        assert_eq!(
            id_in(&v(r#"{"type":"user","sessionId":"s-1"}"#)).as_deref(),
            Some("s-1")
        );
        assert_eq!(id_in(&v(r#"{"type":"ping"}"#)), None);
        assert!(is_known_frame(&v(r#"{"type":"agent_started"}"#)));
        assert!(!is_known_frame(&v(r#"{"type":"log","msg":"x"}"#)));
    }
}
