//! Claude Code on-disk transcripts (`~/.claude/projects/<slug>/<session>.jsonl`): finding a
//! session's sub-agent transcripts, and reading the files as one stream of lanes.
//!
//! A transcript line is a stream-json line in other clothes (`sessionId`, `toolUseResult`,
//! one content block per line) with no `system`/`init` and no `result`: a turn ends at the next
//! prompt or at the end of the file. Sub-agents write their own files, in one of two layouts:
//!
//! | CLI | where | how the file names its spawning call |
//! | --- | --- | --- |
//! | current | `<session>/subagents/agent-<id>.jsonl` + `.meta.json` | `toolUseId` in the meta file (nested sub-agents sit flat there and name `parentAgentId`) |
//! | older | sibling `agent-<id>.jsonl` files | the parent's `tool_result` line: `toolUseResult.agentId` |
//!
//! Sibling files whose `agentId` no call names (the older CLI's "warmup" files) are not
//! sub-agents and are skipped with a note. Each file is a lane; `merge.rs` merges the lanes by
//! timestamp with two gates, so the order never contradicts the structure.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::super::peek::Rec;
use super::super::{first_record, s, Imported, Out};
use super::merge::{Lane, Merge};
use super::State;

/// Numbered records of one file, in file order.
type Records = Vec<(usize, Rec)>;

/// A sub-agent's transcript read beside the session's.
pub(in crate::core::import) struct Companion {
    /// The file name, for notes.
    pub name: String,
    pub records: Vec<(usize, Rec)>,
    /// The spawning call's id, from the meta file.
    pub tool_use_id: Option<String>,
    pub cut: bool,
}

/// A transcript line (not stream-json): camel-case `sessionId`, or a `summary` record.
pub(super) fn is_transcript(rec: &Value) -> bool {
    rec.get("sessionId").is_some_and(Value::is_string)
        || (s(rec, &["type"]) == Some("summary") && rec.get("leafUuid").is_some())
}

/// The session id of a transcript: the first `sessionId`.
pub(super) fn session_id(records: &[(usize, Rec)]) -> Option<&str> {
    records.iter().find_map(|(_, r)| s(r, &["sessionId"]))
}

/// The sub-agent transcripts of the session whose transcript is `path`: the current CLI's
/// `<session>/subagents/agent-*.jsonl`, and the older CLI's sibling `agent-*.jsonl` files of the
/// same session. Unreadable files are noted and left out.
pub(in crate::core::import) fn companions(
    path: &Path,
    session: Option<&str>,
    out: &mut Out,
) -> Vec<Companion> {
    let Some(session) = session.map(str::to_string) else {
        return Vec::new();
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut found = Vec::new();
    if let Some(stem) = path.file_stem() {
        found.extend(agent_files(&dir.join(stem).join("subagents")));
    }
    found.extend(agent_files(dir));
    let mut companions = Vec::new();
    for file in found {
        // Another session's sibling (the older CLI keeps every session's there) is left unread.
        let first = first_record(&file);
        if first.as_ref().and_then(|r| s(r, &["sessionId"])) != Some(session.as_str()) {
            continue;
        }
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match std::fs::read(&file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                out.problem(0, format!("{name}: cannot read: {e}"));
                continue;
            }
        };
        out.set_file(Some(name.clone()));
        let (records, cut) = super::read_lines(&text, out);
        out.set_file(None);
        let meta = file.with_extension("meta.json");
        let tool_use_id = std::fs::read(&meta)
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|m| s(&m, &["toolUseId"]).map(str::to_string));
        companions.push(Companion {
            name,
            records,
            tool_use_id,
            cut,
        });
    }
    companions
}

/// `agent-*.jsonl` files in `dir`, sorted by name.
fn agent_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("agent-") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    files
}

/// Reads a transcript and its sub-agents' transcripts as one session.
pub(in crate::core::import) fn import(
    out: Out,
    records: Vec<(usize, Rec)>,
    companions: Vec<Companion>,
    cut: bool,
) -> Imported {
    let mut st = State::new(out);
    st.session = session_id(&records).unwrap_or_default().to_string();
    let lanes = lanes(records, companions, &mut st.out);
    Merge::new(st, lanes).finish(cut)
}

/// A transcript read as its file is parsed: every sub-agent's file is linked to its call by its
/// meta file (`can_stream`), and the session file has no side chains, so its lane is all it
/// needs as it comes. `session` is the session id, from its first record.
pub(in crate::core::import) fn streaming(
    out: Out,
    session: &str,
    companions: Vec<Companion>,
) -> Merge {
    let mut st = State::new(out);
    st.session = session.to_string();
    let lanes = lanes(Vec::new(), companions, &mut st.out);
    Merge::new(st, lanes)
}

/// Whether a transcript with these sub-agents' files can be read as it is parsed: each file
/// names its call itself (its meta file), so none waits for a result in the session's file.
pub(in crate::core::import) fn can_stream(companions: &[Companion]) -> bool {
    companions.iter().all(|c| c.tool_use_id.is_some())
}

