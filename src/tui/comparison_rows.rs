//! The Compare tab's rows, made once when `replay B --against A` loads (the alignment never
//! changes while B replays): the first diverging context and each changed verdict on top, then
//! every run, agent and tool call of the alignment in tree order (`core::compare::alignment`),
//! each with A's item, the mark (glyph and word) and B's item as text, escaped.

use crate::core::compare::alignment::{self, Aligned, Mark, Pick, Tone};
use crate::core::compare::{Comparison, Kind};
use crate::core::escape::escape_short;
use crate::core::log::Log;
use crate::core::session::Session;

/// Characters of a name kept.
const NAME_MAX: usize = 60;

/// What a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The first turn whose context hash differs.
    Context,
    /// A rule whose verdict changed (index into the comparison's rules).
    Rule(usize),
    /// A row of the alignment (index into the comparison's rows).
    Item(usize),
}

/// One row as shown.
#[derive(Debug, Clone)]
pub struct Entry {
    pub subject: Subject,
    /// Nesting: 0 a run (or a context or rule row), 1 an agent, 2 a tool call.
    pub depth: u8,
    pub left: String,
    pub mark: Mark,
    pub right: String,
    /// The sides without status words and ids, for narrow panes.
    pub short: (String, String),
    /// Both sides paired by name while their ids differ.
    pub by_name: bool,
    /// What the filter reads: kind, name, agent, statuses, B's duration (or A's).
    pub kind: &'static str,
    pub name: String,
    pub agent: Option<String>,
    pub statuses: Vec<&'static str>,
    pub ms: Option<f64>,
}

impl Entry {
    pub fn differs(&self) -> bool {
        self.mark.tone != Tone::Same
    }

    /// The whole row as one text (for the filter's plain words).
    pub fn text(&self) -> String {
        format!(
            "{} {} {} {} {}",
            self.left, self.mark.glyph, self.mark.word, self.right, self.kind
        )
    }
}

/// A status as a glyph and its word (`✓ completed`, `✗ error`).
pub fn status(s: &str) -> String {
    let g = match s {
        "completed" | "ok" => "✓",
        "failed" | "error" => "✗",
        "running" => "⟳",
        "open" => "…",
        "fell_back" => "↺",
        "aborted" => "⊘",
        _ => "?",
    };
    format!("{g} {s}")
}

fn secs(ms: Option<f64>) -> String {
    ms.map_or("—".into(), |m| format!("{:.1}s", m / 1000.0))
}

/// The rows of a comparison (its `rows` kept), A's and B's sessions read for names.
pub fn entries(cmp: &Comparison, a: &Log, b: &Log) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(c) = &cmp.context {
        let (tone, word) = match (&c.a, &c.b) {
            (Some(_), Some(_)) => (Tone::Neutral, "hash differs"),
            _ => (Tone::Neutral, "one side only"),
        };
        let turn = |t: &Option<crate::core::compare::TurnSide>| {
            t.as_ref().map_or("—".to_string(), |t| {
                let hash = t.hash.as_deref().unwrap_or("no hash");
                let short: String = hash
                    .trim_start_matches("sha256:")
                    .chars()
                    .take(12)
                    .collect();
                format!("turn {} T{} {}", c.turn, t.index, escape_short(&short, 12))
            })
        };
        out.push(Entry {
            subject: Subject::Context,
            depth: 0,
            left: turn(&c.a),
            mark: Mark {
                glyph: "≠",
                word: word.into(),
                tone,
            },
            right: turn(&c.b),
            short: (turn(&c.a), turn(&c.b)),
            by_name: false,
            kind: "context",
            name: format!("turn {}", c.turn),
            agent: None,
            statuses: Vec::new(),
            ms: None,
        });
    }
    for (i, r) in cmp.rules.iter().enumerate() {
        let tone = match (r.regression, r.improved()) {
            (true, _) => Tone::Worse,
            (false, true) => Tone::Better,
            _ => Tone::Neutral,
        };
        let glyph = match tone {
            Tone::Worse => "✗",
            Tone::Better => "✓",
            _ => "≠",
        };
        let side = |st: &str, n: usize| format!("rule {} {st} · {n}", r.id);
        let word = match r.a == r.b {
            true => "codes changed".to_string(),
            false => format!("{}→{}", r.a.as_str(), r.b.as_str()),
        };
        out.push(Entry {
            subject: Subject::Rule(i),
            depth: 0,
            left: side(r.a.as_str(), r.findings.0),
            mark: Mark { glyph, word, tone },
            right: side(r.b.as_str(), r.findings.1),
            short: (
                side(r.a.as_str(), r.findings.0),
                side(r.b.as_str(), r.findings.1),
            ),
            by_name: false,
            kind: "rule",
            name: r.id.to_string(),
            agent: None,
            statuses: vec![r.a.as_str(), r.b.as_str()],
            ms: None,
        });
    }
    let Some(rows) = &cmp.rows else {
        return out;
    };
    let (sa, sb) = (a.session(), b.session());
    for i in alignment::nest(rows, sa, sb) {
        out.push(item(i, &rows[i], (a, sa), (b, sb)));
    }
    out
}

