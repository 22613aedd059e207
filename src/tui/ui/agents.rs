//! The agents pane: every run under a line of its own (its label, request, user, status and
//! duration), then its agent tree with status glyph and duration; inferred parent edges drawn
//! dotted (`┄`) and marked `~`; an agent handed to names who handed off (`⇠`).

use super::{agent_glyph, fit, secs};
use crate::core::activity::{agent_activity, Activity};
use crate::core::session::{AgentRow, RunIx};
use crate::core::summary::{agent_duration_ms, run_duration, run_status};
use crate::tui::app::{App, Focus};
use crate::tui::theme::Role;
use crate::tui::tree::Row;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The pane width from which the usage column is shown, and the column's width.
const COST_MIN_W: u16 = 44;
const COST_W: usize = 16;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let rows = &app.view.agents;
    let mut title = String::from("Agents");
    if let Some(r) = app.ui.run_filter {
        title.push_str(&format!(" · run {}", app.view.labels.short(r)));
    }
    if let Some(a) = app.ui.agent_filter {
        title.push_str(&format!(" · filter {}", app.agent_name(a)));
    }
    if app.costs.any() && area.width >= COST_MIN_W {
        title.push_str(" · tokens cost (Σ with delegated)");
    }
    // Live, with anything open, room for `running 12s`.
    let live =
        super::live_now(app).filter(|_| crate::core::validate::live::any_open(app.session()));
    let b = super::block(app, Focus::Agents, title);
    let mut inner = b.inner(area);
    f.render_widget(b, area);
    // A live receiver's traces not shown yet go under the tree.
    let open = super::open_traces::lines(app, inner.width as usize, inner.height as usize);
    if !open.is_empty() {
        let h = (open.len() as u16).min(inner.height);
        let below = Rect::new(inner.x, inner.bottom() - h, inner.width, h);
        inner.height -= h;
        f.render_widget(ratatui::widgets::Paragraph::new(open), below);
    }
    super::list_in(
        app,
        f,
        inner,
        Focus::Agents,
        rows.len(),
        |i, w| match rows.shown(i) {
            Some((Row::Run(r), _)) => run_line(app, *r, w),
            Some((Row::Agent(r), prefix)) => agent_line(app, (r, prefix), live, w),
            None => Line::default(),
        },
    );
}

/// The words of a run's line before its status: `▾ R1 request · user`, cut to `w`.
pub fn run_words(app: &App, r: RunIx, w: usize) -> String {
    let s = app.session();
    let run = &s.runs[r.index()];
    let labels = &app.view.labels;
    let mut words = format!("▾ {}", labels.short(r));
    if let Some(req) = labels.request(r) {
        words.push(' ');
        words.push_str(req);
    }
    if let Some(u) = run.user {
        words.push_str(" · ");
        words.push_str(&crate::tui::escape::escape(app.name(Some(u)), true));
    }
    fit(&words, w)
}

fn run_line(app: &App, r: RunIx, w: usize) -> Line<'static> {
    let (s, t) = (app.session(), &app.ui.theme);
    let run = &s.runs[r.index()];
    let status = run_status(s, run);
    let (g, role) = agent_glyph(status);
    // Wide enough: the status in words too.
    let word = if w >= 60 {
        format!(" {:<9}", status.as_str())
    } else {
        String::new()
    };
    let words_w = w.saturating_sub(11 + word.chars().count());
    Line::from(vec![
        Span::styled(run_words(app, r, words_w) + " ", t.fg(Role::Title)),
        Span::styled(format!("{g}{word} "), t.fg(role)),
        Span::raw(format!("{:>6}", secs(run_duration(s, run)))),
    ])
}

/// An agent's label after the tree's drawing `prefix`: the edge (`┄` when orchscope inferred
/// the parent, marked `~` too), the name and who handed off to it (`⇠`), escaped.
pub fn agent_label(app: &App, r: &AgentRow, prefix: &str) -> String {
    let ag = &app.session().agents[r.agent];
    let edge = if r.depth == 0 {
        ""
    } else if r.inferred {
        "┄"
    } else {
        "─"
    };
    // A hand-off is an edge of its own: named beside the agent handed to.
    let handoff = ag
        .handoff_from
        .map_or(String::new(), |h| format!(" ⇠ {}", app.agent_name(h)));
    let name = format!(
        "{prefix}{edge}{}{}{handoff}",
        app.agent_name(r.agent),
        if r.inferred { " ~" } else { "" }
    );
    crate::tui::escape::escape(&name, true)
}

fn agent_line(
    app: &App,
    (r, prefix): (&AgentRow, &str),
    live: Option<f64>,
    w: usize,
) -> Line<'static> {
    let (s, t) = (app.session(), &app.ui.theme);
    let ag = &s.agents[r.agent];
    let (g, role) = agent_glyph(ag.status);
    let name = format!("  {}", agent_label(app, r, prefix));
    let edge_style = if r.inferred {
        t.fg(Role::Inferred)
    } else {
        t.fg(Role::Fg)
    };
    // Live, a running agent says for how long it runs or has been idle.
    let time_w = match live {
        Some(_) if w >= 28 => 11,
        Some(_) => 8,
        None => 6,
    };
    let label = if time_w < 11 {
        Activity::short_label
    } else {
        Activity::label
    };
    let time = live
        .and_then(|now| agent_activity(s, r.agent, now))
        .map_or_else(|| secs(agent_duration_ms(s, r.agent)), label);
    // Wide enough: the subtree's tokens and cost, in a column of their own.
    let cost = (app.costs.any() && w + 2 >= usize::from(COST_MIN_W)).then(|| {
        format!(
            "{:>COST_W$} ",
            fit(app.costs.of(r.agent), COST_W).trim_end()
        )
    });
    let cost_w = cost.as_ref().map_or(0, |_| COST_W + 1);
    let name_w = w.saturating_sub(4 + time_w + cost_w);
    // A running time can fill its column: a space keeps it off the name.
    let gap = usize::from(time_w > 6).min(name_w);
    Line::from(vec![
        Span::styled(fit(&name, name_w - gap) + &" ".repeat(gap), edge_style),
        Span::styled(cost.unwrap_or_default(), t.fg(Role::Dim)),
        Span::styled(format!("{g} "), t.fg(role)),
        Span::raw(format!("{time:>time_w$}")),
    ])
}
