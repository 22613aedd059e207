//! The Waterfall tab: a bar per agent (nested like the tree) and per tool call on the time
//! axis of its run; failures red, open calls growing to the latest frame.

use super::{agent_glyph, call_glyph, fit, list};
use crate::core::session::{Clock, Session, Times};
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

fn span_of(clock: Clock, a: Option<&Times>, b: Option<&Times>, end: f64) -> Option<(f64, f64)> {
    let s = clock.of(a?)?;
    let e = b.and_then(|b| clock.of(b)).unwrap_or(end);
    Some((s, e.max(s)))
}

fn bar(start: f64, end: f64, t0: f64, t1: f64, w: usize, open: bool) -> String {
    let total = (t1 - t0).max(1.0);
    let a = (((start - t0) / total) * w as f64).floor() as usize;
    let b = ((((end - t0) / total) * w as f64).ceil() as usize)
        .max(a + 1)
        .min(w);
    let mut s = String::new();
    for i in 0..w {
        s.push(if i < a || i >= b {
            ' '
        } else if open && i + 1 == b {
            '▶'
        } else {
            '█'
        });
    }
    s
}

fn run_bounds(s: &Session, run: crate::core::session::RunIx) -> (f64, f64) {
    let r = &s.runs[run];
    let c = r.clock();
    (c.of(&r.first).unwrap_or(0.0), c.of(&r.last).unwrap_or(0.0))
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let agents = &app.view.agents;
    let calls = &app.view.tools;
    let n = agents.len() + calls.len();
    list(
        app,
        f,
        area,
        Focus::Waterfall,
        "Waterfall · agents, then tool calls".into(),
        n,
        |i, w| {
            let label_w = 26.min(w / 3);
            let bar_w = w.saturating_sub(label_w + 10);
            if i < agents.len() {
                let Some((r, prefix)) = agents.shown(i) else {
                    return Line::default();
                };
                let ag = &s.agents[r.agent];
                let (t0, t1) = run_bounds(s, ag.run);
                let clock = s.runs[ag.run].clock();
                let (g, role) = agent_glyph(ag.status);
                let label = format!("{prefix}{}", app.agent_name(r.agent));
                let b = span_of(clock, ag.started.as_ref(), ag.ended.as_ref(), t1)
                    .map_or(String::new(), |(a, e)| {
                        bar(a, e, t0, t1, bar_w, ag.is_running())
                    });
                let style = if ag.failed() {
                    t.fg(Role::Error)
                } else {
                    t.fg(Role::EvLifecycle)
                };
                Line::from(vec![
                    Span::raw(fit(&escape_short(&label, label_w), label_w)),
                    Span::styled(format!(" {g} "), t.fg(role)),
                    Span::styled(b, style),
                    Span::raw(format!(
                        " {}",
                        super::secs(crate::core::summary::agent_duration_ms(s, r.agent))
                    )),
                ])
            } else {
                let c = &s.calls[(calls[i - agents.len()]).index()];
                let (t0, t1) = run_bounds(s, c.run);
                let clock = s.runs[c.run].clock();
                let (g, role) = call_glyph(c.status);
                let label = format!("  ⚙ {}", app.name(c.tool));
                let open = c.status == crate::core::session::CallStatus::Open;
                let b = span_of(clock, c.exec().as_ref(), c.done().as_ref(), t1)
                    .map_or(String::new(), |(a, e)| bar(a, e, t0, t1, bar_w, open));
                let style = match c.status {
                    crate::core::session::CallStatus::Ok => t.fg(Role::EvTool),
                    crate::core::session::CallStatus::Open => t.fg(Role::Open),
                    _ => t.fg(Role::Error),
                };
                Line::from(vec![
                    Span::raw(fit(&escape_short(&label, label_w), label_w)),
                    Span::styled(format!(" {g} "), t.fg(role)),
                    Span::styled(b, style),
                    Span::raw(format!(
                        " {}",
                        super::dur(crate::tui::rows::call_latency(
                            c.exec().as_ref(),
                            c.done().as_ref()
                        ))
                    )),
                ])
            }
        },
    );
}
