//! The Waterfall tab: one time axis with tick labels shared by every run shown, then per run a
//! line with the run's bar, its agents nested like the tree, and each agent's tool calls nested
//! under it; failures red (and `✗`), open calls growing to the latest frame. Runs that ran at
//! the same time overlap on the axis.

use super::{agent_glyph, call_glyph, fit, list_in};
use crate::core::session::{AgentRow, AgentStatus, CallIx, CallStatus, Clock, RunIx, Times};
use crate::core::summary::{agent_duration_ms, run_duration, run_status};
use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::lanes::Lane;
use crate::tui::rows::call_latency;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Columns of a row: the label, ` g `, the bar, ` duration`.
struct Cols {
    label: usize,
    bar: usize,
}

impl Cols {
    fn of(w: usize) -> Cols {
        let label = 30.min(w / 3);
        Cols {
            label,
            bar: w.saturating_sub(label + 3 + 7),
        }
    }
}

fn bar(span: Option<(f64, f64)>, axis: (f64, f64), w: usize, open: bool, fill: char) -> String {
    let Some((start, end)) = span else {
        return " ".repeat(w);
    };
    let (t0, t1) = axis;
    let total = (t1 - t0).max(1.0);
    let a =
        ((((start - t0) / total) * w as f64).floor().max(0.0) as usize).min(w.saturating_sub(1));
    let b = ((((end - t0) / total) * w as f64).ceil() as usize)
        .max(a + 1)
        .min(w);
    (0..w)
        .map(|i| match i {
            i if i < a || i >= b => ' ',
            i if open && i + 1 == b => '▶',
            _ => fill,
        })
        .collect()
}

/// The span of something from `a` to `b` (or to the axis's end while open).
fn span_of(
    clock: Option<Clock>,
    a: Option<&Times>,
    b: Option<&Times>,
    end: f64,
) -> Option<(f64, f64)> {
    let clock = clock?;
    let s = clock.of(a?)?;
    let e = b.and_then(|b| clock.of(b)).unwrap_or(end);
    Some((s, e.max(s)))
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let lanes = &app.view.lanes;
    let mut title = String::from("Waterfall · runs, agents and their tool calls");
    if let Some(r) = app.ui.run_filter {
        title.push_str(&format!(" · run {}", app.view.labels.short(r)));
    }
    let b = super::block(app, Focus::Waterfall, title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if inner.height < 2 {
        return;
    }
    let cols = Cols::of(inner.width as usize);
    let (t0, t1) = lanes.span;
    let axis = format!(
        "{}   {}",
        fit("time →", cols.label),
        crate::tui::axis::line(t1 - t0, cols.bar)
    );
    let axis_area = Rect { height: 1, ..inner };
    let t = &app.ui.theme;
    f.render_widget(
        Paragraph::new(Line::styled(axis, t.fg(Role::Dim))),
        axis_area,
    );
    let rows = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    list_in(app, f, rows, Focus::Waterfall, lanes.len(), |i, w| {
        let cols = Cols::of(w);
        match lanes.shown(i) {
            Some((Lane::Run(r), _)) => run_row(app, *r, &cols),
            Some((Lane::Agent(r), prefix)) => agent_row(app, r, prefix, &cols),
            Some((Lane::Call(c), prefix)) => call_row(app, *c, prefix, &cols),
            None => Line::default(),
        }
    });
}

fn row<'a>(
    label: String,
    glyph: (&str, Role),
    bar: String,
    bar_role: Role,
    dur: String,
    app: &App,
    c: &Cols,
) -> Line<'a> {
    let t = &app.ui.theme;
    Line::from(vec![
        Span::raw(fit(&label, c.label)),
        Span::styled(format!(" {} ", glyph.0), t.fg(glyph.1)),
        Span::styled(bar, t.fg(bar_role)),
        Span::raw(format!(" {dur:>6}")),
    ])
}

fn run_row<'a>(app: &App, r: RunIx, c: &Cols) -> Line<'a> {
    let s = app.session();
    let run = &s.runs[r.index()];
    let lanes = &app.view.lanes;
    let status = run_status(s, run);
    let open = status == AgentStatus::Running;
    let span = span_of(
        lanes.clock,
        Some(&run.first),
        (!open).then_some(&run.last),
        lanes.span.1,
    );
    let words = crate::tui::ui::agents::run_words(app, r, c.label);
    let role = match status {
        AgentStatus::Failed | AgentStatus::Aborted => Role::Error,
        _ => Role::Title,
    };
    let mut line = row(
        words,
        agent_glyph(status),
        bar(span, lanes.span, c.bar, open, '━'),
        role,
        super::secs(run_duration(s, run)),
        app,
        c,
    );
    line.spans[0].style = app.ui.theme.fg(Role::Title);
    line
}

fn agent_row<'a>(app: &App, r: &AgentRow, prefix: &str, c: &Cols) -> Line<'a> {
    let s = app.session();
    let ag = &s.agents[r.agent];
    let lanes = &app.view.lanes;
    let span = span_of(
        lanes.clock,
        ag.started.as_ref(),
        ag.ended.as_ref(),
        lanes.span.1,
    );
    let label = format!(" {}", crate::tui::ui::agents::agent_label(app, r, prefix));
    let role = if ag.failed() {
        Role::Error
    } else {
        Role::EvLifecycle
    };
    let b = bar(span, lanes.span, c.bar, ag.is_running(), '█');
    row(
        label,
        agent_glyph(ag.status),
        b,
        role,
        super::secs(agent_duration_ms(s, r.agent)),
        app,
        c,
    )
}

fn call_row<'a>(app: &App, call: CallIx, prefix: &str, c: &Cols) -> Line<'a> {
    let s = app.session();
    let x = &s.calls[call.index()];
    let lanes = &app.view.lanes;
    let span = span_of(
        lanes.clock,
        x.exec().as_ref(),
        x.done().as_ref(),
        lanes.span.1,
    );
    let label = escape_short(&format!(" {prefix} ⚙ {}", app.name(x.tool)), c.label);
    let role = match x.status {
        CallStatus::Ok => Role::EvTool,
        CallStatus::Open => Role::Open,
        _ => Role::Error,
    };
    let b = bar(span, lanes.span, c.bar, x.status == CallStatus::Open, '▆');
    let lat = super::dur(call_latency(x.exec().as_ref(), x.done().as_ref()));
    row(label, call_glyph(x.status), b, role, lat, app, c)
}
