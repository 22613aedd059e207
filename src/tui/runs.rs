//! The runs' labels, prepared once per run so that every pane can say which run a row belongs
//! to without reading a frame while drawing: `R1`, `R2`… and the first words of the run's
//! request (its root agent's context, else the message that started it), escaped. A label is
//! made again only when what it was made from changes (stepping back to before the root
//! started); `prepare` keeps it up to date.

use super::escape::escape;
use crate::core::log::Log;
use crate::core::runlabel;
use crate::core::session::{Pos, RunIx, Session};

/// Characters of a request kept for a run line (panes cut it further to their width).
const REQUEST_MAX: usize = 80;

/// One run's label.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Label {
    /// `R1`, `R2`…
    pub short: String,
    /// The request's first words (escaped), when a frame of the run carries one.
    pub request: Option<String>,
    /// The frame the request was read from.
    from: Option<Pos>,
}

/// Every run's label, by run.
#[derive(Debug, Clone, Default)]
pub struct RunLabels {
    labels: Vec<Label>,
    /// How many threads the runs are on.
    threads: usize,
}

impl RunLabels {
    /// Labels the runs of `s` that are new or whose request's frame changed.
    pub fn update(&mut self, log: &Log, s: &Session) {
        self.labels.truncate(s.runs.len());
        let threads: std::collections::HashSet<_> =
            s.runs.iter().filter_map(|r| r.thread).collect();
        self.threads = threads.len();
        for (i, run) in s.runs.iter().enumerate() {
            let root_start = run.root.and_then(|r| s.agents[r.index()].start_pos);
            let message = run.message.map(|m| s.messages[m.index()].pos);
            let from = root_start.or(message);
            if self.labels.get(i).is_some_and(|l| l.from == from) {
                continue;
            }
            let read = |p: Pos, start: bool| -> Option<String> {
                let raw = log.raw(p).ok()??;
                let v: serde_json::Value = serde_json::from_str(&raw).ok()?;
                let text = if start {
                    runlabel::request_of_start(&v)
                } else {
                    runlabel::request_of_message(&v)
                }?;
                Some(runlabel::first_words(&escape(text, true), REQUEST_MAX))
            };
            let request = (root_start.and_then(|p| read(p, true)))
                .or_else(|| message.and_then(|p| read(p, false)));
            let label = Label {
                short: runlabel::short(RunIx::new(i)),
                request,
                from,
            };
            match self.labels.get_mut(i) {
                Some(l) => *l = label,
                None => self.labels.push(label),
            }
        }
    }

    /// How many threads the runs are on (turns say theirs when there are several).
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The width of a run column: the longest label (`R` and the runs' count) and a space.
    pub fn width(&self) -> usize {
        2 + self.labels.len().max(1).to_string().len()
    }

    /// The short label of a run (`R?` for one not labelled yet).
    pub fn short(&self, run: RunIx) -> &str {
        self.labels
            .get(run.index())
            .map_or("R?", |l| l.short.as_str())
    }

    /// The first words of a run's request.
    pub fn request(&self, run: RunIx) -> Option<&str> {
        self.labels.get(run.index())?.request.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Dir;
    use crate::core::log::Keep;

    #[test]
    fn each_run_has_its_own_request_from_its_root_or_its_message() {
        let mut log = Log::new(Keep::All);
        let frames = [
            r#"{"type":"user_message","payload":{"content":"first question"}}"#,
            r#"{"type":"agent_started","payload":{"run_id":"a","agent_id":"s","context":{"user_request":"first  question, in full"}}}"#,
            r#"{"type":"user_message","payload":{"content":"second\u001b[2J one"}}"#,
            r#"{"type":"agent_started","payload":{"run_id":"b","agent_id":"s","context":{"n":1}}}"#,
            r#"{"type":"agent_started","payload":{"run_id":"c","agent_id":"s"}}"#,
        ];
        let mut labels = RunLabels::default();
        for f in frames {
            let dir = if f.contains("user_message") {
                Dir::Out
            } else {
                Dir::In
            };
            log.push_frame(None, dir, f);
            labels.update(&log, log.session());
        }
        let s = log.session();
        assert_eq!(s.runs.len(), 3);
        let r = |i| (labels.short(RunIx::new(i)), labels.request(RunIx::new(i)));
        assert_eq!(r(0), ("R1", Some("first question, in full")));
        // No request in the context: the message's text, escaped.
        assert_eq!(r(1), ("R2", Some("second␛[2J one")));
        assert_eq!(r(2).0, "R3");
        assert_eq!(labels.short(RunIx::new(7)), "R?");
        assert_eq!(labels.threads(), 0, "no run names a thread");
        assert_eq!(labels.width(), 3);
    }
}
