//! Each run of the report: its heading, its Story in words, its agent tree, its waterfall and
//! its tool calls (the last two in `calls`); past [`RUNS_DETAILED`] runs, the ones that need a
//! look in full and the others a line each.

use super::marks::Marked;
use super::{calls, Block, Say};
use crate::commands::summary::agent_glyph;
use crate::core::log::Log;
use crate::core::session::{agent_rows, AgentStatus, RunIx};
use crate::core::story::{self, RunStory};
use crate::core::summary::{agent_duration_ms, run_duration, run_status};
use crate::core::validate::RuleResult;

/// `3.2s`, `—` when unknown.
pub fn secs(ms: Option<f64>) -> String {
    ms.map_or("—".to_string(), |m| format!("{:.1}s", m / 1000.0))
}

/// Runs shown in full (Story, tree, waterfall, calls): a large session's report stays a file to
/// share, not a copy of the session.
pub const RUNS_DETAILED: usize = 200;
/// Runs beyond those, listed one line each; the rest counted.
pub const RUNS_LISTED: usize = 2000;

/// Every run: in full when there are at most [`RUNS_DETAILED`], else the runs that need a look
/// first (not completed, or with a finding), then the first others, in session order, and
/// the remaining runs one line each.
pub fn all(
    out: &mut Vec<Block>,
    say: &mut Say,
    log: &Log,
    marked: &Marked,
    results: &[RuleResult],
) {
    let s = log.session();
    out.push(Block::H(2, "Runs".into()));
    if s.runs.is_empty() {
        out.push(Block::P("No runs.".into()));
    }
    let (full, rest) = chosen(log, results);
    if !rest.is_empty() {
        out.push(Block::P(format!(
            "{} runs: the {} shown in full are every run that did not complete or has a finding \
             (up to {RUNS_DETAILED}), then the first others; the other {} are one line each \
             (`orchscope summary` lists every run).",
            s.runs.len(),
            full.len(),
            rest.len()
        )));
    }
    for r in full {
        one(out, say, log, marked, r);
    }
    listed(out, say, log, &rest);
}

/// The runs to show in full, in session order, and the others.
fn chosen(log: &Log, results: &[RuleResult]) -> (Vec<RunIx>, Vec<RunIx>) {
    let s = log.session();
    if s.runs.len() <= RUNS_DETAILED {
        return ((0..s.runs.len()).map(RunIx::new).collect(), Vec::new());
    }
    let mut flagged = vec![false; s.runs.len()];
    let findings = results.iter().flat_map(|r| r.findings.iter());
    for r in findings.filter_map(|f| f.run) {
        if let Some(x) = flagged.get_mut(r.index()) {
            *x = true;
        }
    }
    for (i, run) in s.runs.iter().enumerate() {
        flagged[i] |= run_status(s, run) != AgentStatus::Completed;
    }
    let mut full: Vec<RunIx> = (0..s.runs.len())
        .filter(|&i| flagged[i])
        .take(RUNS_DETAILED)
        .map(RunIx::new)
        .collect();
    let room = RUNS_DETAILED - full.len();
    full.extend(
        (0..s.runs.len())
            .filter(|&i| !flagged[i])
            .take(room)
            .map(RunIx::new),
    );
    full.sort_unstable();
    let mut shown = vec![false; s.runs.len()];
    for r in &full {
        shown[r.index()] = true;
    }
    let rest = (0..s.runs.len()).filter(|&i| !shown[i]).map(RunIx::new);
    (full, rest.collect())
}

