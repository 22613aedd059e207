//! The first turn where the context hashes of A and B differ (turns paired by position; a turn
//! with no hash on either side is not judged), with the structural diff of the two contexts the
//! turns' root agents received, read back from their `agent_started` frames (`context_diff`).

use super::Side;
use crate::core::context_diff;
use crate::core::jsondiff::{ChangeKind, HistoryChange, JsonDiff};
use crate::core::session::TurnIx;

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
    /// B's history entries that differ from A's, by index.
    pub entries: Vec<(usize, ChangeKind)>,
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
        entries: Vec::new(),
        note: None,
    };
    if out.a.is_none() || out.b.is_none() {
        out.note = Some("only one session has this turn");
        return Some(out);
    }
    let read = |side: &Side| {
        (side.log.session().turn_root(TurnIx::new(turn)))
            .ok_or("a turn has no root agent")
            .and_then(|root| context_diff::context_of(side.log, side.log.session(), root))
    };
    let d = context_diff::between(String::new(), read(a), read(b));
    (out.diff, out.history, out.entries, out.note) = (d.diff, d.history, d.entries, d.note);
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
