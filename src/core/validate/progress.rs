//! Rule `progress`: agents make progress — no agent calls one tool with equal arguments again and again within a window (`progress/tool-loop`; retries after an error and polling tools excepted), no running agent goes without an event past the stall limit (`progress/stall`), and no agent delegates the same task to the same sub-agent again (`progress/delegation-loop`).

use super::util::secs;
use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::intern::Sym;
use crate::core::session::{AgentIx, CallIx, CallStatus, Pos};
use crate::core::usage::pricing::Prices;
use crate::core::usage::totals::subtree_books;
use std::collections::HashMap;

pub fn check(input: &Input, t: &Thresholds) -> Judgement {
    let mut j = Judgement::default();
    tool_loops(input, t, &mut j);
    super::stall::stalls(input, t, &mut j);
    delegation_loops(input, &t.prices, &mut j);
    j
}

/// One agent's calls of one tool with equal arguments, in call order.
type Repeats = HashMap<(AgentIx, Sym, u64), Vec<CallIx>>;

/// `progress/tool-loop`: each stretch of equal calls dense enough to be a loop.
fn tool_loops(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let mut groups: Repeats = HashMap::new();
    let mut order = Vec::new();
    for (ix, call) in s.calls.iter().enumerate() {
        let (Some(agent), Some(tool), Some(args)) = (call.agent, call.tool, call.args) else {
            continue;
        };
        if t.polling_tools.iter().any(|p| p == input.name(Some(tool))) {
            continue;
        }
        let calls = groups.entry((agent, tool, args)).or_insert_with(|| {
            order.push((agent, tool, args));
            Vec::new()
        });
        calls.push(CallIx::new(ix));
    }
    if s.calls.iter().all(|c| c.args.is_none()) {
        j.not_judged
            .push("no tool call carries its arguments, tool loops not judged".into());
        return;
    }
    j.judged = true;
    let spent = super::wasted::Spent::of(input);
    for key in order {
        let Some(calls) = groups.get(&key) else {
            continue;
        };
        let timed: Vec<(CallIx, f64)> = calls
            .iter()
            .filter_map(|&c| Some((c, call_time(input, c)?)))
            .collect();
        for (from, to) in loops(&timed, |c| failed(input, c), t) {
            j.findings
                .push(loop_finding(input, key.0, &timed[from..=to], t, &spent));
        }
    }
}

/// When a call started, on its run's clock.
fn call_time(input: &Input, c: CallIx) -> Option<f64> {
    let s = input.session;
    let call = &s.calls[c];
    let pos = call.exec_pos?;
    s.runs[call.run]
        .clock()
        .of(&s.facts.get(pos.index())?.at.times())
}

fn failed(input: &Input, c: CallIx) -> bool {
    input.session.calls[c].status == CallStatus::Error
}

/// The loops among equal calls (in order, with their start times): maximal stretches in which
/// some window of `loop_window_s` holds at least `loop_min_calls` calls that are not retries
/// (a call whose previous equal call failed is a retry and does not count), as index ranges
/// (inclusive). Linear.
pub(super) fn loops<T: Copy>(
    calls: &[(T, f64)],
    failed: impl Fn(T) -> bool,
    t: &Thresholds,
) -> Vec<(usize, usize)> {
    let window = t.loop_window_s * 1000.0;
    let counts = |i: usize| i == 0 || !failed(calls[i - 1].0);
    let mut out = Vec::new();
    let (mut l, mut counted) = (0, 0usize);
    let mut span: Option<(usize, usize)> = None;
    for r in 0..calls.len() {
        counted += usize::from(counts(r));
        while calls[r].1 - calls[l].1 > window {
            counted -= usize::from(counts(l));
            l += 1;
        }
        if (counted as f64) < t.loop_min_calls {
            continue;
        }
        span = match span {
            Some((from, to)) if l <= to => Some((from, r)),
            Some(done) => {
                out.push(done);
                Some((l, r))
            }
            None => Some((l, r)),
        };
    }
    out.extend(span);
    out
}