/// One run in full.
fn one(out: &mut Vec<Block>, say: &mut Say, log: &Log, marked: &Marked, r: RunIx) {
    let s = log.session();
    let run = &s.runs[r];
    let status = run_status(s, run);
    out.push(Block::Open("section", "run"));
    out.push(Block::H(
        3,
        format!(
            "Run {}  {} {}  {}  ({} clock)",
            say.line(log.interner.resolve(run.id)),
            agent_glyph(status),
            status.as_str(),
            secs(run_duration(s, run)),
            run.clock().as_str()
        ),
    ));
    out.push(Block::H(4, "Story".into()));
    out.push(Block::Items(story_lines(say, &story::of_run(log, s, r))));
    super::marks::in_run(out, marked, r.index());
    tree(out, say, log, r);
    calls::waterfall(out, say, log, r);
    calls::table(out, say, log, r);
    out.push(Block::Close("section"));
}

/// The runs not shown in full, one line each (the first [`RUNS_LISTED`]; the rest counted).
fn listed(out: &mut Vec<Block>, say: &mut Say, log: &Log, rest: &[RunIx]) {
    if rest.is_empty() {
        return;
    }
    let s = log.session();
    out.push(Block::H(3, format!("Other runs ({})", rest.len())));
    if rest.len() > RUNS_LISTED {
        out.push(Block::P(format!(
            "The first {RUNS_LISTED} of {} are listed.",
            rest.len()
        )));
    }
    let rows = rest.iter().take(RUNS_LISTED).map(|&r| {
        let run = &s.runs[r];
        let status = run_status(s, run);
        vec![
            say.line(log.interner.resolve(run.id)),
            format!("{} {}", agent_glyph(status), status.as_str()),
            secs(run_duration(s, run)),
            run.agents.len().to_string(),
        ]
    });
    let head = vec!["run", "status", "duration", "agents"];
    out.push(Block::Table("runs", head, rows.collect()));
}

/// The story as sentences.
fn story_lines(say: &mut Say, st: &RunStory) -> Vec<String> {
    let mut out = Vec::new();
    out.push(match &st.request {
        Some(q) => format!("Asked: {}", say.text(q, super::PAYLOAD_CHARS)),
        None => "The request is not in the session.".into(),
    });
    out.push(match st.status {
        Some(s) => format!(
            "Ended {} {} after {}.",
            agent_glyph(s),
            s.as_str(),
            secs(st.duration_ms)
        ),
        None => "No root agent was seen.".into(),
    });
    let agents: Vec<String> = (st.agents.iter())
        .map(|(n, d)| format!("{} ({})", say.line(n), secs(*d)))
        .collect();
    out.push(format!("Worked on by {}.", list_or_none(&agents)));
    let tools: Vec<String> = (st.tools.iter())
        .map(|(t, n, failed)| match failed {
            0 => format!("{} ×{n}", say.line(t)),
            f => format!("{} ×{n} ({f} failed)", say.line(t)),
        })
        .collect();
    out.push(format!("Tools used: {}.", list_or_none(&tools)));
    for (what, how) in &st.failures {
        let how = how.unwrap_or("not recovered");
        out.push(format!("✗ {}: {how}.", say.line(what)));
    }
    if let Some(a) = &st.answer {
        out.push(format!("Answered: {}", say.text(a, super::PAYLOAD_CHARS)));
    }
    out
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// The run's agents as a tree (an inferred parent says so).
fn tree(out: &mut Vec<Block>, say: &mut Say, log: &Log, r: RunIx) {
    let s = log.session();
    let rows = agent_rows(s, r);
    out.push(Block::H(4, format!("Agents ({})", rows.len())));
    let lines = rows
        .iter()
        .map(|row| {
            let ag = &s.agents[row.agent];
            let name = log.interner.resolve(ag.name.unwrap_or(ag.id));
            let inferred = if row.inferred {
                "  (parent inferred)"
            } else {
                ""
            };
            let line = format!(
                "{} {}  {}  {}{inferred}",
                agent_glyph(ag.status),
                say.line(name),
                ag.status.as_str(),
                secs(agent_duration_ms(s, row.agent))
            );
            (row.depth, line)
        })
        .collect();
    out.push(Block::Tree(lines));
}
