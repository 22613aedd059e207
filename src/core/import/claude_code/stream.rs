//! Claude Code read as it is written: stream-json or a transcript a record at a time, with the
//! sub-agents' transcripts fed in as they appear. Every record goes through the same per-line
//! rules as a whole file (`State::record`) and the end through the same closing steps.
//!
//! What differs from a whole transcript: a whole file's lanes are merged by timestamp; live,
//! records are taken in the order they are read (a sub-agent's file is read before its
//! parent's, so its lines come before the call's result). A sub-agent file's lines wait until
//! the call that spawned it is known: its meta file's `toolUseId` (current CLI), or the
//! parent's result naming its `agentId` (older CLI, so its lines show once it has finished).
//! A file no call ever claims (a warmup) is reported when the input closes.

use std::collections::HashMap;

use serde_json::Value;

use super::super::peek::Rec;
use super::super::{content_text, s, Imported, Out};
use super::transcript::{blocks, is_transcript, tool_result_ids};
use super::State;

/// A Claude Code session being read.
pub(in crate::core::import) struct Stream {
    st: State,
    mode: Mode,
    /// The session file's last line.
    last_line: usize,
    /// Sub-agent files, in the order they appeared.
    files: Vec<SideFile>,
    /// Calls whose input has a prompt, not yet given a side chain (CLI 1.0 layout).
    calls: Vec<(String, String)>,
    /// Side-chain lines by `uuid`: the lane of their chain (`None`: a chain no call has).
    chain_of: HashMap<String, Option<String>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Undecided,
    StreamJson,
    Transcript,
}

/// A sub-agent's transcript beside the session's.
struct SideFile {
    name: String,
    /// The spawning call, once known.
    tool: Option<String>,
    agent: Option<String>,
    /// Its lines while the call is not known.
    held: std::collections::VecDeque<(usize, Rec)>,
    warmup: bool,
    /// The session its first line names (the older CLI keeps every session's side by side).
    session: Option<String>,
}

impl Stream {
    pub(in crate::core::import) fn new(out: Out) -> Stream {
        Stream {
            st: State::new(out),
            mode: Mode::Undecided,
            last_line: 0,
            files: Vec::new(),
            calls: Vec::new(),
            chain_of: HashMap::new(),
        }
    }

    pub(in crate::core::import) fn out(&mut self) -> &mut Out {
        &mut self.st.out
    }

    /// One record of the session's own file.
    pub(in crate::core::import) fn push(&mut self, line: usize, rec: Rec) {
        let first = (line, rec);
        if self.mode == Mode::Undecided {
            self.mode = if is_transcript(&first.1) {
                Mode::Transcript
            } else {
                Mode::StreamJson
            };
        }
        let rec = &first.1;
        if self.st.session.is_empty() {
            let key = match self.mode {
                Mode::Transcript => "sessionId",
                _ => "session_id",
            };
            if let Some(id) = s(rec, &[key]) {
                self.st.session = id.to_string();
            }
        }
        if self.mode == Mode::StreamJson {
            self.last_line = line;
            self.st.record(line, rec, s(rec, &["parent_tool_use_id"]));
            return;
        }
        if rec.get("isSidechain") == Some(&Value::Bool(true)) {
            return self.side_chain(line, rec);
        }
        for b in blocks(rec).filter(|b| s(b, &["type"]) == Some("tool_use")) {
            if let (Some(id), Some(prompt)) = (s(b, &["id"]), s(b, &["input", "prompt"])) {
                self.calls.push((id.to_string(), prompt.to_string()));
            }
        }
        self.claim(rec);
        self.last_line = line;
        self.st.record(line, rec, None);
        self.open_lanes();
    }

    /// A CLI 1.0 side-chain line in the session's file: its chain's lane is the call whose
    /// prompt the chain's first line is.
    fn side_chain(&mut self, line: usize, rec: &Rec) {
        let parent = s(rec, &["parentUuid"]).and_then(|p| self.chain_of.get(p).cloned());
        let lane = match parent {
            Some(lane) => lane,
            None => {
                let prompt = content_text(rec.get("message").and_then(|m| m.get("content")));
                let found =
                    (prompt.as_deref()).and_then(|p| self.calls.iter().position(|(_, q)| q == p));
                match found {
                    Some(k) => Some(self.calls.remove(k).0),
                    None => {
                        let what = if prompt.as_deref().map(str::trim) == Some("Warmup") {
                            "a warmup, not a sub-agent"
                        } else {
                            "no call in the session has its prompt; not read"
                        };
                        let msg = format!("the side chain from line {line} is {what}");
                        self.st.out.problem(line, msg);
                        None
                    }
                }
            }
        };
        if let Some(uuid) = s(rec, &["uuid"]) {
            self.chain_of.insert(uuid.to_string(), lane.clone());
        }
        if let Some(tool) = lane {
            self.st.record(line, rec, Some(&tool));
        }
    }

