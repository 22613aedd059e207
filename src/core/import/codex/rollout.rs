//! Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`) to native frames, with
//! the child threads of a multi-agent session read from their own rollouts beside the parent's.
//!
//! Every line is `{timestamp, type, payload}`. A thread is one agent: the root thread is
//! `codex`; a child thread (its `session_meta` names `parent_thread_id`) is named by its
//! `agent_nickname` (else its `agent_path`), and is a sub-agent of the parent thread's agent.
//! Each `task_started` … `task_complete` of the root is one turn (one run); a child's turn runs
//! in the run of the root turn it serves (`root_turn_id`).
//!
//! | rollout line | native frames |
//! | --- | --- |
//! | `event_msg` `task_started` | `agent_started` of the thread's agent for this turn (held until the turn's prompt, so the prompt comes first) |
//! | `response_item` `message` `user` on the root thread (not an injected `<environment_context>`, `<subagent_notification>`, `<turn_aborted>` …) | `user_message` (sent by the user) |
//! | `response_item` `reasoning` / `message` `assistant` | `agent_thinking` |
//! | `response_item` `function_call` | `tool_executing` (`tool_call_id` = `call_id`, `parameters` = the parsed `arguments`) |
//! | `response_item` `function_call_output` | `tool_completed`: `error` when the command's `CommandExecution` item failed or exited non-zero, or the call was rejected (`failed to …`, `… failed: …`); `aborted` for `aborted by user`; else `ok` |
//! | `event_msg` `task_complete` | `agent_completed` (`ok`, or `error` with its `error.message`), `result.final_answer` = `last_agent_message` |
//! | `event_msg` `turn_aborted` | open tools and the agent closed `aborted` |
//! | the `event_msg` mirrors of items (`item_completed` `Reasoning`, `AgentMessage`, `UserMessage`), token counts, `turn_context`, `world_state` | none |

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use super::super::{content_text, json_or_string, read_objects, s, Imported, Out};
use crate::core::link::Dir;
use crate::core::timestamp;

/// A rollout line (`{timestamp, type, payload}`), as opposed to `exec --json` output.
pub(super) fn is_rollout(rec: &Value) -> bool {
    matches!(
        s(rec, &["type"]),
        Some("session_meta" | "response_item" | "event_msg" | "turn_context")
    ) && rec.get("payload").is_some_and(Value::is_object)
}

/// One rollout file.
pub(super) struct Rollout {
    /// The file name, for notes (`None`: the file opened).
    pub name: Option<String>,
    pub records: Vec<(usize, Value)>,
    pub cut: bool,
}

impl Rollout {
    fn meta(&self) -> Option<&Value> {
        self.records
            .iter()
            .find(|(_, r)| s(r, &["type"]) == Some("session_meta"))
            .and_then(|(_, r)| r.get("payload"))
    }

    fn thread_id(&self) -> Option<&str> {
        self.meta().and_then(|m| s(m, &["id"]))
    }
}

