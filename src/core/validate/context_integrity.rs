//! Rule `context-integrity`: each reported context hash matches the recomputed one, every agent of a turn received the turn's context, each turn's `prev_context_hash` is the previous turn's hash, history is only appended to, and `user_request` is preserved within a turn.

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::event::Reported;
use crate::core::session::turns::{HashValue, History};
use crate::core::session::{AgentIx, Pos, Session, Turn, TurnIx};

/// Why the rule is not judged on a foreign format whose importer attached contexts.
const PER_AGENT_INPUTS: &str = "the format's contexts are each agent's own model input, not contexts handed from agent to agent; hand-off, chain and history not judged";

fn short(h: &HashValue) -> String {
    let text = h.text();
    match text.strip_prefix("sha256:") {
        Some(hex) => format!("sha256:{}", &hex[..hex.len().min(12)]),
        None => text,
    }
}

/// What could not be compared, counted over the whole session.
#[derive(Default)]
struct Unjudged {
    no_hash: usize,
    no_prev: usize,
    no_history: usize,
    other_reported: usize,
}

/// One turn as the per-turn checks see it: its hash, its root agent and where the root and
/// the previous turn's root started.
struct TurnView<'t> {
    ix: TurnIx,
    turn: &'t Turn,
    hash: Option<HashValue>,
    root: Option<AgentIx>,
}

pub fn check(input: &Input, _t: &Thresholds) -> Judgement {
    let s = input.session;
    let mut j = Judgement::default();
    if let Some(reason) = unjudgeable(input) {
        j.not_judged.push(reason);
        return j;
    }
    j.judged = true;
    let mut left = Unjudged::default();
    for (tix, turn) in s.turns.iter().enumerate() {
        let tix = TurnIx::new(tix);
        let view = TurnView {
            ix: tix,
            turn,
            hash: s.turn_hash(tix),
            root: s.turn_root(tix),
        };
        agents_of_turn(input, &view, &mut left, &mut j.findings);
        chain_and_history(input, &view, &mut left, &mut j.findings);
    }
    j.not_judged.extend(left.reasons());
    j
}

/// Why the rule cannot judge this session at all, if it cannot.
fn unjudgeable(input: &Input) -> Option<String> {
    let any = input
        .session
        .agents
        .iter()
        .any(|a| a.context.is_some() || a.reported_hash.is_some() || a.prev_hash.is_some());
    if !input.carries.contexts {
        return Some(if any {
            PER_AGENT_INPUTS.into()
        } else {
            "the format carries no agent contexts".into()
        });
    }
    (!any).then(|| "no contexts or context hashes (e.g. Netra era A)".into())
}

/// Each agent of a turn: its reported hash, the context it received, the user's request.
fn agents_of_turn(input: &Input, view: &TurnView, left: &mut Unjudged, out: &mut Vec<Finding>) {
    let s = input.session;
    let mut request: Option<(Pos, u64)> = None;
    for &a in &view.turn.agents {
        let ag = &s.agents[a];
        let start = ag.start_pos.unwrap_or(ag.last_pos);
        reported_hash(input, a, start, left, out);
        drift(input, view, a, start, left, out);
        // The user's request, unchanged within the turn.
        if let Some(req) = ag.context.as_ref().and_then(|c| c.user_request) {
            match request {
                None => request = Some((start, req)),
                Some((first, r)) if r != req => out.push(
                    Finding::new(
                        "context-integrity/user-request-changed",
                        Severity::Error,
                        format!(
                            "agent {} received a different user_request than the turn's first agent",
                            input.agent_label(a)
                        ),
                    )
                    .of_agent(input, a)
                    .at([start, first]),
                ),
                _ => {}
            }
        }
    }
}

/// Reported vs recomputed hash of one agent's context.
fn reported_hash(
    input: &Input,
    a: AgentIx,
    start: Pos,
    left: &mut Unjudged,
    out: &mut Vec<Finding>,
) {
    let ag = &input.session.agents[a];
    match (
        ag.reported_hash.as_deref(),
        ag.context.as_ref().and_then(|c| c.digest),
    ) {
        (Some(Reported::Digest(rep)), Some(real)) if *rep != real => out.push(
            Finding::new(
                "context-integrity/hash-mismatch",
                Severity::Error,
                format!(
                    "agent {} reported context hash {} but its context hashes to {}",
                    input.agent_label(a),
                    short(&HashValue::Digest(*rep)),
                    short(&HashValue::Digest(real))
                ),
            )
            .of_agent(input, a)
            .at([start]),
        ),
        (Some(Reported::Other(_)), Some(_)) => left.other_reported += 1,
        _ => {}
    }
}

