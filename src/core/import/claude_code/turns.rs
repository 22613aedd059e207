//! The turns of a Claude Code session: a prompt opens one, and it ends at `result`
//! (stream-json) or at the next prompt or the end of the file (transcripts, which have no
//! `result`); what a user line without tool results is; background sub-agents' notifications.

use serde_json::{json, Value};

use super::super::out::Record;
use super::super::peek::Rec;
use super::super::{content_text, s};
use super::{ts, RootEnd, State};
use crate::core::link::Dir;

impl State {
    /// A transcript's turn ends at the next prompt or at the end of the file (it has no
    /// `result`): the root completes at its last line, answered or not.
    pub(super) fn end_turn(&mut self, line: usize, why: &str) {
        if !self.root_open {
            return;
        }
        self.abort_all(line, why, false);
        let (stamp, last) = self.root_last.clone();
        let p = self.base(&self.root_id(), "main");
        match self.root_end {
            RootEnd::Answered => self.emit_completed(last, stamp, p, "ok", None, &Value::Null),
            RootEnd::ApiError => {
                self.emit_completed(last, stamp, p, "error", Some("API error"), &Value::Null)
            }
            RootEnd::Unfinished => {
                self.emit_completed(last, stamp, p, "aborted", Some(why), &Value::Null);
                let msg = format!(
                    "root agent {} had not answered when {why}; closed as aborted",
                    self.root_id()
                );
                self.out.problem(last, msg);
            }
        }
        self.root_open = false;
        self.next_turn = true;
    }

    /// A prompt on the root lane: the turn in progress ends (transcripts), the next opens
    /// with the prompt as its message, then its root.
    pub(super) fn prompt(&mut self, line: usize, rec: &Rec, content: Option<&Value>) {
        self.end_turn(line, "the next prompt arrived");
        self.open_next_turn();
        let mut p = self.base(&self.root_id(), "main");
        p.remove("agent_name");
        p.remove("agent_id");
        p.insert(
            "content".into(),
            content_text(content)
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        self.out.emit_dir(
            line,
            Dir::Out,
            "user_message",
            ts(rec),
            Value::Object(p),
            rec,
        );
        self.ensure_root(line, rec);
    }

    /// A background sub-agent's end, as a task notification tells it (status and summary).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn finish_task(
        &mut self,
        line: usize,
        tool: &str,
        status: &str,
        summary: Option<&str>,
        stamp: Option<Value>,
        rec: &(impl Record + ?Sized),
    ) {
        let (status, error) = match status {
            "completed" => ("ok", None),
            "failed" | "error" | "killed" | "stopped" | "cancelled" => {
                ("error", Some(format!("sub-agent {status}")))
            }
            _ => return,
        };
        let result = summary.map_or(Value::Null, |t| json!({ "final_answer": t }));
        self.close_agent(line, tool, stamp, status, error.as_deref(), result, rec);
    }

    /// A `<task-notification>` user line of a transcript: a background sub-agent stopped.
    pub(super) fn task_notification(&mut self, line: usize, rec: &Rec, text: &str) {
        let Some(tool) = xml_field(text, "tool-use-id") else {
            return;
        };
        let status = xml_field(text, "status").unwrap_or("completed");
        let summary = xml_field(text, "result").or(xml_field(text, "summary"));
        self.finish_task(line, tool, status, summary, ts(rec), rec);
    }

    /// After a `result`, the next user message or root line opens the next turn.
    pub(super) fn open_next_turn(&mut self) {
        if self.next_turn {
            self.next_turn = false;
            self.turn += 1;
        }
    }

    pub(super) fn result(&mut self, line: usize, rec: &Rec) {
        let is_error = rec.get("is_error") == Some(&Value::Bool(true));
        let why = if is_error {
            "the run reported an error"
        } else {
            "the run ended"
        };
        self.abort_all(line, why, false);
        let text = s(rec, &["result"]).map(str::to_string);
        let error = if is_error {
            text.clone()
                .or_else(|| rec.get("errors").map(Value::to_string))
                .or_else(|| s(rec, &["subtype"]).map(str::to_string))
        } else {
            None
        };
        let mut p = self.base(&self.root_id(), "main");
        p.insert(
            "duration_ms".into(),
            rec.get("duration_ms").cloned().unwrap_or(Value::Null),
        );
        let result = json!({ "final_answer": text });
        p.insert("result".into(), result);
        let status = if is_error { "error" } else { "ok" };
        self.emit_completed(line, ts(rec), p, status, error.as_deref(), rec);
        self.root_open = false;
        self.next_turn = true;
    }
}

/// What a user line without tool results is.
pub(super) enum UserText {
    /// A prompt: the user asked something (one turn).
    Prompt,
    /// A background sub-agent's `<task-notification>` (transcripts).
    TaskNotification(String),
    /// Anything else the CLI writes as a user line: meta lines, a compaction summary, a slash
    /// command and its output, an interruption note.
    Other,
}

pub(super) fn prompt_kind(rec: &Value, content: Option<&Value>) -> UserText {
    let flag = |key: &str| rec.get(key) == Some(&Value::Bool(true));
    if flag("isMeta") || flag("isCompactSummary") || flag("isVisibleInTranscriptOnly") {
        return UserText::Other;
    }
    let text = content_text(content).unwrap_or_default();
    let trimmed = text.trim_start();
    if trimmed.starts_with("<task-notification>")
        || s(rec, &["origin", "kind"]) == Some("task-notification")
    {
        return UserText::TaskNotification(text);
    }
    let machine = [
        "<command-name>",
        "<command-message>",
        "<local-command-",
        "<system-reminder>",
        "[Request interrupted",
    ];
    if s(rec, &["promptSource"]) == Some("system") || machine.iter().any(|m| trimmed.starts_with(m))
    {
        return UserText::Other;
    }
    UserText::Prompt
}

/// The text of `<name>…</name>` in a notification.
pub(super) fn xml_field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(text[start..end].trim())
}
