//! What the view's rows are made of: whether a frame passes the filters, a call's latency, a
//! frame's type name, and the tools table's columns and sort. Pure functions of the log and a
//! session; the view calls them when its inputs change.

use super::filter::Subject;
use super::view::Lens;
use crate::core::log::Log;
use crate::core::session::{CallIx, CallStatus, FactKind, Pos, Session};
use crate::core::summary::agent_duration_ms;
use std::borrow::Cow;

/// A column of the tools table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Column {
    #[default]
    Call,
    Tool,
    Agent,
    Latency,
    Status,
    Pairing,
}

impl Column {
    pub const ALL: [Column; 6] = [
        Column::Call,
        Column::Tool,
        Column::Agent,
        Column::Latency,
        Column::Status,
        Column::Pairing,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Call => "call",
            Column::Tool => "tool",
            Column::Agent => "agent",
            Column::Latency => "latency",
            Column::Status => "status",
            Column::Pairing => "pairing",
        }
    }

    /// The column after this one, round to the first.
    pub fn next(self) -> Column {
        let i = Column::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Column::ALL[(i + 1) % Column::ALL.len()]
    }
}

/// The tools table's sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub column: Column,
    pub reverse: bool,
}

/// Tool calls of the lens's agent and run (all without them), sorted.
pub fn tool_rows(log: &Log, s: &Session, lens: &Lens) -> Vec<CallIx> {
    let (agent, run, sort) = (lens.agent, lens.run, lens.sort);
    let mut rows: Vec<CallIx> = (0..s.calls.len())
        .map(CallIx::new)
        .filter(|&c| agent.is_none() || s.calls[c.index()].agent == agent)
        .filter(|&c| run.is_none_or(|r| s.calls[c.index()].run == r))
        .collect();
    let name = |sym: Option<crate::core::intern::Sym>| sym.map_or("", |x| log.interner.resolve(x));
    let status_rank = |st: CallStatus| st as u8;
    match sort.column {
        Column::Call => {}
        Column::Tool => rows.sort_by_key(|&c| name(s.calls[c.index()].tool)),
        Column::Agent => rows.sort_by_key(|&c| {
            s.calls[c.index()]
                .agent
                .map_or("", |a| name(s.agents[a.index()].name))
        }),
        Column::Latency => rows.sort_by(|&a, &b| {
            let l = |c: CallIx| {
                let c = &s.calls[c.index()];
                call_latency(c.exec().as_ref(), c.done().as_ref()).unwrap_or(f64::INFINITY)
            };
            l(a).total_cmp(&l(b))
        }),
        Column::Status => rows.sort_by_key(|&c| status_rank(s.calls[c.index()].status)),
        Column::Pairing => rows.sort_by_key(|&c| s.calls[c.index()].pairing.as_str()),
    }
    if sort.reverse {
        rows.reverse();
    }
    rows
}

/// Whether frame `p` (its text `text`, empty when not needed) passes the lens's filter, agent
/// filter and run filter.
pub fn passes(log: &Log, s: &Session, p: Pos, text: &str, lens: &Lens) -> bool {
    let (filter, agent) = (lens.filter, lens.agent);
    let Some(fact) = s.facts.get(p.index()) else {
        return false;
    };
    if lens.run.is_some_and(|r| fact.run() != Some(r)) {
        return false;
    }
    if let Some(a) = agent {
        let call_agent = fact.call().and_then(|c| s.calls[c.index()].agent);
        if fact.agent() != Some(a) && call_agent != Some(a) {
            return false;
        }
    }
    if filter.is_empty() {
        return true;
    }
    let name = |sym: Option<crate::core::intern::Sym>| sym.map(|x| log.interner.resolve(x));
    let kind = kind_name(log, p, fact.kind, Some(text));
    let agent_ix = fact
        .agent()
        .or_else(|| fact.call().and_then(|c| s.calls[c.index()].agent));
    let agent = agent_ix.map(|a| {
        let ag = &s.agents[a.index()];
        log.interner.resolve(ag.name.unwrap_or(ag.id))
    });
    let call = fact.call().map(|c| &s.calls[c.index()]);
    let mut status: Vec<&str> = Vec::new();
    if let Some(c) = call {
        status.push(c.status.as_str());
    }
    if let Some(a) = fact.agent() {
        status.push(s.agents[a.index()].status.as_str());
    }
    if matches!(
        fact.kind,
        FactKind::Event(crate::core::event::Kind::AgentError | crate::core::event::Kind::Error)
            | FactKind::Malformed(_)
    ) {
        status.push("error");
    }
    let dur_ms = match call {
        Some(c) => call_latency(c.exec().as_ref(), c.done().as_ref()),
        None => fact.agent().and_then(|a| agent_duration_ms(s, a)),
    };
    let subject = Subject {
        text,
        kind: &kind,
        agent,
        tool: call.and_then(|c| name(c.tool)),
        run: fact
            .run()
            .map(|r| log.interner.resolve(s.runs[r.index()].id)),
        status: &status,
        dur_ms,
    };
    filter.matches(&subject)
}

/// The latency of a tool call (ms), on the producer clock when both ends have one.
pub fn call_latency(
    exec: Option<&crate::core::session::Times>,
    done: Option<&crate::core::session::Times>,
) -> Option<f64> {
    let (e, d) = (exec?, done?);
    match (e.ts, d.ts) {
        (Some(a), Some(b)) => Some(b - a),
        _ => Some(d.recv? - e.recv?),
    }
}

/// The type name of a kind of frame, without its text (`event` for an unknown type).
pub fn kind_label(kind: FactKind) -> Cow<'static, str> {
    match kind {
        FactKind::Event(k) => k.name().map_or("event".into(), Cow::Borrowed),
        FactKind::Malformed(_) => "malformed".into(),
        FactKind::Binary => "binary".into(),
    }
}

/// The type name of the frame at `p` (`binary`, `malformed` for frames without one); `text`
/// is its text when the caller has it at hand.
pub fn kind_name(log: &Log, p: Pos, kind: FactKind, text: Option<&str>) -> Cow<'static, str> {
    match kind {
        FactKind::Event(k) => match k.name() {
            Some(name) => name.into(),
            // An unknown type: only the frame's text has its name.
            None => match text {
                Some(text) => log.type_name_of(text),
                None => log.type_name(p),
            }
            .map_or("event".into(), Cow::Owned),
        },
        FactKind::Malformed(_) => "malformed".into(),
        FactKind::Binary => "binary".into(),
    }
}
