//! The Frames tab: raw frames in and out, like a browser's WebSocket inspector — number,
//! direction, run (with several), time, type, size and the escaped text, under column headers.
//! It lists the frames the timeline lists (the `/` filter, the run and agent filters apply).
//! Only visible rows are built, from texts `update` prepared.

use super::kind_glyph;
use super::table::{self, col, Col};
use crate::core::link::Dir;
use crate::core::link::LinkState;
use crate::core::timestamp::clock;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::linkrows::{Change, Row};
use crate::tui::rows::kind_label;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The columns, in order: #, direction, run, time, type, size, text.
const COLS: [Col; 7] = [
    col("#", 7, 0, 0, true),
    col("dir", 5, 0, 1, false),
    col("run", 4, 0, 2, false),
    col("time", 9, 0, 3, true),
    col("type", 16, 1, 1, false),
    col("size", 8, 0, 4, true),
    col("text", 10, 6, 0, false),
];

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let rows = &app.view.rows;
    let mut title = format!("Frames · {}", rows.len());
    if rows.len() != app.view.frames {
        title.push_str(&format!(" of {}", app.view.frames));
    }
    if let Some(r) = app.ui.run_filter {
        title.push_str(&format!(" · run {}", app.view.labels.short(r)));
    }
    if !app.ui.filter.is_empty() {
        title.push_str(&format!(" · /{}", escape_short(app.ui.filter.source(), 20)));
    }
    let mut cols = COLS;
    cols[2].min = match s.runs.len() {
        0 | 1 => 0,
        _ => (app.view.labels.width() - 1).max(3),
    };
    let focus = (Focus::Frames, title);
    let (links, shown) = (&app.view.links, app.view.frames);
    let listed = links.len_in(rows, shown);
    table::render(app, f, area, focus, (&cols, None), listed, |i| {
        let p = match links.row_in(i, rows, shown) {
            Row::Frame(p) => p,
            // A change of the link, between the frames around it.
            Row::Link(j) => return link_cells(app, &links.changes[j]),
        };
        let fact = &s.facts[p.index()];
        let row = app.texts.row(p);
        let size = row.and_then(|r| r.size).map_or("?".into(), fmt_size);
        let (arrow, role) = if fact.dir == Dir::In {
            ("↓ in", Role::DirIn)
        } else {
            ("↑ out", Role::DirOut)
        };
        let time = super::timeline::rel_time(s, p).map_or("—".into(), clock);
        let (g, kind_role) = kind_glyph(fact.kind);
        let kind = match row.and_then(|r| r.kind.as_deref()) {
            Some(name) => name.into(),
            None => kind_label(fact.kind),
        };
        let run = fact.run().map_or("—", |r| app.view.labels.short(r));
        let text = row.map_or("", |r| r.text.as_str());
        vec![
            (format!("{}", p.index()), t.fg(Role::Dim)),
            (arrow.to_string(), t.fg(role)),
            (run.to_string(), t.fg(Role::Title)),
            (time, t.fg(Role::Fg)),
            (format!("{g} {}", escape_short(&kind, 40)), t.fg(kind_role)),
            (size, t.fg(Role::Fg)),
            (escape_short(text, 400), t.fg(Role::Fg)),
        ]
    });
}

/// A change of the link's colour: green when it came back, amber while retrying, red else.
fn link_role(c: &Change) -> Role {
    match c.state {
        LinkState::Connected => Role::Ok,
        LinkState::Reconnecting(_) => Role::Warn,
        _ => Role::Error,
    }
}

/// When a change of the link happened, on the receive clock from the first frame received,
/// when the frames are shown on it too (a producer's clock is not comparable).
fn link_time(app: &App, c: &Change) -> String {
    let s = app.session();
    let first = s.facts.first().and_then(|f| f.at.recv()).unwrap_or(0.0);
    match (c.t, s.timeline_clock()) {
        (Some(t), crate::core::session::Clock::Receive) => clock((t * 1000.0 - first).max(0.0)),
        _ => String::new(),
    }
}

/// A change of the link as a row of the Frames table: what happened and why.
fn link_cells(app: &App, c: &Change) -> Vec<table::Text> {
    let t = &app.ui.theme;
    let role = t.fg(link_role(c));
    vec![
        (String::new(), t.fg(Role::Dim)),
        (String::new(), t.fg(Role::Dim)),
        (String::new(), t.fg(Role::Dim)),
        (link_time(app, c), t.fg(Role::Fg)),
        ("link".into(), role),
        (String::new(), t.fg(Role::Dim)),
        (format!("── {}", escape_short(&c.words(), 400)), role),
    ]
}

/// A change of the link between the frames of the timeline: what happened and why, in its
/// state's colour.
pub fn link_row<'a>(app: &App, c: &Change, w: usize) -> Line<'a> {
    let time = link_time(app, c);
    let words = escape_short(&c.words(), w.saturating_sub(8 + 6 + 11 + 3 + 1));
    Line::from(vec![
        Span::styled(format!("{:>7} ", "link"), app.ui.theme.fg(Role::Dim)),
        Span::raw("      "),
        Span::raw(format!("{time:>10} ")),
        Span::styled(format!("── {words}"), app.ui.theme.fg(link_role(c))),
    ])
}

fn fmt_size(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else {
        format!("{:.1} KB", n as f64 / 1024.0)
    }
}
