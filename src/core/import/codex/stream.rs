//! Codex read as it is written: `exec --json` events or a rollout, a record at a time, through
//! the same per-line rules as a whole file and the same closing at the end.

use serde_json::Value;

use super::super::{Imported, Out};
use super::rollout::{is_rollout, Live};
use super::State;

/// A Codex input being read; which kind is decided by its first record.
pub(in crate::core::import) enum Stream {
    Undecided(Option<Out>),
    Exec { st: State, last: usize },
    Rollout(Box<Live>),
}

impl Stream {
    pub(in crate::core::import) fn new(out: Out) -> Stream {
        Stream::Undecided(Some(out))
    }

    pub(in crate::core::import) fn out(&mut self) -> &mut Out {
        match self {
            // Only ever empty while a record decides the kind.
            Stream::Undecided(out) => out.get_or_insert_with(|| Out::new(super::Format::Codex)),
            Stream::Exec { st, .. } => &mut st.out,
            Stream::Rollout(live) => live.out(),
        }
    }

    pub(in crate::core::import) fn push(&mut self, line: usize, rec: &Value) {
        if let Stream::Undecided(out) = self {
            let out = out.take().unwrap_or_else(|| Out::new(super::Format::Codex));
            *self = if is_rollout(rec) {
                Stream::Rollout(Box::new(Live::new(out, line, rec)))
            } else {
                Stream::Exec {
                    st: State::new(out),
                    last: 0,
                }
            };
        }
        match self {
            Stream::Undecided(_) => {}
            Stream::Exec { st, last } => {
                *last = line;
                st.record(line, rec);
            }
            Stream::Rollout(live) => live.push(line, rec),
        }
    }

    /// One record of a rollout beside the input's (a child thread's, when the input is a
    /// rollout whose session it names).
    pub(in crate::core::import) fn push_file(&mut self, file: &str, line: usize, rec: &Value) {
        if let Stream::Rollout(live) = self {
            live.out().set_file(Some(file.to_string()));
            live.push_child(file, line, rec);
            live.out().set_file(None);
        }
    }

    pub(in crate::core::import) fn close(self, cut: bool) -> Imported {
        match self {
            Stream::Undecided(out) => out
                .unwrap_or_else(|| Out::new(super::Format::Codex))
                .finish(),
            Stream::Exec { st, last } => st.close(last, cut),
            Stream::Rollout(live) => live.close(cut),
        }
    }
}

impl State {
    pub(super) fn new(out: Out) -> State {
        State {
            out,
            thread: String::new(),
            turn: 1,
            root_open: false,
            finished_turn: false,
            open_tools: Vec::new(),
            started: std::collections::HashMap::new(),
            last_message: None,
        }
    }

    /// The end of the input: open tools and the turn still running are closed as aborted.
    pub(super) fn close(mut self, last: usize, cut: bool) -> Imported {
        let why = if cut {
            "the input ended with a cut-off line"
        } else {
            "the input ended"
        };
        self.abort_tools(last, why);
        if self.root_open {
            let mut p = self.base();
            p.insert("status".into(), Value::from("aborted"));
            p.insert("error".into(), Value::from(why));
            self.out.emit(
                last,
                "agent_completed",
                None,
                Value::Object(p),
                &Value::Null,
            );
            let msg = format!(
                "codex turn {} was still running when {why}; closed as aborted",
                self.turn
            );
            self.out.problem(last, msg);
        }
        self.out.finish()
    }
}
