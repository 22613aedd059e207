//! The list of bookmarks and notes (`M`, `:marks`) over the body: one row per mark with its
//! frame, time, agent, glyph and word, and text, as prepared in `tui::marks`; the row under the
//! cursor in the selection's colours; its title names the keys it answers to.

use crate::tui::app::App;
use crate::tui::keymap::Action;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, body: Rect) {
    let t = &app.ui.theme;
    let marks = &app.marks;
    let key = |a| app.ui.keymap.label(a);
    let title = format!(
        " Bookmarks and notes · {} · {} jumps · {}/{} deletes · {} note · esc closes ",
        marks.rows.len(),
        key(Action::Select),
        key(Action::ContextView),
        key(Action::ToggleRule),
        key(Action::Note),
    );
    f.render_widget(Clear, body);
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(true))
        .title(Span::styled(title, t.fg(Role::Title)));
    let inner = b.inner(body);
    f.render_widget(b, body);
    let h = inner.height as usize;
    let w = inner.width as usize;
    let lines: Vec<Line> = if marks.rows.is_empty() {
        let hint = format!(
            "no bookmarks or notes yet: {} bookmarks the selected frame, {} writes a note on it",
            key(Action::Mark),
            key(Action::Note)
        );
        vec![Line::from(Span::styled(
            super::fit(&hint, w),
            t.fg(Role::Dim),
        ))]
    } else {
        let first = marks.cursor.saturating_sub(h.saturating_sub(1));
        (marks.rows.iter().enumerate().skip(first).take(h))
            .map(|(i, row)| {
                let text = super::fit(row, w);
                if i == marks.cursor {
                    Line::from(Span::styled(text, t.selection()))
                } else {
                    Line::from(Span::styled(text, t.fg(Role::Fg)))
                }
            })
            .collect()
    };
    f.render_widget(Paragraph::new(lines), inner);
}