/// Drift across a hand-off: an agent that received another context than its turn's.
fn drift(
    input: &Input,
    view: &TurnView,
    a: AgentIx,
    start: Pos,
    left: &mut Unjudged,
    out: &mut Vec<Finding>,
) {
    let s = input.session;
    match (s.agent_hash(a), &view.hash) {
        (Some(mine), Some(theirs)) if Some(a) != view.root && mine != *theirs => {
            let root_start = start_of(s, view.root).into_iter();
            out.push(
                Finding::new(
                    "context-integrity/drift",
                    Severity::Error,
                    format!(
                        "agent {} received context {} but turn {} of its thread has {}",
                        input.agent_label(a),
                        short(&mine),
                        view.turn.index,
                        short(theirs)
                    ),
                )
                .of_agent(input, a)
                .at([start])
                .at(root_start),
            );
        }
        (None, _) => left.no_hash += 1,
        _ => {}
    }
}

/// Where an agent started, if it did.
fn start_of(s: &Session, agent: Option<AgentIx>) -> Option<Pos> {
    agent.and_then(|r| s.agents[r].start_pos)
}

/// A turn against the previous one of its thread: the chain of hashes, then the history.
fn chain_and_history(input: &Input, view: &TurnView, left: &mut Unjudged, out: &mut Vec<Finding>) {
    let s = input.session;
    let Some(prev) = view.turn.prev else { return };
    let evidence = [start_of(s, view.root), start_of(s, s.turn_root(prev))];
    let turn_finding = |code: &str, message: String| {
        let mut f = Finding::new(code, Severity::Error, message).at(evidence.into_iter().flatten());
        if let Some(r) = view.root {
            f = f.of_agent(input, r);
        }
        f
    };
    match (s.turn_prev_hash(view.ix), s.turn_hash(prev)) {
        (Some(claimed), Some(actual)) => {
            if claimed != actual {
                out.push(turn_finding(
                    "context-integrity/broken-chain",
                    format!(
                        "turn {} says the previous context was {}, but turn {} had {}",
                        view.turn.index,
                        short(&claimed),
                        s.turns[prev].index,
                        short(&actual)
                    ),
                ));
            }
        }
        _ => left.no_prev += 1,
    }
    // History: appended, never rewritten or truncated.
    let (code, what) = match s.history(view.ix) {
        History::Rewritten => ("context-integrity/history-rewritten", "rewrote"),
        History::Truncated => ("context-integrity/history-truncated", "truncated"),
        History::Unknown => {
            left.no_history += 1;
            return;
        }
        History::First | History::Appended => return,
    };
    out.push(turn_finding(
        code,
        format!(
            "turn {} {what} the history of earlier turns instead of appending to it",
            view.turn.index
        ),
    ));
}

impl Unjudged {
    /// The reasons, in report order, for what was left unjudged.
    fn reasons(&self) -> Vec<String> {
        let mut out = Vec::new();
        let (no_hash, no_prev, no_history) = (self.no_hash, self.no_prev, self.no_history);
        if no_hash > 0 {
            out.push(format!(
                "{no_hash} agent{} received no context or hash, drift not judged for {}",
                if no_hash == 1 { "" } else { "s" },
                if no_hash == 1 { "it" } else { "them" }
            ));
        }
        if no_prev > 0 {
            out.push(format!(
                "{no_prev} turn{} without prev_context_hash or a previous hash, chain not judged",
                if no_prev == 1 { "" } else { "s" }
            ));
        }
        if no_history > 0 {
            out.push(format!(
                "{no_history} turn{} without both contexts, history not judged",
                if no_history == 1 { "" } else { "s" }
            ));
        }
        let other = self.other_reported;
        if other > 0 {
            out.push(format!(
                "{other} reported hash{} not a SHA-256, not compared",
                if other == 1 { " is" } else { "es are" }
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests;