/// A session file's record that belongs to a side chain (CLI 1.0): reading the file as it is
/// parsed cannot place it.
pub(in crate::core::import) fn in_side_chain(rec: &Value) -> bool {
    rec.get("isSidechain") == Some(&Value::Bool(true))
}

/// The session's lane, its side chains' (1.0) and each sub-agent file's, linked to the call
/// that spawned it; files no call spawned are noted and left out.
fn lanes(records: Records, companions: Vec<Companion>, out: &mut Out) -> Vec<Lane> {
    // Which call spawned which agent, as the parents' results say (the older CLI's only link).
    let mut spawned_by: HashMap<String, String> = HashMap::new();
    for (_, rec) in records
        .iter()
        .chain(companions.iter().flat_map(|c| c.records.iter()))
    {
        let Some(agent) = s(rec, &["toolUseResult", "agentId"]) else {
            continue;
        };
        if let Some(id) = tool_result_ids(rec).next() {
            spawned_by.insert(agent.to_string(), id.to_string());
        }
    }
    let (records, inline) = split_sidechains(records);
    let mut lanes = vec![Lane::new(None, None, records)];
    link_inline(&mut lanes, inline, out);
    for c in companions {
        let agent = c.records.iter().find_map(|(_, r)| s(r, &["agentId"]));
        let tool = c
            .tool_use_id
            .clone()
            .or_else(|| agent.and_then(|a| spawned_by.get(a).cloned()));
        let Some(tool) = tool else {
            let warmup = c.records.iter().any(|(_, r)| {
                super::super::content_text(r.get("message").and_then(|m| m.get("content")))
                    .is_some_and(|t| t.trim() == "Warmup")
            });
            let what = if warmup {
                "a warmup file, not a sub-agent"
            } else {
                "no call in the session spawned it; not read"
            };
            out.problem(0, format!("{}: {what}", c.name));
            continue;
        };
        if c.cut {
            out.problem(0, format!("{}: the last line is cut off", c.name));
        }
        lanes.push(Lane::new(Some(c.name), Some(tool), c.records));
    }
    lanes
}

/// The CLI 1.0 layout: sub-agents' lines sit in the session's own file (`isSidechain`), each
/// sub-agent a chain of `parentUuid` links from a line with no parent. Returns the session's
/// own lines and each chain's, in file order.
fn split_sidechains(records: Records) -> (Records, Vec<Records>) {
    let mut main = Vec::with_capacity(records.len());
    let mut chains: Vec<Records> = Vec::new();
    let mut chain_of: HashMap<String, usize> = HashMap::new();
    for (line, rec) in records {
        if !in_side_chain(&rec) {
            main.push((line, rec));
            continue;
        }
        let parent = s(&rec, &["parentUuid"]).and_then(|p| chain_of.get(p).copied());
        let k = parent.unwrap_or_else(|| {
            chains.push(Vec::new());
            chains.len() - 1
        });
        if let Some(uuid) = s(&rec, &["uuid"]) {
            chain_of.insert(uuid.to_string(), k);
        }
        chains[k].push((line, rec));
    }
    (main, chains)
}

/// Gives each inline chain the lane of the `Task` call whose prompt its first line is.
fn link_inline(lanes: &mut Vec<Lane>, chains: Vec<Records>, out: &mut Out) {
    let mut calls: Vec<(String, String)> = lanes[0]
        .records()
        .flat_map(|(_, r, _)| blocks(r))
        .filter(|b| s(b, &["type"]) == Some("tool_use"))
        .filter_map(|b| {
            Some((
                s(b, &["id"])?.to_string(),
                s(b, &["input", "prompt"])?.to_string(),
            ))
        })
        .collect();
    for chain in chains {
        let prompt = chain.first().and_then(|(_, r)| {
            super::super::content_text(r.get("message").and_then(|m| m.get("content")))
        });
        let found = prompt
            .as_deref()
            .and_then(|p| calls.iter().position(|(_, q)| q == p));
        let Some(k) = found else {
            let line = chain.first().map_or(0, |(l, _)| *l);
            let what = if prompt.as_deref().map(str::trim) == Some("Warmup") {
                "a warmup, not a sub-agent"
            } else {
                "no call in the session has its prompt; not read"
            };
            out.problem(line, format!("the side chain from line {line} is {what}"));
            continue;
        };
        let (tool, _) = calls.remove(k);
        lanes.push(Lane::new(None, Some(tool), chain));
    }
}

/// The `tool_use_id`s a user line answers.
pub(super) fn tool_result_ids(rec: &Value) -> impl Iterator<Item = &str> {
    blocks(rec)
        .filter_map(|b| (s(b, &["type"]) == Some("tool_result")).then(|| s(b, &["tool_use_id"]))?)
}

pub(super) fn blocks(rec: &Value) -> impl Iterator<Item = &Value> {
    rec.get("message")
        .and_then(|m| m.get("content"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}
