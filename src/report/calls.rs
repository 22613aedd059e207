//! A run's tool calls in the report: the waterfall (agents and calls on the run's time axis)
//! and the table of calls with their arguments and results or errors.

use super::{Bar, Block, Say, BARS_SHOWN, CALLS_SHOWN, PAYLOAD_CHARS};
use crate::core::log::Log;
use crate::core::payload;
use crate::core::session::{CallStatus, Pos, RunIx, Source, ToolCall};

fn call_glyph(s: CallStatus) -> &'static str {
    match s {
        CallStatus::Ok => "✓",
        CallStatus::Error => "✗",
        CallStatus::Open => "…",
        CallStatus::Orphan => "?",
        CallStatus::Aborted => "⊘",
    }
}

fn call_class(s: CallStatus) -> &'static str {
    match s {
        CallStatus::Ok => "ok",
        CallStatus::Error | CallStatus::Aborted => "failed",
        CallStatus::Open | CallStatus::Orphan => "open",
    }
}

/// Agents then tool calls, each from its start to its end on the run's clock.
pub fn waterfall(out: &mut Vec<Block>, say: &mut Say, log: &Log, r: RunIx) {
    let s = log.session();
    let run = &s.runs[r];
    let clock = run.clock();
    let Some(t0) = clock.of(&run.first) else {
        return;
    };
    let span = clock.of(&run.last).map_or(0.0, |t| t - t0).max(1.0);
    let mut bars = Vec::new();
    let mut total = 0usize;
    for &a in &run.agents {
        let ag = &s.agents[a];
        let Some(start) = ag.started.as_ref().and_then(|t| clock.of(t)) else {
            continue;
        };
        total += 1;
        if bars.len() < BARS_SHOWN {
            let name = log.interner.resolve(ag.name.unwrap_or(ag.id));
            bars.push(Bar {
                label: format!(
                    "{} {}",
                    crate::commands::summary::agent_glyph(ag.status),
                    say.line(name)
                ),
                start: start - t0,
                end: ag.ended.as_ref().and_then(|t| clock.of(t)).map(|e| e - t0),
                call: false,
                status: if ag.failed() {
                    "failed"
                } else if ag.is_running() {
                    "open"
                } else {
                    "ok"
                },
            });
        }
    }
    for &c in &run.calls {
        let call = &s.calls[c];
        let Some(start) = call.exec().and_then(|t| clock.of(&t)) else {
            continue;
        };
        total += 1;
        if bars.len() < BARS_SHOWN {
            bars.push(Bar {
                label: format!("{} {}", call_glyph(call.status), say.line(tool(log, call))),
                start: start - t0,
                end: call.done().and_then(|t| clock.of(&t)).map(|e| e - t0),
                call: true,
                status: call_class(call.status),
            });
        }
    }
    out.push(Block::H(4, "Waterfall".into()));
    if bars.len() < total {
        out.push(Block::P(format!(
            "The first {} of {total} bars are drawn.",
            bars.len()
        )));
    }
    out.push(Block::Waterfall(bars, span));
}

fn tool<'a>(log: &'a Log, call: &ToolCall) -> &'a str {
    call.tool.map_or("?", |t| log.interner.resolve(t))
}

/// A payload's text: a JSON string's own text (its escapes undone), other JSON as written.
fn shown(raw: &str) -> String {
    serde_json::from_str::<String>(raw.trim()).unwrap_or_else(|_| raw.to_string())
}

fn frame(log: &Log, p: Option<Pos>) -> Option<String> {
    Some(log.raw(p?).ok()??.into_owned())
}

/// Every call of the run (at most [`CALLS_SHOWN`]) with its arguments and result or error.
pub fn table(out: &mut Vec<Block>, say: &mut Say, log: &Log, r: RunIx) {
    let s = log.session();
    let run = &s.runs[r];
    out.push(Block::H(4, format!("Tool calls ({})", run.calls.len())));
    if run.calls.len() > CALLS_SHOWN {
        out.push(Block::P(format!("The first {CALLS_SHOWN} are listed.")));
    }
    let mut rows = Vec::new();
    for (n, &c) in run.calls.iter().take(CALLS_SHOWN).enumerate() {
        let call = &s.calls[c];
        let agent = (call.agent)
            .map(|a| &s.agents[a])
            .map_or("—", |ag| log.interner.resolve(ag.name.unwrap_or(ag.id)));
        let args = frame(log, call.exec_pos);
        let args = args.as_deref().and_then(payload::arguments).unwrap_or("");
        let done = frame(log, call.done_pos);
        let error = done.as_deref().and_then(payload::error);
        let result = done.as_deref().and_then(payload::result).unwrap_or("");
        let result = match &error {
            Some(e) => format!("error: {e}"),
            None => shown(result),
        };
        let latency = call
            .latency_ms(run.clock())
            .map_or("—".into(), |l| format!("{l:.0}ms"));
        rows.push(vec![
            (n + 1).to_string(),
            say.line(tool(log, call)),
            say.line(agent),
            format!(
                "{} {}{}",
                call_glyph(call.status),
                call.status.as_str(),
                if call.pairing == Source::Inferred {
                    " (paired by inference)"
                } else {
                    ""
                }
            ),
            latency,
            say.text(&shown(args), PAYLOAD_CHARS),
            say.text(&result, PAYLOAD_CHARS),
        ]);
    }
    let head = vec![
        "#",
        "tool",
        "agent",
        "status",
        "latency",
        "arguments",
        "result",
    ];
    out.push(Block::Table("call", head, rows));
}
