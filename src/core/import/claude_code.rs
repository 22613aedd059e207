//! Claude Code `--output-format stream-json --verbose` (also the Claude Agent SDK) to native
//! frames. Owns the mapping below; lanes of interleaved sub-agents are kept apart by
//! `parent_tool_use_id`, never by position in the file.
//!
//! | Claude Code line | native frames |
//! | --- | --- |
//! | `system`/`init` (or the first line of a turn) | `agent_started` of the root: `agent_id` = `run_id` = `thread_id` = `session_id` (turn n > 1: `run_id` `session_id#n`), `agent_name` `main` |
//! | `user` text with no `parent_tool_use_id` | `user_message` (`content`); after a `result` it opens the next turn |
//! | `user` text inside a sub-agent (its prompt) | none: the prompt is the `Task`/`Agent` input, on that agent's `agent_started` `parameters` |
//! | `assistant` `thinking` / `text` block | `agent_thinking` (`thought`; `message_id` = `message.id`: one API message = one model turn) |
//! | `assistant` `tool_use` | `tool_executing` (`tool_call_id` = `tool_use.id`, `parameters` = `input`) |
//! | `tool_use` named `Task` or `Agent` | also `agent_started` of a sub-agent: `agent_id` = `tool_use.id`, `agent_name` = `subagent_type`, `parent_agent_id` = the agent whose lane the `tool_use` is in (root, or the enclosing sub-agent) |
//! | `user` `tool_result` | `tool_completed` (`status` `ok`, or `error` with `error` when `is_error`); for a foreground sub-agent's tool, its `agent_completed` first |
//! | `system` `task_started` | none; notes `task_id` and `is_backgrounded` |
//! | `system` `task_updated` (`patch.status`) / `task_notification` (`status`) with a final status | `agent_completed` of that sub-agent if still open (background sub-agents end here) |
//! | `result` | `agent_completed` of the root (`result.final_answer` = `result`; `is_error` → `status` `error`) |
//! | other `system` subtypes (`thinking_tokens`, `task_progress`, …) | none |
//!
//! Lines in a sub-agent's lane carry `parent_tool_use_id` = its `tool_use.id`. Timestamps are
//! the lines' own `timestamp` (2.1 has them on assistant/user lines, 2.0 has none) or a
//! `task_updated` `patch.end_time`; none are invented. A `result` with `is_error` is an error the
//! stream reports: foreground tools and sub-agents still open are closed `aborted`; whatever is
//! still open at the end of input is closed `aborted` too, each reported.

use std::collections::HashMap;

use serde_json::Value;

use super::peek::{read_wanted, read_wanted_from, Peek, Rec};
use super::{s, Format, Imported, Out};
use keep::KEEP;

struct Agent {
    parent: String,
    name: String,
    background: bool,
    open: bool,
}

struct Tool {
    agent: String,
    name: String,
    open: bool,
}

struct State {
    out: Out,
    session: String,
    turn: u64,
    root_open: bool,
    /// A `system`/`init` was seen and no root started since: the root starts with the first
    /// line of work, after the turn's prompt when it is replayed.
    init_pending: bool,
    /// The model the last `init` named.
    model: Option<String>,
    agents: HashMap<String, Agent>,
    agent_order: Vec<String>,
    tools: HashMap<String, Tool>,
    tool_order: Vec<String>,
    tasks: HashMap<String, String>,
    /// A `result` closed the turn: the next line opens the next one.
    next_turn: bool,
    /// How the root lane's last line left the turn (transcripts have no `result`).
    root_end: RootEnd,
    /// The root lane's last timestamp and line.
    root_last: (Option<Value>, usize),
    /// The `message.id`s whose usage was counted.
    counted: std::collections::HashSet<String>,
}

/// How the root's last line of a turn left it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RootEnd {
    /// The model ended its turn (`stop_reason` `end_turn`).
    Answered,
    /// The API failed (`isApiErrorMessage`).
    ApiError,
    /// Anything else: a tool call or result with no answer after it.
    Unfinished,
}

pub(super) fn import(input: &str) -> Imported {
    let mut out = Out::new(Format::ClaudeCode);
    let (records, cut) = read_lines(input, &mut out);
    session(out, records, cut, None)
}

/// Imports a file, a line at a time: a transcript brings its sub-agents' files along (found
/// beside it). With a `sink`, frames go there as they are made.
pub(super) fn import_file(path: &std::path::Path, sink: Option<super::Sink>) -> Imported {
    let mut out = Out::new(Format::ClaudeCode);
    out.sink_to(sink);
    file::read(path, out).unwrap_or_else(|out| whole(path, *out))
}

/// Imports a file whose records are all read before the first frame is made.
fn whole(path: &std::path::Path, mut out: Out) -> Imported {
    let read = std::fs::File::open(path).and_then(|f| {
        read_wanted_from(
            f,
            &mut out,
            (wanted, KEEP),
            super::unknowns::claude_code_line,
        )
    });
    match read {
        Ok((records, cut)) => session(out, records, cut, Some(path)),
        Err(e) => file::cannot_read(out, e),
    }
}

