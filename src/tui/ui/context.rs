//! The Context tab: a turn × agent matrix of short context hashes; a cell that differs from
//! the turn's root hash is highlighted, and each turn ends with its history verdict. With a
//! run filter, the turns of that run (the Turns pane's list).

use super::{fit, list};
use crate::core::intern::Sym;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::theme::Role;
use crate::tui::ui::turns::{short, verdict};
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    // Columns: agent names in order of first appearance (only what fits is drawn).
    let cols = ((area.width as usize).saturating_sub(40) / 10).max(1);
    let shown: Vec<Sym> = match app.view.turn_agent_names.as_deref() {
        Some(names) => names.iter().take(cols).copied().collect(),
        None => s.agent_names.iter().take(cols).copied().collect(),
    };
    let head: String = (shown.iter())
        .map(|&n| fit(&escape_short(app.name(Some(n)), 8), 10))
        .collect();
    let run = (app.ui.run_filter).map_or(String::new(), |r| {
        format!(" · run {}", app.view.labels.short(r))
    });
    let title = format!("Context{run} · turn × agent · {}", head.trim_end());
    let turns = &app.view.turns;
    list(app, f, area, Focus::Context, title, turns.len(), |i, _w| {
        let ti = turns[i];
        let turn = &s.turns[ti.index()];
        let root = s.turn_hash(ti);
        let mut spans = vec![Span::raw(format!("T{:<3}", turn.index))];
        for &name in &shown {
            let agent = turn.agents.iter().copied().find(|&a| {
                let ag = &s.agents[a];
                ag.name.unwrap_or(ag.id) == name
            });
            match agent {
                None => spans.push(Span::styled(fit("·", 10), t.fg(Role::Dim))),
                Some(a) => {
                    let h = s.agent_hash(a);
                    let text = short(h.as_ref().map(|h| h.text()));
                    let cell = fit(&text[..8.min(text.len())], 10);
                    let mismatch = h.is_some() && root.is_some() && h != root;
                    let style = if mismatch {
                        t.fg(Role::Mismatch)
                            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
                    } else {
                        t.fg(Role::JsonString)
                    };
                    spans.push(Span::styled(cell, style));
                }
            }
        }
        let (ok, text) = verdict(app, s, ti);
        let (g, role) = if ok {
            ("✓", Role::Ok)
        } else {
            ("✗", Role::Error)
        };
        spans.push(Span::raw(format!("{:<10}", s.history(ti).as_str())));
        spans.push(Span::styled(format!("{g} {text}"), t.fg(role)));
        Line::from(spans)
    });
}
