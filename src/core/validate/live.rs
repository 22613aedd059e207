//! What the clock judges in a live session, with no new frame: an open run that has sent
//! nothing for longer than `latency.max_gap_s` (`latency/silent-gap`), a tool call open longer
//! than that (`tool-pairing/open-call`), and when the next such finding is due, so the
//! inspector judges again then and not on every tick. Pure: `now` (receive clock, ms) is an
//! input; nothing here reads a clock. A finished file has no `now` and none of this applies.

use super::util::secs;
use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::session::{CallIx, RunIx, Session};

/// The runs whose root agent still runs (a run without a root is open until it has one).
fn open_runs(s: &Session) -> impl Iterator<Item = RunIx> + '_ {
    s.runs.iter().enumerate().filter_map(|(i, run)| {
        let open = run.root.is_none_or(|r| s.agents[r].is_running());
        open.then_some(RunIx::new(i))
    })
}

/// When the run last received a frame (receive clock, ms).
fn last_heard(s: &Session, run: RunIx) -> Option<f64> {
    s.runs[run].last.recv
}

/// The calls of open runs still waiting for their result, with when they started.
fn open_calls(s: &Session) -> impl Iterator<Item = (CallIx, f64)> + '_ {
    open_runs(s).flat_map(move |r| {
        s.runs[r]
            .open_calls
            .values()
            .flatten()
            .filter_map(move |&c| {
                let call = &s.calls[c];
                let started = call.exec()?.recv?;
                call.done_pos.is_none().then_some((c, started))
            })
    })
}

/// Whether any run is still open (live verdicts that need completion wait for it).
pub fn any_open(s: &Session) -> bool {
    s.runs.is_empty() || open_runs(s).next().is_some()
}

/// Live: findings about runs still open are held back (the run may yet recover), with those
/// about no run (a rate over all of them); the verdict then reads pending.
pub(super) fn hold_open_runs(input: &Input, j: &mut Judgement) {
    if input.now.is_none() {
        return;
    }
    let s = input.session;
    let runs: std::collections::HashSet<RunIx> = open_runs(s).collect();
    let open = |f: &Finding| f.run.is_some_and(|r| runs.contains(&r));
    if !j.findings.iter().any(open) {
        return;
    }
    j.findings.retain(|f| f.run.is_some() && !open(f));
    j.pending = true;
}

/// `latency/silent-gap` for each open run silent past the limit at `now`.
pub(super) fn silent_runs(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let Some(now) = input.now else { return };
    let s = input.session;
    let limit = t.max_gap_s * 1000.0;
    for r in open_runs(s) {
        let Some(heard) = last_heard(s, r) else {
            continue;
        };
        j.judged = true;
        if now - heard > limit {
            let f = Finding::new(
                "latency/silent-gap",
                Severity::Error,
                format!(
                    "run {} silent for over {}, not completed",
                    input.run_id(r),
                    secs(limit)
                ),
            );
            j.findings.push(f.in_run(r).at([s.runs[r].last_pos]));
        }
    }
}

/// `tool-pairing/open-call` for each call open past the limit at `now`.
pub(super) fn stale_calls(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let Some(now) = input.now else { return };
    let s = input.session;
    let limit = t.max_gap_s * 1000.0;
    let mut stale: Vec<CallIx> = open_calls(s)
        .filter(|&(_, started)| now - started > limit)
        .map(|(c, _)| c)
        .collect();
    stale.sort_unstable();
    stale.dedup();
    for c in stale {
        let call = &s.calls[c];
        let f = Finding::new(
            "tool-pairing/open-call",
            Severity::Warn,
            format!(
                "tool call {} open for over {} without a result",
                input.call_label(c),
                secs(limit)
            ),
        )
        .at(call.exec_pos)
        .in_run(call.run);
        j.findings.push(match call.agent {
            Some(a) => f.of_agent(input, a),
            None => f,
        });
    }
}

/// The earliest time after `now` at which [`silent_runs`] or [`stale_calls`] would find
/// something new; `None` when nothing is open (or not live).
pub fn deadline(input: &Input, t: &Thresholds) -> Option<f64> {
    let now = input.now?;
    let s = input.session;
    let limit = t.max_gap_s * 1000.0;
    let runs = open_runs(s).filter_map(|r| last_heard(s, r));
    let calls = open_calls(s).map(|(_, started)| started);
    runs.chain(calls)
        .map(|from| from + limit)
        .filter(|&due| due >= now)
        .chain(super::stall::due(input, t))
        .min_by(f64::total_cmp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::carries::Carries;
    use crate::core::link::Dir;
    use crate::core::log::{Keep, Log};

    const START: &str = r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup"}}"#;
    const EXEC: &str = r#"{"type":"tool_executing","payload":{"run_id":"r1","agent_name":"sup","tool_name":"q","tool_call_id":"c1"}}"#;
    const DONE: &str = r#"{"type":"tool_completed","payload":{"run_id":"r1","agent_name":"sup","tool_name":"q","tool_call_id":"c1","status":"success"}}"#;
    const END: &str = r#"{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup","result":{"status":"success"}}}"#;

    /// A live log: each frame received at the given second.
    fn log(frames: &[(f64, &str)]) -> Log {
        let mut log = Log::new(Keep::All);
        for (t, text) in frames {
            log.push_frame(Some(*t), Dir::In, text);
        }
        log
    }

    fn judge(log: &Log, now: Option<f64>) -> (Vec<String>, Option<f64>) {
        let input = Input {
            session: log.session(),
            interner: &log.interner,
            carries: Carries::ALL,
            now,
        };
        let t = Thresholds::default();
        let mut j = Judgement::default();
        silent_runs(&input, &t, &mut j);
        stale_calls(&input, &t, &mut j);
        let codes = j.findings.iter().map(|f| f.code.clone()).collect();
        (codes, deadline(&input, &t))
    }

    #[test]
    fn silence_and_an_open_call_are_found_when_the_clock_passes_the_limit() {
        let open = log(&[(0.0, START), (1.0, EXEC)]);
        // Before the limit (10 s): nothing yet, and the next look is due at 11 s.
        assert_eq!(judge(&open, Some(5_000.0)), (vec![], Some(11_000.0)));
        // Past it, with no new frame: the silent run and the call that waits.
        let (codes, _) = judge(&open, Some(12_000.0));
        assert_eq!(codes, ["latency/silent-gap", "tool-pairing/open-call"]);
        // No clock (a finished file): nothing is judged by time.
        assert_eq!(judge(&open, None), (vec![], None));
    }

    #[test]
    fn a_completed_run_is_never_silent_and_a_paired_call_never_waits() {
        let done = log(&[(0.0, START), (1.0, EXEC), (2.0, DONE), (3.0, END)]);
        assert_eq!(judge(&done, Some(60_000.0)), (vec![], None));
        assert!(!any_open(done.session()));
        let open = log(&[(0.0, START)]);
        assert!(any_open(open.session()));
    }
}
