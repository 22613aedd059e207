//! The tool-call table (Overview's tools pane and the Tools tab): run (with several), call id,
//! tool, agent, latency, status with glyph and word, pairing; headed, sorted by the chosen
//! column (its header says so), filtered by the agent, the run and the `/` filter. At narrow
//! widths the least useful columns give way first; the status never does.

use super::table::{self, col, Col};
use super::{call_glyph, dur};
use crate::core::activity::{age, call_age};
use crate::core::session::Source;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::rows::{call_latency, Column};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::Frame;

/// The columns, in order: run, call, tool, agent, latency, status, pairing.
const COLS: [Col; 7] = [
    col("run", 4, 0, 1, false),
    col("call", 6, 1, 4, false),
    col("tool", 8, 3, 0, false),
    col("agent", 6, 2, 3, false),
    col("latency", 7, 0, 2, true),
    col("status", 9, 0, 0, false),
    col("pairing", 8, 0, 5, false),
];

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let rows = &app.view.tools;
    let live = super::live_now(app);
    let sort = app.ui.sort;
    let arrow = if sort.reverse { "↓" } else { "↑" };
    let mut title = format!("Tools · {}", rows.len());
    if let Some(r) = app.ui.run_filter {
        title.push_str(&format!(" · run {}", app.view.labels.short(r)));
    }
    if !app.ui.filter.is_empty() {
        title.push_str(&format!(" · /{}", escape_short(app.ui.filter.source(), 20)));
    }
    // The sorted column's header carries the arrow; the run column only with several runs.
    let sorted = Column::ALL.iter().position(|c| *c == sort.column);
    let mut cols = COLS;
    cols[0].min = match s.runs.len() {
        0 | 1 => 0,
        _ => (app.view.labels.width() - 1).max(3),
    };
    let head = (&cols[..], sorted.map(|i| (i + 1, arrow)));
    let focus = (Focus::Tools, title);
    table::render(app, f, area, focus, head, rows.len(), |i| {
        let c = &s.calls[rows[i].index()];
        let (g, role) = call_glyph(c.status);
        let agent = c.agent.map_or("—", |a| app.agent_name(a));
        // `~` marks a pairing orchscope inferred (no call id): honest about what it guessed.
        let inferred = c.pairing == Source::Inferred;
        let id = escape_short(app.name(c.call_id), 40);
        let pairing_role = if inferred { Role::Inferred } else { Role::Dim };
        vec![
            (app.view.labels.short(c.run).to_string(), t.fg(Role::Title)),
            (if inferred { format!("~{id}") } else { id }, t.fg(Role::Fg)),
            (escape_short(app.name(c.tool), 60), t.fg(Role::Fg)),
            (escape_short(agent, 40), t.fg(Role::Fg)),
            (
                // Live, an open call shows how long it has waited so far.
                match live.and_then(|now| call_age(s, rows[i], now)) {
                    Some(ms) => format!("{}…", age(ms)),
                    None => dur(call_latency(c.exec().as_ref(), c.done().as_ref())),
                },
                t.fg(Role::Fg),
            ),
            (format!("{g} {}", c.status.as_str()), t.fg(role)),
            (c.pairing.as_str().to_string(), t.fg(pairing_role)),
        ]
    });
}
