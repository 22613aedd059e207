//! Codex rollout files: what one is, and finding a session's child threads' rollouts beside the
//! root's.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::super::super::{first_record, read_objects, s, Out};

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
    let mut files: Vec<PathBuf> = child_dirs(path)
        .into_iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("rollout-") && n.ends_with(".jsonl") && !n.contains(id.as_str())
            })
        })
        .collect();
    files.sort();
    let mut found = Vec::new();
    for file in files {
        // The first line names the session; a rollout of another session is left unread.
        if !first_line_names(&file, &id) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        out.set_file(name.clone());
        let (records, cut) = read_objects(&String::from_utf8_lossy(&bytes), out);
        out.set_file(None);
        found.push(Rollout { name, records, cut });
    }
    found
}

/// Where the child threads' rollouts of the root rollout `path` are: a child starts after its
/// root, so in the same day's folder or the next (past midnight).
pub(in crate::core::import) fn child_dirs(path: &Path) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    [Some(dir.to_path_buf()), next_day(dir)]
        .into_iter()
        .flatten()
        .collect()
}

/// Whether a rollout's first line (its `session_meta`) names session `id`.
fn first_line_names(file: &Path, id: &str) -> bool {
    first_record(file).is_some_and(|r| s(&r, &["payload", "session_id"]) == Some(id))
}

/// `…/YYYY/MM/DD` of the day after a `…/YYYY/MM/DD` folder, when it is one.
fn next_day(dir: &Path) -> Option<PathBuf> {
    let day = dir.file_name()?.to_str()?;
    let month_dir = dir.parent()?;
    let month = month_dir.file_name()?.to_str()?;
    let year_dir = month_dir.parent()?;
    let year = year_dir.file_name()?.to_str()?;
    let date =
        chrono::NaiveDate::parse_from_str(&format!("{year}-{month}-{day}"), "%Y-%m-%d").ok()?;
    let next = date.succ_opt()?;
    let root = year_dir.parent()?;
    Some(root.join(next.format("%Y/%m/%d").to_string()))
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
