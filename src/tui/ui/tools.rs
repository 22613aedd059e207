//! The tool-call table (Overview's tools pane and the Tools tab): call id, tool, agent,
//! latency, status with glyph and pairing; sorted by the chosen column; filtered by the agent.

use super::{call_glyph, dur, fit, list};
use crate::core::activity::{age, call_age};
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::rows::call_latency;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let rows = &app.view.tools;
    let live = super::live_now(app);
    let sort = app.ui.sort;
    let title = format!(
        "Tools · {} · sort {} {}",
        rows.len(),
        sort.column.title(),
        if sort.reverse { "↓" } else { "↑" }
    );
    list(app, f, area, Focus::Tools, title, rows.len(), |i, w| {
        let c = &s.calls[rows[i].index()];
        let (g, role) = call_glyph(c.status);
        let agent = c
            .agent
            .map_or("—".to_string(), |a| app.agent_name(a).to_string());
        let wide = w >= 70;
        let tool_w = if wide { 22 } else { 14 };
        let mut spans = vec![
            // `~` marks a pairing orchscope inferred (no call id): honest about what it guessed.
            Span::raw(if c.pairing == crate::core::session::Source::Inferred {
                fit(&format!("~{}", escape_short(app.name(c.call_id), 9)), 10) + " "
            } else {
                fit(&escape_short(app.name(c.call_id), 10), 10) + " "
            }),
            Span::raw(fit(&escape_short(app.name(c.tool), tool_w), tool_w) + " "),
            Span::raw(fit(&escape_short(&agent, 10), 10) + " "),
            Span::raw(format!(
                "{:>7} ",
                // Live, an open call shows how long it has waited so far.
                match live.and_then(|now| call_age(s, rows[i], now)) {
                    Some(ms) => format!("{}…", age(ms)),
                    None => dur(call_latency(c.exec().as_ref(), c.done().as_ref())),
                }
            )),
            Span::styled(format!("{g} {:<7}", c.status.as_str()), t.fg(role)),
        ];
        if wide {
            let style = if c.pairing == crate::core::session::Source::Inferred {
                t.fg(Role::Inferred)
            } else {
                t.fg(Role::Dim)
            };
            spans.push(Span::styled(format!(" {}", c.pairing.as_str()), style));
        }
        Line::from(spans)
    });
}
