//! The end of `summary`'s text: each drift and history finding of `context-integrity` with its
//! evidence frames and the structural diff of the two contexts it is about.

use crate::core::context_diff::{lines, of_finding};
use crate::core::escape::escape;
use crate::core::load::Loaded;
use crate::core::report::frame_list;
use crate::core::validate::{Input, RULES};
use std::fmt::Write as _;

/// Nothing when the rule finds no drift and no rewritten history.
pub fn text(l: &Loaded) -> String {
    let input = Input {
        session: l.log.session(),
        interner: &l.log.interner,
        carries: l.carries,
        now: None,
    };
    let Some(rule) = RULES.iter().find(|r| r.id == "context-integrity") else {
        return String::new();
    };
    let judged = (rule.check)(&input, &Default::default());
    let mut out = String::new();
    for f in &judged.findings {
        let Some(diff) = of_finding(&l.log, f) else {
            continue;
        };
        let _ = writeln!(
            out,
            "{} {}  {}  [frames {}]",
            f.severity.as_str(),
            f.code,
            escape(&f.message, true),
            frame_list(&f.frames, usize::MAX)
        );
        for (_, line) in lines(&diff) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}
