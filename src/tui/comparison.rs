//! The Compare tab's state (`replay B --against A`): A's log, the comparison made once when
//! loading (`core::compare::compare_aligned`, the pass `diff` makes), its rows prepared once,
//! which of them are shown (all, or only the differences, narrowed by the filter), the cursor,
//! and the detail of the row under it, prepared when the cursor moves. B is the app's log, and
//! replaying it never recomputes any of this. Also what the keys do here: `]`/`[` to the next
//! or previous difference, `D` differences only, Enter moves B's position to the row's frame.

use super::app::{App, Selected};
use super::comparison_rows::{entries, Entry, Subject};
use super::filter::{self, Filter};
use crate::core::compare::alignment::{with_ancestors, Aligned};
use crate::core::compare::{Comparison, Kind};
use crate::core::context_diff::LineKind;
use crate::core::log::Log;
use crate::core::session::{AgentIx, CallIx, Pos, RunIx, Session, TurnIx};

/// Session A, and everything the Compare tab shows of it against B.
pub struct Against {
    /// A's source as named on the command line.
    pub source: String,
    pub log: Log,
    pub cmp: Comparison,
    pub entries: Vec<Entry>,
    /// The header line: what differs, in counts; and without the zeros, for narrow panes.
    pub summary: (String, String),
    /// Indexes into `entries` of the rows shown.
    pub shown: Vec<usize>,
    pub only_differences: bool,
    /// Position in `shown`.
    pub cursor: usize,
    /// What `shown` and `detail` were made of.
    shown_of: Option<(bool, String, Option<usize>)>,
    detail_of: Option<(usize, usize)>,
    pub detail_title: String,
    pub detail: Vec<(Option<LineKind>, String)>,
}

impl Against {
    /// The Compare tab of a comparison whose rows were kept; `b` is B's log.
    pub fn new(source: String, log: Log, cmp: Comparison, b: &Log) -> Against {
        let entries = entries(&cmp, &log, b);
        Against {
            summary: summary(&cmp),
            source,
            log,
            cmp,
            entries,
            shown: Vec::new(),
            only_differences: false,
            cursor: 0,
            shown_of: None,
            detail_of: None,
            detail_title: String::new(),
            detail: Vec::new(),
        }
    }

    /// The entry under the cursor.
    pub fn current(&self) -> Option<usize> {
        self.shown.get(self.cursor).copied()
    }

    /// The alignment row of an entry.
    pub fn row(&self, e: usize) -> Option<&Aligned> {
        match self.entries.get(e)?.subject {
            Subject::Item(i) => self.cmp.rows.as_ref()?.get(i),
            _ => None,
        }
    }

    /// Makes the shown rows (when the mode, the filter or the run narrowed to changed: `run`,
    /// 0-based, keeps that pair of runs' rows and the context and rule rows) and the detail
    /// (when the row under the cursor changed); `b` is B's whole log.
    pub fn prepare(&mut self, filter: &Filter, run: Option<usize>, b: &Log) {
        let of = (self.only_differences, filter.source().to_string(), run);
        if self.shown_of.as_ref() != Some(&of) {
            let keep = self.current();
            let of_run = |e: usize| run.is_none_or(|r| self.row(e).is_none_or(|row| row.run == r));
            let kept =
                (0..self.entries.len()).filter(|&e| of_run(e) && matches(filter, &self.entries[e]));
            self.shown = match self.only_differences {
                true => {
                    let differ = kept.filter(|&e| self.entries[e].differs());
                    with_ancestors(|e| self.entries[e].depth, differ)
                }
                false => kept.collect(),
            };
            // The cursor stays on its row when it is still shown, else on the one after it.
            self.cursor = keep
                .map(|k| self.shown.partition_point(|&e| e < k))
                .unwrap_or(0)
                .min(self.shown.len().saturating_sub(1));
            self.shown_of = Some(of);
        }
        let of = (self.current().unwrap_or(usize::MAX), b.frames());
        if self.detail_of != Some(of) {
            self.detail_of = Some(of);
            let (title, lines) = super::comparison_detail::lines(self, self.current(), b);
            (self.detail_title, self.detail) = (title, lines);
        }
    }

    /// The next (or previous) difference from the cursor among the shown rows.
    fn next_difference(&self, forward: bool) -> Option<usize> {
        let differs = |&i: &usize| self.entries[self.shown[i]].differs();
        if forward {
            (self.cursor + 1..self.shown.len()).find(differs)
        } else {
            (0..self.cursor).rev().find(differs)
        }
    }

    /// Which difference (1-based) among the shown ones the cursor is on, and how many.
    fn difference_number(&self) -> (usize, usize) {
        let differs = |e: &&usize| self.entries[**e].differs();
        let before = self.shown[..self.cursor].iter().filter(differs).count();
        (before + 1, self.shown.iter().filter(differs).count())
    }
}

