//! Usage as data for people and programs: the `usage` objects of `summary --format json`
//! (tokens, model calls, the priced cost and what is unpriced, per model) and the one-line
//! text form the tree, the Story and the summary text show.

use super::pricing::{cost, cost_of, Cost, Prices};
use super::{compact, Book, Tokens};
use crate::core::intern::Interner;
use serde::Serialize;

/// Counts and cost as JSON: `input_tokens` counts cache reads and writes too.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct CountsJson {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    /// The part of `cache_write_tokens` written to a one-hour cache.
    pub cache_write_1h_tokens: u64,
    /// Model calls (frames that reported usage).
    pub calls: u32,
    /// USD of the priced part; `null` when nothing could be priced.
    pub cost_usd: Option<f64>,
}

impl CountsJson {
    fn new(t: &Tokens, calls: u32, c: &Cost) -> CountsJson {
        CountsJson {
            input_tokens: t.input,
            output_tokens: t.output,
            cache_read_tokens: t.cache_read,
            cache_write_tokens: t.cache_write,
            cache_write_1h_tokens: t.cache_write_1h,
            calls,
            cost_usd: c.priced.then_some(c.usd),
        }
    }
}

/// One book as JSON.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct UsageJson {
    #[serde(flatten)]
    pub counts: CountsJson,
    /// What could not be priced (empty when everything was).
    pub unpriced: Vec<String>,
    pub models: Vec<ModelJson>,
}

/// One model's share.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ModelJson {
    /// `null`: the producer named no model.
    pub model: Option<String>,
    #[serde(flatten)]
    pub counts: CountsJson,
}

/// A book as JSON; `None` for a missing or empty one.
pub fn json(book: Option<&Book>, prices: &Prices, i: &Interner) -> Option<UsageJson> {
    let book = book.filter(|b| !b.is_empty())?;
    let t = book.tokens();
    let c = cost(prices, book, |m| i.resolve(m));
    let models = book
        .lines
        .iter()
        .map(|l| {
            let model = l.model.map(|m| i.resolve(m));
            let mut mc = Cost::default();
            cost_of(prices, model, &l.tokens, &mut mc);
            ModelJson {
                model: model.map(str::to_string),
                counts: CountsJson::new(&l.tokens, l.calls, &mc),
            }
        })
        .collect();
    Some(UsageJson {
        counts: CountsJson::new(&t, book.calls(), &c),
        unpriced: c.unpriced,
        models,
    })
}

/// An agent's own usage and its subtree's (own and delegated).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct AgentUsageJson {
    pub own: Option<UsageJson>,
    pub subtree: Option<UsageJson>,
}

/// `12.3k in · 456 out · 10k cached · $0.0421 + unpriced (mystery-1)`; empty for no usage.
pub fn line(book: &Book, prices: &Prices, i: &Interner) -> String {
    if book.is_empty() {
        return String::new();
    }
    let t = book.tokens();
    let mut s = format!("{} in · {} out", compact(t.input), compact(t.output));
    if t.cache_read > 0 {
        s.push_str(&format!(" · {} cache read", compact(t.cache_read)));
    }
    if t.cache_write > 0 {
        s.push_str(&format!(" · {} cache write", compact(t.cache_write)));
        if t.cache_write_1h > 0 {
            s.push_str(&format!(" ({} 1h)", compact(t.cache_write_1h)));
        }
    }
    let c = cost(prices, book, |m| i.resolve(m));
    s.push_str(" · ");
    s.push_str(&c.label());
    if !c.unpriced.is_empty() {
        s.push_str(&format!(" ({})", c.unpriced.join(", ")));
    }
    s
}

/// `1.2k $0.0042`, `1.2k unpriced`, `1.2k $0.0042+?`: tokens (input and output) and cost in
/// a few characters, for a tree column.
pub fn short(book: &Book, prices: &Prices, i: &Interner) -> String {
    if book.is_empty() {
        return String::new();
    }
    let c = cost(prices, book, |m| i.resolve(m));
    let money = match (c.priced, c.complete()) {
        (true, true) => super::pricing::usd(c.usd),
        (true, false) => format!("{}+?", super::pricing::usd(c.usd)),
        _ => "unpriced".into(),
    };
    format!("{} {money}", compact(book.tokens().total()))
}
