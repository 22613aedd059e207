//! Fault injection: how each [`Fault`] mutates the run plans of one request so that exactly
//! the validator rule it names fails (validators.md). Every fault except `cross-user` goes
//! into the first run that overlaps no other and has what it needs (preferring a run of its
//! host scenario); each applied fault is announced by a `demo_mark` step placed just before
//! its effect. `no-recovery` is scripted by the scenario (it removes the retry and the
//! fallback); here it only gets its mark.

use serde_json::{json, Value};

use super::plan::{Action, Event, Kind, RunPlan};
use super::script::hash_of;
use super::{Fault, Scenario};

/// Apply every fault once to the request's blocks of runs.
pub fn apply(blocks: &mut [Vec<RunPlan>], faults: &[Fault]) {
    for &fault in faults {
        let host = fault.host_scenario();
        let mut runs: Vec<&mut RunPlan> = blocks.iter_mut().flatten().collect();
        // Prefer the host scenario's runs, keep the rest as fallbacks.
        runs.sort_by_key(|r| r.meta.scenario != host);
        for run in runs {
            let eligible = if fault == Fault::CrossUser {
                run.meta.overlapping
            } else {
                !run.meta.overlapping
            };
            if eligible && inject(run, fault) {
                break;
            }
        }
    }
}

fn is_sub(e: &Event) -> bool {
    e.payload.contains_key("parent_agent_id")
        || !matches!(e.agent_name(), "supervisor" | "assistant")
}

fn mark(fault: Fault) -> Action {
    Action::Mark(format!("fault: {}", fault.name()))
}

/// Insert `action` right after step `i`, halfway to the next step.
fn insert_after(run: &mut RunPlan, i: usize, action: Action) {
    let at = run.steps[i].at;
    let next = run.steps.get(i + 1).map_or(at + 200, |s| s.at);
    run.insert(i + 1, at + (next - at) / 2, action);
}

/// Put the fault's mark just before step `i`, at its time.
fn mark_before(run: &mut RunPlan, i: usize, fault: Fault) {
    let at = run.steps[i].at;
    run.insert(i, at, mark(fault));
}

fn first_sub_completed(run: &RunPlan) -> Option<usize> {
    run.find(|e| e.kind == Kind::AgentCompleted && is_sub(e))
}

/// Mutate one run; false when it lacks what the fault needs.
fn inject(run: &mut RunPlan, fault: Fault) -> bool {
    match fault {
        Fault::DropToolResult => drop_tool_result(run, fault),
        Fault::OrphanResult => orphan_result(run, fault),
        Fault::LateEvent => late_event(run, fault),
        Fault::ContextDrift => context_drift(run, fault),
        Fault::HistoryRewrite => history_rewrite(run, fault),
        Fault::NoRecovery => no_recovery(run, fault),
        Fault::Slow => slow(run, fault),
        Fault::SilentGap => silent_gap(run, fault),
        Fault::CrossUser => cross_user(run, fault),
        Fault::Malformed | Fault::SeqGap | Fault::Disconnect => break_stream(run, fault),
    }
}

/// A successful tool result is never sent (its place holds the mark).
fn drop_tool_result(run: &mut RunPlan, fault: Fault) -> bool {
    let Some(i) = run.find(|e| e.kind == Kind::ToolCompleted && succeeded(e)) else {
        return false;
    };
    run.steps[i].action = mark(fault);
    true
}

/// A sub-agent's tool result for a call that was never made.
fn orphan_result(run: &mut RunPlan, fault: Fault) -> bool {
    let Some(i) = run.find(|e| e.kind == Kind::ToolCompleted && is_sub(e)) else {
        return false;
    };
    let Some(mut orphan) = run.event(i).cloned() else {
        return false;
    };
    orphan
        .payload
        .insert("tool_call_id".into(), json!("call-orphan-1"));
    orphan
        .payload
        .insert("tool_name".into(), json!("fetch_invoice_lines"));
    orphan.payload.insert("duration_ms".into(), json!(180));
    insert_after(run, i, Action::Event(orphan));
    mark_before(run, i + 1, fault);
    true
}

/// A sub-agent thinks once more after it completed.
fn late_event(run: &mut RunPlan, fault: Fault) -> bool {
    let Some(i) = first_sub_completed(run) else {
        return false;
    };
    let Some(done) = run.event(i) else {
        return false;
    };
    let mut late = done.clone();
    late.kind = Kind::AgentThinking;
    for key in ["result", "duration_ms", "context_hash"] {
        late.payload.remove(key);
    }
    late.payload
        .insert("thought".into(), json!("One more thing about the results"));
    late.payload.insert("step_number".into(), json!(2));
    late.payload.insert("total_steps".into(), json!(2));
    late.payload
        .insert("progress_percentage".into(), json!(100));
    insert_after(run, i, Action::Event(late));
    mark_before(run, i + 1, fault);
    true
}

/// The last sub-agent started gets a context of its own.
fn context_drift(run: &mut RunPlan, fault: Fault) -> bool {
    // The last sub-agent started gets a context of its own.
    let Some(i) = run
            .steps
            .iter()
            .rposition(|s| matches!(&s.action, Action::Event(e) if e.kind == Kind::AgentStarted && e.payload.contains_key("parent_agent_id")))
        else {
            return false;
        };
    let Some(agent) = run.event(i).map(|e| e.agent_id().to_string()) else {
        return false;
    };
    rewrite_context(
        run,
        |e| e.agent_id() == agent,
        |ctx| {
            if let Some(Value::Object(uc)) = ctx.get_mut("user_context") {
                uc.insert("drifted".into(), json!(true));
            }
        },
    );
    mark_before(run, i, fault);
    true
}

