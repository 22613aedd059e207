//! The Waterfall's rows and its one time axis: per run shown, a line for the run, then its
//! agents in tree order, each followed by its tool calls (those the tools list shows), nested
//! under it. Like the agents tree, only the per-run counts are kept up to date; the rows near
//! the cursor are made (with the drawing before their labels) after each sync. The axis spans
//! every run shown, on the session's one clock, so runs that ran at the same time overlap.

use super::grouped::{runs_shown, Grouped};
use super::tree::prefix;
use crate::core::session::{agent_rows, AgentIx, AgentRow, CallIx, Clock, RunIx, Session};
use std::collections::HashMap;
use std::ops::Range;

/// A row of the waterfall.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lane {
    Run(RunIx),
    Agent(AgentRow),
    Call(CallIx),
}

#[derive(Debug, Clone, Default)]
pub struct Lanes {
    rows: Grouped<Lane>,
    /// The calls shown of each run, in the tools list's order.
    calls: Vec<Vec<CallIx>>,
    /// The clock and the span (ms) every bar is drawn against.
    pub clock: Option<Clock>,
    pub span: (f64, f64),
}

impl Lanes {
    /// The lanes of every run (or of run `only`) with the calls in `tools`.
    pub fn new(s: &Session, only: Option<RunIx>, tools: &[CallIx]) -> Lanes {
        let runs = runs_shown(s.runs.len(), only);
        let mut slot = vec![usize::MAX; s.runs.len()];
        runs.iter()
            .enumerate()
            .for_each(|(k, r)| slot[r.index()] = k);
        let mut calls = vec![Vec::new(); runs.len()];
        for &c in tools {
            match slot.get(s.calls[c.index()].run.index()) {
                Some(&k) if k != usize::MAX => calls[k].push(c),
                _ => {}
            }
        }
        let sizes: Vec<usize> = (runs.iter().zip(&calls))
            .map(|(r, c)| 1 + s.runs[r.index()].agents.len() + c.len())
            .collect();
        let clock = s.timeline_clock();
        let span = (runs.iter().filter_map(|&r| run_span(s, clock, r)))
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
        Lanes {
            rows: Grouped::new(runs, sizes.into_iter()),
            calls,
            clock: span.is_some().then_some(clock),
            span: span.unwrap_or((0.0, 0.0)),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`.
    pub fn get(&self, s: &Session, i: usize) -> Option<Lane> {
        self.rows
            .get(i, |k| self.run_lanes(s, self.rows.runs[k], k))
    }

    /// A row made by [`Lanes::make`], with the drawing before its label.
    pub fn shown(&self, i: usize) -> Option<&(Lane, String)> {
        self.rows.shown(i)
    }

    /// Makes the rows in `range` (and keeps no others when there are many).
    pub fn make(&mut self, s: &Session, range: Range<usize>) {
        let mut rows = std::mem::take(&mut self.rows);
        let runs = rows.runs.clone();
        rows.make(range, |k| self.run_lanes(s, runs[k], k));
        self.rows = rows;
    }

    /// The rows of the `k`th run shown, with their drawing: the run, then each agent followed
    /// by its calls; calls of no agent last.
    fn run_lanes(&self, s: &Session, run: RunIx, k: usize) -> Vec<(Lane, String)> {
        let mut of_agent: HashMap<Option<AgentIx>, Vec<CallIx>> = HashMap::new();
        for &c in &self.calls[k] {
            of_agent
                .entry(s.calls[c.index()].agent)
                .or_default()
                .push(c);
        }
        let mut out = vec![(Lane::Run(run), String::new())];
        let calls_under = |out: &mut Vec<(Lane, String)>, calls: Option<Vec<CallIx>>, at: &str| {
            out.extend(
                calls
                    .into_iter()
                    .flatten()
                    .map(|c| (Lane::Call(c), at.into())),
            );
        };
        for row in agent_rows(s, run) {
            let p = prefix(&row, s);
            // Under the agent: its own level continued (`│` while siblings follow).
            let mut under: String = p
                .chars()
                .map(|c| if c == '│' { '│' } else { ' ' })
                .collect();
            if let Some(last) = p.chars().last() {
                under.pop();
                under.push(if last == '├' { '│' } else { ' ' });
            }
            out.push((Lane::Agent(row), p));
            calls_under(&mut out, of_agent.remove(&Some(row.agent)), &under);
        }
        calls_under(&mut out, of_agent.remove(&None), "");
        // Calls of agents not in the tree (none expected): still shown, at the end.
        let mut rest: Vec<CallIx> = of_agent.into_values().flatten().collect();
        rest.sort_unstable();
        calls_under(&mut out, Some(rest), "");
        out
    }
}

/// When run `r` began and its latest frame came, on `clock`: its first and last frames, and
/// its root's start and end (a run's first frame may carry no time of its own).
pub fn run_span(s: &Session, clock: Clock, r: RunIx) -> Option<(f64, f64)> {
    let run = &s.runs[r.index()];
    let root = run.root.map(|a| &s.agents[a.index()]);
    let at = |t: Option<&crate::core::session::Times>| t.and_then(|t| clock.of(t));
    let starts = [
        at(Some(&run.first)),
        at(root.and_then(|a| a.started.as_ref())),
    ];
    let ends = [at(Some(&run.last)), at(root.and_then(|a| a.ended.as_ref()))];
    let start = starts.into_iter().flatten().reduce(f64::min)?;
    let end = ends.into_iter().flatten().reduce(f64::max).unwrap_or(start);
    Some((start, end.max(start)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Dir;
    use crate::core::log::{Keep, Log};

    #[test]
    fn calls_are_nested_under_their_agent_and_runs_share_one_axis() {
        let mut log = Log::new(Keep::All);
        let frames = [
            (
                1,
                r#""type":"agent_started","payload":{"run_id":"a","agent_id":"sup""#,
            ),
            (
                2,
                r#""type":"agent_started","payload":{"run_id":"b","agent_id":"sup""#,
            ),
            (
                3,
                r#""type":"agent_started","payload":{"run_id":"a","agent_id":"w","parent_agent_id":"sup""#,
            ),
            (
                4,
                r#""type":"tool_executing","payload":{"run_id":"a","agent_id":"w","tool_name":"q","tool_call_id":"c1""#,
            ),
            (
                5,
                r#""type":"tool_executing","payload":{"run_id":"a","agent_id":"sup","tool_name":"p","tool_call_id":"c2""#,
            ),
            (
                9,
                r#""type":"agent_completed","payload":{"run_id":"b","agent_id":"sup""#,
            ),
        ];
        for (sec, f) in frames {
            let text = format!(r#"{{{f},"timestamp":"2026-01-01T00:00:0{sec}Z"}}}}"#);
            log.push_frame(None, Dir::In, &text);
        }
        let s = log.session();
        let tools: Vec<CallIx> = (0..s.calls.len()).map(CallIx::new).collect();
        let mut lanes = Lanes::new(s, None, &tools);
        assert_eq!(lanes.len(), 3 + 2 + 2);
        assert_eq!(lanes.span.1 - lanes.span.0, 8000.0);
        lanes.make(s, 0..lanes.len());
        let shape: Vec<String> = (0..lanes.len())
            .map(|i| match lanes.shown(i).expect("made") {
                (Lane::Run(r), _) => format!("run{}", r.index()),
                (Lane::Agent(a), p) => format!("{p}agent{}", a.agent.index()),
                (Lane::Call(c), p) => format!("{p}call{}", c.index()),
            })
            .collect();
        let want = [
            "run0",
            "agent0",
            "call1",
            "└agent2",
            " call0",
            "run1",
            "agent1",
        ];
        assert_eq!(shape, want);
        assert_eq!(lanes.get(s, 4), Some(Lane::Call(CallIx::new(0))));
        let only = Lanes::new(s, Some(RunIx::new(1)), &tools);
        assert_eq!((only.len(), only.span.1 - only.span.0), (2, 7000.0));
    }
}
