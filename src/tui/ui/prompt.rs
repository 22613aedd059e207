//! The one-line input overlays (filter, command line, message composer), drawn at the bottom of
//! the body with a cursor block; the typed text is shown escaped.

use crate::tui::app::App;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, body: Rect, title: &str, prefix: &str, text: &str) {
    let t = &app.ui.theme;
    let area = Rect::new(
        body.x,
        body.y + body.height.saturating_sub(3),
        body.width,
        3.min(body.height),
    );
    f.render_widget(Clear, area);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(true))
        .title(format!(" {title} · Enter applies · Esc cancels "));
    let line = Line::from(vec![
        Span::styled(prefix.to_string(), t.fg(Role::Title)),
        Span::raw(crate::tui::escape::escape(text, true)),
        Span::styled("█", t.fg(Role::BorderFocus)),
    ]);
    f.render_widget(Paragraph::new(line).block(b), area);
}
