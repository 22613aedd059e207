//! Rule `concurrency`: runs that overlap in time each stay under the concurrency cap and mostly succeed, and every event of a run keeps the run's `user_id` and `thread_id`.

use super::util::secs;
use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::session::{AgentStatus, Clock, RunIx};
use crate::core::session::{Anomaly, Identity};
use crate::core::summary::run_duration;

pub fn check(input: &Input, t: &Thresholds) -> Judgement {
    let mut j = Judgement::default();
    for g in &overlap_groups(input, &mut j) {
        overlapping(input, t, g, &mut j.findings);
    }
    isolation(input, &mut j);
    j
}

/// Overlap groups on receive times (producer times when there are none).
fn overlap_groups(input: &Input, j: &mut Judgement) -> Vec<Vec<RunIx>> {
    let s = input.session;
    let mut spans: Vec<(f64, f64, RunIx)> = Vec::new();
    let mut untimed = 0usize;
    for (rix, run) in s.runs.iter().enumerate() {
        match (Clock::Receive.of(&run.first), Clock::Receive.of(&run.last)) {
            (Some(a), Some(b)) => spans.push((a, b.max(a), RunIx::new(rix))),
            _ => untimed += 1,
        }
    }
    spans.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.2.cmp(&y.2)));
    let mut groups: Vec<Vec<RunIx>> = Vec::new();
    let mut group_end = f64::NEG_INFINITY;
    for &(a, b, r) in &spans {
        match groups.last_mut() {
            Some(g) if a < group_end => {
                g.push(r);
                group_end = group_end.max(b);
            }
            _ => {
                groups.push(vec![r]);
                group_end = b;
            }
        }
    }
    groups.retain(|g| g.len() > 1);
    if !groups.is_empty() {
        j.judged = true;
    } else if untimed > 0 && spans.len() < 2 {
        j.not_judged
            .push("runs carry no receive or producer times, overlap not judged".into());
    } else {
        j.not_judged
            .push("no runs overlap in time, concurrency limits not judged".into());
    }
    groups
}

/// One group of overlapping runs: each run under the cap, and most of them succeeding.
fn overlapping(input: &Input, t: &Thresholds, g: &[RunIx], out: &mut Vec<Finding>) {
    let s = input.session;
    let ids: Vec<&str> = g.iter().map(|&r| input.run_id(r)).collect();
    let mut ended = 0usize;
    let mut ok = 0usize;
    for &rix in g {
        let run = &s.runs[rix];
        let root = run.root.map(|r| &s.agents[r]);
        let running = root.is_none_or(|r| r.is_running()) && !s.finished;
        if !running {
            ended += 1;
            if root.is_some_and(|r| r.status == AgentStatus::Completed) {
                ok += 1;
            }
        }
        let took = run_duration(s, run).or_else(|| {
            let c = run.clock();
            Some(c.of(&run.last)? - c.of(&run.first)?)
        });
        if let Some(took) = took.filter(|&d| d > t.concurrency_run_max_s * 1000.0) {
            out.push(
                Finding::new(
                    "concurrency/slow-run",
                    Severity::Error,
                    format!(
                        "run {} took {} while overlapping {} other run{}, over the {} limit",
                        input.run_id(rix),
                        secs(took),
                        g.len() - 1,
                        if g.len() == 2 { "" } else { "s" },
                        secs(t.concurrency_run_max_s * 1000.0)
                    ),
                )
                .in_run(rix)
                .at([run.first_pos, run.last_pos]),
            );
        }
    }
    if ended == 0 {
        return;
    }
    let rate = ok as f64 / ended as f64;
    if rate < t.min_success_rate {
        out.push(
            Finding::new(
                "concurrency/low-success-rate",
                Severity::Error,
                format!(
                    "{ok} of {ended} overlapping runs ({}) succeeded ({:.0}%), below the {:.0}% threshold",
                    ids.join(", "),
                    rate * 100.0,
                    t.min_success_rate * 100.0
                ),
            )
            .at(g.iter().filter_map(|&r| {
                let run = &s.runs[r];
                let root = &s.agents[run.root?];
                (root.status != AgentStatus::Completed)
                    .then_some(root.end_pos.unwrap_or(run.last_pos))
            })),
        );
    }
}

/// Isolation: a run's user and thread never change (derivation records each change).
fn isolation(input: &Input, j: &mut Judgement) {
    let s = input.session;
    let isolation = s
        .runs
        .iter()
        .any(|r| r.user.is_some() || r.thread.is_some());
    for anomaly in s.anomalies.iter() {
        let Anomaly::IdentityChange {
            run: rix,
            pos,
            field,
            first,
            first_pos,
            got,
        } = *anomaly
        else {
            continue;
        };
        let (code, what) = match field {
            Identity::User => ("concurrency/cross-user", "user_id"),
            Identity::Thread => ("concurrency/cross-thread", "thread_id"),
        };
        let mut finding = Finding::new(
            code,
            Severity::Error,
            format!(
                "an event of run {} carries {what} {} but the run belongs to {}",
                input.run_id(rix),
                input.interner.resolve(got),
                input.interner.resolve(first)
            ),
        )
        .in_run(rix)
        .at([pos, first_pos]);
        if let Some(a) = s.facts.get(pos.index()).and_then(|f| f.agent()) {
            finding = finding.of_agent(input, a);
        }
        j.findings.push(finding);
    }
    if isolation {
        j.judged = true;
    } else {
        j.not_judged.push(if input.carries.user_ids {
            "runs carry no user_id or thread_id, isolation not judged".into()
        } else {
            "the format carries no user ids, isolation not judged".into()
        });
    }
}
