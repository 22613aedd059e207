//! The `?` overlay: every action with its keys, generated from the live keymap (so remapped
//! keys show as remapped), the filter syntax and the commands (from the command table).

use crate::tui::app::App;
use crate::tui::cmdline::COMMANDS;
use crate::tui::keymap::Action;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(true))
        .title(" Help · any key closes ");
    f.render_widget(Clear, area);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let cols = if inner.width >= 100 { 3 } else { 2 };
    let col_w = (inner.width as usize / cols).max(20);
    let entries: Vec<(String, &str)> = Action::ALL
        .iter()
        .map(|a| (app.ui.keymap.label(*a), a.describe()))
        .collect();
    let rows = entries.len().div_ceil(cols);
    let mut lines = Vec::new();
    for r in 0..rows {
        let mut spans = Vec::new();
        for c in 0..cols {
            if let Some((k, d)) = entries.get(c * rows + r) {
                let key = super::fit(k, 12);
                spans.push(Span::styled(format!(" {key}"), t.fg(Role::Title)));
                spans.push(Span::raw(super::fit(d, col_w.saturating_sub(14))));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " filter: text  /regex/  agent:NAME type:tool_* status:error tool:query* dur:>500ms run:ID  !negates",
        t.fg(Role::Dim),
    ));
    let commands: Vec<&str> = COMMANDS.iter().map(|c| c.example).collect();
    lines.push(Line::styled(
        format!(" commands: {}", commands.join(" · ")),
        t.fg(Role::Dim),
    ));
    f.render_widget(Paragraph::new(lines), inner);
}
