//! What a loop cost: the model usage an agent reported from the first of its repeated calls
//! to the last (the model calls that made the repeats), and what the repeated sub-agents of a
//! delegation loop used (with their own sub-agents), in tokens and, priced from the table,
//! dollars — for `progress`'s evidence. Nothing when the session reports no usage.

use super::Input;
use crate::core::session::{AgentIx, Pos};
use crate::core::usage::pricing::{cost, Prices};
use crate::core::usage::{compact, Book, Usage};
use std::collections::HashMap;

/// Each agent's usage by position, sorted.
#[derive(Default)]
pub(super) struct Spent {
    by_agent: HashMap<AgentIx, Vec<(Pos, Usage)>>,
}

impl Spent {
    pub(super) fn of(input: &Input) -> Spent {
        let mut by_agent: HashMap<AgentIx, Vec<(Pos, Usage)>> = HashMap::new();
        for (pos, agent, u) in input.session.usage_at.iter() {
            if let Some(a) = agent {
                by_agent.entry(*a).or_default().push((*pos, *u));
            }
        }
        for v in by_agent.values_mut() {
            v.sort_by_key(|(p, _)| *p);
        }
        Spent { by_agent }
    }

    /// The usage `agent` reported after `from`, up to `to`.
    fn between(&self, agent: AgentIx, from: Pos, to: Pos) -> Book {
        let mut book = Book::default();
        if let Some(v) = self.by_agent.get(&agent) {
            let start = v.partition_point(|(p, _)| *p <= from);
            for (_, u) in v[start..].iter().take_while(|(p, _)| *p <= to) {
                book.add(u);
            }
        }
        book
    }

    /// `; the model calls between them used 1.2k tokens ($0.0042)`, or nothing when none
    /// reported usage.
    pub(super) fn words(
        &self,
        input: &Input,
        agent: AgentIx,
        (from, to): (Pos, Pos),
        prices: &Prices,
    ) -> String {
        let book = self.between(agent, from, to);
        if book.is_empty() {
            return String::new();
        }
        let n = book.calls();
        let calls = if n == 1 { "call" } else { "calls" };
        format!(
            "; the {n} model {calls} between them used {}",
            tokens_and_money(input, &book, prices)
        )
    }
}

/// `1.2k tokens ($0.0042)`: a book's input and output tokens, and its cost when priced.
fn tokens_and_money(input: &Input, book: &Book, prices: &Prices) -> String {
    let c = cost(prices, book, |m| input.name(Some(m)));
    let money = match c.label() {
        l if l.is_empty() => String::new(),
        l => format!(" ({l})"),
    };
    format!("{} tokens{money}", compact(book.tokens().total()))
}

/// `; the 2 repeats used 3.4k tokens ($0.0120)`: what the repeated sub-agents of a delegation
/// loop used, each with its sub-agents' (`books`: their subtree totals), or nothing when they
/// reported no usage.
pub(super) fn repeats_used<'a>(
    input: &Input,
    books: impl ExactSizeIterator<Item = &'a Book>,
    prices: &Prices,
) -> String {
    let n = books.len();
    let mut all = Book::default();
    books.for_each(|b| all.merge(b));
    if all.is_empty() {
        return String::new();
    }
    let repeats = if n == 1 { "repeat" } else { "repeats" };
    format!(
        "; the {n} {repeats} used {}",
        tokens_and_money(input, &all, prices)
    )
}
