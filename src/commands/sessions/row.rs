//! One session of the listing: its file loaded and summed up — producer, id, when it started,
//! the first prompt, and how many turns, agents, tool calls and failures — or, when the file
//! cannot be read or imported, why.

use crate::core::discover::Found;
use crate::core::load::load as load_file;
use crate::core::log::{Keep, Log};
use crate::core::session::{AgentStatus, CallStatus, Session};
use serde_json::Value;
use std::path::PathBuf;
use std::time::UNIX_EPOCH;

/// A session as listed.
pub struct Row {
    /// The detected format's name (before loading, what the file's name or first lines say).
    pub producer: String,
    pub id: String,
    /// Epoch ms: the first producer timestamp, else the file's modification time.
    pub started_ms: f64,
    /// The first user prompt, whole.
    pub prompt: Option<String>,
    /// The counts, or why the file could not be read or imported.
    pub counts: Result<Counts, String>,
    pub path: PathBuf,
}

/// What a session holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub turns: usize,
    pub agents: usize,
    pub tool_calls: usize,
    /// Failed agents and tool calls that ended in error.
    pub failures: usize,
}

/// Loads the session's file (everything kept: the first prompt is read back from it).
pub fn load(found: Found) -> Row {
    let source = found.path.to_string_lossy().into_owned();
    let modified_ms = found
        .modified
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
    let mut row = Row {
        producer: found.producer.map_or("?", |f| f.name()).to_string(),
        id: found.id,
        started_ms: modified_ms,
        prompt: None,
        counts: Err(String::new()),
        path: found.path,
    };
    match load_file(&source, None, Keep::All) {
        Ok(loaded) => {
            let s = loaded.log.session();
            row.producer = loaded.format.name().to_string();
            if let Some(ts) = s.facts.iter().find_map(|f| f.at.ts()) {
                row.started_ms = ts;
            }
            row.prompt = first_prompt(&loaded.log);
            row.counts = Ok(counts(s));
        }
        Err(e) => {
            let msg = e.to_string();
            // The path is shown beside the error: the message need not repeat it.
            let msg = msg
                .strip_prefix(&format!("{source}: "))
                .map_or(msg.clone(), str::to_string);
            row.counts = Err(msg);
        }
    }
    row
}

fn counts(s: &Session) -> Counts {
    let failed_agents = s
        .agents
        .iter()
        .filter(|a| a.status == AgentStatus::Failed)
        .count();
    let failed_calls = s
        .calls
        .iter()
        .filter(|c| c.status == CallStatus::Error)
        .count();
    Counts {
        turns: s.turns.len(),
        agents: s.agents.len(),
        tool_calls: s.calls.len(),
        failures: failed_agents + failed_calls,
    }
}

/// The text of the session's first user message.
fn first_prompt(log: &Log) -> Option<String> {
    let m = log.session().messages.first()?;
    let raw = log.raw(m.pos).ok()??;
    let v: Value = serde_json::from_str(&raw).ok()?;
    let content = crate::core::frame::layers::field(&v, "content")?;
    text_of(content)
}

/// A content value as text: a string, or the `text` of its blocks.
fn text_of(content: &Value) -> Option<String> {
    match content {
        Value::String(s) => Some(s.clone()),
        Value::Array(blocks) => {
            let texts: Vec<&str> = blocks
                .iter()
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .collect();
            (!texts.is_empty()).then(|| texts.join(" "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_as_text() {
        assert_eq!(text_of(&Value::from("hi")).as_deref(), Some("hi"));
        let blocks = serde_json::json!([{"type": "text", "text": "a"}, {"text": "b"}]);
        assert_eq!(text_of(&blocks).as_deref(), Some("a b"));
        assert_eq!(text_of(&serde_json::json!(3)), None);
    }
}
