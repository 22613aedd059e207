//! The Story view: the session in plain language for stakeholders — per run, the request,
//! which agents worked on it and for how long, the tools used, what failed and how it
//! recovered, the final answer, and every rule's verdict in words.

use crate::core::session::{AgentStatus, CallStatus};
use crate::core::summary::run_duration;
use crate::core::validate::Status;
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::texts::run_state;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let s = app.session();
    let t = &app.ui.theme;
    let bold = t.fg(Role::Title).add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    // First the verdict, in words: what a stakeholder asks first.
    let (runs, done) = app.texts.runs;
    lines.push(Line::styled(
        format!(
            "{runs} {} · {done} completed · {} not (yet) completed",
            if runs == 1 { "run" } else { "runs" },
            runs - done
        ),
        bold,
    ));
    lines.push(Line::styled("What the checks say", bold));
    for r in &app.rules.results {
        let (g, role) = crate::tui::ui::rules::status_glyph(r.status);
        let crashed = super::rules::crashed(r);
        let words = match (crashed, r.status) {
            (Some(m), _) => format!("crashed ({})", escape_short(m, 100)),
            (None, Status::Pass) => "passed".to_string(),
            (None, Status::Fail) => format!("failed with {} finding(s)", r.findings.len()),
            (None, Status::Warn) => format!("passed with {} warning(s)", r.findings.len()),
            (None, Status::Pending) => "waits for the runs to complete".to_string(),
            (None, Status::Skip) => format!(
                "was not checked ({})",
                r.reason.as_deref().unwrap_or("not applicable")
            ),
        };
        let first = r.findings.first().map_or(String::new(), |f| {
            format!(" — {}", escape_short(&f.message, 100))
        });
        lines.push(Line::from(vec![
            Span::styled(format!("  {g} "), t.fg(role)),
            Span::raw(format!("{} {words}{first}", r.id)),
        ]));
    }
    lines.push(Line::raw(""));
    if s.runs.is_empty() {
        lines.push(Line::raw("Nothing has happened yet."));
    }
    // Then the runs, from the one scrolled to, only as many as the pane can show.
    let first_run = app.cursors.story.min(s.runs.len().saturating_sub(1));
    let room = area.height as usize;
    for ri in first_run..s.runs.len() {
        if lines.len() >= room {
            break;
        }
        story_of_run(app, ri, &mut lines);
    }
    let more = s.runs.len().saturating_sub(first_run + 1);
    let title = if s.runs.len() > 1 {
        format!(
            "Story · run {} of {} (↑/↓ to move{})",
            first_run + 1,
            s.runs.len(),
            if more > 0 { "" } else { ", last" }
        )
    } else {
        "Story".to_string()
    };
    let b = super::block(app, Focus::Story, title);
    let p = Paragraph::new(lines).block(b).wrap(Wrap { trim: false });
    f.render_widget(p, area);
}

/// The plain-language lines of one run.
fn story_of_run(app: &App, ri: usize, lines: &mut Vec<Line<'static>>) {
    let s = app.session();
    let t = &app.ui.theme;
    let bold = t.fg(Role::Title).add_modifier(Modifier::BOLD);
    let run = &s.runs[ri];
    {
        let state = run_state(s, run);
        let (ok, status) = (state == AgentStatus::Completed, state.as_str());
        lines.push(Line::from(vec![
            Span::styled(format!("Run {} — {}", ri + 1, app.name(Some(run.id))), bold),
            Span::styled(
                format!(
                    "  {} {status} in {}",
                    if ok { "✓" } else { "✗" },
                    super::secs(run_duration(s, run))
                ),
                t.fg(if ok { Role::Ok } else { Role::Warn }),
            ),
        ]));
        let message = run.message.map(|m| s.messages[m.index()].pos);
        if let Some(req) = message.and_then(|p| app.texts.request(p)) {
            lines.push(Line::raw(format!(
                "  The request: “{}”",
                escape_short(req, 200)
            )));
        }
        let names: Vec<String> = run
            .agents
            .iter()
            .map(|&a| {
                format!(
                    "{} ({})",
                    app.agent_name(a),
                    super::secs(crate::core::summary::agent_duration_ms(s, a))
                )
            })
            .collect();
        lines.push(Line::raw(format!(
            "  {} agents worked on it: {}.",
            names.len(),
            escape_short(&names.join(", "), 400)
        )));
        let calls: Vec<_> = run.calls.iter().map(|&c| &s.calls[c]).collect();
        let failed = calls
            .iter()
            .filter(|c| matches!(c.status, CallStatus::Error | CallStatus::Aborted))
            .count();
        if !calls.is_empty() {
            let mut tools: Vec<&str> = calls.iter().map(|c| app.name(c.tool)).collect();
            tools.dedup();
            lines.push(Line::raw(format!(
                "  They used {} tool calls ({}); {} failed.",
                calls.len(),
                escape_short(&tools.join(", "), 200),
                failed
            )));
        }
        for &a in &run.agents {
            let ag = &s.agents[a];
            if ag.error_pos.is_some() || ag.status == AgentStatus::FellBack {
                let how = if ag.fallback_pos.is_some() {
                    "and recovered with a fallback"
                } else {
                    "and did not recover"
                };
                lines.push(Line::styled(
                    format!("  {} hit an error {how}.", app.agent_name(a)),
                    t.fg(Role::Warn),
                ));
            }
        }
        let answered = run.final_report;
        lines.push(Line::raw(if answered {
            "  A final answer was delivered."
        } else {
            "  No final answer yet."
        }));
        lines.push(Line::raw(""));
    }
}
