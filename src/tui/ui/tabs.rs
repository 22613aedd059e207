//! The tab bar: the tabs with their keys, the current one highlighted, and the filters in force.

use crate::tui::app::{App, Tab};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn label(t: Tab) -> String {
    let key = match t {
        Tab::Overview => "1",
        Tab::Waterfall => "2",
        Tab::Tools => "3",
        Tab::Context => "4",
        Tab::Rules => "5",
        Tab::Frames => "6",
        Tab::Story => "s",
        Tab::Compare => "7",
    };
    format!("{key} {}", t.title())
}

/// The tabs in the bar: every tab, and Compare when comparing.
pub fn shown(app: &App) -> impl Iterator<Item = Tab> {
    let compare = app.against.is_some().then_some(Tab::Compare);
    Tab::ALL.into_iter().chain(compare)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    let mut spans = vec![Span::raw(" ")];
    for tab in shown(app) {
        let style = if tab == app.ui.tab {
            t.selection()
        } else {
            t.fg(Role::Dim)
        };
        spans.push(Span::styled(format!(" {} ", label(tab)), style));
    }
    if let Some(a) = app.ui.agent_filter {
        spans.push(Span::styled(
            format!("  agent:{}", app.agent_name(a)),
            t.fg(Role::Warn),
        ));
    }
    if !app.ui.filter.is_empty() {
        let q = crate::tui::escape::escape_short(app.ui.filter.source(), 40);
        spans.push(Span::styled(format!("  /{q}"), t.fg(Role::Warn)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
