//! The pricing table: per model, USD per million input, output, cache-read and cache-write tokens
//! (five-minute and one-hour), each row with its `verified` date and `source` (embedded from
//! `prices.toml`, rows overridden or added by the config's `[prices."model"]` tables); and the cost
//! of a usage book, which never guesses: a model without a row, or tokens of a kind its row does
//! not price, are reported as unpriced.

use super::{Book, Tokens};
use crate::core::intern::Sym;
use serde::Deserialize;

const BUILT_IN: &str = include_str!("prices.toml");

/// One model's prices, USD per million tokens.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub id: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub input: f64,
    pub output: f64,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
    /// The one-hour cache write price (`cache_write` is the five-minute one).
    pub cache_write_1h: Option<f64>,
    pub verified: String,
    pub source: String,
}

#[derive(Deserialize)]
struct File {
    model: Vec<Price>,
}

/// The pricing table.
#[derive(Clone, PartialEq)]
pub struct Prices {
    rows: Vec<Price>,
}

impl std::fmt::Debug for Prices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prices({} rows)", self.rows.len())
    }
}

impl Default for Prices {
    fn default() -> Prices {
        Prices::built_in()
    }
}

/// What a model id is matched by: lower case, no provider prefix, no date suffix.
pub fn normalize(model: &str) -> String {
    let m = model.trim().to_ascii_lowercase();
    let m = m.rsplit('/').next().unwrap_or(&m);
    let m = m.split('@').next().unwrap_or(m);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mut parts: Vec<&str> = m.split('-').collect();
    // `-20250929`, or `-2024-07-18`.
    if parts.len() > 1 && parts.last().is_some_and(|p| p.len() == 8 && digits(p)) {
        parts.pop();
    } else if parts.len() > 3 {
        let n = parts.len();
        let (y, mo, d) = (parts[n - 3], parts[n - 2], parts[n - 1]);
        if y.len() == 4 && mo.len() == 2 && d.len() == 2 && digits(y) && digits(mo) && digits(d) {
            parts.truncate(n - 3);
        }
    }
    parts.join("-")
}

/// A price setting the config gives: `[prices."model"]` with these keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    input: f64,
    output: f64,
    cache_read: Option<f64>,
    cache_write: Option<f64>,
    cache_write_1h: Option<f64>,
}

impl Prices {
    /// The table shipped with orchscope.
    pub fn built_in() -> Prices {
        let file: File = toml::from_str(BUILT_IN).unwrap_or(File { model: Vec::new() });
        Prices { rows: file.model }
    }

    pub fn rows(&self) -> &[Price] {
        &self.rows
    }

    /// The row of `model`, if it is priced.
    pub fn find(&self, model: &str) -> Option<&Price> {
        let key = normalize(model);
        self.rows
            .iter()
            .rev()
            .find(|r| normalize(&r.id) == key || r.aliases.iter().any(|a| normalize(a) == key))
    }

    /// Sets (or adds) `model`'s prices from a config table; `origin` is the config file.
    pub fn set(&mut self, model: &str, table: toml::Table, origin: &str) -> Result<(), String> {
        let o: Override = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| format!("prices.\"{model}\": {}", e.message()))?;
        let prices = [
            Some(o.input),
            Some(o.output),
            o.cache_read,
            o.cache_write,
            o.cache_write_1h,
        ];
        if prices.iter().flatten().any(|p| !p.is_finite() || *p < 0.0) {
            return Err(format!("prices.\"{model}\": a price is a number ≥ 0"));
        }
        self.rows.push(Price {
            id: model.to_string(),
            aliases: Vec::new(),
            input: o.input,
            output: o.output,
            cache_read: o.cache_read,
            cache_write: o.cache_write,
            cache_write_1h: o.cache_write_1h,
            verified: "config".into(),
            source: origin.to_string(),
        });
        Ok(())
    }
}

/// What a book costs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cost {
    /// USD of the priced part.
    pub usd: f64,
    /// Some tokens were priced.
    pub priced: bool,
    /// What could not be priced: a model id (`unnamed model` for none), with the kind of
    /// tokens when only part of its row is missing (`claude-haiku-4-5 cache reads`).
    pub unpriced: Vec<String>,
}

impl Cost {
    /// Every token was priced.
    pub fn complete(&self) -> bool {
        self.unpriced.is_empty()
    }

    /// `$0.0421`, `$0.0421 + unpriced`, `unpriced`, or empty for no usage.
    pub fn label(&self) -> String {
        match (self.priced, self.complete()) {
            (true, true) => usd(self.usd),
            (true, false) => format!("{} + unpriced", usd(self.usd)),
            (false, false) => "unpriced".into(),
            (false, true) => String::new(),
        }
    }
}

/// Dollars with four significant decimals for small sums.
pub fn usd(v: f64) -> String {
    if v >= 100.0 {
        format!("${v:.0}")
    } else if v >= 1.0 {
        format!("${v:.2}")
    } else {
        format!("${v:.4}")
    }
}

fn part(cost: &mut Cost, tokens: u64, price: Option<f64>, what: &str, model: &str) {
    if tokens == 0 {
        return;
    }
    match price {
        Some(p) => {
            cost.usd += tokens as f64 * p / 1e6;
            cost.priced = true;
        }
        None => cost.unpriced.push(format!("{model} {what}")),
    }
}

/// The cost of `tokens` of `model` (`None`: the producer named no model).
pub fn cost_of(prices: &Prices, model: Option<&str>, t: &Tokens, cost: &mut Cost) {
    if t.is_zero() {
        return;
    }
    let Some(row) = model.and_then(|m| prices.find(m)) else {
        let name = model.unwrap_or("unnamed model").to_string();
        if !cost.unpriced.contains(&name) {
            cost.unpriced.push(name);
        }
        return;
    };
    let name = row.id.as_str();
    part(cost, t.uncached_input(), Some(row.input), "input", name);
    part(cost, t.output, Some(row.output), "output", name);
    part(cost, t.cache_read, row.cache_read, "cache reads", name);
    let five_minutes = t.cache_write.saturating_sub(t.cache_write_1h);
    part(cost, five_minutes, row.cache_write, "cache writes", name);
    part(
        cost,
        t.cache_write_1h,
        row.cache_write_1h,
        "1-hour cache writes",
        name,
    );
}

/// The cost of a book; `name` gives a model symbol's text.
pub fn cost<'a>(prices: &Prices, book: &Book, name: impl Fn(Sym) -> &'a str) -> Cost {
    let mut c = Cost::default();
    for line in &book.lines {
        cost_of(prices, line.model.map(&name), &line.tokens, &mut c);
    }
    c
}
