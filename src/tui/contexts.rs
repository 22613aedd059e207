//! The Context tab's lower pane, prepared when its inputs change (never while drawing): for
//! the selected turn, what differs in its context against the previous turn of its thread and
//! in every sub-agent's that drifted from it (`core::context_diff`), or — one key away — the
//! turn's context itself as pretty JSON. Knows nothing of the app: `prepare` says when.

use super::escape::escape_short;
use crate::core::context_diff::{self, LineKind};
use crate::core::log::Log;
use crate::core::session::{Session, TurnIx};

/// Characters of a line kept (the pane wraps; more would only scroll past).
const LINE_MAX: usize = 2000;

#[derive(Debug, Default)]
pub struct ContextPane {
    /// The turn, view version and mode the lines were made for.
    made_of: Option<(Option<usize>, u64, bool)>,
    /// Show the turn's context itself instead of what differs.
    pub raw: bool,
    pub title: String,
    /// Each line and what it is (`None`: plain text, a line of the context's JSON).
    pub lines: Vec<(Option<LineKind>, String)>,
}

impl ContextPane {
    /// Switches between the diffs and the context itself.
    pub fn toggle(&mut self) {
        self.raw = !self.raw;
    }

    /// Makes the lines for `turn` of `s` (the session shown), unless they are made.
    pub fn prepare(&mut self, log: &Log, s: &Session, turn: Option<TurnIx>, version: u64) {
        let turn = turn.filter(|t| t.index() < s.turns.len());
        let key = (turn.map(TurnIx::index), version, self.raw);
        if self.made_of.replace(key) == Some(key) {
            return;
        }
        self.lines.clear();
        let Some(t) = turn else {
            self.title = "Context · select a turn".into();
            return;
        };
        let index = s.turns[t].index;
        if self.raw {
            self.title = format!("Context of turn {index} · d what differs");
            self.raw_lines(log, s, t);
            return;
        }
        self.title = format!("What differs · turn {index} · d the context itself");
        let diffs = context_diff::of_turn(log, s, t);
        if diffs.is_empty() {
            let why = match s.turn_hash(t) {
                None => "no context or hash was sent for this turn: nothing to compare",
                Some(_) => "the first turn of its thread, and every agent got its context",
            };
            self.lines.push((Some(LineKind::Note), why.into()));
        }
        for d in &diffs {
            let lines = context_diff::lines(d).into_iter();
            self.lines.extend(lines.map(|(k, l)| (Some(k), l)));
            self.lines.push((None, String::new()));
        }
    }

    /// The turn's root context as pretty JSON, escaped.
    fn raw_lines(&mut self, log: &Log, s: &Session, t: TurnIx) {
        let value = (s.turn_root(t))
            .ok_or("the turn has no root agent")
            .and_then(|root| context_diff::context_of(log, s, root));
        match value {
            Ok(v) => {
                let text = serde_json::to_string_pretty(&v).unwrap_or_default();
                let lines = text.lines().map(|l| (None, escape_short(l, LINE_MAX)));
                self.lines.extend(lines);
            }
            Err(why) => self.lines.push((Some(LineKind::Note), why.into())),
        }
    }
}
