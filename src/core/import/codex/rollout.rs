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

use serde_json::{Map, Value};

use super::super::{content_text, s, Imported, Out};
use crate::core::link::Dir;
use crate::core::timestamp;

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
    usage: usage::Usage,
}

/// Reads a root rollout and its children's as one session.
pub(super) fn import(out: Out, root: Rollout, children: Vec<Rollout>) -> Imported {
    let mut st = State::new(out, &root);
    let mut lanes = vec![root];
    lanes.extend(children);
    let ids = st.threads_of(&lanes);
    let last = st.merge(&lanes, &ids);
    let cut = lanes.first().is_some_and(|l| l.cut);
    st.close(last, &ids, cut)
}

impl State {
    fn new(out: Out, root: &Rollout) -> State {
        State {
            out,
            root: root.thread_id().unwrap_or("codex").to_string(),
            threads: HashMap::new(),
            runs: HashMap::new(),
            root_turns: 0,
            tools: HashMap::new(),
            tool_order: Vec::new(),
            commands: HashMap::new(),
            usage: usage::Usage::default(),
        }
    }

    /// The end of the rollout: every thread's open turn is cut off.
    fn close(mut self, last: usize, ids: &[String], cut: bool) -> Imported {
        let why = if cut {
            "the rollout ended with a cut-off line"
        } else {
            "the rollout ended"
        };
        for id in ids.iter().rev() {
            self.cut_off(last, id, why);
        }
        self.out.finish()
    }

    /// A thread for each lane, the root's first; their ids, in lane order.
    fn threads_of(&mut self, lanes: &[Rollout]) -> Vec<String> {
        let known: Vec<String> = lanes
            .iter()
            .filter_map(|l| l.thread_id().map(str::to_string))
            .collect();
        lanes
            .iter()
            .map(|lane| self.thread_of(lane, &known))
            .collect()
    }

    /// The thread of one lane, named as a child when its parent is one of `known`; its id.
    fn thread_of(&mut self, lane: &Rollout, known: &[String]) -> String {
        let root_id = self.root.clone();
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
        self.threads.insert(
            id.clone(),
            Thread {
                name,
                parent,
                agent: None,
                started: false,
                turns: 0,
                run: root_id,
                turn: 1,
                task: None,
            },
        );
        id
    }

    /// The lanes' records merged by timestamp, each lane keeping its own order; returns the
    /// root lane's last line.
    fn merge(&mut self, lanes: &[Rollout], ids: &[String]) -> usize {
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
            self.out.set_file(lanes[k].name.clone());
            if k == 0 {
                last = *line;
            }
            self.record(*line, rec, &ids[k]);
            self.out.set_file(None);
        }
        last
    }

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
            (Some("event_msg"), Some("token_count")) => self.token_count(line, rec, p, thread),
            (Some("turn_context"), _) => self.turn_context(p, thread),
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
}

mod calls;
mod files;
mod live;
pub(in crate::core::import) use live::Live;
mod turns;
mod usage;
pub(in crate::core::import) use files::{child_dirs, children, is_rollout, Rollout};
