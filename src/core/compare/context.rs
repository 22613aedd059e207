//! The first turn where the context hashes of A and B differ (turns paired by position; a turn
//! with no hash on either side is not judged), with the structural diff of the two contexts the
//! turns' root agents received, read back from their `agent_started` frames.

use super::Side;
use crate::core::jsondiff::{self, HistoryChange, JsonDiff, Limits};
use crate::core::session::TurnIx;
use serde_json::Value;

/// One side's turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnSide {
    pub thread: Option<String>,
    /// 1-based within its thread.
    pub index: u32,
    pub hash: Option<String>,
}

/// Where the contexts part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextDivergence {
    /// The turn's position among all turns, 1-based.
    pub turn: usize,
    /// `None` on a side that has no such turn.
    pub a: Option<TurnSide>,
    pub b: Option<TurnSide>,
    /// The structural diff from A's context to B's, when both could be read.
    pub diff: Option<JsonDiff>,
    /// How B's `history` relates to A's, when both contexts have one.
    pub history: Option<HistoryChange>,
    /// Why there is no diff, when there is none.
    pub note: Option<&'static str>,
}

pub(super) fn first_divergence(a: &Side, b: &Side) -> Option<ContextDivergence> {
    let (sa, sb) = (a.log.session(), b.log.session());
    let n = sa.turns.len().max(sb.turns.len());
    let turn = (0..n).find(|&t| {
        let hash = |side: &Side| {
            let s = side.log.session();
            (t < s.turns.len()).then(|| s.turn_hash(TurnIx::new(t)).map(|h| h.text()))
        };
        match (hash(a), hash(b)) {
            (Some(None), Some(None)) => false,
            (x, y) => x != y,
        }
    })?;
    let (ta, tb) = (turn_side(a, turn), turn_side(b, turn));
    let mut out = ContextDivergence {
        turn: turn + 1,
        a: ta,
        b: tb,
        diff: None,
        history: None,
        note: None,
    };
    if out.a.is_none() || out.b.is_none() {
        out.note = Some("only one session has this turn");
        return Some(out);
    }
    match (context(a, turn), context(b, turn)) {
        (Ok(x), Ok(y)) => {
            out.diff = Some(jsondiff::diff(&x, &y, Limits::default()));
            out.history = jsondiff::history_change(&x, &y);
        }
        (Err(why), _) | (_, Err(why)) => out.note = Some(why),
    }
    Some(out)
}

fn turn_side(side: &Side, t: usize) -> Option<TurnSide> {
    let s = side.log.session();
    let turn = s.turns.get(t)?;
    Some(TurnSide {
        thread: turn
            .thread
            .map(|x| side.log.interner.resolve(x).to_string()),
        index: turn.index,
        hash: s.turn_hash(TurnIx::new(t)).map(|h| h.text()),
    })
}

/// The context the turn's root agent received, from its `agent_started` frame.
fn context(side: &Side, t: usize) -> Result<Value, &'static str> {
    let s = side.log.session();
    let root = s
        .turn_root(TurnIx::new(t))
        .ok_or("a turn has no root agent")?;
    let agent = &s.agents[root];
    if agent.context.is_none() {
        return Err("a turn's context was not sent, only its hash");
    }
    let text = agent
        .start_pos
        .and_then(|p| side.log.raw(p).ok().flatten())
        .ok_or("a context's frame could not be read again")?;
    let mut frame: Value =
        serde_json::from_str(&text).map_err(|_| "a context's frame could not be parsed")?;
    let nested = frame
        .get_mut("payload")
        .and_then(|p| p.get_mut("context"))
        .filter(|c| !c.is_null())
        .map(Value::take);
    nested
        .or_else(|| frame.get_mut("context").map(Value::take))
        .ok_or("a context's frame holds no context")
}
