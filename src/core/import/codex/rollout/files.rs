//! Codex rollout files: what one is, and finding a session's child threads' rollouts beside the
//! root's.

use std::path::Path;

use serde_json::Value;

use super::super::super::{read_objects, s, Out};

/// A rollout line (`{timestamp, type, payload}`), as opposed to `exec --json` output.
pub(in crate::core::import) fn is_rollout(rec: &Value) -> bool {
    matches!(
        s(rec, &["type"]),
        Some("session_meta" | "response_item" | "event_msg" | "turn_context")
    ) && rec.get("payload").is_some_and(Value::is_object)
}

/// One rollout file.
pub(in crate::core::import) struct Rollout {
    /// The file name, for notes (`None`: the file opened).
    pub name: Option<String>,
    pub records: Vec<(usize, Value)>,
    pub cut: bool,
}

/// The child threads' rollouts of the session whose root rollout is `path`: the rollouts in
/// the same folder whose `session_meta.session_id` is the root's thread and which are not it.
pub(in crate::core::import) fn children(
    path: &Path,
    root: &Rollout,
    out: &mut Out,
) -> Vec<Rollout> {
    let Some(id) = root.thread_id().map(str::to_string) else {
        return Vec::new();
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("rollout-") && n.ends_with(".jsonl") && !n.contains(id.as_str())
            })
        })
        .collect();
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        // The first line names the session; a rollout of another session is left unread.
        let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        let same = serde_json::from_slice::<Value>(first)
            .ok()
            .is_some_and(|r| s(&r, &["payload", "session_id"]) == Some(id.as_str()));
        if !same {
            continue;
        }
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        out.set_file(name.clone());
        let (records, cut) = read_objects(&String::from_utf8_lossy(&bytes), out);
        out.set_file(None);
        found.push(Rollout { name, records, cut });
    }
    found
}

impl Rollout {
    pub(super) fn meta(&self) -> Option<&Value> {
        self.records
            .iter()
            .find(|(_, r)| s(r, &["type"]) == Some("session_meta"))
            .and_then(|(_, r)| r.get("payload"))
    }

    pub(super) fn thread_id(&self) -> Option<&str> {
        self.meta().and_then(|m| s(m, &["id"]))
    }
}
