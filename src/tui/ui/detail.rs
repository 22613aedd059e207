//! The detail pane: the selected item as pretty JSON with keys, strings, numbers and literals
//! coloured, every string escaped so wire text is never interpreted. Scrolls by its cursor.
//! The lines are made by `update` (see `texts`); drawing colours only the visible ones.

use crate::tui::app::{App, Focus};
use crate::tui::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

fn highlight_line(line: &str, t: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let mut rest = line;
    let indent = rest.len() - rest.trim_start().len();
    spans.push(Span::raw(rest[..indent].to_string()));
    rest = &rest[indent..];
    while !rest.is_empty() {
        if rest.starts_with('"') {
            // a string: up to the next unescaped quote
            let bytes = rest.as_bytes();
            let mut i = 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            let end = (i + 1).min(rest.len());
            let s = &rest[..end];
            let after = rest[end..].trim_start();
            let role = if after.starts_with(':') {
                Role::JsonKey
            } else {
                Role::JsonString
            };
            spans.push(Span::styled(s.to_string(), t.fg(role)));
            rest = &rest[end..];
        } else {
            let end = rest.find('"').unwrap_or(rest.len());
            let chunk = &rest[..end];
            let trimmed = chunk.trim_matches(|c: char| c == ',' || c == ':' || c.is_whitespace());
            let role = if trimmed.parse::<f64>().is_ok() {
                Role::JsonNumber
            } else if matches!(trimmed, "true" | "false" | "null") {
                Role::JsonLiteral
            } else {
                Role::Fg
            };
            spans.push(Span::styled(chunk.to_string(), t.fg(role)));
            rest = &rest[end..];
        }
    }
    Line::from(spans)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    if super::payload::render(app, f, area) {
        return;
    }
    let lines = &app.texts.detail;
    let n = lines.len();
    let scroll = app.cursors.detail.min(n.saturating_sub(1));
    let shown = lines
        .iter()
        .skip(scroll)
        .take(area.height as usize)
        .map(|l| highlight_line(l, &app.ui.theme))
        .collect::<Vec<_>>();
    let title = format!("Detail · {}", app.texts.detail_title);
    let b = super::block(app, Focus::Detail, title);
    f.render_widget(Paragraph::new(shown).block(b), area);
}
