//! The live link line under the header: the link's state and why it is so (the server's close
//! code and reason, a refusal, a TLS error, an HTTP status), the next attempt, and where the
//! session is recorded (`REC path`) or why it is not. Reads the app only.

use crate::core::link::LinkState;
use crate::tui::app::{App, Mode};
use crate::tui::escape::escape_short;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// The right-hand part: the recording (whole, and as short as it may get), or why there is
/// none (said only where there is room).
fn recording(app: &App, wide: bool) -> (String, String, Role) {
    match (app.sink.recording(), app.sink.write_error()) {
        (_, Some(e)) => (
            format!("✗ not recording: {e}"),
            "✗ NOT RECORDING".into(),
            Role::Error,
        ),
        (Some(p), None) => {
            let name = p.file_name().map_or(p.as_os_str(), |n| n);
            let short = format!("● REC …/{}", name.to_string_lossy());
            (format!("● REC {}", p.display()), short, Role::Running)
        }
        (None, None) if wide => ("not recording".into(), String::new(), Role::Dim),
        (None, None) => (String::new(), String::new(), Role::Dim),
    }
}

/// What the link is doing beyond its state word: why it went down, frames so far.
fn detail(app: &App, link: LinkState) -> Option<String> {
    let why = app.sink.link_reason.as_deref();
    match link {
        LinkState::Connected => {
            let mut s = format!("{} frames in", app.sink.frames_in);
            if let Some(rtt) = app.sink.rtt_ms {
                s.push_str(&format!(" · rtt {rtt:.0} ms"));
            }
            Some(s)
        }
        LinkState::Connecting => None,
        LinkState::Reconnecting(retry) => {
            let attempt = retry.map(|r| format!("attempt {}", r.attempt));
            let last = why.map(str::to_owned);
            let parts: Vec<String> = attempt.into_iter().chain(last).collect();
            (!parts.is_empty()).then(|| parts.join(" · "))
        }
        LinkState::Disconnected | LinkState::Oversize | LinkState::GaveUp => why.map(str::to_owned),
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Mode::Live {
        link,
        link_since_ms,
        ..
    } = &app.mode
    else {
        return;
    };
    let t = &app.ui.theme;
    let width = area.width as usize;
    let (state, role) = super::header::link_text(*link, *link_since_ms, app.ui.now_ms);
    let (whole, short, rec_role) = recording(app, width >= 120);
    let detail = detail(app, *link).map(|d| {
        let sep = if link.is_connected() { " · " } else { ": " };
        format!("{sep}{d}")
    });
    let left = 1 + state.width() + detail.as_deref().map_or(0, UnicodeWidthStr::width);
    // The reason first; the recording's path takes what is left, down to its file name, or
    // gives way to it (the header still says REC).
    let fits = |s: &String| left + s.width() + 2 <= width;
    let rec = if fits(&whole) {
        whole
    } else if fits(&short) || role != Role::Error {
        short
    } else {
        String::new()
    };
    let room = width.saturating_sub(rec.width() + 2);
    let mut spans = vec![Span::raw(" "), Span::styled(state, t.fg(role))];
    if let Some(d) = detail {
        let d = escape_short(&d, room.saturating_sub(spans[1].content.width() + 2));
        let dim = if link.is_connected() { Role::Dim } else { role };
        spans.push(Span::styled(d, t.fg(dim)));
    }
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    spans.push(Span::raw(
        " ".repeat(width.saturating_sub(used + rec.width() + 1)),
    ));
    spans.push(Span::styled(escape_short(&rec, width), t.fg(rec_role)));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