/// `1 added · 2 missing · 1 changed · 1 slower (beyond +50% and 1.0s) · 0 faster · 2
/// verdicts changed · context diverges at turn 1 · B regresses (4)`, and the same without
/// what is zero and the thresholds.
fn summary(cmp: &Comparison) -> (String, String) {
    let c = cmp.counts;
    let th = cmp.thresholds;
    let context = cmp
        .context
        .as_ref()
        .map_or("no context differs".to_string(), |d| {
            format!("context diverges at turn {}", d.turn)
        });
    let verdict = match c.regressions {
        0 => "B does not regress".to_string(),
        n => format!("B regresses ({n})"),
    };
    let counts = [
        (c.added, "added"),
        (c.missing, "missing"),
        (c.status, "changed"),
        (c.slower, "slower"),
        (c.faster, "faster"),
        (cmp.rules.len(), "verdicts changed"),
    ];
    let mut short: Vec<String> = (counts.iter())
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    short.extend([context.clone(), verdict.clone()]);
    let long = format!(
        "{} added · {} missing · {} changed · {} slower (beyond +{}% and {:.1}s) · {} faster · {} verdicts changed · {context} · {verdict}",
        c.added,
        c.missing,
        c.status,
        c.slower,
        th.ratio * 100.0,
        th.min_ms / 1000.0,
        c.faster,
        cmp.rules.len(),
    );
    (long, short.join(" · "))
}

/// Whether the filter keeps an entry: the same query language as the other lists.
fn matches(f: &Filter, e: &Entry) -> bool {
    if f.is_empty() {
        return true;
    }
    let text = e.text();
    f.matches(&filter::Subject {
        text: &text,
        kind: e.kind,
        agent: e
            .agent
            .as_deref()
            .or((e.kind == "agent").then_some(&e.name)),
        tool: (e.kind == "tool_call").then_some(e.name.as_str()),
        run: None,
        status: &e.statuses,
        dur_ms: e.ms,
    })
}

/// `]` / `[`: the cursor to the next (previous) difference; the status line says which.
pub fn jump(app: &mut App, forward: bool) {
    let Some(c) = app.against.as_deref_mut() else {
        return;
    };
    let Some(to) = c.next_difference(forward) else {
        app.ui.notice = Some("no further difference".into());
        return;
    };
    c.cursor = to;
    let (n, of) = c.difference_number();
    let e = &c.entries[c.shown[to]];
    app.ui.notice = Some(format!(
        "difference {n}/{of} · {} {} · {} {}",
        e.kind, e.name, e.mark.glyph, e.mark.word
    ));
}

/// `D`: only the differences, or every row.
pub fn toggle(app: &mut App) {
    if let Some(c) = app.against.as_deref_mut() {
        c.only_differences = !c.only_differences;
        app.ui.notice = Some(
            match c.only_differences {
                true => "showing only the differences",
                false => "showing every row, equal ones dimmed",
            }
            .into(),
        );
    }
}

/// The frame of B a row leads to, and what to select there.
fn b_frame(c: &Against, e: usize, s: &Session) -> Option<(Pos, Selected)> {
    match c.entries[e].subject {
        Subject::Context => {
            let t = c.cmp.context.as_ref()?.turn.checked_sub(1)?;
            let turn = s.turns.get(t)?;
            Some((turn.opened_pos, Selected::Turn(TurnIx::new(t))))
        }
        Subject::Rule(_) => None,
        Subject::Item(_) => {
            let r = c.row(e)?;
            let ix = r.b?.ix;
            match r.kind {
                Kind::Run => Some((s.runs.get(ix)?.first_pos, Selected::Run(RunIx::new(ix)))),
                Kind::Agent => {
                    let ag = s.agents.get(ix)?;
                    let p = ag.start_pos.unwrap_or(ag.last_pos);
                    Some((p, Selected::Agent(AgentIx::new(ix))))
                }
                Kind::ToolCall => {
                    let call = s.calls.get(ix)?;
                    let p = call.exec_pos.or(call.done_pos)?;
                    Some((p, Selected::Call(CallIx::new(ix))))
                }
            }
        }
    }
}

/// Enter: B's replay position moves to the row's frame and selects its item there (the
/// detail shows A's frame beside B's); a row B does not have says so.
pub fn enter(app: &mut App) {
    let Some(c) = app.against.as_deref() else {
        return;
    };
    let Some(e) = c.current() else {
        return;
    };
    let Some((p, sel)) = b_frame(c, e, app.sink.log.session()) else {
        app.ui.notice = Some("B has no frame for this row: the detail shows A's".into());
        return;
    };
    if let Err(why) = super::cmdline::goto_frame(app, p) {
        app.ui.notice = Some(why);
        return;
    }
    app.selected = sel;
    app.ui.notice = Some(format!("B at frame #{p} · A's frame in the detail"));
}
