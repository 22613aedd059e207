//! A run told as a story for people who do not read JSON: its own request (from the context
//! its root agent was handed, else the message that started it), who worked on it and for how
//! long, the tools used and which failed, each failure and how it was recovered, and the answer
//! text. Also finding messages in plain words (no hashes). Pure: reads the log and a session.

use super::context_diff::context_of;
use super::frame::layers::field;
use super::log::Log;
use super::session::{AgentIx, AgentStatus, CallStatus, FactKind, Pos, RunIx, Session};
use super::summary::{agent_duration_ms, run_duration};
use serde_json::Value;

/// One run, told.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunStory {
    pub request: Option<String>,
    pub status: Option<AgentStatus>,
    pub duration_ms: Option<f64>,
    /// Each agent instance and how long it worked, in start order.
    pub agents: Vec<(String, Option<f64>)>,
    /// Each tool, in first-use order: its name, calls and failed calls.
    pub tools: Vec<(String, usize, usize)>,
    /// Each failure in words, and how it was recovered (`None`: it was not).
    pub failures: Vec<(String, Option<&'static str>)>,
    /// The answer's text, as the producer wrote it.
    pub answer: Option<String>,
}

/// The story of run `r` of `s` (the session shown; the log for names and frame texts).
pub fn of_run(log: &Log, s: &Session, r: RunIx) -> RunStory {
    let run = &s.runs[r];
    let name = |a: AgentIx| {
        let ag = &s.agents[a];
        log.interner.resolve(ag.name.unwrap_or(ag.id)).to_string()
    };
    let mut tools: Vec<(String, usize, usize)> = Vec::new();
    for &c in &run.calls {
        let call = &s.calls[c];
        let tool = call
            .tool
            .map_or("?", |t| log.interner.resolve(t))
            .to_string();
        let failed = usize::from(matches!(
            call.status,
            CallStatus::Error | CallStatus::Aborted
        ));
        match tools.iter_mut().find(|t| t.0 == tool) {
            Some(t) => (t.1, t.2) = (t.1 + 1, t.2 + failed),
            None => tools.push((tool, 1, failed)),
        }
    }
    RunStory {
        request: request(log, s, r),
        status: run.root.map(|a| s.agents[a].status),
        duration_ms: run_duration(s, run),
        agents: (run.agents.iter())
            .map(|&a| (name(a), agent_duration_ms(s, a)))
            .collect(),
        tools,
        failures: failures(log, s, r),
        answer: answer(log, s, r),
    }
}

/// The request: the root's context's `user_request`, else the text of the run's message.
fn request(log: &Log, s: &Session, r: RunIx) -> Option<String> {
    let run = &s.runs[r];
    let from_context = (run.root)
        .and_then(|a| context_of(log, s, a).ok())
        .and_then(|c| c.get("user_request")?.as_str().map(str::to_string));
    from_context.or_else(|| {
        let m = &s.messages[run.message?.index()];
        let v = parsed(log, m.pos)?;
        field(&v, "content")?.as_str().map(str::to_string)
    })
}

fn parsed(log: &Log, p: Pos) -> Option<Value> {
    serde_json::from_str(&log.raw(p).ok()??).ok()
}

/// Tool calls that failed and agents that failed, each with its recovery: a later successful
/// call of the same tool by the same agent, a fallback, or a later instance that completed.
fn failures(log: &Log, s: &Session, r: RunIx) -> Vec<(String, Option<&'static str>)> {
    let run = &s.runs[r];
    let sym = |x: Option<super::intern::Sym>| x.map_or("?", |x| log.interner.resolve(x));
    let mut out = Vec::new();
    for (i, &c) in run.calls.iter().enumerate() {
        let call = &s.calls[c];
        if !matches!(call.status, CallStatus::Error | CallStatus::Aborted) {
            continue;
        }
        let agent = call.agent.map(|a| s.agents[a].name);
        let retried = run.calls[i + 1..].iter().any(|&d| {
            let later = &s.calls[d];
            later.tool == call.tool
                && later.agent.map(|a| s.agents[a].name) == agent
                && later.status == CallStatus::Ok
        });
        let what = format!(
            "the tool {} failed for {}",
            sym(call.tool),
            sym(agent.flatten())
        );
        out.push((what, retried.then_some("retried, and the retry succeeded")));
    }
    for (i, &a) in run.agents.iter().enumerate() {
        let ag = &s.agents[a];
        if !(ag.failed() || ag.status == AgentStatus::FellBack) {
            continue;
        }
        let later_ok = run.agents[i + 1..].iter().any(|&b| {
            let other = &s.agents[b];
            other.name == ag.name && other.status == AgentStatus::Completed
        });
        let how = match (ag.fallback_pos.is_some(), later_ok) {
            (true, _) => Some("a fallback took over"),
            (false, true) => Some("started again, and completed"),
            (false, false) => None,
        };
        out.push((
            format!("the agent {} failed", sym(ag.name.or(Some(ag.id)))),
            how,
        ));
    }
    out
}

/// Keys whose text is an answer, in order of preference.
const ANSWER_KEYS: [&str; 7] = [
    "final_answer",
    "final_response",
    "report",
    "response",
    "content",
    "result",
    "text",
];

/// Frames looked through, from a run's last one back, for its `final_report`.
const REPORT_WITHIN: usize = 4096;

/// The answer: the run's `final_report` (among its last frames), else its root's completion.
fn answer(log: &Log, s: &Session, r: RunIx) -> Option<String> {
    let run = &s.runs[r];
    let within = (run.first_pos.upto(run.last_pos.next()).rev()).take(REPORT_WITHIN);
    let reports = within.filter(|p| {
        s.facts.get(p.index()).is_some_and(|f| {
            f.run() == Some(r) && f.kind == FactKind::Event(super::event::Kind::FinalReport)
        })
    });
    let root_end = run.root.and_then(|a| s.agents[a].end_pos);
    reports
        .chain(root_end)
        .find_map(|p| answer_text(&parsed(log, p)?))
}

/// The answer text a frame holds (a string under an answer key, or one level inside one).
pub fn answer_text(frame: &Value) -> Option<String> {
    ANSWER_KEYS.iter().find_map(|k| match field(frame, k)? {
        Value::String(t) if !t.trim().is_empty() => Some(t.clone()),
        Value::Object(o) => ANSWER_KEYS
            .iter()
            .find_map(|k| o.get(*k)?.as_str().map(str::to_string)),
        _ => None,
    })
}

/// A finding's message in plain words: each `sha256:…` hash left out (`received context
/// sha256:… but turn 1 has sha256:…` → `received one context but turn 1 has another`).
pub fn plain(message: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut hashes = 0;
    for word in message.split(' ') {
        if !word.starts_with("sha256:") {
            out.push(word);
            continue;
        }
        while hashes == 0 && matches!(out.last(), Some(&"context") | Some(&"hash")) {
            out.pop();
        }
        out.push(if hashes == 0 {
            "one context"
        } else {
            "another"
        });
        hashes += 1;
    }
    out.join(" ")
}

#[cfg(test)]
mod tests;