/// The session the records hold: a transcript (with its sub-agents' files when `path` says
/// where to look), else stream-json.
fn session(
    mut out: Out,
    records: Vec<(usize, Rec)>,
    cut: bool,
    path: Option<&std::path::Path>,
) -> Imported {
    if records
        .first()
        .is_some_and(|(_, r)| transcript::is_transcript(r))
    {
        let companions = match path {
            Some(p) => transcript::companions(p, transcript::session_id(&records), &mut out),
            None => Vec::new(),
        };
        return transcript::import(out, records, companions, cut);
    }
    let mut st = Stream::new(out);
    for (line, rec) in records {
        st.push(line, rec);
    }
    st.close(cut)
}

impl State {
    fn new(out: Out) -> State {
        State {
            out,
            session: String::new(),
            turn: 1,
            root_open: false,
            init_pending: false,
            model: None,
            agents: HashMap::new(),
            agent_order: Vec::new(),
            tools: HashMap::new(),
            tool_order: Vec::new(),
            tasks: HashMap::new(),
            next_turn: false,
            root_end: RootEnd::Unfinished,
            root_last: (None, 0),
            counted: std::collections::HashSet::new(),
        }
    }

    /// One line, in the lane of the sub-agent whose call opened it (`None`: the root's).
    fn record(&mut self, line: usize, rec: &Rec, lane: Option<&str>) {
        super::unknowns::claude_code_message(&mut self.out, line, rec);
        match s(rec, &["type"]).unwrap_or("") {
            "system" => self.system(line, rec),
            "assistant" => {
                self.ensure_root(line, rec);
                self.assistant(line, rec, lane);
            }
            "user" => self.user(line, rec, lane),
            "result" => {
                self.ensure_root(line, rec);
                self.result(line, rec);
            }
            _ => {}
        }
    }

    /// The end of a stream-json input: whatever is open is closed as aborted and reported.
    fn finish_stream(mut self, last_line: usize, cut: bool) -> Imported {
        let why = if cut {
            "the input ended with a cut-off line"
        } else {
            "the input ended"
        };
        if self.init_pending && !self.root_open && self.turn == 1 && !self.next_turn {
            // Only an `init`: the run started and the input ended.
            self.init_pending = false;
            self.ensure_root(last_line, &Rec::null());
        }
        self.abort_all(last_line, why, true);
        if self.root_open {
            self.root_open = false;
            let p = self.base(&self.root_id(), "main");
            self.emit_completed(last_line, None, p, "aborted", Some(why), &Value::Null);
            let msg = format!(
                "root agent {} was still running when {why}; closed as aborted",
                self.root_id()
            );
            self.out.problem(last_line, msg);
        }
        self.out.finish()
    }

    fn root_id(&self) -> String {
        if self.turn <= 1 {
            self.session.clone()
        } else {
            format!("{}#{}", self.session, self.turn)
        }
    }

    fn base(&self, agent_id: &str, agent_name: &str) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        m.insert("run_id".into(), Value::from(self.root_id()));
        m.insert("thread_id".into(), Value::from(self.session.clone()));
        m.insert("turn".into(), Value::from(self.turn));
        m.insert("agent_name".into(), Value::from(agent_name));
        m.insert("agent_id".into(), Value::from(agent_id));
        m
    }

    /// The agent whose lane a line is in: the sub-agent whose `Task`/`Agent` call opened the
    /// lane, else the root.
    fn owner(&self, lane: Option<&str>) -> (String, String) {
        match lane.and_then(|id| self.agents.get_key_value(id)) {
            Some((id, a)) => (id.clone(), a.name.clone()),
            None => (self.root_id(), "main".to_string()),
        }
    }

    fn ensure_root(&mut self, line: usize, rec: &Rec) {
        if self.root_open {
            return;
        }
        self.open_next_turn();
        self.root_open = true;
        let mut p = self.base(&self.root_id(), "main");
        let model = s(rec, &["model"])
            .map(str::to_string)
            .or(self.model.clone())
            .or_else(|| s(rec, &["message", "model"]).map(str::to_string));
        if let Some(model) = model {
            p.insert("model".into(), Value::from(model));
        }
        self.init_pending = false;
        self.out
            .emit(line, "agent_started", ts(rec), Value::Object(p), rec);
    }

    fn agent_name(&self, id: &str) -> String {
        self.agents
            .get(id)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "main".into())
    }
}

mod closing;
mod file;
mod keep;
mod lines;
mod merge;
mod stream;
pub(super) use stream::Stream;
mod turns;
mod usage;

fn ts(rec: &Value) -> Option<Value> {
    rec.get("timestamp")
        .filter(|t| t.is_string() || t.is_number())
        .cloned()
}

mod transcript;

/// The lines that carry a session's work (`user`, `assistant`, `system`, `result`), parsed
/// whole; every other line (attachments, request bookkeeping: most of a transcript's bytes) only
/// has its fields checked.
fn read_lines(input: &str, out: &mut Out) -> (Vec<(usize, Rec)>, bool) {
    read_wanted(
        input,
        out,
        (wanted, KEEP),
        super::unknowns::claude_code_line,
    )
}

pub(super) fn wanted(p: &Peek) -> bool {
    matches!(
        p.kind.as_deref(),
        Some("user" | "assistant" | "system" | "result")
    )
}
