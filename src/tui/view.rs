//! The derived view of the log at the shown position, cached so drawing never derives: the
//! session at that position (the log's own when at the tail), the timeline rows that pass the
//! filter (extended incrementally as the position moves forward), the agent tree's rows and
//! the sorted tool rows. Recomputed only when the position, the filter or the sort changes.

use super::app::Ui;
use super::filter::{Filter, Subject};
use super::tree::Tree;
use crate::core::log::Log;
use crate::core::session::{AgentIx, CallIx, CallStatus, FactKind, Pos, Session};
use crate::core::summary::agent_duration_ms;
use crate::core::texts::Stale;
use std::borrow::Cow;

#[derive(Debug, Clone, Default)]
pub struct View {
    pos: usize,
    session: Option<Session>,
    synced: bool,
    /// Frames shown (positions `0..pos`).
    pub frames: usize,
    /// Timeline rows: positions that pass the filter and the agent filter.
    pub rows: Vec<Pos>,
    rows_upto: usize,
    key: (String, Option<AgentIx>, (usize, bool)),
    pub agents: Tree,
    /// Set when the file the texts are read from changed on disk (for the app to say so).
    pub stale: Option<Stale>,
    /// Since then, positions before the end can no longer be derived: the view stays there.
    gone: bool,
    /// The log's generation when last synced (link-only entries change the session too).
    generation: u64,
    pub tools: Vec<CallIx>,
}

impl View {
    /// The session at the view position.
    pub fn session<'a>(&'a self, log: &'a Log) -> &'a Session {
        self.session.as_ref().unwrap_or(log.session())
    }

    /// Brings the view to `pos`; true when anything changed.
    pub fn sync(&mut self, log: &Log, pos: usize, ui: &Ui) -> bool {
        let pos = if self.gone {
            log.frames()
        } else {
            pos.min(log.frames())
        };
        let key = (
            ui.filter.source().to_string(),
            ui.agent_filter,
            (ui.sort.column, ui.sort.reverse),
        );
        let at_tail = pos == log.frames();
        let moved = !self.synced || pos != self.pos || (at_tail && self.session.is_some());
        let grew = at_tail && (self.frames != pos || self.generation != log.generation());
        if !moved && !grew && key == self.key {
            return false;
        }
        if moved || grew {
            let moved = match (&mut self.session, at_tail) {
                (_, true) => Ok(None),
                (Some(s), false) => log
                    .move_session(s, self.pos, pos)
                    .map(|()| self.session.take()),
                (None, false) => log.session_at(pos).map(Some),
            };
            match moved {
                Ok(session) => self.session = session,
                Err(stale) => {
                    // The text to re-derive from is gone: from now on show the whole session,
                    // and say why once.
                    self.stale = Some(stale);
                    self.gone = true;
                    self.session = None;
                    self.synced = false;
                    return self.sync(log, log.frames(), ui);
                }
            }
        }
        let same_filter = key == self.key && !ui.filter.is_volatile();
        if same_filter && pos < self.rows_upto {
            // Stepping back with a filter that does not depend on the position: the rows are
            // a prefix of what they were.
            let keep = self.rows.partition_point(|&r| (r as usize) < pos);
            self.rows.truncate(keep);
            self.rows_upto = pos;
        }
        let refilter = !same_filter || pos < self.rows_upto;
        if refilter {
            self.rows.clear();
            self.rows_upto = 0;
        }
        self.key = key;
        self.pos = pos;
        self.frames = pos;
        self.generation = log.generation();
        self.synced = true;
        let session = self.session.as_ref().unwrap_or(log.session());
        let (from, rows) = (self.rows_upto as Pos, &mut self.rows);
        let mut check = |p: Pos, text: &str| {
            if passes(log, session, p, text, &ui.filter, ui.agent_filter) {
                rows.push(p);
            }
        };
        if ui.filter.is_empty() {
            (from..pos as Pos).for_each(|p| check(p, ""));
        } else {
            // Binary frames have no text: they are checked in the gaps.
            let mut next = from;
            let read = log.each_raw(from, pos as Pos, |p, text| {
                (next..p).for_each(|b| check(b, ""));
                check(p, text);
                next = p + 1;
            });
            (next..pos as Pos).for_each(|b| check(b, ""));
            if let Err(stale) = read {
                self.stale = Some(stale);
            }
        }
        self.rows_upto = pos;
        self.agents = Tree::new(session);
        self.tools = tool_rows(log, session, ui);
        true
    }
}

fn passes(
    log: &Log,
    s: &Session,
    p: Pos,
    text: &str,
    filter: &Filter,
    agent: Option<AgentIx>,
) -> bool {
    let Some(fact) = s.facts.get(p as usize) else {
        return false;
    };
    if let Some(a) = agent {
        let call_agent = fact.call().and_then(|c| s.calls[c].agent);
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
        .or_else(|| fact.call().and_then(|c| s.calls[c].agent));
    let agent = agent_ix.map(|a| {
        let ag = &s.agents[a];
        log.interner.resolve(ag.name.unwrap_or(ag.id))
    });
    let call = fact.call().map(|c| &s.calls[c]);
    let mut status: Vec<&str> = Vec::new();
    if let Some(c) = call {
        status.push(c.status.as_str());
    }
    if let Some(a) = fact.agent() {
        status.push(s.agents[a].status.as_str());
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
        run: fact.run().map(|r| log.interner.resolve(s.runs[r].id)),
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

/// The tools table's columns.
pub const TOOL_COLUMNS: [&str; 6] = ["call", "tool", "agent", "latency", "status", "pairing"];

/// Tool calls after the agent filter, sorted by the chosen column.
pub fn tool_rows(log: &Log, s: &Session, ui: &Ui) -> Vec<CallIx> {
    let mut rows: Vec<CallIx> = (0..s.calls.len())
        .map(CallIx::new)
        .filter(|&c| ui.agent_filter.is_none() || s.calls[c].agent == ui.agent_filter)
        .collect();
    let name = |sym: Option<crate::core::intern::Sym>| sym.map_or("", |x| log.interner.resolve(x));
    let status_rank = |st: CallStatus| st as u8;
    match ui.sort.column {
        0 => {}
        1 => rows.sort_by_key(|&c| name(s.calls[c].tool)),
        2 => rows.sort_by_key(|&c| s.calls[c].agent.map_or("", |a| name(s.agents[a].name))),
        3 => rows.sort_by(|&a, &b| {
            let l = |c: CallIx| {
                let c = &s.calls[c];
                call_latency(c.exec().as_ref(), c.done().as_ref()).unwrap_or(f64::INFINITY)
            };
            l(a).total_cmp(&l(b))
        }),
        4 => rows.sort_by_key(|&c| status_rank(s.calls[c].status)),
        _ => rows.sort_by_key(|&c| s.calls[c].pairing.as_str()),
    }
    if ui.sort.reverse {
        rows.reverse();
    }
    rows
}
