//! The usage part of `summary`'s text: the session's model usage and cost, then each run's,
//! then each agent's own and, when it delegated, its subtree's. Nothing when no frame reported
//! usage.

use crate::core::escape::escape;
use crate::core::intern::Interner;
use crate::core::session::{agent_rows, RunIx, Session};
use crate::core::usage::pricing::Prices;
use crate::core::usage::report::line;
use crate::core::usage::totals::subtree_books;
use std::fmt::Write as _;

pub fn text(s: &Session, i: &Interner, prices: &Prices) -> String {
    let mut out = String::new();
    if s.usage.is_empty() {
        return out;
    }
    let calls = s.usage.calls();
    let _ = writeln!(
        out,
        "usage ({calls} model calls)  {}",
        line(&s.usage, prices, i)
    );
    let subtree = subtree_books(s);
    for (ix, run) in s.runs.iter().enumerate() {
        let Some(book) = run.usage.as_deref() else {
            continue;
        };
        let id = escape(i.resolve(run.id), true);
        let _ = writeln!(out, "  run {id}  {}", line(book, prices, i));
        for row in agent_rows(s, RunIx::new(ix)) {
            let ag = &s.agents[row.agent];
            let sub = &subtree[row.agent.index()];
            if sub.is_empty() {
                continue;
            }
            let name = escape(ag.name.map_or(i.resolve(ag.id), |n| i.resolve(n)), true);
            let own = ag
                .usage
                .as_deref()
                .map_or("none".into(), |b| line(b, prices, i));
            let _ = write!(out, "    {}{name}  own {own}", "  ".repeat(row.depth));
            if Some(sub) != ag.usage.as_deref() {
                let _ = write!(out, "  ·  with delegated {}", line(sub, prices, i));
            }
            out.push('\n');
        }
        if let Some(u) = run.unattributed.as_deref() {
            let _ = writeln!(out, "    (no agent named)  {}", line(u, prices, i));
        }
    }
    out
}
