//! What differs between two contexts, read back from the `agent_started` frames that carried
//! them: a sub-agent's context against its turn's (drift across a hand-off), and a turn's
//! against the previous turn of its thread (history appended or rewritten, entry by entry).
//! The structural diff is `jsondiff`'s; this module picks the pairs and words the lines that
//! the Context tab, `summary` and `diff` print. Pure: reads the log, never the terminal.

use super::escape::escape;
use super::jsondiff::{self, ChangeKind, HistoryChange, HistoryVerdict, JsonDiff, Limits};
use super::log::Log;
use super::plural::count;
use super::session::{AgentIx, Session, TurnIx};
use super::validate::Finding;
use serde_json::Value;

/// Changes listed under one pair of contexts; more are counted.
pub const CHANGES_SHOWN: usize = 20;

/// Two contexts that differ, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextDiff {
    /// Which two contexts, in words (escaped).
    pub heading: String,
    /// The structural diff from the first to the second, when both could be read.
    pub diff: Option<JsonDiff>,
    /// How the second's `history` relates to the first's, when both have one.
    pub history: Option<HistoryChange>,
    /// The history entries that differ: appended, rewritten or cut off, by index.
    pub entries: Vec<(usize, ChangeKind)>,
    /// Why there is no diff, when there is none.
    pub note: Option<&'static str>,
}

/// What a line of a context diff is, so a screen can colour it (its text has a glyph too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Heading,
    History,
    Change(ChangeKind),
    Note,
}

/// The context an agent received, from its `agent_started` frame.
pub fn context_of(log: &Log, s: &Session, agent: AgentIx) -> Result<Value, &'static str> {
    let ag = &s.agents[agent];
    if ag.context.is_none() {
        return Err("the context was not sent, only its hash");
    }
    let text = (ag.start_pos)
        .and_then(|p| log.raw(p).ok().flatten())
        .ok_or("the context's frame could not be read again")?;
    let mut frame: Value =
        serde_json::from_str(&text).map_err(|_| "the context's frame could not be parsed")?;
    let nested = (frame.get_mut("payload"))
        .and_then(|p| p.get_mut("context"))
        .filter(|c| !c.is_null())
        .map(Value::take);
    nested
        .or_else(|| frame.get_mut("context").map(Value::take))
        .ok_or("the context's frame holds no context")
}

/// The diff from context `a` to `b`, both maybe unreadable.
pub fn between(
    heading: String,
    a: Result<Value, &'static str>,
    b: Result<Value, &'static str>,
) -> ContextDiff {
    let mut out = ContextDiff {
        heading,
        diff: None,
        history: None,
        entries: Vec::new(),
        note: None,
    };
    match (a, b) {
        (Ok(x), Ok(y)) => {
            out.diff = Some(jsondiff::diff(&x, &y, Limits::default()));
            out.history = jsondiff::history_change(&x, &y);
            out.entries = jsondiff::history_entries(&x, &y);
        }
        (Err(why), _) | (_, Err(why)) => out.note = Some(why),
    }
    out
}

/// An agent's name for headings (escaped).
fn agent_name(log: &Log, s: &Session, a: AgentIx) -> String {
    let ag = &s.agents[a];
    escape(log.interner.resolve(ag.name.unwrap_or(ag.id)), true)
}

/// The agent's context against its turn's, when the hashes differ (drift across a hand-off).
/// `s` is the session at the position shown (`log.session()` for the whole log).
pub fn drift(log: &Log, s: &Session, agent: AgentIx) -> Option<ContextDiff> {
    let turn = s.agents[agent].turn?;
    let root = s.turn_root(turn)?;
    let (mine, theirs) = (s.agent_hash(agent)?, s.turn_hash(turn)?);
    if root == agent || mine == theirs {
        return None;
    }
    let heading = format!(
        "drift: {} got another context than turn {} handed off ({})",
        agent_name(log, s, agent),
        s.turns[turn].index,
        agent_name(log, s, root)
    );
    Some(between(
        heading,
        context_of(log, s, root),
        context_of(log, s, agent),
    ))
}

