//! The context matrix of the report: per turn, each agent's context hash against the turn's
//! (the same, drifted, or not sent), then the structural diffs of the contexts that differ.

use super::{Block, Say};
use crate::core::context_diff::{lines, of_turn};
use crate::core::log::Log;
use crate::core::session::TurnIx;

/// Rows of the matrix listed; the rest counted.
const ROWS_SHOWN: usize = 2000;
/// Context diffs shown: turns are compared until this many differ.
const DIFFS_SHOWN: usize = 200;

fn short(h: Option<String>) -> String {
    h.map_or("—".into(), |h| h.chars().skip(7).take(12).collect())
}

/// The matrix and the diffs.
pub fn matrix(out: &mut Vec<Block>, say: &mut Say, log: &Log) {
    let s = log.session();
    out.push(Block::H(2, "Contexts".into()));
    if s.turns.is_empty() {
        out.push(Block::P("No turns.".into()));
        return;
    }
    let mut rows = Vec::new();
    let mut total = 0usize;
    let mut diffs = Vec::new();
    let mut compared = 0usize;
    for t in 0..s.turns.len() {
        let t = TurnIx::new(t);
        let turn = &s.turns[t];
        let thread = turn.thread.map_or("—", |x| log.interner.resolve(x));
        let theirs = s.turn_hash(t);
        for &a in &turn.agents {
            total += 1;
            if rows.len() >= ROWS_SHOWN {
                continue;
            }
            let ag = &s.agents[a];
            let mine = s.agent_hash(a);
            let relation = match (&mine, &theirs) {
                (None, _) => "— no context",
                (Some(m), Some(h)) if m == h => "= the turn's",
                (Some(_), _) => "≠ differs",
            };
            rows.push(vec![
                format!("T{}", turn.index),
                say.line(thread),
                say.line(log.interner.resolve(ag.name.unwrap_or(ag.id))),
                short(mine.map(|h| h.text())),
                relation.to_string(),
            ]);
        }
        if diffs.len() < DIFFS_SHOWN {
            diffs.extend(of_turn(log, s, t));
            compared += 1;
        }
    }
    if rows.len() < total {
        out.push(Block::P(format!(
            "The first {} of {total} rows are listed.",
            rows.len()
        )));
    }
    let head = vec!["turn", "thread", "agent", "context", "against the turn's"];
    out.push(Block::Table("context", head, rows));
    out.push(Block::H(3, format!("Context diffs ({})", diffs.len())));
    if compared < s.turns.len() {
        out.push(Block::P(format!(
            "The first {compared} of {} turns were compared ({} diffs at most); \
             `orchscope summary` shows every drift and rewrite finding's diff.",
            s.turns.len(),
            DIFFS_SHOWN
        )));
    }
    for d in &diffs {
        let mut ls = lines(d).into_iter();
        if let Some((_, heading)) = ls.next() {
            out.push(Block::H(4, say.line(&heading)));
        }
        let body: Vec<String> = ls.map(|(_, l)| l).collect();
        out.push(Block::Pre(say.text(&body.join("\n"), usize::MAX)));
    }
}
