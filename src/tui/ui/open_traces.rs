//! The traces a live OTLP receiver still holds, under the agent tree: a trace is shown once it
//! ends, so until then these lines say what is known of it — how many spans ended, how many are
//! still running (named as a parent, not yet ended), for how long, and what ended last. A
//! followed input's events held until their invocation ends are told the same way, in a line.

use super::fit;
use crate::source::message::OpenTrace;
use crate::tui::app::App;
use crate::tui::theme::Role;
use ratatui::text::{Line, Span};

/// The lines to draw in a pane `h` rows high and `w` wide: a heading, then one line per open
/// trace (as many as fit in half the pane, at least one), then how many more there are.
/// Nothing when the receiver holds no trace.
pub fn lines(app: &App, w: usize, h: usize) -> Vec<Line<'static>> {
    let Some(held) = app.sink.held.as_ref().filter(|h| h.totals.traces > 0) else {
        return pending(app, w);
    };
    let t = &app.ui.theme;
    let room = (h / 2).max(3);
    // The heading takes a line, and "… N more" one when not all fit.
    let mut shown = held.traces.len().min(room - 1);
    if held.totals.traces > shown && shown == room - 1 {
        shown -= 1;
    }
    let mut heading = format!(
        "⧗ {} open",
        crate::core::plural::count(held.totals.traces, "trace")
    );
    if w >= 40 {
        heading.push_str(", shown when they end");
    }
    let mut out = vec![Line::styled(fit(&heading, w), t.fg(Role::Running))];
    out.extend(held.traces[..shown].iter().map(|o| line(app, o, w)));
    let more = held.totals.traces - shown;
    if more > 0 {
        out.push(Line::styled(
            fit(&format!("  … {more} more"), w),
            t.fg(Role::Dim),
        ));
    }
    out
}

/// A followed input's events its importer holds until their invocation ends (LangGraph):
/// `⧗ 12 events pending, shown when their invocation ends`; nothing when none is.
fn pending(app: &App, w: usize) -> Vec<Line<'static>> {
    let n = app.sink.pending;
    if n == 0 {
        return Vec::new();
    }
    let mut text = format!("⧗ {} pending", crate::core::plural::count(n, "event"));
    if w >= 40 {
        text.push_str(", shown when their invocation ends");
    }
    vec![Line::styled(fit(&text, w), app.ui.theme.fg(Role::Running))]
}

/// `⧗ 0af76519 ⟳ 1 running · ✓ 3 ended · 8s · last execute_tool search`.
fn line(app: &App, o: &OpenTrace, w: usize) -> Line<'static> {
    let t = &app.ui.theme;
    let short: String = o.trace.chars().take(8).collect();
    let state = if o.root_ended {
        "root ended".to_string()
    } else {
        format!("⟳ {} running", o.running)
    };
    let rest = format!(
        " · {} ended · {}s · last {}",
        o.ended,
        o.age_s,
        crate::tui::escape::escape(&o.latest, true)
    );
    let head = format!("{}{short} ", if w >= 40 { "  " } else { "" });
    let rest_w = w.saturating_sub(head.chars().count() + state.chars().count());
    Line::from(vec![
        Span::styled(head, t.fg(Role::Dim)),
        Span::styled(state, t.fg(Role::Running)),
        Span::raw(fit(&rest, rest_w)),
    ])
}
