//! A rollout read as it is written: the root thread's lines a record at a time, through the
//! same per-line rules and closing as a whole rollout (one lane, so the merge by timestamp is
//! the file's order). Child threads' rollouts are not followed live.

use serde_json::Value;

use super::super::super::{Imported, Out};
use super::{Rollout, State};

/// The root rollout being read.
pub(in crate::core::import) struct Live {
    st: State,
    ids: Vec<String>,
    last: usize,
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
        Live { st, ids, last: 0 }
    }

    pub(in crate::core::import) fn out(&mut self) -> &mut Out {
        &mut self.st.out
    }

    pub(in crate::core::import) fn push(&mut self, line: usize, rec: &Value) {
        self.last = line;
        let root = self.ids.first().cloned().unwrap_or_default();
        self.st.record(line, rec, &root);
    }

    pub(in crate::core::import) fn close(self, cut: bool) -> Imported {
        self.st.close(self.last, &self.ids, cut)
    }
}
