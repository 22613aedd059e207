//! Tokens and cost as the inspector shows them, prepared when the session changes (never while
//! drawing): for the agents tree, each agent's subtree total in a few characters (`Σ` when it
//! holds delegated agents' usage too); for the Story, a run's line of tokens, cost and top
//! spenders.

use super::story::StoryLine;
use super::theme::Role;
use crate::core::escape::escape;
use crate::core::intern::Interner;
use crate::core::log::Log;
use crate::core::session::{AgentIx, RunIx, Session};
use crate::core::usage::pricing::Prices;
use crate::core::usage::report::{line, short};
use crate::core::usage::totals::{subtree_books, top_spenders};

/// Agents named as a run's top spenders.
const TOP: usize = 3;

/// The tree's usage column, by agent.
#[derive(Debug, Default)]
pub struct Costs {
    made_of: Option<u64>,
    cells: Vec<String>,
}

impl Costs {
    /// Makes the column again unless `inputs` (a hash of what it depends on) is unchanged.
    pub fn prepare(&mut self, inputs: u64, s: &Session, i: &Interner, prices: &Prices) {
        if self.made_of.replace(inputs) == Some(inputs) {
            return;
        }
        self.cells.clear();
        if s.usage.is_empty() {
            return;
        }
        let books = subtree_books(s);
        self.cells = (books.iter().enumerate())
            .map(|(a, b)| {
                let own = s.agents[a].usage.as_deref();
                let delegated = !b.is_empty() && own != Some(b);
                let mark = if delegated { "Σ" } else { "" };
                format!("{mark}{}", short(b, prices, i))
            })
            .collect();
    }

    /// Some agent reported usage: the column is shown.
    pub fn any(&self) -> bool {
        !self.cells.is_empty()
    }

    /// An agent's cell (empty when nothing below it reported usage).
    pub fn of(&self, a: AgentIx) -> &str {
        self.cells.get(a.index()).map_or("", String::as_str)
    }
}

/// `  Model use: 8.4k in · 280 out · $0.0392 — most by main 3.7k $0.0168, …` for run `r`, when
/// it reported usage.
pub fn story_line(log: &Log, s: &Session, r: RunIx, prices: &Prices) -> Option<StoryLine> {
    let i = &log.interner;
    let book = s.runs[r].usage.as_deref()?;
    let top: Vec<String> = top_spenders(s, r, TOP)
        .iter()
        .map(|(a, b)| {
            let ag = &s.agents[*a];
            let name = ag.name.map_or(i.resolve(ag.id), |n| i.resolve(n));
            format!("{} {}", escape(name, true), short(b, prices, i))
        })
        .collect();
    let mut text = format!("  Model use: {}", line(book, prices, i));
    if !top.is_empty() {
        text.push_str(&format!(" — most by {}", top.join(", ")));
    }
    text.push('.');
    Some(StoryLine {
        role: Role::Fg,
        bold: false,
        text,
    })
}
