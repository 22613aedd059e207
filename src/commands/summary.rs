//! `orchscope summary SOURCE`: the derived session as a tree (text, with what differs in the
//! contexts `context-integrity` finds drifted or rewritten) or the JSON document of cli.md.

use crate::cli::{Common, Fatal, SummaryArgs, SummaryFormat};
use crate::commands::sessions::resolve;
use crate::commands::unknowns;
use crate::console::out;
use crate::core::escape::{escape, json_pretty};
use crate::core::intern::{Interner, Sym};
use crate::core::load::load;
use crate::core::log::Keep;
use crate::core::session::{
    agent_rows, AgentRow, AgentStatus, CallStatus, Clock, RunIx, Session, Source, ToolCall, TurnIx,
};
use crate::core::summary::{agent_duration_ms, build_priced, run_duration, run_status};
use std::fmt::Write as _;

mod contexts;
mod usage;

pub fn run(common: &Common, args: SummaryArgs) -> Result<u8, Fatal> {
    let source = resolve(&args.source).map_err(Fatal)?;
    let prices = crate::config::load(common.config.as_deref())
        .map_err(Fatal)?
        .thresholds
        .prices;
    // The text shows what differs between contexts, read back from their frames.
    let keep = match args.format {
        SummaryFormat::Text => Keep::All,
        SummaryFormat::Json => Keep::Summary,
    };
    let loaded = load(&source, args.format_in, keep).map_err(|e| Fatal(e.to_string()))?;
    let session = loaded.log.session();
    let interner = &loaded.log.interner;
    match args.format {
        SummaryFormat::Json => {
            let doc = build_priced(session, interner, &source, loaded.format, &prices);
            let text = if args.unknowns {
                // The summary's keys in their order, then the unknown fields.
                #[derive(serde::Serialize)]
                struct WithUnknowns<'a> {
                    #[serde(flatten)]
                    summary: &'a crate::core::summary::Summary,
                    unknown_fields: serde_json::Value,
                }
                let with = WithUnknowns {
                    summary: &doc,
                    unknown_fields: unknowns::json(&loaded.unknowns),
                };
                json_pretty(&with)
            } else {
                json_pretty(&doc)
            };
            out(&(text.map_err(|e| Fatal(e.to_string()))? + "\n")).map_err(Fatal)?;
        }
        SummaryFormat::Text => {
            let how = if args.format_in.is_some() {
                "named"
            } else {
                "detected"
            };
            out(&format!("format {} ({how})\n", loaded.format.name())).map_err(Fatal)?;
            out(&text(session, interner)).map_err(Fatal)?;
            out(&usage::text(session, interner, &prices)).map_err(Fatal)?;
            out(&contexts::text(&loaded)).map_err(Fatal)?;
            if args.unknowns {
                out(&unknowns::text(&source, loaded.format, &loaded.unknowns)).map_err(Fatal)?;
            }
        }
    }
    Ok(0)
}

/// A glyph for every status, so colour is never the only signal.
pub fn agent_glyph(s: AgentStatus) -> &'static str {
    match s {
        AgentStatus::Running => "⟳",
        AgentStatus::Completed => "✓",
        AgentStatus::Failed => "✗",
        AgentStatus::FellBack => "↺",
        AgentStatus::Aborted => "⊘",
    }
}

fn secs(ms: Option<f64>) -> String {
    ms.map_or("—".to_string(), |m| format!("{:.1}s", m / 1000.0))
}

/// Ancestor levels drawn before an agent's name; deeper rows start with their depth instead.
const LEVELS: usize = 24;