/// The turn's context against the previous turn's of its thread, if there is one.
pub fn against_previous(log: &Log, s: &Session, turn: TurnIx) -> Option<ContextDiff> {
    let prev = s.turns[turn].prev?;
    let (now, before) = (s.turn_root(turn), s.turn_root(prev));
    let read = |a: Option<AgentIx>| {
        a.ok_or("a turn has no root agent")
            .and_then(|a| context_of(log, s, a))
    };
    let heading = format!(
        "turn {} against turn {}",
        s.turns[turn].index, s.turns[prev].index
    );
    Some(between(heading, read(before), read(now)))
}

/// Every diff a turn shows: against the previous turn, then each agent that drifted.
pub fn of_turn(log: &Log, s: &Session, turn: TurnIx) -> Vec<ContextDiff> {
    let drifts = s.turns[turn]
        .agents
        .iter()
        .filter_map(|&a| drift(log, s, a));
    against_previous(log, s, turn)
        .into_iter()
        .chain(drifts)
        .collect()
}

/// The diff a `context-integrity` finding is about: for drift, the agent's context against
/// its turn's; for a rewritten or truncated history, the turn's against the previous one.
pub fn of_finding(log: &Log, f: &Finding) -> Option<ContextDiff> {
    let (agent, s) = (f.agent?, log.session());
    match f.code.as_str() {
        "context-integrity/drift" => drift(log, s, agent),
        "context-integrity/history-rewritten" | "context-integrity/history-truncated" => {
            against_previous(log, s, s.agents[agent].turn?)
        }
        _ => None,
    }
}

/// The lines of a diff, heading first: the history verdict with its entries, then each change
/// (`+` added, `-` removed, `~` changed with both values), at most [`CHANGES_SHOWN`].
pub fn lines(d: &ContextDiff) -> Vec<(LineKind, String)> {
    let mut out = vec![(LineKind::Heading, d.heading.clone())];
    out.extend(body(d.history, &d.entries, d.diff.as_ref(), d.note));
    out
}

/// The lines under a heading (also `diff`'s, for the first diverging context).
pub fn body(
    history: Option<HistoryChange>,
    entries: &[(usize, ChangeKind)],
    diff: Option<&JsonDiff>,
    note: Option<&str>,
) -> Vec<(LineKind, String)> {
    let mut out = Vec::new();
    if let Some(h) = history.filter(|h| h.verdict != HistoryVerdict::Unchanged) {
        out.push((LineKind::History, history_line(h, entries)));
    }
    if let Some(note) = note {
        out.push((LineKind::Note, format!("no structural diff: {note}")));
    }
    let Some(diff) = diff else { return out };
    if diff.is_empty() {
        out.push((LineKind::Note, "the two contexts are equal".into()));
    }
    for ch in diff.changes.iter().take(CHANGES_SHOWN) {
        let v = |s: &Option<String>| s.as_deref().map_or(String::new(), |s| escape(s, true));
        let path = escape(&ch.path, true);
        let text = match ch.kind {
            ChangeKind::Added => format!("+ {path}  {}", v(&ch.after)),
            ChangeKind::Removed => format!("- {path}  {}", v(&ch.before)),
            ChangeKind::Changed => format!("~ {path}  {} → {}", v(&ch.before), v(&ch.after)),
        };
        out.push((LineKind::Change(ch.kind), text));
    }
    let more = diff
        .total()
        .saturating_sub(CHANGES_SHOWN.min(diff.changes.len()));
    if more > 0 {
        out.push((LineKind::Note, format!("… {} more", count(more, "change"))));
    }
    out
}

/// `history rewritten at [0] (2 → 3 entries): [0] rewritten · [2] appended`.
fn history_line(h: HistoryChange, entries: &[(usize, ChangeKind)]) -> String {
    let at = match h.verdict {
        HistoryVerdict::Rewritten { first } => format!(" at [{first}]"),
        _ => String::new(),
    };
    let mut line = format!(
        "history {}{at} ({} → {})",
        h.verdict.as_str(),
        h.before,
        super::plural::count_as(h.after, "entry", "entries")
    );
    let words: Vec<String> = (entries.iter().take(CHANGES_SHOWN))
        .map(|(i, k)| {
            let what = match k {
                ChangeKind::Added => "appended",
                ChangeKind::Removed => "cut off",
                ChangeKind::Changed => "rewritten",
            };
            format!("[{i}] {what}")
        })
        .collect();
    if !words.is_empty() {
        line.push_str(": ");
        line.push_str(&words.join(" · "));
    }
    line
}

#[cfg(test)]
mod tests;
