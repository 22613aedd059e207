//! The Context tab's lower pane: the prepared diff lines of the selected turn (`+` added in
//! green, `-` removed in red, `~` changed with both values, headings bold), or its context
//! as JSON; wrapped, scrolled by the detail cursor. Drawing only reads `app.contexts`.

use crate::core::context_diff::LineKind;
use crate::core::jsondiff::ChangeKind;
use crate::tui::app::{App, Focus};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let pane = &app.contexts;
    render_lines(app, f, area, pane.title.clone(), &pane.lines);
}

/// Prepared diff lines in the detail pane, scrolled by its cursor (also the Compare tab's).
pub fn render_lines(
    app: &App,
    f: &mut Frame,
    area: Rect,
    title: String,
    all: &[(Option<LineKind>, String)],
) {
    let t = &app.ui.theme;
    let scroll = app.cursors.detail.min(all.len().saturating_sub(1));
    let lines: Vec<Line> = (all.iter().skip(scroll))
        .take(area.height as usize)
        .map(|(kind, text)| {
            let style = match kind {
                None => t.fg(Role::Fg),
                Some(LineKind::Heading) => t.fg(Role::Title).add_modifier(Modifier::BOLD),
                Some(LineKind::History) => t.fg(Role::Warn),
                Some(LineKind::Change(ChangeKind::Added)) => t.fg(Role::Ok),
                Some(LineKind::Change(ChangeKind::Removed)) => t.fg(Role::Error),
                Some(LineKind::Change(ChangeKind::Changed)) => t.fg(Role::Mismatch),
                Some(LineKind::Note) => t.fg(Role::Dim),
            };
            Line::styled(text.clone(), style)
        })
        .collect();
    let b = super::block(app, Focus::Detail, title);
    let p = Paragraph::new(lines).block(b).wrap(Wrap { trim: false });
    f.render_widget(p, area);
}
