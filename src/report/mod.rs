//! `orchscope report`: one session laid out as a document to share — its bookmarks and notes, the Story, the
//! agent trees, a waterfall per run, the tool calls with their arguments and results, the context
//! matrix with its diffs, and every finding with its evidence — as blocks that the HTML and
//! Markdown writers render. Every text from the input goes through [`Say`]: control
//! characters made visible, secrets redacted; the writers escape for their format.

mod calls;
mod contexts;
mod findings;
pub mod html;
mod marks;
pub mod md;
mod runs;
mod svg;
mod usage;

use crate::core::escape::escape;
use crate::core::load::Loaded;
use crate::core::share::redact::Redactor;
use crate::core::validate::RuleResult;

/// Characters of one payload (arguments, result, evidence frame) shown; the rest counted.
pub const PAYLOAD_CHARS: usize = 4000;
/// Tool calls listed per run; the rest counted.
pub const CALLS_SHOWN: usize = 1000;
/// Bars drawn per run's waterfall; the rest counted.
pub const BARS_SHOWN: usize = 300;
/// Findings listed in all; the rest counted.
pub const FINDINGS_SHOWN: usize = 1000;
/// Evidence frames shown per finding; the rest counted.
pub const EVIDENCE_SHOWN: usize = 10;

/// One bar of a waterfall: an agent or a tool call, in ms from the run's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub start: f64,
    /// `None` while it never ended (drawn to the run's end, marked open).
    pub end: Option<f64>,
    pub call: bool,
    /// `ok`, `failed`, `running` … (a class for colour; the label has a glyph too).
    pub status: &'static str,
}

/// One piece of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading (level 1 to 4).
    H(u8, String),
    P(String),
    Items(Vec<String>),
    /// Agents of a tree: depth and line.
    Tree(Vec<(usize, String)>),
    /// A table: its rows' class, its head, its rows (a cell is preformatted when multi-line).
    Table(&'static str, Vec<&'static str>, Vec<Vec<String>>),
    Pre(String),
    Waterfall(Vec<Bar>, f64),
    /// A group opened (tag `section` or `div`, with a class) and closed.
    Open(&'static str, &'static str),
    Close(&'static str),
}

/// Input text made safe to share: controls visible, secrets redacted.
pub struct Say<'r> {
    pub red: &'r mut Redactor,
}

impl Say<'_> {
    /// One line of input text.
    pub fn line(&mut self, s: &str) -> String {
        self.red.redact(&escape(s, true)).into_owned()
    }

    /// Input text of many lines, at most `max` characters (the rest counted).
    pub fn text(&mut self, s: &str, max: usize) -> String {
        let total = s.chars().count();
        let cut: String = s.chars().take(max).collect();
        let mut out = self.red.redact(&escape(&cut, false)).into_owned();
        if total > max {
            out.push_str(&format!("\n… {} more characters", total - max));
        }
        out
    }
}

/// The document for `loaded` (read with every frame kept) and its rule results.
pub fn build(
    loaded: &Loaded,
    results: &[RuleResult],
    source: &str,
    red: &mut Redactor,
    prices: &crate::core::usage::pricing::Prices,
) -> Vec<Block> {
    let mut say = Say { red };
    let mut body = Vec::new();
    let marked = marks::Marked::new(&mut say, &loaded.log);
    marks::all(&mut body, &marked);
    usage::all(&mut body, &mut say, &loaded.log, prices);
    runs::all(&mut body, &mut say, &loaded.log, &marked, results);
    contexts::matrix(&mut body, &mut say, &loaded.log);
    findings::all(&mut body, &mut say, &loaded.log, results);
    let mut doc = header(&mut say, loaded, results, source);
    doc.push(redaction(say.red));
    doc.extend(body);
    doc
}

fn header(say: &mut Say, loaded: &Loaded, results: &[RuleResult], source: &str) -> Vec<Block> {
    let s = loaded.log.session();
    let found: usize = results.iter().map(|r| r.findings.len()).sum();
    vec![
        Block::H(1, format!("orchscope report: {}", say.line(source))),
        Block::Items(vec![
            format!("format: {}", loaded.format.name()),
            format!("frames: {}", loaded.log.frames()),
            format!("runs: {}", s.runs.len()),
            format!("agents: {}", s.agents.len()),
            format!("tool calls: {}", s.calls.len()),
            format!("turns: {}", s.turns.len()),
            format!("findings: {found}"),
            format!("written by orchscope {}", env!("CARGO_PKG_VERSION")),
        ]),
    ]
}

/// What was redacted, per kind, never the values.
fn redaction(red: &Redactor) -> Block {
    if !red.active() {
        return Block::P("Redaction: off (--no-redact); this file may hold secrets.".into());
    }
    let counts = red.counts();
    if counts.is_empty() {
        return Block::P("Redaction: on; nothing matched a redaction rule.".into());
    }
    let what: Vec<String> = counts.iter().map(|(k, n)| format!("{n} × {k}")).collect();
    Block::P(format!(
        "Redaction: on; redacted {} (each shown as [redacted:KIND]).",
        what.join(", ")
    ))
}

#[cfg(test)]
mod tests;
