//! Each run of the report: its heading, its Story in words, its agent tree, its waterfall and
//! its tool calls (the last two in `calls`).

use super::marks::Marked;
use super::{calls, Block, Say};
use crate::commands::summary::agent_glyph;
use crate::core::log::Log;
use crate::core::session::{agent_rows, RunIx};
use crate::core::story::{self, RunStory};
use crate::core::summary::{agent_duration_ms, run_duration, run_status};

/// `3.2s`, `—` when unknown.
pub fn secs(ms: Option<f64>) -> String {
    ms.map_or("—".to_string(), |m| format!("{:.1}s", m / 1000.0))
}

/// Every run, in order.
pub fn all(out: &mut Vec<Block>, say: &mut Say, log: &Log, marked: &Marked) {
    let s = log.session();
    out.push(Block::H(2, "Runs".into()));
    if s.runs.is_empty() {
        out.push(Block::P("No runs.".into()));
    }
    for r in 0..s.runs.len() {
        let r = RunIx::new(r);
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
