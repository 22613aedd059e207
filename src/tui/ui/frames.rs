//! The Frames tab: raw frames in and out, like a browser's WebSocket inspector — number,
//! direction, time, size and the escaped text. Only visible rows are built, from texts
//! `update` prepared.

use super::{fit, list};
use crate::core::link::Dir;
use crate::core::session::Pos;
use crate::core::timestamp::clock;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let n = app.view.frames;
    let title = format!("Frames · {n}");
    list(app, f, area, Focus::Frames, title, n, |i, w| {
        let p = Pos::new(i);
        let fact = &s.facts[i];
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
            Span::styled(format!("{i:>7} "), t.fg(Role::Dim)),
            Span::styled(format!("{arrow} "), t.fg(role)),
            Span::raw(format!("{time:>10} ")),
            Span::raw(format!("{size:>8} ")),
            Span::raw(fit(&escape_short(raw, rest), rest)),
        ])
    });
}

fn fmt_size(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else {
        format!("{:.1} KB", n as f64 / 1024.0)
    }
}
