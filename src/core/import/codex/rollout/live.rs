//! A rollout read as it is written: the root thread's lines a record at a time, through the
//! same per-line rules and closing as a whole rollout, and its child threads' rollouts as they
//! appear beside it (their lines taken in time order with the root's by whoever reads the
//! files, as a whole session's lanes are merged). A child is a rollout whose first line, its
//! `session_meta`, names the root's thread as its session, as for a whole rollout; any other
//! rollout beside it is another session's and is left unread.

use std::collections::HashMap;

use serde_json::Value;

use super::super::super::{s, Imported, Out};
use super::{Rollout, State};

/// The root rollout being read.
pub(in crate::core::import) struct Live {
    st: State,
    ids: Vec<String>,
    last: usize,
    /// The rollouts beside it, by file name: the child thread's id (`None`: not a child).
    beside: HashMap<String, Option<String>>,
}

impl Live {
    /// Starts on the rollout's first record (its `session_meta` names the thread).
    pub(in crate::core::import) fn new(out: Out, line: usize, first: &Value) -> Live {
        let root = Rollout {
            name: None,
            records: vec![(line, first.clone())],
            cut: false,
        };
        let mut st = State::new(out, &root);
        let ids = st.threads_of(std::slice::from_ref(&root));
        Live {
            st,
            ids,
            last: 0,
            beside: HashMap::new(),
        }
    }

    pub(in crate::core::import) fn out(&mut self) -> &mut Out {
        &mut self.st.out
    }

    pub(in crate::core::import) fn push(&mut self, line: usize, rec: &Value) {
        self.last = line;
        let root = self.ids.first().cloned().unwrap_or_default();
        self.st.record(line, rec, &root);
    }

    /// One record of the rollout `file` beside the root's: a child thread's line, or (from a
    /// rollout of another session) nothing.
    pub(in crate::core::import) fn push_child(&mut self, file: &str, line: usize, rec: &Value) {
        let thread = match self.beside.get(file) {
            Some(t) => t.clone(),
            None => {
                let t = self.child(line, rec);
                self.beside.insert(file.to_string(), t.clone());
                t
            }
        };
        if let Some(t) = thread {
            self.st.record(line, rec, &t);
        }
    }

    /// The child thread a rollout's first record starts, when it names this session.
    fn child(&mut self, line: usize, first: &Value) -> Option<String> {
        let root = self.ids.first()?;
        let payload = first.get("payload")?;
        if s(payload, &["session_id"]) != Some(root.as_str()) || s(payload, &["id"]) == Some(root) {
            return None;
        }
        let lane = Rollout {
            name: None,
            records: vec![(line, first.clone())],
            cut: false,
        };
        let known = self.ids.clone();
        let id = self.st.thread_of(&lane, &known);
        self.ids.push(id.clone());
        Some(id)
    }

    pub(in crate::core::import) fn close(self, cut: bool) -> Imported {
        self.st.close(self.last, &self.ids, cut)
    }
}
