//! The detail pane: the selected item as pretty JSON with keys, strings, numbers and literals
//! coloured, every string escaped so wire text is never interpreted. Scrolls by its cursor.

use crate::tui::app::{App, Focus};
use crate::tui::escape::escape;
use crate::tui::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Pretty JSON split into highlighted lines.
pub fn highlight(json: &str, t: &Theme) -> Vec<Line<'static>> {
    json.lines()
        .map(|l| highlight_line(&escape(l, true), t))
        .collect()
}

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
    let json = crate::tui::inspect::json(app);
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    let lines = highlight(&text, &app.ui.theme);
    let n = lines.len();
    let scroll = app.cursors.detail.min(n.saturating_sub(1));
    let title = format!("Detail · {}", describe(app));
    let b = super::block(app, Focus::Detail, title);
    let p = Paragraph::new(lines).block(b).scroll((scroll as u16, 0));
    f.render_widget(p, area);
}

fn describe(app: &App) -> String {
    use crate::tui::app::Selected::*;
    match app.selected {
        None => "nothing selected".into(),
        Frame(p) => format!("frame #{p}"),
        Agent(a) => format!("agent {}", escape(app.agent_name(a), true)),
        Call(c) => format!(
            "tool call {}",
            escape(
                app.name(app.session().calls.get(c.index()).and_then(|c| c.call_id)),
                true
            )
        ),
        Turn(t) => format!("turn {}", t.0 + 1),
        Rule(r) => format!("rule {}", app.rules.results.get(r).map_or("?", |r| r.id)),
        Finding(r, i) => format!(
            "finding {} of {}",
            i + 1,
            app.rules.results.get(r).map_or("?", |r| r.id)
        ),
    }
}