/// The drawing before an agent's name: `│  ` or blanks per ancestor level below the root,
/// then `├─ `/`└─ ` (`┄` for an inferred parent); `⋯N ` first for levels not drawn.
fn branch(s: &Session, row: &AgentRow) -> String {
    let l = row.lasts(s, LEVELS);
    let Some((&own, above)) = l.lasts.split_last() else {
        return String::new();
    };
    let mut b = if l.hidden > 0 {
        format!("⋯{} ", l.hidden)
    } else {
        String::new()
    };
    for &last in above {
        b.push_str(if last { "   " } else { "│  " });
    }
    let edge = if row.inferred { "┄" } else { "─" };
    let _ = write!(b, "{}{edge} ", if own { "└" } else { "├" });
    b
}

fn text(s: &Session, i: &Interner) -> String {
    let mut out = String::new();
    for (ix, run) in s.runs.iter().enumerate() {
        let _ = writeln!(
            out,
            "run {}  {}  {}  ({} clock)  thread {}  user {}",
            escape(i.resolve(run.id), true),
            run_status(s, run).as_str(),
            secs(run_duration(s, run)),
            run.clock().as_str(),
            name(i, run.thread),
            name(i, run.user)
        );
        for row in agent_rows(s, RunIx::new(ix)) {
            agent_line(&mut out, s, i, &row);
        }
        for &c in &run.calls {
            call_line(&mut out, s, i, &s.calls[c], run.clock());
        }
    }
    for (t, turn) in s.turns.iter().enumerate() {
        let t = TurnIx::new(t);
        let hash = s.turn_hash(t).map_or("—".to_string(), |h| {
            h.text().chars().skip(7).take(12).collect()
        });
        let _ = writeln!(
            out,
            "turn T{} thread {}  context {}  history {}",
            turn.index,
            name(i, turn.thread),
            hash,
            s.history(t).as_str()
        );
    }
    if s.runs.is_empty() {
        out.push_str("no runs\n");
    }
    out
}

/// A name for the text summary, `—` when there is none.
fn name(i: &Interner, sym: Option<Sym>) -> String {
    sym.map_or("—".to_string(), |x| escape(i.resolve(x), true))
}

/// An agent of the tree: branch, status, duration, and how its parent was found.
fn agent_line(out: &mut String, s: &Session, i: &Interner, row: &AgentRow) {
    let ag = &s.agents[row.agent];
    let branch = branch(s, row);
    let reported = ag
        .reported_duration_ms
        .map_or(String::new(), |r| format!(" (reported {:.1}s)", r / 1000.0));
    let inferred = if ag.parent_source == Source::Inferred {
        "  ~parent inferred"
    } else {
        ""
    };
    let handoff = ag.handoff_from.map_or(String::new(), |h| {
        let from = &s.agents[h];
        format!(
            "  ⇠ handed off by {}",
            escape(from.name.map_or(i.resolve(from.id), |n| i.resolve(n)), true)
        )
    });
    let _ = writeln!(
        out,
        "  {branch}{} {} {} {}{reported}{inferred}{handoff}",
        agent_glyph(ag.status),
        escape(ag.name.map_or(i.resolve(ag.id), |n| i.resolve(n)), true),
        ag.status.as_str(),
        secs(agent_duration_ms(s, row.agent))
    );
}

/// A tool call of a run: pairing, status, agent and latency.
fn call_line(out: &mut String, s: &Session, i: &Interner, call: &ToolCall, clock: Clock) {
    let glyph = match call.status {
        CallStatus::Ok => "✓",
        CallStatus::Error => "✗",
        CallStatus::Open => "…",
        CallStatus::Orphan => "?",
        CallStatus::Aborted => "⊘",
    };
    let pairing = if call.pairing == Source::Inferred {
        "~"
    } else {
        " "
    };
    let agent = call
        .agent
        .map_or("—".to_string(), |a| name(i, s.agents[a].name));
    let latency = call
        .latency_ms(clock)
        .map_or("—".to_string(), |l| format!("{l:.0}ms"));
    let _ = writeln!(
        out,
        "    {pairing}{glyph} {:<24} {:<14} {:<8} {latency}  {}",
        name(i, call.tool),
        agent,
        call.status.as_str(),
        name(i, call.call_id)
    );
}
