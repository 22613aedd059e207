//! Findings made readable, prepared by `update`: the findings pane's rows (each message
//! wrapped to the pane, never cut at its border), the set of frames that are evidence of a
//! failing or warning finding (the timeline marks them), and a finding's sheet for the payload
//! view (its message, its evidence frames with position, type and agent, and the payload of
//! each). Drawing only reads what is made here.

use super::app::{App, Focus, Tab};
use super::sheet::{self, Row, Sheet};
use super::theme::Role;
use crate::core::session::Pos;
use crate::core::validate::{Finding, Severity, Status};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The findings pane's rows and the evidence marks.
#[derive(Debug, Default)]
pub struct Findings {
    made_of: Option<u64>,
    marks_of: Option<(u64, u64)>,
    /// For each finding of the rule under the cursor, its rows (wrapped).
    pub rows: Vec<Vec<Row>>,
    /// Frames that are evidence of a failing or warning finding.
    pub evidence: HashSet<Pos>,
}

/// The glyph and role of a finding's severity.
pub fn severity_glyph(s: Severity) -> (&'static str, Role) {
    match s {
        Severity::Error => ("✗", Role::Error),
        _ => ("⚠", Role::Warn),
    }
}

/// Columns of the findings pane's text (inside its borders).
fn pane_width(app: &App) -> usize {
    let a = super::ui::layout::areas(app.ui.size, Tab::Rules, app.is_replay());
    let pane = a.panes.iter().find(|(f, _)| *f == Focus::Findings);
    pane.map_or(40, |(_, r)| r.width.saturating_sub(2) as usize)
}

pub fn prepare(app: &App, state: &mut Findings) {
    let marks_of = (app.rules.version, app.whole.version);
    if state.marks_of.replace(marks_of) != Some(marks_of) {
        let failing = (app.rules.results.iter().chain(&app.whole.results))
            .filter(|r| matches!(r.status, Status::Fail | Status::Warn));
        let frames = failing.flat_map(|r| r.findings.iter().flat_map(|f| f.frames.iter()));
        state.evidence = frames.copied().collect();
    }
    let cursor = super::nav::cursor(app, Focus::Rules);
    let width = pane_width(app);
    // With several runs, each finding says which run it is of.
    let several = app.session().runs.len() > 1;
    let run_w = app.view.labels.width();
    let mut h = DefaultHasher::new();
    (app.rules.version, cursor, width, several, run_w).hash(&mut h);
    if state.made_of.replace(h.finish()) == Some(h.finish()) {
        return;
    }
    let findings = app
        .rules
        .results
        .get(cursor)
        .map_or(&[][..], |r| &r.findings[..]);
    let label = |f: &Finding| {
        let short = f.run.map_or("—", |r| app.view.labels.short(r));
        several.then(|| super::ui::fit(short, run_w))
    };
    state.rows = findings.iter().map(|f| rows(f, label(f), width)).collect();
}

/// A finding's rows in the pane: severity glyph, its run's label (with several runs), first
/// evidence frame, the message wrapped with a hanging indent.
fn rows(f: &Finding, run: Option<String>, width: usize) -> Vec<Row> {
    let (g, role) = severity_glyph(f.severity);
    let at = f.frames.first().map_or("—".into(), |p| format!("#{p}"));
    let lead = format!("{at:<6} ");
    let run = run.unwrap_or_default();
    let indent = 2 + run.chars().count() + lead.chars().count();
    let mut wrapped = Vec::new();
    let message = super::escape::escape(&f.message, true);
    sheet::wrap_text(
        Role::Fg,
        &message,
        width.saturating_sub(indent),
        &mut wrapped,
    );
    let mut out = Vec::new();
    for (i, mut row) in wrapped.into_iter().enumerate() {
        let mut pre: Row = if i == 0 {
            vec![
                (role, format!("{g} ")),
                (Role::Title, run.clone()),
                (Role::Dim, lead.clone()),
            ]
        } else {
            vec![(Role::Fg, " ".repeat(indent))]
        };
        pre.append(&mut row);
        out.push(pre);
    }
    out
}

/// A frame's position, type and agent: `#41 tool_executing · data`.
pub fn describe_frame(app: &App, p: Pos) -> String {
    let s = app.session();
    let Some(fact) = s.facts.get(p.index()) else {
        return format!("#{p} (not there yet at this position)");
    };
    let kind = super::rows::kind_label(fact.kind);
    let agent = (fact.agent())
        .or_else(|| fact.call().and_then(|c| s.calls[c].agent))
        .map_or("—".to_string(), |a| app.agent_name(a).to_string());
    let agent = super::escape::escape_short(&agent, 40);
    match fact.call().map(|c| &s.calls[c]) {
        Some(call) => {
            let tool = super::escape::escape_short(app.name(call.tool), 40);
            format!("#{p} {kind} · {agent} · {tool}")
        }
        None => format!("#{p} {kind} · {agent}"),
    }
}

/// A finding's sheet: its code and message, its evidence, and each evidence frame's payload.
pub fn sheet(app: &App, f: &Finding, all: bool, width: usize) -> Sheet {
    let (g, role) = severity_glyph(f.severity);
    let mut head = Vec::new();
    let sev = f.severity.as_str();
    sheet::wrap_text(role, &format!("{g} {sev} · {}", f.code), width, &mut head);
    let message = super::escape::escape(&f.message, true);
    sheet::wrap_text(Role::Fg, &message, width, &mut head);
    let mut body: Vec<Row> = Vec::new();
    let n = f.frames.len();
    let title = format!("Evidence · {n} {}", if n == 1 { "frame" } else { "frames" });
    sheet::wrap_text(Role::Title, &title, width, &mut body);
    for &p in &f.frames {
        sheet::wrap_text(
            Role::Fg,
            &format!("  {}", describe_frame(app, p)),
            width,
            &mut body,
        );
    }
    let mut cut = false;
    let shown = super::payload::evidence_frames();
    for &p in f.frames.iter().take(shown) {
        body.push(Vec::new());
        let title = format!("── {}", describe_frame(app, p));
        let block = super::payload::frame_block(app, p, all);
        let (rows, c) = sheet::pane(&title, block.as_ref(), "(no text)", width);
        cut |= c;
        body.extend(rows);
    }
    if n > shown {
        let more = format!("(the payloads of {} more frames are not shown)", n - shown);
        sheet::wrap_text(Role::Dim, &more, width, &mut body);
    }
    let frames: Vec<String> = f.frames.iter().map(|p| p.to_string()).collect();
    let copy = format!(
        "{{\n  \"code\": {},\n  \"severity\": \"{sev}\",\n  \"message\": {},\n  \"frames\": [{}]\n}}",
        serde_json::to_string(&f.code).unwrap_or_default(),
        serde_json::to_string(&f.message).unwrap_or_default(),
        frames.join(", ")
    );
    let title = format!("finding {}", super::escape::escape_short(&f.code, 60));
    Sheet {
        title,
        head,
        panes: vec![body],
        copy,
        cut,
    }
}
