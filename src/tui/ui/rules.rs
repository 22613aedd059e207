//! The Rules tab: every rule with its status glyph, finding count and whether it is switched
//! on (the findings of the rule under the cursor are `findings.rs`). With a run filter the
//! counts are that run's findings; the verdicts stay the whole session's, and the title says so.

use super::{fit, list};
use crate::core::validate::{RuleResult, Status};
use crate::tui::app::{App, Focus};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// A rule that panicked: its message.
pub fn crashed(r: &RuleResult) -> Option<&str> {
    r.reason.as_deref()?.strip_prefix(crate::crash::CRASHED)
}

pub fn status_glyph(s: Status) -> (&'static str, Role) {
    match s {
        Status::Pass => ("✓", Role::Ok),
        Status::Fail => ("✗", Role::Error),
        Status::Warn => ("⚠", Role::Warn),
        Status::Skip => ("○", Role::Skip),
        Status::Pending => ("…", Role::Open),
    }
}

pub fn render_rules(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    let r = &app.rules.results;
    let in_run = app.payloads.findings.in_run.as_deref();
    let title = match app.ui.run_filter {
        // The verdicts are the whole session's; the counts are the run's.
        Some(run) => format!("Rules (all runs) · {} findings", app.view.labels.short(run)),
        None => "Rules".into(),
    };
    list(app, f, area, Focus::Rules, title, r.len(), |i, w| {
        let res = &r[i];
        let (g, role) = status_glyph(res.status);
        let status = match crashed(res) {
            Some(_) => "crash ",
            None if res.status == Status::Pending => "pending ",
            None => res.status.as_str(),
        };
        let on = if app.rules.config.rule(res.id).enabled {
            " "
        } else {
            "off"
        };
        Line::from(vec![
            Span::styled(format!("{g} {status:<5}"), t.fg(role)),
            Span::raw(fit(res.id, w.saturating_sub(10 + status.len().max(5)))),
            Span::raw(format!(
                "{:>4} ",
                in_run
                    .and_then(|n| n.get(i).copied())
                    .unwrap_or(res.findings.len())
            )),
            Span::styled(on.to_string(), t.fg(Role::Dim)),
        ])
    });
}
