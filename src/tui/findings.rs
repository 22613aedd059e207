//! Findings made readable, prepared by `update`: which findings a run filter shows (one definition
//! for the pane, its cursor and the Rules list's counts), the findings pane's rows (each message
//! wrapped to the pane, never cut at its border), the set of frames that are evidence of a failing
//! or warning finding (the timeline marks them), and a finding's sheet for the payload view (its
//! message, its evidence frames with position, type and agent, and the payload of each). Drawing
//! only reads what is made here.

use super::app::{App, Focus, Tab};
use super::sheet::{self, Row, Sheet};
use super::theme::Role;
use crate::core::session::{Pos, RunIx};
use crate::core::validate::{Finding, Severity, Status};
use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The findings pane's rows and the evidence marks.
#[derive(Debug, Default)]
pub struct Findings {
    made_of: Option<u64>,
    marks_of: Option<(u64, u64)>,
    /// For each finding shown of the rule under the cursor, its rows (wrapped).
    pub rows: Vec<Vec<Row>>,
    /// With a run filter, each rule's findings of that run (the Rules list shows them).
    pub in_run: Option<Vec<usize>>,
    in_run_of: Option<(u64, Option<RunIx>)>,
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

/// Whether a finding is shown: every finding, or with a run filter those of that run and those
/// of no run (the link's, the stream's: they concern every run).
pub fn shown(app: &App, f: &Finding) -> bool {
    app.ui
        .run_filter
        .is_none_or(|r| f.run.is_none_or(|of| of == r))
}

/// The index among a rule's findings of the `i`th shown one.
pub fn nth_shown(app: &App, findings: &[Finding], i: usize) -> Option<usize> {
    (findings.iter().enumerate())
        .filter(|(_, f)| shown(app, f))
        .nth(i)
        .map(|(j, _)| j)
}

/// Findings of the rule `rule` shown.
pub fn count_shown(app: &App, rule: usize) -> usize {
    app.rules
        .results
        .get(rule)
        .map_or(0, |r| (r.findings.iter()).filter(|f| shown(app, f)).count())
}

/// Where among the shown findings the finding at index `j` of all is (`None`: not shown).
pub fn shown_index(app: &App, findings: &[Finding], j: usize) -> Option<usize> {
    let f = findings.get(j)?;
    shown(app, f).then(|| findings[..j].iter().filter(|f| shown(app, f)).count())
}

pub fn prepare(app: &App, state: &mut Findings) {
    let in_run_of = (app.rules.version, app.ui.run_filter);
    if state.in_run_of.replace(in_run_of) != Some(in_run_of) {
        state.in_run = app.ui.run_filter.map(|_| {
            (0..app.rules.results.len())
                .map(|r| count_shown(app, r))
                .collect()
        });
    }
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
    let run = app.ui.run_filter.map(RunIx::index);
    (app.rules.version, cursor, width, several, run_w, run).hash(&mut h);
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
    state.rows = (findings.iter())
        .filter(|f| shown(app, f))
        .map(|f| rows(f, label(f), width))
        .collect();
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
