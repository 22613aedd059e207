//! The agents pane: every run's agent tree with status glyph and duration; inferred parent
//! edges drawn dotted (`┄`) and marked `~`; an agent handed to names who handed off (`⇠`).

use super::{agent_glyph, fit, list, secs};
use crate::core::summary::agent_duration_ms;
use crate::tui::app::{App, Focus};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let rows = &app.view.agents;
    let title = match app.ui.agent_filter {
        Some(a) => format!("Agents · filter {}", app.agent_name(a)),
        None => "Agents".into(),
    };
    list(app, f, area, Focus::Agents, title, rows.len(), |i, w| {
        let Some((r, prefix)) = rows.shown(i) else {
            return Line::default();
        };
        let ag = &s.agents[r.agent];
        let (g, role) = agent_glyph(ag.status);
        let edge = if r.depth == 0 {
            ""
        } else if r.inferred {
            "┄"
        } else {
            "─"
        };
        let marker = if r.depth == 0 { "▾ " } else { "" };
        // A hand-off is an edge of its own: named beside the agent handed to.
        let handoff = ag
            .handoff_from
            .map_or(String::new(), |h| format!(" ⇠ {}", app.agent_name(h)));
        let name = format!(
            "{marker}{}{edge}{}{}{handoff}",
            prefix,
            app.agent_name(r.agent),
            if r.inferred { " ~" } else { "" }
        );
        let name = crate::tui::escape::escape(&name, true);
        let name_w = w.saturating_sub(10);
        let edge_style = if r.inferred {
            t.fg(Role::Inferred)
        } else {
            t.fg(Role::Fg)
        };
        Line::from(vec![
            Span::styled(fit(&name, name_w), edge_style),
            Span::styled(format!("{g} "), t.fg(role)),
            Span::raw(format!("{:>6}", secs(agent_duration_ms(s, r.agent)))),
        ])
    });
}
