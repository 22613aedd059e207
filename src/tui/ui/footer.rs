//! The footer: the keys that work in the focused pane, generated from the live keymap and each
//! action's scope, or the latest notice (a command's error, "copied").

use crate::tui::app::{App, Focus};
use crate::tui::keymap::{Action, Scope};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The actions the footer lists for a pane: those marked for it whose scope applies there,
/// the pane's own first, then in the keymap's order.
pub fn actions(app: &App, focus: Focus) -> Vec<Action> {
    let replay = app.is_replay();
    let mut out: Vec<Action> = (Action::ALL.iter().copied())
        .filter(|a| a.in_footer() && a.scope().applies(focus, replay))
        .collect();
    out.sort_by_key(|a| !matches!(a.scope(), Scope::Pane(_)));
    out
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    if let Some(n) = &app.ui.notice {
        let line = Line::styled(
            format!(" {}", crate::tui::escape::escape_short(n, 200)),
            t.fg(Role::Warn),
        );
        f.render_widget(Paragraph::new(line), area);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, a) in actions(app, app.ui.focus).into_iter().enumerate() {
        let keys = app.ui.keymap.keys(a);
        let Some(k) = keys.first() else { continue };
        if i > 0 {
            spans.push(Span::styled(" · ", t.fg(Role::Dim)));
        }
        spans.push(Span::styled(k.clone(), t.fg(Role::Title)));
        spans.push(Span::raw(format!(" {}", a.describe())));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