/// The first answer of the thread's history is rewritten in every context.
fn history_rewrite(run: &mut RunPlan, fault: Fault) -> bool {
    if run.meta.history_len < 2 {
        return false;
    }
    rewrite_context(
        run,
        |_| true,
        |ctx| {
            if let Some(Value::Object(first)) = ctx.pointer_mut("/history/0") {
                first.insert("response".into(), json!("(rewritten) a different answer"));
            }
        },
    );
    let rewritten = run
        .steps
        .iter()
        .filter(|s| matches!(&s.action, Action::Event(e) if e.kind == Kind::AgentStarted))
        .count();
    if rewritten == 0 {
        return false;
    }
    mark_before(run, 0, fault);
    true
}

/// Only the mark: the recovery scenario scripts the missing retry and fallback.
fn no_recovery(run: &mut RunPlan, fault: Fault) -> bool {
    if run.meta.scenario != Scenario::Recovery {
        return false;
    }
    let Some(i) = run.find(|e| e.kind == Kind::ToolCompleted && !succeeded(e)) else {
        return false;
    };
    mark_before(run, i, fault);
    true
}

/// The run stretched past the complex limit, with heartbeats so no gap is silent.
fn slow(run: &mut RunPlan, fault: Fault) -> bool {
    // Stretch the run to ~51 s (complex limit 45 s, hard cap 60 s) while the second
    // sub-agent thinks, with a heartbeat thought every 4 s so no gap reaches 10 s.
    let Some(i) = second_sub_start(run).map(|s| s + 1) else {
        return false;
    };
    let Some(beat) = run
        .event(i)
        .filter(|e| e.kind == Kind::AgentThinking)
        .cloned()
    else {
        return false;
    };
    let extra = (51_000 - run.end()).max(0);
    let at = run.steps[i].at;
    run.shift_from(i + 1, extra);
    let mut k = 1;
    while 4_000 * k < extra {
        let mut e = beat.clone();
        e.payload.insert(
            "thought".into(),
            json!(format!("Still waiting on the warehouse ({k})")),
        );
        run.insert(i + k as usize, at + 4_000 * k, Action::Event(e));
        k += 1;
    }
    mark_before(run, i + 1, fault);
    true
}

/// Twelve seconds of silence before the second sub-agent starts.
fn silent_gap(run: &mut RunPlan, fault: Fault) -> bool {
    let Some(i) = second_sub_start(run) else {
        return false;
    };
    run.shift_from(i, 12_000);
    // The mark goes right after the last frame before the silence.
    let at = run.steps[i - 1].at;
    run.insert(i, at, mark(fault));
    true
}

/// An overlapping run's sub-agent thinks under another user's id.
fn cross_user(run: &mut RunPlan, fault: Fault) -> bool {
    if !run.meta.overlapping || run.meta.user_id == "u-1" {
        return false;
    }
    let Some(i) = run.find(|e| e.kind == Kind::AgentThinking && is_sub(e)) else {
        return false;
    };
    let other = if run.meta.user_id == "u-2" {
        "u-3"
    } else {
        "u-2"
    };
    if let Action::Event(e) = &mut run.steps[i].action {
        e.payload.insert("user_id".into(), json!(other));
    }
    mark_before(run, i, fault);
    true
}

/// A cut-off frame, a skipped `seq` or a dropped connection after a sub-agent completes.
fn break_stream(run: &mut RunPlan, fault: Fault) -> bool {
    let Some(i) = first_sub_completed(run) else {
        return false;
    };
    let action = match fault {
        Fault::Malformed => {
            Action::Raw("{\"type\": \"agent_thinking\", \"payload\": {\"thought\": \"Compar".into())
        }
        Fault::SeqGap => Action::SkipSeq,
        _ => Action::Disconnect,
    };
    insert_after(run, i, action);
    mark_before(run, i + 1, fault);
    true
}

fn succeeded(e: &Event) -> bool {
    e.result_status() == Some("success")
}

fn second_sub_start(run: &RunPlan) -> Option<usize> {
    run.steps
        .iter()
        .enumerate()
        .filter(|(_, s)| matches!(&s.action, Action::Event(e) if e.kind == Kind::AgentStarted && e.payload.contains_key("parent_agent_id")))
        .nth(1)
        .map(|(i, _)| i)
}

/// Change the context of the events selected by `which` and recompute their hashes
/// (reported hash = recomputed hash: only the drift or the rewrite shows).
fn rewrite_context(run: &mut RunPlan, which: impl Fn(&Event) -> bool, change: impl Fn(&mut Value)) {
    let mut hash = None;
    for step in &mut run.steps {
        let Action::Event(e) = &mut step.action else {
            continue;
        };
        if !which(e) {
            continue;
        }
        if let Some(ctx) = e.payload.get_mut("context") {
            change(ctx);
            hash = Some(hash_of(ctx));
        }
        if let (Some(h), true) = (&hash, e.payload.contains_key("context_hash")) {
            e.payload.insert("context_hash".into(), json!(h));
        }
    }
}