    /// One record of the sub-agent transcript `name`.
    pub(in crate::core::import) fn push_file(&mut self, name: &str, line: usize, rec: Rec) {
        let k = match self.files.iter().position(|f| f.name == name) {
            Some(k) => k,
            None => {
                let session = s(&rec, &["sessionId"]).map(str::to_string);
                self.side_file(name, session)
            }
        };
        if self.foreign(k) {
            return;
        }
        let file = &mut self.files[k];
        if file.agent.is_none() {
            file.agent = s(&rec, &["agentId"]).map(str::to_string);
        }
        file.warmup |= content_text(rec.get("message").and_then(|m| m.get("content")))
            .is_some_and(|t| t.trim() == "Warmup");
        // Held even when its lane is open: the files' lines are taken by time across files.
        self.files[k].held.push_back((line, rec));
        self.open_lanes();
    }

    /// Another session's file.
    fn foreign(&self, k: usize) -> bool {
        let session = &self.st.session;
        (self.files[k].session.as_ref()).is_some_and(|s| !session.is_empty() && s != session)
    }

    /// Whether a file's lines can be read: the call that spawned it is known and was read.
    fn lane_open(&self, k: usize) -> bool {
        (self.files[k].tool.as_ref()).is_some_and(|t| self.st.agents.contains_key(t))
    }

    /// Reads the lines held by files whose lane is open now, the earliest first (as a whole
    /// session's lanes are merged), so a nested sub-agent's lines come before its call's result.
    fn open_lanes(&mut self) {
        let first = |f: &SideFile| {
            let ts = f.held.front()?.1.get("timestamp")?.as_str()?;
            crate::core::timestamp::parse_str(ts)
        };
        loop {
            let k = (0..self.files.len())
                .filter(|&k| !self.files[k].held.is_empty() && self.lane_open(k))
                .min_by(|&a, &b| {
                    let (a, b) = (first(&self.files[a]), first(&self.files[b]));
                    a.unwrap_or(f64::NEG_INFINITY)
                        .total_cmp(&b.unwrap_or(f64::NEG_INFINITY))
                });
            let Some(k) = k else { break };
            let Some((line, rec)) = self.files[k].held.pop_front() else {
                break;
            };
            self.claim(&rec);
            self.record_in(k, line, &rec);
        }
    }

    /// The sub-agent file `name` was spawned by the call `tool` (its meta file says so),
    /// known before its first line is read or after.
    pub(in crate::core::import) fn link_file(&mut self, name: &str, tool: &str) {
        let k = match self.files.iter().position(|f| f.name == name) {
            Some(k) => k,
            None => self.side_file(name, None),
        };
        self.link(k, tool.to_string());
    }

    /// A sub-agent file met for the first time (`session`: the one its first line names).
    fn side_file(&mut self, name: &str, session: Option<String>) -> usize {
        self.files.push(SideFile {
            name: name.to_string(),
            tool: None,
            agent: None,
            held: Default::default(),
            warmup: false,
            session,
        });
        self.files.len() - 1
    }

    /// Whether the sub-agent file `name` still waits for the call that spawned it.
    pub(in crate::core::import) fn unlinked(&self, name: &str) -> bool {
        !(0..self.files.len()).any(|k| {
            self.files[k].name == name && (self.files[k].tool.is_some() || self.foreign(k))
        })
    }

    /// A result naming the sub-agent it ran (`toolUseResult.agentId`, older CLI) gives that
    /// agent's file its lane, and its lines are read before the result.
    fn claim(&mut self, rec: &Rec) {
        let Some(agent) = s(rec, &["toolUseResult", "agentId"]) else {
            return;
        };
        let Some(tool) = tool_result_ids(rec).next() else {
            return;
        };
        let k = (0..self.files.len()).find(|&k| {
            let f = &self.files[k];
            f.tool.is_none() && !self.foreign(k) && f.agent.as_deref() == Some(agent)
        });
        if let Some(k) = k {
            self.link(k, tool.to_string());
        }
    }

    fn link(&mut self, k: usize, tool: String) {
        if self.files[k].tool.is_some() {
            return;
        }
        self.files[k].tool = Some(tool);
        self.open_lanes();
    }

    fn record_in(&mut self, k: usize, line: usize, rec: &Rec) {
        let tool = self.files[k].tool.clone();
        self.st.out.set_file(Some(self.files[k].name.clone()));
        self.st.record(line, rec, tool.as_deref());
        self.st.out.set_file(None);
    }

    /// The end of the input: files no call claimed are reported, and whatever is still open
    /// is closed as a whole file's end closes it.
    pub(in crate::core::import) fn close(mut self, cut: bool) -> Imported {
        for k in 0..self.files.len() {
            let f = &self.files[k];
            if self.foreign(k) || (f.tool.is_some() && f.held.is_empty()) {
                continue;
            }
            if f.tool.is_some() {
                let msg = format!(
                    "{}: the call that spawned it was never read; not read",
                    f.name
                );
                self.st.out.problem(0, msg);
                continue;
            }
            let what = if f.warmup {
                "a warmup file, not a sub-agent"
            } else {
                "no call in the session spawned it; not read"
            };
            self.st.out.problem(0, format!("{}: {what}", f.name));
        }
        if self.mode != Mode::Transcript {
            return self.st.finish_stream(self.last_line, cut);
        }
        self.st.finish_transcript(self.last_line, cut)
    }

    /// What was made since the last call.
    pub(in crate::core::import) fn drain(&mut self) -> Imported {
        self.st.out.drain()
    }
}