/// The name of a row's item on the side that has it (an agent's name, a call's tool, a run's
/// id) and, for a call, its agent's.
pub fn names(r: &Aligned, a: (&Log, &Session), b: (&Log, &Session)) -> (String, Option<String>) {
    let (log, s, p) = match (r.a, r.b) {
        (Some(p), _) => (a.0, a.1, p),
        (None, Some(p)) => (b.0, b.1, p),
        (None, None) => return (String::new(), None),
    };
    let text = |sym| escape_short(log.interner.resolve(sym), NAME_MAX);
    let agent = |ix: crate::core::session::AgentIx| {
        let ag = &s.agents[ix];
        text(ag.name.unwrap_or(ag.id))
    };
    match r.kind {
        Kind::Run => (text(s.runs[p.ix].id), None),
        Kind::Agent => (agent(crate::core::session::AgentIx::new(p.ix)), None),
        Kind::ToolCall => {
            let call = &s.calls[p.ix];
            let tool = call.tool.map_or("—".into(), text);
            (tool, call.agent.map(agent))
        }
    }
}

/// A call's id, when it has one.
pub fn call_id(log: &Log, s: &Session, p: Pick) -> Option<String> {
    let id = s.calls.get(p.ix)?.call_id?;
    Some(escape_short(log.interner.resolve(id), NAME_MAX))
}

fn item(i: usize, r: &Aligned, a: (&Log, &Session), b: (&Log, &Session)) -> Entry {
    let (name, agent) = names(r, a, b);
    let label = match r.kind {
        Kind::Run => format!("R{}", r.run + 1),
        _ => name.clone(),
    };
    let side = |p: Option<Pick>, (log, s): (&Log, &Session)| {
        let Some(p) = p else {
            return ("—".to_string(), "—".to_string());
        };
        let id = match r.kind {
            Kind::ToolCall => call_id(log, s, p).map_or(String::new(), |id| format!("  {id}")),
            _ => String::new(),
        };
        let full = format!("{label}  {} {}{id}", status(p.status), secs(p.ms));
        let glyph = status(p.status).chars().next().unwrap_or('?');
        (full, format!("{label} {glyph} {}", secs(p.ms)))
    };
    let (left, right) = (side(r.a, a), side(r.b, b));
    let statuses = [r.a, r.b].iter().flatten().map(|p| p.status).collect();
    Entry {
        subject: Subject::Item(i),
        depth: match r.kind {
            Kind::Run => 0,
            Kind::Agent => 1,
            Kind::ToolCall => 2,
        },
        left: left.0,
        mark: alignment::mark(r),
        right: right.0,
        short: (left.1, right.1),
        by_name: r.by_name,
        kind: r.kind.as_str(),
        name,
        agent,
        statuses,
        ms: r.b.or(r.a).and_then(|p| p.ms),
    }
}