/// The child threads' rollouts of the session whose root rollout is `path`: the rollouts in
/// the same folder whose `session_meta.session_id` is the root's thread and which are not it.
pub(super) fn children(path: &Path, root: &Rollout, out: &mut Out) -> Vec<Rollout> {
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

/// One thread: its agent, and the turn in progress.
struct Thread {
    name: String,
    parent: Option<String>,
    /// The agent of the open turn, and whether its `agent_started` is out.
    agent: Option<String>,
    started: bool,
    turns: u64,
    run: String,
    turn: u64,
    /// The task a child was given, shown on its start.
    task: Option<String>,
}

struct State {
    out: Out,
    root: String,
    threads: HashMap<String, Thread>,
    /// The run each root turn opened, by its `turn_id`.
    runs: HashMap<String, (String, u64)>,
    root_turns: u64,
    /// Tools by call id: the agent that called, the name, still open.
    tools: HashMap<String, (String, String, bool)>,
    tool_order: Vec<String>,
    /// A command's outcome (`CommandExecution` item): failed, exit code.
    commands: HashMap<String, (bool, Option<i64>)>,
}

/// Reads a root rollout and its children's as one session.
pub(super) fn import(out: Out, root: Rollout, children: Vec<Rollout>) -> Imported {
    let root_id = root.thread_id().unwrap_or("codex").to_string();
    let mut st = State {
        out,
        root: root_id.clone(),
        threads: HashMap::new(),
        runs: HashMap::new(),
        root_turns: 0,
        tools: HashMap::new(),
        tool_order: Vec::new(),
        commands: HashMap::new(),
    };
    let mut lanes = vec![root];
    lanes.extend(children);
    let known: Vec<String> = lanes
        .iter()
        .filter_map(|l| l.thread_id().map(str::to_string))
        .collect();
    let mut ids = Vec::with_capacity(lanes.len());
    for lane in &lanes {
        let meta = lane.meta();
        let id = lane.thread_id().unwrap_or(&root_id).to_string();
        let parent = meta
            .and_then(|m| s(m, &["parent_thread_id"]))
            .filter(|p| known.iter().any(|k| k == p))
            .map(str::to_string);
        let name = match parent {
            None => "codex".to_string(),
            Some(_) => meta
                .and_then(|m| s(m, &["agent_nickname"]).or(s(m, &["agent_path"])))
                .unwrap_or("sub-agent")
                .to_string(),
        };
        st.threads.insert(
            id.clone(),
            Thread {
                name,
                parent,
                agent: None,
                started: false,
                turns: 0,
                run: root_id.clone(),
                turn: 1,
                task: None,
            },
        );
        ids.push(id);
    }
    let mut next = vec![0usize; lanes.len()];
    let mut last = 0;
    // Lanes merged by timestamp; each lane keeps its own order.
    loop {
        let pick = (0..lanes.len())
            .filter(|&k| next[k] < lanes[k].records.len())
            .min_by(|&a, &b| {
                let ts = |k: usize| {
                    lanes[k].records[next[k]]
                        .1
                        .get("timestamp")
                        .and_then(Value::as_str)
                        .and_then(timestamp::parse_str)
                        .unwrap_or(f64::NEG_INFINITY)
                };
                ts(a).total_cmp(&ts(b))
            });
        let Some(k) = pick else { break };
        let (line, rec) = &lanes[k].records[next[k]];
        next[k] += 1;
        st.out.set_file(lanes[k].name.clone());
        if k == 0 {
            last = *line;
        }
        st.record(*line, rec, &ids[k]);
        st.out.set_file(None);
    }
    let cut = lanes.first().is_some_and(|l| l.cut);
    let why = if cut {
        "the rollout ended with a cut-off line"
    } else {
        "the rollout ended"
    };
    for id in ids.iter().rev() {
        st.close_turn(last, id, "aborted", Some(why), None, &Value::Null);
    }
    st.out.finish()
}

impl State {
    fn base(&self, thread: &str) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(t) = self.threads.get(thread) {
            m.insert("run_id".into(), Value::from(t.run.clone()));
            m.insert("thread_id".into(), Value::from(self.root.clone()));
            m.insert("turn".into(), Value::from(t.turn));
            m.insert("agent_name".into(), Value::from(t.name.clone()));
            if let Some(a) = &t.agent {
                m.insert("agent_id".into(), Value::from(a.clone()));
            }
        }
        m
    }

    fn record(&mut self, line: usize, rec: &Value, thread: &str) {
        super::super::unknowns::codex(&mut self.out, line, rec);
        let Some(p) = rec.get("payload") else { return };
        let ts = rec.get("timestamp").cloned();
        match (s(rec, &["type"]), s(p, &["type"])) {
            (Some("event_msg"), Some("task_started")) => self.task_started(thread, p),
            (Some("event_msg"), Some("task_complete")) => {
                let error = p
                    .get("error")
                    .filter(|e| !e.is_null())
                    .map(|e| s(e, &["message"]).map_or_else(|| e.to_string(), str::to_string));
                let status = if error.is_some() { "error" } else { "ok" };
                let answer = s(p, &["last_agent_message"]).map(str::to_string);
                self.ensure_started(line, thread, ts.clone(), rec);
                self.close_turn(line, thread, status, error.as_deref(), answer, rec);
                let _ = ts;
            }
            (Some("event_msg"), Some("turn_aborted")) => {
                let why = match s(p, &["reason"]) {
                    Some(r) => format!("the turn was aborted ({r})"),
                    None => "the turn was aborted".to_string(),
                };
                self.ensure_started(line, thread, ts, rec);
                self.close_turn(line, thread, "aborted", Some(&why), None, rec);
            }
            (Some("event_msg"), Some("item_completed")) => {
                let item = p.get("item").unwrap_or(&Value::Null);
                if s(item, &["type"]) == Some("CommandExecution") {
                    if let Some(id) = s(item, &["id"]) {
                        let failed = s(item, &["status"]) == Some("failed");
                        let code = item.get("exit_code").and_then(Value::as_i64);
                        self.commands.insert(id.to_string(), (failed, code));
                    }
                }
            }
            (Some("response_item"), Some("message")) => self.message(line, rec, p, thread),
            // A v2 child's task arrives as a message to its own path.
            (Some("response_item"), Some("agent_message"))
                if self.threads.get(thread).is_some_and(|t| t.parent.is_some()) =>
            {
                let text = content_text(p.get("content"));
                if let Some(t) = self.threads.get_mut(thread) {
                    t.task = t.task.take().or(text);
                }
            }
            (Some("response_item"), Some("reasoning")) => {
                let text = p
                    .get("summary")
                    .and_then(Value::as_array)
                    .map(|parts| {
                        parts
                            .iter()
                            .filter_map(|x| s(x, &["text"]))
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default();
                self.thought(line, thread, ts, text, rec);
            }
            (Some("response_item"), Some("function_call")) => self.call(line, rec, p, thread),
            (Some("response_item"), Some("function_call_output")) => {
                self.call_output(line, rec, p, thread)
            }
            _ => {}
        }
    }

    fn task_started(&mut self, thread: &str, p: &Value) {
        let root_turn = s(p, &["turn_attribution", "root_turn_id"])
            .or(s(p, &["root_turn_id"]))
            .or(s(p, &["turn_id"]))
            .map(str::to_string);
        let is_root = self.threads.get(thread).is_some_and(|t| t.parent.is_none());
        let (run, turn) = if is_root {
            self.root_turns += 1;
            let run = if self.root_turns == 1 {
                thread.to_string()
            } else {
                format!("{thread}#{}", self.root_turns)
            };
            if let Some(rt) = &root_turn {
                self.runs.insert(rt.clone(), (run.clone(), self.root_turns));
            }
            (run, self.root_turns)
        } else {
            root_turn
                .and_then(|rt| self.runs.get(&rt).cloned())
                .unwrap_or((self.root.clone(), self.root_turns.max(1)))
        };
        let Some(t) = self.threads.get_mut(thread) else {
            return;
        };
        t.turns += 1;
        t.agent = Some(if t.turns == 1 {
            thread.to_string()
        } else {
            format!("{thread}#{}", t.turns)
        });
        t.started = false;
        t.run = run;
        t.turn = turn;
    }

    /// The turn's `agent_started`, once: held until the turn's prompt or first act.
    fn ensure_started(&mut self, line: usize, thread: &str, ts: Option<Value>, rec: &Value) {
        let Some(t) = self.threads.get(thread) else {
            return;
        };
        if t.started {
            return;
        }
        if t.agent.is_none() {
            // Lines before any `task_started`: the thread's first turn.
            self.task_started(thread, &Value::Null);
        }
        let parent = self.threads[thread]
            .parent
            .as_ref()
            .and_then(|p| self.threads.get(p))
            .and_then(|p| p.agent.clone());
        let task = self.threads[thread].task.clone();
        let mut p = self.base(thread);
        if let Some(parent) = parent {
            p.insert("parent_agent_id".into(), Value::from(parent));
        }
        if let Some(task) = task {
            p.insert("parameters".into(), json!({ "task": task }));
        }
        self.out
            .emit(line, "agent_started", ts, Value::Object(p), rec);
        if let Some(t) = self.threads.get_mut(thread) {
            t.started = true;
        }
    }

    fn message(&mut self, line: usize, rec: &Value, p: &Value, thread: &str) {
        let ts = rec.get("timestamp").cloned();
        let text = content_text(p.get("content")).unwrap_or_default();
        match s(p, &["role"]) {
            Some("user") => {
                let injected = text.trim_start().starts_with('<');
                let is_root = self.threads.get(thread).is_some_and(|t| t.parent.is_none());
                if injected {
                    return;
                }
                if !is_root {
                    if let Some(t) = self.threads.get_mut(thread) {
                        t.task = t.task.take().or(Some(text));
                    }
                    return;
                }
                if self.threads.get(thread).is_some_and(|t| t.started) {
                    return; // a steer of the turn in progress: part of it
                }
                let mut m = self.base(thread);
                m.remove("agent_name");
                m.remove("agent_id");
                m.insert("content".into(), Value::from(text));
                self.out.emit_dir(
                    line,
                    Dir::Out,
                    "user_message",
                    ts.clone(),
                    Value::Object(m),
                    rec,
                );
                self.ensure_started(line, thread, ts, rec);
            }
            Some("assistant") => self.thought(line, thread, ts, text, rec),
            _ => {}
        }
    }

    fn thought(&mut self, line: usize, thread: &str, ts: Option<Value>, text: String, rec: &Value) {
        self.ensure_started(line, thread, ts.clone(), rec);
        let mut m = self.base(thread);
        m.insert("thought".into(), Value::from(text));
        self.out
            .emit(line, "agent_thinking", ts, Value::Object(m), rec);
    }

    fn call(&mut self, line: usize, rec: &Value, p: &Value, thread: &str) {
        let ts = rec.get("timestamp").cloned();
        self.ensure_started(line, thread, ts.clone(), rec);
        let id = s(p, &["call_id"]).unwrap_or("").to_string();
        let name = s(p, &["name"]).unwrap_or("").to_string();
        let mut m = self.base(thread);
        m.insert("tool_name".into(), Value::from(name.clone()));
        m.insert("tool_call_id".into(), Value::from(id.clone()));
        m.insert("parameters".into(), json_or_string(p.get("arguments")));
        self.out
            .emit(line, "tool_executing", ts, Value::Object(m), rec);
        let agent = self.threads[thread].agent.clone().unwrap_or_default();
        self.tools.insert(id.clone(), (agent, name, true));
        self.tool_order.push(id);
    }

    fn call_output(&mut self, line: usize, rec: &Value, p: &Value, thread: &str) {
        let ts = rec.get("timestamp").cloned();
        let id = s(p, &["call_id"]).unwrap_or("").to_string();
        let output = match p.get("output") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => content_text(Some(other)).unwrap_or_else(|| other.to_string()),
            None => String::new(),
        };
        let (status, error) = outcome(&output, self.commands.get(&id).copied());
        let name = match self.tools.get_mut(&id) {
            Some(t) => {
                t.2 = false;
                t.1.clone()
            }
            None => String::new(),
        };
        let mut m = self.base(thread);
        if !name.is_empty() {
            m.insert("tool_name".into(), Value::from(name));
        }
        m.insert("tool_call_id".into(), Value::from(id));
        m.insert("status".into(), Value::from(status));
        m.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        m.insert("result".into(), json!({ "content": output }));
        self.out
            .emit(line, "tool_completed", ts, Value::Object(m), rec);
    }

    /// Ends the open turn of `thread`: its open tools closed `aborted`, then its agent.
    fn close_turn(
        &mut self,
        line: usize,
        thread: &str,
        status: &str,
        error: Option<&str>,
        answer: Option<String>,
        rec: &Value,
    ) {
        let Some(agent) = self.threads.get(thread).and_then(|t| t.agent.clone()) else {
            return;
        };
        if !self.threads[thread].started {
            return;
        }
        let tools_now = &self.tools;
        self.tool_order
            .retain(|id| tools_now.get(id).is_some_and(|t| t.2));
        for id in self.tool_order.clone().iter().rev() {
            let Some((a, name, open)) = self.tools.get(id).cloned() else {
                continue;
            };
            if !open || a != agent {
                continue;
            }
            if let Some(t) = self.tools.get_mut(id) {
                t.2 = false;
            }
            let why = error.unwrap_or("the turn ended");
            let base = self.base(thread);
            self.out.abort_tool(line, base, &name, id, why);
        }
        let mut m = self.base(thread);
        m.insert("status".into(), Value::from(status));
        m.insert(
            "error".into(),
            error.map(Value::from).unwrap_or(Value::Null),
        );
        if let Some(a) = answer {
            m.insert("result".into(), json!({ "final_answer": a }));
        }
        let ts = rec.get("timestamp").cloned();
        self.out
            .emit(line, "agent_completed", ts, Value::Object(m), rec);
        if status == "aborted" && rec.is_null() {
            self.out.problem(
                line,
                format!(
                    "agent {agent} was still running when {}; closed as aborted",
                    error.unwrap_or("the rollout ended")
                ),
            );
        }
        if let Some(t) = self.threads.get_mut(thread) {
            t.agent = None;
            t.started = false;
        }
    }
}

/// A call's outcome from its output text and its command item.
fn outcome(output: &str, command: Option<(bool, Option<i64>)>) -> (&'static str, Option<String>) {
    let first = output.lines().next().unwrap_or("");
    if output.lines().any(|l| l.trim() == "aborted by user") {
        return ("aborted", Some("aborted by user".into()));
    }
    match command {
        Some((failed, code)) if failed || code.is_some_and(|c| c != 0) => {
            let why = match code {
                Some(c) => format!("exited with code {c}"),
                None => "the command failed".into(),
            };
            ("error", Some(why))
        }
        Some(_) => ("ok", None),
        // No command ran: the CLI rejected the call, and says so in the output.
        None if first.starts_with("failed to ") || first.contains(" failed: ") => {
            ("error", Some(first.to_string()))
        }
        None => ("ok", None),
    }
}
