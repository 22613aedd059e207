//! Rule `latency`: each run finishes within the limit of its class (simple or complex) and the hard cap, the first frame of a message's work arrives promptly, and an active run never goes silent longer than the progress limit.

use super::util::secs;
use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::session::{Clock, FactKind, Pos, RunIx};

pub fn check(input: &Input, t: &Thresholds) -> Judgement {
    let mut j = Judgement::default();
    durations(input, t, &mut j);
    first_responses(input, t, &mut j);
    silent_gaps(input, t, &mut j);
    super::live::silent_runs(input, t, &mut j);
    j
}

/// Durations by class, and the hard cap.
fn durations(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let mut untimed = Vec::new();
    for (rix, run) in s.runs.iter().enumerate() {
        let rix = RunIx::new(rix);
        let clock = run.clock();
        let root = run.root.map(|r| &s.agents[r]);
        let start = root
            .and_then(|r| r.started.as_ref())
            .and_then(|at| clock.of(at))
            .or_else(|| clock.of(&run.first));
        let end = root
            .and_then(|r| r.ended.as_ref())
            .and_then(|at| clock.of(at))
            .or_else(|| clock.of(&run.last));
        let (Some(start), Some(end)) = (start, end) else {
            untimed.push(input.run_id(rix).to_string());
            continue;
        };
        j.judged = true;
        let took = end - start;
        let subs = run.agents.len().saturating_sub(1);
        let (class, limit) = if subs <= 1 {
            ("simple", t.simple_max_s)
        } else {
            ("complex", t.complex_max_s)
        };
        let from = root.and_then(|r| r.start_pos).unwrap_or(run.first_pos);
        let to = root.and_then(|r| r.end_pos).unwrap_or(run.last_pos);
        let so_far = if root.is_some_and(|r| r.end_pos.is_some()) {
            ""
        } else {
            " so far"
        };
        if took > limit * 1000.0 {
            j.findings.push(
                Finding::new(
                    "latency/slow-run",
                    Severity::Error,
                    format!(
                        "run {} ({class}, {subs} sub-agent{}) took {}{so_far}, over the {} limit",
                        input.run_id(rix),
                        if subs == 1 { "" } else { "s" },
                        secs(took),
                        secs(limit * 1000.0)
                    ),
                )
                .in_run(rix)
                .at([from, to]),
            );
        }
        if took > t.run_max_s * 1000.0 {
            j.findings.push(
                Finding::new(
                    "latency/run-cap",
                    Severity::Error,
                    format!(
                        "run {} took {}{so_far}, over the {} cap for any run",
                        input.run_id(rix),
                        secs(took),
                        secs(t.run_max_s * 1000.0)
                    ),
                )
                .in_run(rix)
                .at([from, to]),
            );
        }
    }
    if !untimed.is_empty() {
        j.not_judged.push(format!(
            "run{} {} carr{} no timestamps, duration not judged",
            if untimed.len() == 1 { "" } else { "s" },
            untimed.join(", "),
            if untimed.len() == 1 { "ies" } else { "y" }
        ));
    }
}

/// First response after each message (receive times, else producer times).
fn first_responses(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let mut messages = 0;
    for m in &s.messages {
        let Some(&first) = m.runs.iter().min_by_key(|&&r| s.runs[r].first_pos) else {
            continue;
        };
        messages += 1;
        let run = &s.runs[first];
        let (Some(sent), Some(answered)) =
            (Clock::Receive.of(&m.at), Clock::Receive.of(&run.first))
        else {
            j.not_judged.push(format!(
                "message at frame {} has no time, first response not judged",
                m.pos
            ));
            continue;
        };
        j.judged = true;
        let took = answered - sent;
        if took > t.first_event_max_s * 1000.0 {
            j.findings.push(
                Finding::new(
                    "latency/slow-first-response",
                    Severity::Error,
                    format!(
                        "the first frame of run {} came {} after its message, over the {} limit",
                        input.run_id(first),
                        secs(took),
                        secs(t.first_event_max_s * 1000.0)
                    ),
                )
                .in_run(first)
                .at([m.pos, run.first_pos]),
            );
        }
    }
    if messages == 0 {
        j.not_judged
            .push("no message was sent, first-response latency not judged".into());
    }
}

/// Silent gaps between consecutive progress frames of an active run.
fn silent_gaps(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let mut last: Vec<Option<(Pos, f64)>> = vec![None; s.runs.len()];
    for (pos, f) in s.facts.iter().enumerate() {
        let pos = Pos::new(pos);
        let (Some(rix), FactKind::Event(kind)) = (f.run(), f.kind) else {
            continue;
        };
        if kind.is_keepalive() || kind.is_connection_level() {
            continue;
        }
        let run = &s.runs[rix];
        let root_end = run.root.and_then(|r| s.agents[r].end_pos);
        if root_end.is_some_and(|end| pos > end) {
            continue;
        }
        let Some(now) = run.clock().of(&f.at.times()) else {
            continue;
        };
        j.judged = true;
        if let Some((prev_pos, prev)) = last[rix.index()] {
            let gap = now - prev;
            if gap > t.max_gap_s * 1000.0 {
                j.findings.push(
                    Finding::new(
                        "latency/silent-gap",
                        Severity::Error,
                        format!(
                            "run {} sent nothing for {} (limit {})",
                            input.run_id(rix),
                            secs(gap),
                            secs(t.max_gap_s * 1000.0)
                        ),
                    )
                    .in_run(rix)
                    .at([prev_pos, pos]),
                );
            }
        }
        last[rix.index()] = Some((pos, now));
    }
}
