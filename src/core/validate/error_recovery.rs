//! Rule `error-recovery`: failed tool calls and failed agents recover (a later successful call of the same tool by the same agent, a fallback followed by completion, or a later successful instance), the recovery rate stays above the threshold, and a run whose root failed still answers the user.

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::intern::Sym;
use crate::core::session::{AgentIx, AgentStatus, CallIx, CallStatus, Pos, RunIx, ToolCall};

/// The name a call's agent goes by (a re-attributed call counts as the agent it was given to).
fn call_agent(input: &Input, call: &ToolCall) -> Option<Sym> {
    match call.agent {
        Some(a) => {
            let ag = &input.session.agents[a];
            Some(ag.name.unwrap_or(ag.id))
        }
        None => call.reattributed_from,
    }
}

fn first_pos(call: &ToolCall) -> Option<Pos> {
    call.exec_pos.or(call.done_pos)
}

/// Failures seen and recovered so far, with where the unrecovered ones are.
#[derive(Default)]
struct Tally {
    failures: usize,
    recovered: usize,
    unrecovered_pos: Vec<Pos>,
}

pub fn check(input: &Input, t: &Thresholds) -> Judgement {
    let mut j = Judgement::default();
    let mut tally = Tally::default();
    failed_tools(input, &mut tally, &mut j.findings);
    failed_agents(input, &mut tally, &mut j.findings);
    no_final_response(input, &mut j.findings);
    recovery_rate(tally, t, &mut j);
    // Live, a failure in a run still open may yet be recovered.
    super::live::hold_open_runs(input, &mut j);
    j
}

/// A failed tool call recovers when a later call of the same tool by the same agent succeeds.
fn failed_tools(input: &Input, tally: &mut Tally, out: &mut Vec<Finding>) {
    let s = input.session;
    for (cix, call) in s.calls.iter().enumerate() {
        if call.status != CallStatus::Error {
            continue;
        }
        tally.failures += 1;
        let after = call.done_pos.or(call.exec_pos).unwrap_or_default();
        let who = call_agent(input, call);
        let ok = s.runs[call.run].calls.iter().any(|&o| {
            let other = &s.calls[o];
            other.status == CallStatus::Ok
                && other.tool == call.tool
                && call_agent(input, other) == who
                && first_pos(other).is_some_and(|p| p > after)
        });
        if ok {
            tally.recovered += 1;
            continue;
        }
        tally.unrecovered_pos.extend(call.done_pos);
        let mut f = Finding::new(
            "error-recovery/unrecovered-tool",
            Severity::Warn,
            format!(
                "tool call {} failed and no later call of it by the same agent succeeded",
                input.call_label(CallIx::new(cix))
            ),
        )
        .in_run(call.run)
        .at(call.done_pos);
        if let Some(a) = call.agent {
            f = f.of_agent(input, a);
        }
        out.push(f);
    }
}

/// A failed agent recovers by a fallback and a completion, or a later successful instance.
fn failed_agents(input: &Input, tally: &mut Tally, out: &mut Vec<Finding>) {
    let s = input.session;
    for (aix, ag) in s.agents.iter().enumerate() {
        let aix = AgentIx::new(aix);
        if ag.error_pos.is_none() && !ag.completed_failed {
            continue;
        }
        tally.failures += 1;
        // A fallback and a completion, in either order: Netra sends the fallback after the
        // failed completion.
        let fell_back = ag.fallback_pos.is_some() && ag.end_pos.is_some();
        let start = ag.start_pos.unwrap_or(ag.last_pos);
        let later = s.runs[ag.run].agents.iter().any(|&o| {
            let other = &s.agents[o];
            o != aix
                && other.name == ag.name
                && other.name.is_some()
                && other.start_pos.unwrap_or(other.last_pos) > start
                && other.status == AgentStatus::Completed
        });
        if fell_back || later {
            tally.recovered += 1;
            continue;
        }
        let evidence = ag.error_pos.or(ag.end_pos);
        tally.unrecovered_pos.extend(evidence);
        out.push(
            Finding::new(
                "error-recovery/unrecovered-agent",
                Severity::Warn,
                format!(
                    "agent {} failed with no fallback and no later successful instance",
                    input.agent_label(aix)
                ),
            )
            .of_agent(input, aix)
            .at(evidence),
        );
    }
}

/// A run whose root failed still answers the user.
fn no_final_response(input: &Input, out: &mut Vec<Finding>) {
    let s = input.session;
    for (rix, run) in s.runs.iter().enumerate() {
        let Some(root) = run.root else { continue };
        let r = &s.agents[root];
        if r.status == AgentStatus::Failed && !run.final_report && !r.final_answer {
            out.push(
                Finding::new(
                    "error-recovery/no-final-response",
                    Severity::Error,
                    format!(
                        "run {} failed without a final response to the user",
                        input.run_id(RunIx::new(rix))
                    ),
                )
                .of_agent(input, root)
                .at(r.end_pos.or(r.error_pos)),
            );
        }
    }
}

/// The share of failures recovered stays above the threshold.
fn recovery_rate(tally: Tally, t: &Thresholds, j: &mut Judgement) {
    let Tally {
        failures,
        recovered,
        mut unrecovered_pos,
    } = tally;
    if failures == 0 {
        j.not_judged.push("no failures to recover from".into());
        return;
    }
    j.judged = true;
    let rate = recovered as f64 / failures as f64;
    if rate < t.min_recovery_rate {
        unrecovered_pos.sort_unstable();
        j.findings.push(
            Finding::new(
                "error-recovery/low-rate",
                Severity::Error,
                format!(
                    "{recovered} of {failures} failures recovered ({:.0}%), below the {:.0}% threshold",
                    rate * 100.0,
                    t.min_recovery_rate * 100.0
                ),
            )
            .at(unrecovered_pos),
        );
    }
}
