//! The Story view: the session in plain language for stakeholders — a status line on top
//! (reversed, so it reads from across a room), the checks in words with problems first, then
//! the runs from the one scrolled to. Draws the words `tui::story` prepared; computes nothing.

use crate::core::plural::count;
use crate::tui::app::{App, Focus};
use crate::tui::story::StoryLine;
use crate::tui::theme::{Role, Theme};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

fn styled(l: &StoryLine, t: &Theme) -> Line<'static> {
    let mut style = t.fg(l.role);
    if l.bold {
        style = style.add_modifier(Modifier::BOLD);
    }
    Line::styled(l.text.clone(), style)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    let st = &app.story;
    let mut lines = Vec::new();
    if let Some((role, status)) = &st.status {
        let big = t
            .fg(*role)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED);
        lines.extend(status.iter().map(|s| Line::styled(s.clone(), big)));
        lines.push(Line::raw(""));
    }
    // First the checks and the runs from the first; then ↓ puts each run on top.
    let at = app.cursors.story.min(st.total);
    if at == 0 {
        lines.extend(st.checks.iter().map(|l| styled(l, t)));
        lines.push(Line::raw(""));
    }
    if st.total == 0 {
        lines.push(Line::styled("Nothing has happened yet.", t.fg(Role::Dim)));
    }
    // The prepared runs start at the one on top.
    for run in &st.runs {
        if lines.len() >= area.height as usize {
            break;
        }
        lines.extend(run.iter().map(|l| styled(l, t)));
        lines.push(Line::raw(""));
    }
    let n = st.total;
    let title = match at {
        _ if n == 0 => "Story".to_string(),
        0 => format!(
            "Story · the checks, then {} (↓ puts each on top)",
            count(n, "run")
        ),
        _ if at < n => format!("Story · run {at} of {n} (↑/↓ to move)"),
        _ => format!("Story · run {at} of {n}, the last (↑ to move)"),
    };
    let b = super::block(app, Focus::Story, title);
    let p = Paragraph::new(lines).block(b).wrap(Wrap { trim: false });
    f.render_widget(p, area);
}
