//! Usage totals over the agent tree: each agent's own book (what its own model calls used) and
//! its subtree's (its own and every delegated agent's below it), computed in one pass without
//! recursion — a pre-order by an explicit stack, then each agent added to its parent in reverse.

use super::Book;
use crate::core::session::{AgentIx, RunIx, Session};

/// The subtree book of every agent, by agent index (an agent without usage anywhere below it
/// has an empty book).
pub fn subtree_books(s: &Session) -> Vec<Book> {
    let n = s.agents.len();
    let mut books: Vec<Book> = (0..n)
        .map(|i| s.agents[i].usage.as_deref().cloned().unwrap_or_default())
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    for root in 0..n {
        if seen[root] || s.agents[root].parent.is_some_and(|p| p.index() < n) {
            continue;
        }
        stack.push(root);
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            order.push(i);
            stack.extend(
                s.agents[i]
                    .children
                    .iter()
                    .map(|c| c.index())
                    .filter(|&c| c < n && !seen[c]),
            );
        }
    }
    for &i in order.iter().rev() {
        if let Some(p) = s.agents[i].parent.map(|p| p.index()) {
            if p < n && p != i && seen[p] {
                let child = std::mem::take(&mut books[i]);
                books[p].merge(&child);
                books[i] = child;
            }
        }
    }
    books
}

/// The agents of `run` that spent the most by their own model calls, by total tokens, largest
/// first (at most `k`).
pub fn top_spenders(s: &Session, run: RunIx, k: usize) -> Vec<(AgentIx, Book)> {
    let mut spent: Vec<(AgentIx, Book)> = s.runs[run]
        .agents
        .iter()
        .filter_map(|&a| Some((a, s.agents[a].usage.as_deref()?.clone())))
        .collect();
    spent.sort_by_key(|(a, b)| (std::cmp::Reverse(b.tokens().total()), a.0));
    spent.truncate(k);
    spent
}
