//! The Frames tab: raw frames in and out, like a browser's WebSocket inspector — number,
//! direction, time, size and the escaped text. Only visible rows are built, from texts
//! `update` prepared.

use super::{fit, list};
use crate::core::link::{Dir, LinkState};
use crate::core::timestamp::clock;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::linkrows::{Change, Row};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let n = app.view.frames;
    let links = &app.view.links;
    let title = format!("Frames · {n}");
    list(app, f, area, Focus::Frames, title, links.len(n), |i, w| {
        let p = match links.row(i, n) {
            Row::Frame(p) => p,
            Row::Link(j) => return link_row(app, &links.changes[j], w),
        };
        let fact = &s.facts[p.index()];
        let row = app.texts.row(p);
        let size = row.and_then(|r| r.size).map_or("?".into(), fmt_size);
        let raw = row.map_or("", |r| r.text.as_str());
        let (arrow, role) = if fact.dir == Dir::In {
            ("↓ in ", Role::DirIn)
        } else {
            ("↑ out", Role::DirOut)
        };
        let time = super::timeline::rel_time(s, p).map_or("—".into(), clock);
        let rest = w.saturating_sub(8 + 6 + 11 + 9);
        Line::from(vec![
            Span::styled(format!("{:>7} ", p.index() + 1), t.fg(Role::Dim)),
            Span::styled(format!("{arrow} "), t.fg(role)),
            Span::raw(format!("{time:>10} ")),
            Span::raw(format!("{size:>8} ")),
            Span::raw(fit(&escape_short(raw, rest), rest)),
        ])
    });
}

/// A change of the link between the frames: what happened and why, in its state's colour.
pub fn link_row<'a>(app: &App, c: &Change, w: usize) -> Line<'a> {
    let role = match c.state {
        LinkState::Connected => Role::Ok,
        LinkState::Reconnecting(_) => Role::Warn,
        _ => Role::Error,
    };
    // On the receive clock, from the first frame received, when the frames are shown on it
    // too (a producer's clock is not comparable).
    let s = app.session();
    let first = s.facts.first().and_then(|f| f.at.recv()).unwrap_or(0.0);
    let time = match (c.t, s.timeline_clock()) {
        (Some(t), crate::core::session::Clock::Receive) => clock((t * 1000.0 - first).max(0.0)),
        _ => String::new(),
    };
    let words = escape_short(&c.words(), w.saturating_sub(8 + 6 + 11 + 3 + 1));
    Line::from(vec![
        Span::styled(format!("{:>7} ", "link"), app.ui.theme.fg(Role::Dim)),
        Span::raw("      "),
        Span::raw(format!("{time:>10} ")),
        Span::styled(format!("── {words}"), app.ui.theme.fg(role)),
    ])
}

fn fmt_size(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else {
        format!("{:.1} KB", n as f64 / 1024.0)
    }
}
