//! The selected item as JSON: what the detail pane shows and `y` copies. A frame is its raw
//! text parsed back (or the text itself when it is not JSON); agents, calls, turns, rules and
//! findings are described from the session. Reads the app only; called by `update` (never
//! while drawing).

use super::app::{App, Selected};
use super::escape::escape;
use super::verdicts::FindingKey;
use crate::core::session::{AgentIx, CallIx, Pos, RunIx, TurnIx};
use crate::core::summary::agent_duration_ms;
use crate::core::validate::{Finding, RuleResult};
use serde_json::{json, Value};

fn ms(v: Option<f64>) -> Value {
    v.filter(|f| f.is_finite())
        .map_or(Value::Null, |f| json!(f.round() as i64))
}

pub fn json(app: &App) -> Value {
    if !app.selection_exists() {
        return json!({"hint": "not there yet at this position: it appears later in the recording"});
    }
    match app.selected {
        Selected::None => {
            json!({"hint": "select an agent, a frame, a tool call, a turn or a finding"})
        }
        Selected::Frame(p) => frame(app, p),
        Selected::Run(r) => run(app, r),
        Selected::Agent(a) => agent(app, a),
        Selected::Call(c) => call(app, c),
        Selected::Turn(t) => turn(app, t),
        Selected::Rule(id) => match rule_of(app, id) {
            Some(r) => json!({
                "rule": r.id, "status": r.status.as_str(), "reason": r.reason,
                "findings": r.findings.len(),
                "enabled": app.rules.config.rule(r.id).enabled,
            }),
            None => Value::Null,
        },
        Selected::Finding(k) => match finding_of(app, k) {
            Some(f) => finding(app, f),
            None => Value::Null,
        },
    }
}

/// The verdict of rule `id`.
pub fn rule_of<'a>(app: &'a App, id: &str) -> Option<&'a RuleResult> {
    app.rules.results.iter().find(|r| r.id == id)
}

/// The finding named by `k`, and its place in its rule's list.
pub fn finding_of(app: &App, k: FindingKey) -> Option<&Finding> {
    let r = rule_of(app, k.rule)?;
    r.findings.iter().find(|f| FindingKey::of(r.id, f) == k)
}

fn frame(app: &App, p: Pos) -> Value {
    match app.raw(p) {
        Some(raw) => serde_json::from_str(&raw).unwrap_or_else(|_| Value::String(raw.into_owned())),
        None => json!({"frame": p, "binary_or_missing": true}),
    }
}

fn run(app: &App, r: RunIx) -> Value {
    let s = app.session();
    let name = |sym| app.name(sym).to_string();
    let run = &s.runs[r.index()];
    json!({
        "run": name(Some(run.id)),
        "label": app.view.labels.short(r),
        "request": app.view.labels.request(r),
        "status": crate::core::summary::run_status(s, run).as_str(),
        "user": run.user.map(|u| name(Some(u))),
        "thread": run.thread.map(|t| name(Some(t))),
        "duration_ms": ms(crate::core::summary::run_duration(s, run)),
        "agents": run.agents.len(),
        "tool_calls": run.calls.len(),
        "first_frame": run.first_pos,
        "last_frame": run.last_pos,
    })
}

fn agent(app: &App, a: AgentIx) -> Value {
    let s = app.session();
    let name = |sym| app.name(sym).to_string();
    let ag = &s.agents[a.index()];
    json!({
        "agent": name(Some(ag.id)),
        "name": ag.name.map(|n| name(Some(n))),
        "run": name(Some(s.runs[ag.run.index()].id)),
        "status": ag.status.as_str(),
        "parent": ag.parent.map(|p| name(Some(s.agents[p.index()].id))),
        "parent_source": ag.parent_source.as_str(),
        "duration_ms": ms(agent_duration_ms(s, a)),
        "reported_duration_ms": ms(ag.reported_duration_ms),
        "children": ag.children.len(),
        "context_hash": s.agent_hash(a).map(|h| h.text()),
        "first_frame": ag.start_pos,
        "last_frame": ag.end_pos,
    })
}

fn call(app: &App, c: CallIx) -> Value {
    let call = &app.session().calls[c.index()];
    let name = |sym| app.name(sym).to_string();
    json!({
        "call_id": call.call_id.map(|x| name(Some(x))),
        "tool": call.tool.map(|x| name(Some(x))),
        "agent": call.agent.map(|a| app.agent_name(a).to_string()),
        "agent_source": call.agent_source.as_str(),
        "status": call.status.as_str(),
        "pairing": call.pairing.as_str(),
        "latency_ms": ms(super::rows::call_latency(call.exec().as_ref(), call.done().as_ref())),
        "reported_duration_ms": ms(call.reported_duration_ms),
        "executing_frame": call.exec_pos,
        "completed_frame": call.done_pos,
    })
}

fn turn(app: &App, t: TurnIx) -> Value {
    let s = app.session();
    let name = |sym| app.name(sym).to_string();
    let turn = &s.turns[t.index()];
    let agents: serde_json::Map<String, Value> = turn
        .agents
        .iter()
        .map(|&a| {
            (
                name(Some(s.agents[a.index()].id)),
                json!(s.agent_hash(a).map(|h| h.text())),
            )
        })
        .collect();
    json!({
        "thread": turn.thread.map(|x| name(Some(x))),
        "turn": turn.index,
        "context_hash": s.turn_hash(t).map(|h| h.text()),
        "prev_context_hash": s.turn_prev_hash(t).map(|h| h.text()),
        "history": s.history(t).as_str(),
        "agents": agents,
    })
}

fn finding(app: &App, f: &Finding) -> Value {
    let s = app.session();
    json!({
        "code": f.code, "severity": f.severity.as_str(), "message": f.message,
        // The verdicts may be of another position than the one shown.
        "run": f.run.and_then(|x| s.runs.get(x.index())).map(|r| app.name(Some(r.id)).to_string()),
        "agent": f.agent.map(|a| app.agent_name(a).to_string()),
        "frames": f.frames,
    })
}

/// The detail pane's title: what is selected, in words.
pub fn describe(app: &App) -> String {
    use Selected::*;
    match app.selected {
        None => "nothing selected".into(),
        Frame(p) => match app.marks.label(p.index()) {
            Some(label) => format!("frame #{p} · {label}"),
            Option::None => format!("frame #{p}"),
        },
        Run(r) => format!("run {}", app.view.labels.short(r)),
        Agent(a) => format!("agent {}", escape(app.agent_name(a), true)),
        Call(c) => format!(
            "tool call {}",
            escape(
                app.name(app.session().calls.get(c.index()).and_then(|c| c.call_id)),
                true
            )
        ),
        Turn(t) => format!("turn {}", t.index() + 1),
        Rule(id) => format!("rule {id}"),
        Finding(k) => {
            let i = rule_of(app, k.rule)
                .and_then(|r| r.findings.iter().position(|f| FindingKey::of(r.id, f) == k));
            match i {
                Some(i) => format!("finding {} of {}", i + 1, k.rule),
                Option::None => format!("finding of {}", k.rule),
            }
        }
    }
}