fn loop_finding(
    input: &Input,
    agent: AgentIx,
    stretch: &[(CallIx, f64)],
    t: &Thresholds,
    spent: &super::wasted::Spent,
) -> Finding {
    let s = input.session;
    let first = stretch.first().map_or(0.0, |c| c.1);
    let last = stretch.last().map_or(0.0, |c| c.1);
    let retries = stretch.windows(2).filter(|w| failed(input, w[0].0)).count();
    let tool = stretch
        .first()
        .map_or("?", |c| input.name(s.calls[c.0].tool));
    let at = |c: Option<&(CallIx, f64)>| c.and_then(|c| s.calls[c.0].exec_pos);
    let wasted = match (at(stretch.first()), at(stretch.last())) {
        (Some(from), Some(to)) => spent.words(input, agent, (from, to), &t.prices),
        _ => String::new(),
    };
    let retried = match retries {
        0 => String::new(),
        n => format!(", {n} of them retries after an error"),
    };
    Finding::new(
        "progress/tool-loop",
        Severity::Warn,
        format!(
            "agent {} called {tool} {} times with equal arguments within {}{retried} (loop: {} within {})",
            input.agent_label(agent),
            stretch.len(),
            secs(last - first),
            t.loop_min_calls,
            secs(t.loop_window_s * 1000.0)
        ) + &wasted,
    )
    .of_agent(input, agent)
    .at(stretch.iter().filter_map(|c| s.calls[c.0].exec_pos))
}

/// What a delegated task is: its `user_request`, else its whole context, else the hash the
/// producer reported for it.
fn task_of(input: &Input, a: AgentIx) -> Option<u64> {
    let ag = &input.session.agents[a];
    let short = |d: &[u8; 32]| u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]);
    if let Some(ctx) = &ag.context {
        if let Some(u) = ctx.user_request {
            return Some(u);
        }
        if let Some(d) = &ctx.digest {
            return Some(short(d));
        }
    }
    match ag.reported_hash.as_deref() {
        Some(crate::core::event::Reported::Digest(d)) => Some(short(d)),
        _ => None,
    }
}

/// `progress/delegation-loop`: a parent that starts the same sub-agent on the same task again
/// (a new start after the previous one failed is a retry, not a loop), with what the repeated
/// sub-agents and their own sub-agents used when the session reports usage.
fn delegation_loops(input: &Input, prices: &Prices, j: &mut Judgement) {
    let s = input.session;
    let mut groups: HashMap<(AgentIx, Sym, u64), Vec<AgentIx>> = HashMap::new();
    let mut order = Vec::new();
    for (ix, ag) in s.agents.iter().enumerate() {
        let a = AgentIx::new(ix);
        let Some(parent) = ag.parent else { continue };
        let Some(task) = task_of(input, a) else {
            continue;
        };
        j.judged = true;
        let key = (parent, ag.name.unwrap_or(ag.id), task);
        groups
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(a);
    }
    let mut subtrees = None;
    for key in order {
        let Some(subs) = groups.get(&key) else {
            continue;
        };
        let again = subs.windows(2).filter(|w| !s.agents[w[0]].failed()).count();
        if again == 0 {
            continue;
        }
        let starts: Vec<Pos> = subs.iter().filter_map(|&a| s.agents[a].start_pos).collect();
        // Every instance after the first repeats the task; subtree totals are found once.
        let books = subtrees.get_or_insert_with(|| subtree_books(s));
        let used =
            super::wasted::repeats_used(input, subs[1..].iter().map(|a| &books[a.index()]), prices);
        j.findings.push(
            Finding::new(
                "progress/delegation-loop",
                Severity::Warn,
                format!(
                    "agent {} delegated the same task to {} {} times{used}",
                    input.agent_label(key.0),
                    input.interner.resolve(key.1),
                    subs.len()
                ),
            )
            .of_agent(input, key.0)
            .at(starts),
        );
    }
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
