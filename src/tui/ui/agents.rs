//! The agents pane: every run's agent tree with status glyph and duration; inferred parent
//! edges drawn dotted (`┄`) and marked `~`; an agent handed to names who handed off (`⇠`).

use super::{agent_glyph, fit, list, secs};
use crate::core::activity::{agent_activity, Activity};
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
    let live = super::live_now(app);
    // Room for `running 12s` while anything runs live, else for a duration.
    let time_w = if live.is_some() && crate::core::validate::live::any_open(s) {
        11
    } else {
        6
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
        // Live, a running agent says for how long it runs or has been idle.
        let time_w = if w >= 28 { time_w } else { time_w.min(8) };
        let label = if time_w < 11 {
            Activity::short_label
        } else {
            Activity::label
        };
        let time = live
            .and_then(|now| agent_activity(s, r.agent, now))
            .map_or_else(|| secs(agent_duration_ms(s, r.agent)), label);
        let name_w = w.saturating_sub(4 + time_w);
        // A running time can fill its column: a space keeps it off the name.
        let gap = usize::from(time_w > 6).min(name_w);
        let edge_style = if r.inferred {
            t.fg(Role::Inferred)
        } else {
            t.fg(Role::Fg)
        };
        Line::from(vec![
            Span::styled(fit(&name, name_w - gap) + &" ".repeat(gap), edge_style),
            Span::styled(format!("{g} "), t.fg(role)),
            Span::raw(format!("{time:>time_w$}")),
        ])
    });
}
