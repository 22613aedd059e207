//! The footer: the keys that work in the focused pane, generated from the live keymap and each
//! action's scope — as many as fit whole, and `? help` always — or the latest notice (a
//! command's error, "copied").

use crate::tui::app::{App, Focus};
use crate::tui::keymap::{Action, Scope};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

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

/// The footer's items (`key description`) that fit in `width` columns: the help item last
/// and always, the others in order while they fit whole.
pub fn items(app: &App, width: usize) -> Vec<(String, &'static str)> {
    let item = |a: Action| Some((app.ui.keymap.keys(a).first()?.clone(), a.describe()));
    let help = item(Action::Help);
    let cost = |(k, d): &(String, &str)| k.width() + 1 + d.width() + 3;
    let mut left = width.saturating_sub(1 + help.as_ref().map_or(0, cost));
    let mut out = Vec::new();
    for a in actions(app, app.ui.focus) {
        let Some(it) = item(a).filter(|_| a != Action::Help) else {
            continue;
        };
        if cost(&it) > left {
            break;
        }
        left -= cost(&it);
        out.push(it);
    }
    out.extend(help);
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
    for (i, (k, d)) in items(app, area.width as usize).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", t.fg(Role::Dim)));
        }
        spans.push(Span::styled(k, t.fg(Role::Title)));
        spans.push(Span::raw(format!(" {d}")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
