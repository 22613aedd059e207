//! The footer: the keys that work in the focused pane, generated from the live keymap, or the
//! latest notice (a command's error, "copied").

use crate::tui::app::{App, Focus};
use crate::tui::keymap::{Action, Scope};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The actions the footer lists for a pane, most useful first.
pub fn actions(app: &App, focus: Focus) -> Vec<Action> {
    let mut out = vec![Action::Help];
    match focus {
        Focus::Agents => out.extend([Action::Down, Action::Select]),
        Focus::Rules => out.extend([Action::Select, Action::ToggleRule, Action::Command]),
        Focus::Findings => out.extend([Action::Select, Action::NextMark, Action::Back]),
        Focus::Tools => out.extend([Action::Select, Action::Sort, Action::SortReverse]),
        Focus::Detail => out.extend([Action::Down, Action::Copy]),
        _ => out.extend([Action::Down, Action::Select]),
    }
    out.extend([Action::Pause, Action::StepBack, Action::StepForward]);
    if app.is_replay() {
        out.extend([Action::Faster, Action::Slower]);
    } else {
        out.push(Action::Compose);
    }
    out.extend([
        Action::Rules,
        Action::Filter,
        Action::FocusNext,
        Action::Quit,
    ]);
    out.retain(|a| a.scope() != Scope::Tools || focus == Focus::Tools);
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
