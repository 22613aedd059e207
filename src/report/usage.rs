//! The report's tokens and cost: the session's total, then per run each agent's own model use
//! and its subtree's (own and delegated), priced from the pricing table; an unpriced model is
//! named as unpriced, never guessed.

use super::{Block, Say};
use crate::core::log::Log;
use crate::core::session::{agent_rows, RunIx};
use crate::core::usage::pricing::Prices;
use crate::core::usage::report::line;
use crate::core::usage::totals::subtree_books;

/// The section, when any frame reported usage.
pub fn all(out: &mut Vec<Block>, say: &mut Say, log: &Log, prices: &Prices) {
    let (s, i) = (log.session(), &log.interner);
    if s.usage.is_empty() {
        return;
    }
    out.push(Block::Open("section", "usage"));
    out.push(Block::H(2, "Tokens and cost".into()));
    out.push(Block::P(format!(
        "Session: {} over {} model calls. Input counts cache reads and writes; prices are USD \
         per million tokens from orchscope's table (each row checked against the vendor's page \
         on its verified date) or the config's [prices].",
        line(&s.usage, prices, i),
        s.usage.calls()
    )));
    let subtree = subtree_books(s);
    let head = vec!["run", "agent", "own", "with delegated"];
    let mut rows = Vec::new();
    for r in 0..s.runs.len() {
        let run_id = say.line(i.resolve(s.runs[RunIx::new(r)].id));
        for row in agent_rows(s, RunIx::new(r)) {
            let ag = &s.agents[row.agent];
            let sub = &subtree[row.agent.index()];
            if sub.is_empty() {
                continue;
            }
            let name = say.line(ag.name.map_or(i.resolve(ag.id), |n| i.resolve(n)));
            let own = ag
                .usage
                .as_deref()
                .map_or("—".into(), |b| line(b, prices, i));
            rows.push(vec![
                run_id.clone(),
                format!("{}{name}", "· ".repeat(row.depth)),
                say.line(&own),
                say.line(&line(sub, prices, i)),
            ]);
        }
    }
    out.push(Block::Table("usage", head, rows));
    out.push(Block::Close("section"));
}
