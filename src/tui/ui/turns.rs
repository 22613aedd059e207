//! The turns pane: each turn (with its thread, where there is room) and its short context hash, history verdict and whether every
//! agent of the turn received the same context.

use super::{fit, list};
use crate::core::session::turns::History;
use crate::core::session::{Session, TurnIx};
use crate::tui::app::{App, Focus};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The first 12 hex digits of a hash, or `—`.
pub fn short(h: Option<String>) -> String {
    h.map_or("—".into(), |h| {
        let hex = h.strip_prefix("sha256:").unwrap_or(&h);
        hex.chars().take(12).collect()
    })
}

/// (agrees, a one-line verdict) for a turn.
pub fn verdict(app: &App, s: &Session, t: TurnIx) -> (bool, String) {
    let turn = &s.turns[t];
    let root = s.turn_hash(t);
    let odd: Vec<&str> = turn
        .agents
        .iter()
        .filter(|&&a| {
            let h = s.agent_hash(a);
            h.is_some() && root.is_some() && h != root
        })
        .map(|&a| app.agent_name(a))
        .collect();
    let history_bad = matches!(s.history(t), History::Rewritten | History::Truncated);
    if let Some(first) = odd.first() {
        let h = short(
            turn.agents
                .iter()
                .find(|&&a| app.agent_name(a) == *first)
                .and_then(|&a| s.agent_hash(a))
                .map(|h| h.text()),
        );
        (false, format!("{first} got {}…", &h[..h.len().min(4)]))
    } else if history_bad {
        (false, format!("history {}", s.history(t).as_str()))
    } else if root.is_none() {
        (true, "no context seen".into())
    } else {
        (true, "all agents agree".into())
    }
}

/// A thread's tag before its turns: its id, or at narrow widths its last characters (ids
/// tend to share their beginnings: `thread-…`).
fn thread_tag(id: &str, w: usize) -> String {
    let id = crate::tui::escape::escape(id, true);
    let n = id.chars().count();
    let tag = if w >= 60 || n <= 8 {
        crate::tui::escape::escape_short(&id, 14)
    } else {
        let tail: String = id.chars().skip(n - 7).collect();
        format!("…{tail}")
    };
    let width = if w >= 60 { 15 } else { 9 };
    fit(&tag, width)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let rows = &app.view.turns;
    let title = match app.ui.run_filter {
        Some(r) => format!("Turns · context · run {}", app.view.labels.short(r)),
        None => "Turns · context".into(),
    };
    list(app, f, area, Focus::Turns, title, rows.len(), |i, w| {
        let ti = rows[i];
        let (ok, text) = verdict(app, s, ti);
        let (g, role) = if ok {
            ("✓", Role::Ok)
        } else {
            ("✗", Role::Error)
        };
        // Turns count per thread: with several threads, the thread says which.
        let thread = match s.turns[ti.index()].thread {
            Some(th) if app.view.labels.threads() > 1 => thread_tag(app.name(Some(th)), w),
            _ => String::new(),
        };
        let w = w.saturating_sub(thread.chars().count());
        Line::from(vec![
            Span::styled(thread, t.fg(Role::Dim)),
            Span::raw(format!("T{:<3}", s.turns[ti.index()].index)),
            Span::styled(
                format!("{} ", short(s.turn_hash(ti).map(|h| h.text()))),
                t.fg(Role::JsonString),
            ),
            Span::raw(format!("{:<10}", s.history(ti).as_str())),
            Span::styled(format!("{g} "), t.fg(role)),
            Span::raw(fit(&text, w.saturating_sub(30))),
        ])
    });
}
