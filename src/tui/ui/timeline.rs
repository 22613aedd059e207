//! The timeline: one row per frame shown (after the text/field filter and the agent filter),
//! with time, glyph, type, agent and a short escaped gist; it follows the tail until the user
//! moves. Only the visible rows are built, from texts `update` prepared.

use super::{fact_glyph, fit, list};
use crate::core::event::Kind;
use crate::core::link::Dir;
use crate::core::session::{FactKind, Pos, Session};
use crate::core::timestamp::clock;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::linkrows::Row;
use crate::tui::rows::{call_latency, kind_label};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The time of frame `p` relative to the session's first timed frame (ms), on the session's
/// timeline clock (the producer's when every frame in carries a timestamp, else receive).
pub fn rel_time(s: &Session, p: Pos) -> Option<f64> {
    crate::core::bookmarks::frame_time_ms(s, p.index())
}

/// A short description of a frame: the tool and call, else what the frame says in words
/// (the thought, the error, the answer), else the start of its text, as `update` prepared it.
pub fn gist(app: &App, p: Pos, width: usize) -> String {
    let s = app.session();
    let Some(fact) = s.facts.get(p.index()) else {
        return String::new();
    };
    if let Some(c) = fact.call() {
        let call = &s.calls[c];
        let mut g = format!("{}  {}", app.name(call.tool), app.name(call.call_id));
        if fact.kind == FactKind::Event(Kind::ToolCompleted) {
            let lat = super::dur(call_latency(call.exec().as_ref(), call.done().as_ref()));
            g.push_str(&format!("  {lat} {}", call.status.as_str()));
        }
        return escape_short(&g, width);
    }
    let words = app.texts.row(p).and_then(|r| r.words.as_deref());
    escape_short(words.unwrap_or(""), width)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let rows = &app.view.rows;
    let mut title = format!("Timeline · {}", rows.len());
    if !app.ui.filter.is_empty() {
        title.push_str(&format!(" · /{}", escape_short(app.ui.filter.source(), 30)));
    }
    if let Some(r) = app.ui.run_filter {
        title.push_str(&format!(" · run {}", app.view.labels.short(r)));
    }
    if app.cursors.timeline.is_none() {
        title.push_str(" · following");
    }
    // With several runs, a column says which run each row belongs to.
    let runs = s.runs.len() > 1;
    let links = &app.view.links;
    let listed = links.len_in(rows, app.view.frames);
    list(app, f, area, Focus::Timeline, title, listed, |i, w| {
        let p = match links.row_in(i, rows, app.view.frames) {
            Row::Frame(p) => p,
            // A change of the link, between the frames around it.
            Row::Link(j) => return super::frames::link_row(app, &links.changes[j], w),
        };
        let fact = &s.facts[p.index()];
        let (g, role) = fact_glyph(s, p.index());
        let time = rel_time(s, p).map_or("        —".into(), clock);
        let agent = fact
            .agent()
            .or_else(|| fact.call().and_then(|c| s.calls[c].agent))
            .map_or(String::new(), |a| app.agent_name(a).to_string());
        let dir = if fact.dir == Dir::Out { "→" } else { " " };
        let kind = match app.texts.row(p).and_then(|r| r.kind.as_deref()) {
            Some(name) => name.into(),
            None => kind_label(fact.kind),
        };
        let run_w = app.view.labels.width();
        let run = match fact.run() {
            Some(r) if runs => fit(app.view.labels.short(r), run_w),
            _ if runs => fit("—", run_w),
            _ => String::new(),
        };
        let rest = w.saturating_sub(10 + run.chars().count() + 2 + 17 + 13 + 1);
        // Evidence of a failing or warning finding is flagged, not only coloured.
        let (mark, mark_role) = match app.payloads.findings.evidence.contains(&p) {
            true => ("⚑", Role::Error),
            false => (" ", Role::Dim),
        };
        Line::from(vec![
            Span::styled(format!("{time:>9}"), t.fg(Role::Dim)),
            Span::styled(mark, t.fg(mark_role)),
            Span::styled(run, t.fg(Role::Title)),
            Span::styled(format!("{g}{dir}"), t.fg(role)),
            Span::styled(fit(&escape_short(&kind, 16), 17), t.fg(role)),
            Span::raw(fit(&escape_short(&agent, 12), 13)),
            match app.marks.label(p.index()) {
                // The mark's glyph and word first; the gist after it where there is room.
                Some(label) if label.chars().count() + 4 < rest => {
                    let g = gist(app, p, rest);
                    Span::styled(fit(&format!("{label} · {g}"), rest), t.fg(Role::Title))
                }
                Some(label) => {
                    let short = app.marks.short_label(p.index()).unwrap_or(label);
                    Span::styled(fit(short, rest), t.fg(Role::Title))
                }
                None => Span::raw(gist(app, p, rest)),
            },
        ])
    });
}
