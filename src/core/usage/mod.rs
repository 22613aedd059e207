//! Model usage: the tokens one model call consumed (input, output, cache read, cache write),
//! how a native frame's `usage` object is read (with the synonyms producers use), and the
//! per-model book an agent, a run or a session keeps. Pure data; prices are in [`pricing`],
//! subtree totals in [`totals`].

pub mod pricing;
pub mod read;
pub mod report;
pub mod totals;

use crate::core::intern::Sym;

/// Token counts. `input` counts every input token, cache reads and writes included (as
/// OpenTelemetry's `gen_ai.usage.input_tokens` and OpenAI do); `cache_read` and `cache_write`
/// are the parts of it served from and written to the provider's cache; `cache_write_1h` is the
/// part of `cache_write` written to a one-hour cache (Anthropic prices it above the five-minute
/// one), never more than `cache_write`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub cache_write_1h: u64,
}

impl Tokens {
    /// Adds `other` (saturating: a corrupt count never wraps).
    pub fn add(&mut self, other: &Tokens) {
        self.input = self.input.saturating_add(other.input);
        self.output = self.output.saturating_add(other.output);
        self.cache_read = self.cache_read.saturating_add(other.cache_read);
        self.cache_write = self.cache_write.saturating_add(other.cache_write);
        self.cache_write_1h = self.cache_write_1h.saturating_add(other.cache_write_1h);
    }

    /// Input and output together.
    pub fn total(&self) -> u64 {
        self.input.saturating_add(self.output)
    }

    /// Input billed at the plain input price: what the cache neither served nor stored.
    pub fn uncached_input(&self) -> u64 {
        self.input
            .saturating_sub(self.cache_read)
            .saturating_sub(self.cache_write)
    }

    pub fn is_zero(&self) -> bool {
        *self == Tokens::default()
    }
}

/// The usage one frame reported: its model (when named) and tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub model: Option<Sym>,
    pub tokens: Tokens,
}

/// Usage by model: one line per model (the unnamed model included), with its model calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    pub lines: Vec<Line>,
}

/// One model's share of a [`Book`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub model: Option<Sym>,
    pub tokens: Tokens,
    /// Model calls (frames with usage) counted.
    pub calls: u32,
}

impl Book {
    /// Counts one model call. Books hold a handful of models: a scan is cheaper than a map.
    pub fn add(&mut self, usage: &Usage) {
        self.add_line(&Line {
            model: usage.model,
            tokens: usage.tokens,
            calls: 1,
        });
    }

    fn add_line(&mut self, line: &Line) {
        match self.lines.iter_mut().find(|l| l.model == line.model) {
            Some(l) => {
                l.tokens.add(&line.tokens);
                l.calls = l.calls.saturating_add(line.calls);
            }
            None => self.lines.push(*line),
        }
    }

    /// Adds every line of `other`.
    pub fn merge(&mut self, other: &Book) {
        for line in &other.lines {
            self.add_line(line);
        }
    }

    /// All models together.
    pub fn tokens(&self) -> Tokens {
        let mut t = Tokens::default();
        for l in &self.lines {
            t.add(&l.tokens);
        }
        t
    }

    /// Model calls counted.
    pub fn calls(&self) -> u32 {
        self.lines.iter().map(|l| l.calls).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Adds a call to an optional boxed book (agents and runs without usage keep none).
pub fn add_to(book: &mut Option<Box<Book>>, usage: &Usage) {
    book.get_or_insert_with(Box::default).add(usage);
}

/// A token count in at most five characters: `950`, `12.3k`, `4.56M`.
pub fn compact(n: u64) -> String {
    let f = n as f64;
    if n < 1_000 {
        n.to_string()
    } else if n < 100_000 {
        format!("{:.1}k", f / 1e3)
    } else if n < 1_000_000 {
        format!("{:.0}k", f / 1e3)
    } else if n < 100_000_000 {
        format!("{:.2}M", f / 1e6)
    } else if n < 1_000_000_000 {
        format!("{:.0}M", f / 1e6)
    } else {
        format!("{:.1}G", f / 1e9)
    }
}

#[cfg(test)]
mod tests;
