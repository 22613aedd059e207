//! The findings of the report: every rule's verdict, then each finding with its message (in
//! plain words and as written) and its evidence frames' texts.

use super::{Block, Say, EVIDENCE_SHOWN, FINDINGS_SHOWN, PAYLOAD_CHARS};
use crate::core::log::Log;
use crate::core::report::frame_list;
use crate::core::validate::{RuleResult, Severity};

fn glyph(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✗",
        Severity::Warn => "⚠",
        Severity::Info => "ℹ",
    }
}

/// The verdicts and the findings.
pub fn all(out: &mut Vec<Block>, say: &mut Say, log: &Log, results: &[RuleResult]) {
    out.push(Block::H(2, "Findings".into()));
    let verdicts = (results.iter())
        .map(|r| {
            let reason = r
                .reason
                .as_deref()
                .map_or(String::new(), |w| format!(" ({})", say.line(w)));
            let n = crate::core::plural::count(r.findings.len(), "finding");
            format!("{}: {}, {n}{reason}", r.id, r.status.as_str())
        })
        .collect();
    out.push(Block::Items(verdicts));
    let s = log.session();
    let mut shown = 0usize;
    for f in results.iter().flat_map(|r| &r.findings) {
        shown += 1;
        if shown > FINDINGS_SHOWN {
            continue;
        }
        out.push(Block::Open("div", "finding"));
        out.push(Block::H(
            4,
            format!("{} {} {}", glyph(f.severity), f.severity.as_str(), f.code),
        ));
        let mut about = vec![say.line(&f.message)];
        let plain = crate::core::story::plain(&f.message);
        if plain != f.message {
            about.push(format!("in words: {}", say.line(&plain)));
        }
        if let Some(r) = f.run {
            about.push(format!(
                "run {}",
                say.line(log.interner.resolve(s.runs[r].id))
            ));
        }
        if let Some(a) = f.agent {
            let ag = &s.agents[a];
            about.push(format!(
                "agent {}",
                say.line(log.interner.resolve(ag.name.unwrap_or(ag.id)))
            ));
        }
        about.push(format!(
            "evidence: frames {}",
            frame_list(&f.frames, usize::MAX)
        ));
        out.push(Block::Items(about));
        for &p in f.frames.iter().take(EVIDENCE_SHOWN) {
            let text = log.raw(p).ok().flatten();
            let text = text
                .as_deref()
                .unwrap_or("(the frame could not be read again)");
            out.push(Block::Pre(format!(
                "frame {p}\n{}",
                say.text(text, PAYLOAD_CHARS)
            )));
        }
        if f.frames.len() > EVIDENCE_SHOWN {
            out.push(Block::P(format!(
                "{} more evidence frames.",
                f.frames.len() - EVIDENCE_SHOWN
            )));
        }
        out.push(Block::Close("div"));
    }
    if shown > FINDINGS_SHOWN {
        out.push(Block::P(format!(
            "The first {FINDINGS_SHOWN} of {shown} findings are listed."
        )));
    }
}
