//! The header line (source, link state or replay clock, run i/n, elapsed, event count, the
//! rules' ✓ ✗ ⚠ counts) and the replay seek bar. Reads the app only.

use crate::core::link::LinkState;
use crate::core::timestamp::clock;
use crate::core::validate::Status;
use crate::tui::app::{App, Mode, Selected};
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

fn mmss(ms: f64) -> String {
    let c = clock(ms);
    c.split('.').next().unwrap_or(&c).to_string()
}

/// A count in at most four characters: `950`, `12k`, `3.4M`.
fn count_short(n: usize) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f64 / 1e3),
        10_000..=999_999 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// The run the selection belongs to (1-based), else the last.
fn current_run(app: &App) -> usize {
    let s = app.session();
    let run = match app.selected {
        Selected::Run(r) => Some(r),
        Selected::Agent(a) => s.agents.get(a.index()).map(|a| a.run),
        Selected::Call(c) => s.calls.get(c.index()).map(|c| c.run),
        Selected::Frame(p) => s.facts.get(p.index()).and_then(|f| f.run()),
        _ => None,
    };
    run.map_or(s.runs.len(), |r| r.index() + 1)
}

/// The link's state in words; a retry counts down from when the link entered it (app clock).
pub(super) fn link_text(link: LinkState, since_ms: f64, now_ms: f64) -> (String, Role) {
    match link {
        LinkState::Connecting => ("○ connecting".to_string(), Role::Warn),
        LinkState::Connected => ("● connected".to_string(), Role::Ok),
        LinkState::Reconnecting(retry) => {
            let delay_ms = retry.map_or(0.0, |r| r.delay.as_secs_f64() * 1000.0);
            let left_s = ((since_ms + delay_ms - now_ms) / 1000.0).max(0.0).ceil();
            (format!("RECONNECTING in {left_s}s"), Role::Warn)
        }
        LinkState::Disconnected | LinkState::Oversize => {
            ("○ disconnected".to_string(), Role::Error)
        }
        LinkState::GaveUp => ("✗ gave up".to_string(), Role::Error),
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    // Narrow terminals drop the program name and shorten the source so the counts stay.
    let compact = area.width < 110;
    let mut spans = vec![Span::raw(if compact { " " } else { " orchscope · " })];
    match &app.mode {
        Mode::Live {
            url,
            link,
            link_since_ms,
            paused_at,
            ..
        } => live(
            app,
            url,
            (*link, *link_since_ms),
            *paused_at,
            compact,
            &mut spans,
        ),
        Mode::Replay {
            file,
            clock: c,
            times,
        } => {
            let name = std::path::Path::new(file)
                .file_name()
                .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
            let state = if c.playing { "▶" } else { "⏸" };
            spans.push(Span::raw(format!(
                "REPLAY {} {} {state} {} / {}",
                crate::tui::escape::escape_short(&name, if compact { 14 } else { 40 }),
                c.speed_label(),
                mmss(c.media_ms(times)),
                mmss(times.last().copied().unwrap_or(0.0)),
            )));
            if !c.playing && c.pos < times.len() {
                spans.push(Span::styled(" PAUSED", t.fg(Role::Warn)));
            }
        }
    }
    counts(app, compact, &mut spans);
    let line = Line::from(spans).style(t.header());
    f.render_widget(Paragraph::new(line).style(t.header()), area);
}

/// The live part: the source, the link's state, the backlog, a failed recording, a pause.
fn live(
    app: &App,
    url: &str,
    (link, since_ms): (LinkState, f64),
    paused_at: Option<usize>,
    compact: bool,
    spans: &mut Vec<Span<'static>>,
) {
    let t = &app.ui.theme;
    let (state, role) = link_text(link, since_ms, app.ui.now_ms);
    let url = crate::tui::escape::escape_short(url, if compact { 24 } else { 60 });
    spans.push(Span::raw(format!("LIVE {url} ")));
    spans.push(Span::styled(state, t.fg(role)));
    if app.ui.backlog > 0 {
        spans.push(Span::styled(
            format!(" · backlog {}", count_short(app.ui.backlog)),
            t.fg(Role::Warn),
        ));
    }
    if let Some(held) = (app.sink.held.as_ref())
        .map(|h| h.totals)
        .filter(|h| h.spans > 0)
    {
        // A receiver shows a trace once it completes: say what is still open.
        let traces = crate::core::plural::count(held.traces, "trace");
        let of = crate::core::plural::noun_for(held.spans, "span");
        spans.push(Span::styled(
            format!(" · ⧗ {traces} open ({} {of})", count_short(held.spans)),
            t.fg(Role::Running),
        ));
    }
    if app.sink.write_error().is_some() {
        spans.push(Span::styled(" · ✗ NOT RECORDING", t.fg(Role::Error)));
    } else if app.sink.recording().is_some() {
        let rec = if compact { "·REC" } else { " · ● REC" };
        spans.push(Span::styled(rec, t.fg(Role::Running)));
    }
    if let Some(p) = paused_at {
        let new = app.sink.log.frames().saturating_sub(p);
        spans.push(Span::styled(
            format!(" · PAUSED +{new} new"),
            t.fg(Role::Warn),
        ));
    }
}

/// Run i/n, elapsed (live), events shown and the rules' counts.
fn counts(app: &App, compact: bool, spans: &mut Vec<Span<'static>>) {
    let t = &app.ui.theme;
    let s = app.session();
    let elapsed = match &app.mode {
        Mode::Live { .. } => format!(" · {}", mmss(app.ui.now_ms)),
        Mode::Replay { .. } => String::new(),
    };
    let sep = if compact { "·" } else { " · " };
    // With the lists narrowed to one run (`r`), which one.
    let run = match app.ui.run_filter {
        Some(r) if compact => format!("{} only/{}", app.view.labels.short(r), s.runs.len()),
        Some(r) => format!("run {} only of {}", app.view.labels.short(r), s.runs.len()),
        None => format!("run {}/{}", current_run(app), s.runs.len()),
    };
    spans.push(Span::raw(format!(
        "{sep}{run}{elapsed}{sep}{} ev{sep}rules ",
        app.view.frames
    )));
    let count = |st: Status| app.rules.results.iter().filter(|r| r.status == st).count();
    spans.push(Span::styled(
        format!("✓{} ", count(Status::Pass)),
        t.fg(Role::Ok),
    ));
    spans.push(Span::styled(
        format!("✗{} ", count(Status::Fail)),
        t.fg(Role::Error),
    ));
    spans.push(Span::styled(
        format!("⚠{}", count(Status::Warn)),
        t.fg(Role::Warn),
    ));
    if app.rules.is_running() || app.rules.dirty {
        // The verdicts shown are of an earlier position or configuration.
        spans.push(Span::styled(" …", t.fg(Role::Dim)));
    }
}

/// The columns of the seek bar's track inside its area: (first, end).
pub fn seek_bar_span(area: Rect) -> (u16, u16) {
    (area.x + 12, area.x + area.width.saturating_sub(12))
}

pub fn render_seek(app: &App, f: &mut Frame, area: Rect) {
    let Mode::Replay {
        clock: c, times, ..
    } = &app.mode
    else {
        return;
    };
    let t = &app.ui.theme;
    let total = times.last().copied().unwrap_or(0.0);
    let now = c.media_ms(times);
    let (a, b) = seek_bar_span(area);
    let width = b.saturating_sub(a) as usize;
    let frac = if total > 0.0 {
        (now / total).clamp(0.0, 1.0)
    } else if c.pos > 0 {
        1.0
    } else {
        0.0
    };
    let filled = ((width as f64) * frac).round() as usize;
    let mut bar = String::new();
    for i in 0..width {
        bar.push(if i + 1 == filled.max(1) {
            '●'
        } else if i < filled {
            '━'
        } else {
            '─'
        });
    }
    let line = Line::from(vec![
        Span::raw(format!(" {} ", if c.playing { "▶" } else { "⏸" })),
        Span::raw(format!("{:>8} ", mmss(now))),
        Span::styled(bar, t.fg(Role::BorderFocus)),
        Span::raw(format!(" {:<8}", mmss(total))),
        Span::styled(format!(" {}/{}", c.pos, times.len()), t.fg(Role::Dim)),
    ]);
    f.render_widget(Paragraph::new(line), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Retry;
    use std::time::Duration;

    #[test]
    fn a_retry_counts_down_from_when_the_link_entered_it() {
        let retry = Retry {
            attempt: 1,
            delay: Duration::from_millis(2500),
        };
        let at = |now| link_text(LinkState::Reconnecting(Some(retry)), 1000.0, now).0;
        assert_eq!(at(1000.0), "RECONNECTING in 3s");
        assert_eq!(at(2600.0), "RECONNECTING in 1s");
        assert_eq!(at(9000.0), "RECONNECTING in 0s");
        let read_back = link_text(LinkState::Reconnecting(None), 0.0, 50.0).0;
        assert_eq!(read_back, "RECONNECTING in 0s");
        let gave_up = link_text(LinkState::GaveUp, 0.0, 0.0);
        assert_eq!(gave_up, ("✗ gave up".to_string(), Role::Error));
    }
}
