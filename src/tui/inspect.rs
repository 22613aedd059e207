//! The selected item as JSON: what the detail pane shows and `y` copies. A frame is its raw
//! text parsed back (or the text itself when it is not JSON); agents, calls, turns, rules and
//! findings are described from the session. Reads the app only.

use super::app::{App, Selected};
use crate::core::summary::agent_duration_ms;
use serde_json::{json, Value};

fn ms(v: Option<f64>) -> Value {
    v.filter(|f| f.is_finite())
        .map_or(Value::Null, |f| json!(f.round() as i64))
}

pub fn json(app: &App) -> Value {
    let s = app.session();
    let name = |sym| app.name(sym).to_string();
    if !app.selection_exists() {
        return json!({"hint": "not there yet at this position: it appears later in the recording"});
    }
    match app.selected {
        Selected::None => {
            json!({"hint": "select an agent, a frame, a tool call, a turn or a finding"})
        }
        Selected::Frame(p) => match app.raw(p) {
            Some(raw) => {
                serde_json::from_str(&raw).unwrap_or_else(|_| Value::String(raw.into_owned()))
            }
            None => json!({"frame": p, "binary_or_missing": true}),
        },
        Selected::Agent(a) => {
            let ag = &s.agents[a];
            json!({
                "agent": name(Some(ag.id)),
                "name": ag.name.map(|n| name(Some(n))),
                "run": name(Some(s.runs[ag.run].id)),
                "status": ag.status.as_str(),
                "parent": ag.parent.map(|p| name(Some(s.agents[p].id))),
                "parent_source": ag.parent_source.as_str(),
                "duration_ms": ms(agent_duration_ms(s, a)),
                "reported_duration_ms": ms(ag.reported_duration_ms),
                "children": ag.children.len(),
                "context_hash": s.agent_hash(a).map(|h| h.text()),
                "first_frame": ag.start_pos,
                "last_frame": ag.end_pos,
            })
        }
        Selected::Call(c) => {
            let call = &s.calls[c];
            json!({
                "call_id": call.call_id.map(|x| name(Some(x))),
                "tool": call.tool.map(|x| name(Some(x))),
                "agent": call.agent.map(|a| app.agent_name(a).to_string()),
                "agent_source": call.agent_source.as_str(),
                "status": call.status.as_str(),
                "pairing": call.pairing.as_str(),
                "latency_ms": ms(super::view::call_latency(call.exec().as_ref(), call.done().as_ref())),
                "reported_duration_ms": ms(call.reported_duration_ms),
                "executing_frame": call.exec_pos,
                "completed_frame": call.done_pos,
            })
        }
        Selected::Turn(t) => {
            let turn = &s.turns[t];
            let agents: serde_json::Map<String, Value> = turn
                .agents
                .iter()
                .map(|&a| {
                    (
                        name(Some(s.agents[a].id)),
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
        Selected::Rule(r) => match app.rules.results.get(r) {
            Some(r) => json!({
                "rule": r.id, "status": r.status.as_str(), "reason": r.reason,
                "findings": r.findings.len(),
                "enabled": app.rules.config.rule(r.id).enabled,
            }),
            None => Value::Null,
        },
        Selected::Finding(r, f) => match app.rules.results.get(r).and_then(|x| x.findings.get(f)) {
            Some(f) => json!({
                "code": f.code, "severity": f.severity.as_str(), "message": f.message,
                // The verdicts may be of another position than the one shown.
                "run": f.run.and_then(|x| s.runs.get(x.index())).map(|r| name(Some(r.id))),
                "agent": f.agent.map(|a| app.agent_name(a).to_string()),
                "frames": f.frames,
            }),
            None => Value::Null,
        },
    }
}
