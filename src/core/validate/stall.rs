//! `progress/stall`: a running agent that goes longer than `progress.stall_s` without an event
//! of its own while none of its sub-agents is at work (a parent waiting on a busy child is not
//! stalled; the child is judged itself). Between events for a finished file; on the clock live,
//! with the time the next stall falls due. A silence of the whole run that `latency.max_gap_s`
//! already reports as `latency/silent-gap` is left to it: the stall is per agent, the gap per run.

use super::util::secs;
use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::session::{AgentIx, Clock, FactKind, Pos, Session};

/// One agent's state while the frames are read in order.
#[derive(Clone, Copy, Default)]
struct Seen {
    last: Option<(Pos, f64)>,
    busy_children: u32,
}

/// Stalls between events, then (live) running agents silent past the limit now.
pub(super) fn stalls(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let limit = t.stall_s * 1000.0;
    let mut seen = vec![Seen::default(); s.agents.len()];
    let mut run_last: Vec<Option<f64>> = vec![None; s.runs.len()];
    for (pos, f) in s.facts.iter().enumerate() {
        let pos = Pos::new(pos);
        let (Some(rix), Some(a), FactKind::Event(kind)) = (f.run(), f.agent(), f.kind) else {
            continue;
        };
        if kind.is_keepalive() || kind.is_connection_level() {
            continue;
        }
        let Some(now) = s.runs[rix].clock().of(&f.at.times()) else {
            continue;
        };
        j.judged = true;
        let run_before = run_last[rix.index()].replace(now);
        let ag = &s.agents[a];
        let edge = ag.start_pos == Some(pos) || ag.end_pos == Some(pos);
        let mut touch = |who: AgentIx| {
            let slot = &mut seen[who.index()];
            let ended = s.agents[who].end_pos.is_some_and(|end| pos > end);
            if let Some((prev_pos, prev)) = slot.last.filter(|_| slot.busy_children == 0 && !ended)
            {
                let run_silent = run_before.is_none_or(|r| r <= prev);
                let latency_has_it = run_silent && now - prev > t.max_gap_s * 1000.0;
                if now - prev > limit && !latency_has_it {
                    j.findings
                        .push(finding(input, who, now - prev, limit, [prev_pos, pos]));
                }
            }
            slot.last = Some((pos, now));
        };
        touch(a);
        if let Some(p) = ag.parent.filter(|_| edge) {
            touch(p);
            let busy = &mut seen[p.index()].busy_children;
            if ag.start_pos == Some(pos) {
                *busy += 1;
            } else {
                *busy = busy.saturating_sub(1);
            }
        }
    }
    silent_now(input, t, j);
}

fn finding<const N: usize>(
    input: &Input,
    a: AgentIx,
    gap: f64,
    limit: f64,
    at: [Pos; N],
) -> Finding {
    Finding::new(
        "progress/stall",
        Severity::Warn,
        format!(
            "agent {} was running with no event for {} (stall limit {})",
            input.agent_label(a),
            secs(gap),
            secs(limit)
        ),
    )
    .of_agent(input, a)
    .at(at)
}

/// The running agents with no sub-agent at work, each with when it was last heard from
/// (receive clock: its own last event, or a sub-agent's start or end), and whether the whole
/// run has been silent since (so latency's silent gap speaks for it).
fn idle_agents(s: &Session) -> impl Iterator<Item = (AgentIx, f64, Option<f64>)> + '_ {
    let recv = move |p: Pos| Clock::Receive.of(&s.facts.get(p.index())?.at.times());
    s.agents.iter().enumerate().filter_map(move |(i, ag)| {
        if !ag.is_running() {
            return None;
        }
        let kids = ag.children.iter().map(|&c| &s.agents[c]);
        let busy = kids
            .clone()
            .any(|c| c.start_pos.is_some() && c.is_running());
        if busy {
            return None;
        }
        let edges = kids.flat_map(|c| [c.start_pos, c.end_pos]).flatten();
        let heard = std::iter::once(ag.last_pos)
            .chain(edges)
            .filter_map(recv)
            .max_by(f64::total_cmp)?;
        let run = &s.runs[ag.run];
        let open = run.root.is_none_or(|r| s.agents[r].is_running());
        let run_heard = run.last.recv.filter(|&r| open && r <= heard);
        Some((AgentIx::new(i), heard, run_heard))
    })
}

/// Live: `progress/stall` for each idle running agent past the limit at `now`.
fn silent_now(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let Some(now) = input.now else { return };
    let s = input.session;
    let limit = t.stall_s * 1000.0;
    for (a, heard, run_heard) in idle_agents(s) {
        j.judged = true;
        let latency_has_it = run_heard.is_some_and(|r| now - r > t.max_gap_s * 1000.0);
        if now - heard > limit && !latency_has_it {
            j.findings.push(finding(
                input,
                a,
                now - heard,
                limit,
                [s.agents[a].last_pos],
            ));
        }
    }
}

/// Live: the earliest time at or after `now` when an idle agent becomes stalled.
pub(super) fn due(input: &Input, t: &Thresholds) -> Option<f64> {
    let now = input.now?;
    let limit = t.stall_s * 1000.0;
    idle_agents(input.session)
        .map(|(_, heard, _)| heard + limit)
        .filter(|&due| due >= now)
        .min_by(f64::total_cmp)
}
