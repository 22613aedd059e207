//! Drawing: `render(&App, &mut Frame)` lays out the screen and asks one module per pane to
//! draw itself. Rendering only reads the app, and each list draws only its visible rows. The
//! shared helpers (blocks, list windows, width-aware fitting, glyphs) live here.

pub mod agents;
pub mod compare;
pub mod context;
pub mod context_diff;
pub mod detail;
pub mod findings;
pub mod footer;
pub mod frames;
pub mod header;
pub mod help;
pub mod layout;
pub mod link;
pub mod marks;
pub mod open_traces;
pub mod payload;
pub mod prompt;
pub mod rules;
pub mod story;
pub mod table;
pub mod tabs;
pub mod timeline;
pub mod tools;
pub mod turns;
pub mod waterfall;

use super::app::{App, Focus, Overlay};
use super::theme::Role;
use crate::core::event::Kind;
use crate::core::session::{AgentStatus, CallStatus, FactKind};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthChar;

pub fn render(app: &App, f: &mut Frame) {
    let size = f.area();
    f.render_widget(Block::default().style(app.ui.theme.base()), size);
    if size.width < layout::MIN_SIZE.0 || size.height < layout::MIN_SIZE.1 {
        let msg = format!(
            "terminal too small: {}×{} (orchscope needs at least {}×{}) · q quits",
            size.width,
            size.height,
            layout::MIN_SIZE.0,
            layout::MIN_SIZE.1
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            size,
        );
        return;
    }
    let a = layout::areas((size.width, size.height), app.ui.tab, app.is_replay());
    header::render(app, f, a.header);
    tabs::render(app, f, a.tabs);
    if let Some(seek) = a.seek {
        header::render_seek(app, f, seek);
    }
    if let Some(line) = a.link {
        link::render(app, f, line);
    }
    for (focus, area) in &a.panes {
        match focus {
            Focus::Agents => agents::render(app, f, *area),
            Focus::Timeline => timeline::render(app, f, *area),
            Focus::Tools => tools::render(app, f, *area),
            Focus::Turns => turns::render(app, f, *area),
            Focus::Detail if app.ui.tab == super::tab::Tab::Context => {
                context_diff::render(app, f, *area)
            }
            Focus::Detail => match app.against.as_deref() {
                Some(c) if app.ui.tab == super::tab::Tab::Compare => {
                    context_diff::render_lines(app, f, *area, c.detail_title.clone(), &c.detail)
                }
                _ => detail::render(app, f, *area),
            },
            Focus::Waterfall => waterfall::render(app, f, *area),
            Focus::Context => context::render(app, f, *area),
            Focus::Rules => rules::render_rules(app, f, *area),
            Focus::Findings => findings::render(app, f, *area),
            Focus::Frames => frames::render(app, f, *area),
            Focus::Story => story::render(app, f, *area),
            Focus::Compare => compare::render(app, f, *area),
        }
    }
    footer::render(app, f, a.footer);
    match &app.ui.overlay {
        Overlay::None => {}
        Overlay::Help => help::render(app, f, a.body),
        Overlay::Filter(i) => prompt::render(app, f, a.body, "Filter", "/", &i.text),
        Overlay::Command(i) => prompt::render(app, f, a.body, "Command", ":", &i.text),
        Overlay::Composer(i) => {
            prompt::render(app, f, a.body, "Message to the live thread", "› ", &i.text)
        }
        Overlay::Note(i, frame) => {
            let title = format!("Note on frame #{frame} (empty: remove)");
            prompt::render(app, f, a.body, &title, "✎ ", &i.text)
        }
        Overlay::Marks => marks::render(app, f, a.body),
        Overlay::Payload(_) => payload::render_over(app, f, a.body),
    }
}

/// A pane's bordered block, highlighted when focused.
pub fn block<'a>(app: &App, focus: Focus, title: String) -> Block<'a> {
    let focused = app.ui.focus == focus;
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.ui.theme.border(focused))
        .title(Span::styled(
            format!(" {title} "),
            app.ui.theme.fg(Role::Title),
        ))
}

/// Draws a list pane: only rows in the visible window are built.
pub fn list<'a>(
    app: &App,
    f: &mut Frame,
    area: Rect,
    focus: Focus,
    title: String,
    len: usize,
    row: impl Fn(usize, usize) -> Line<'a>,
) {
    let b = block(app, focus, title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    list_in(app, f, inner, focus, len, row);
}

/// The rows of a list in `inner` (no block): the window around the cursor, the cursor's row
/// in the selection's colours.
pub fn list_in<'a>(
    app: &App,
    f: &mut Frame,
    inner: Rect,
    focus: Focus,
    len: usize,
    row: impl Fn(usize, usize) -> Line<'a>,
) {
    let cursor = crate::tui::nav::cursor(app, focus);
    let h = inner.height as usize;
    if len == 0 {
        let empty = Line::styled("  (nothing yet)", app.ui.theme.fg(Role::Dim));
        f.render_widget(Paragraph::new(empty), inner);
        return;
    }
    let first = layout::offset(cursor, h);
    let w = inner.width as usize;
    let lines: Vec<Line> = (first..len.min(first + h))
        .map(|i| {
            let mut l = row(i, w);
            if i == cursor {
                // The selection's colours win over each span's own, so the selected row is
                // always selection_fg on selection_bg (a role colour on it may be unreadable).
                let sel = selection(app, focus);
                for span in &mut l.spans {
                    span.style = span.style.patch(sel);
                }
                l = l.patch_style(sel);
            }
            l
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

pub fn selection(app: &App, focus: Focus) -> Style {
    if app.ui.focus == focus {
        app.ui.theme.selection()
    } else {
        Style::default()
            .add_modifier(ratatui::style::Modifier::BOLD | ratatui::style::Modifier::UNDERLINED)
    }
}

/// `s` cut or padded to exactly `w` display columns (wide characters counted as two).
pub fn fit(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if total > w && used + cw + 1 > w {
            if used < w {
                out.push('…');
                used += 1;
            }
            break;
        }
        if used + cw > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(used)));
    out
}

/// Seconds with one decimal, or `—`.
pub fn secs(ms: Option<f64>) -> String {
    ms.map_or("—".into(), |m| format!("{:.1}s", m / 1000.0))
}

/// `412ms` or `4.3s`, or `—`.
pub fn dur(ms: Option<f64>) -> String {
    match ms {
        None => "—".into(),
        Some(m) if m < 1000.0 => format!("{}ms", m.round() as i64),
        Some(m) => format!("{:.1}s", m / 1000.0),
    }
}

pub fn agent_glyph(s: AgentStatus) -> (&'static str, Role) {
    match s {
        AgentStatus::Running => ("⟳", Role::Running),
        AgentStatus::Completed => ("✓", Role::Ok),
        AgentStatus::Failed => ("✗", Role::Error),
        AgentStatus::FellBack => ("↺", Role::Warn),
        AgentStatus::Aborted => ("⊘", Role::Error),
    }
}

pub fn call_glyph(s: CallStatus) -> (&'static str, Role) {
    match s {
        CallStatus::Ok => ("✔", Role::Ok),
        CallStatus::Error => ("✗", Role::Error),
        CallStatus::Open => ("…", Role::Open),
        CallStatus::Orphan => ("?", Role::Warn),
        CallStatus::Aborted => ("⊘", Role::Error),
    }
}

/// A glyph and role for each kind of frame.
/// Live, connected and following the tail: the clock running work is timed by (the app
/// clock, which the receive clock of the frames shares); `None` in replay, while the view is
/// frozen, or while the link is down (silence is then the link's, not the agents').
pub fn live_now(app: &App) -> Option<f64> {
    app.judges_live().then_some(app.ui.now_ms)
}

/// A frame's glyph: its kind's, except a tool result that failed, which is a red ✗.
pub fn fact_glyph(s: &crate::core::session::Session, p: usize) -> (&'static str, Role) {
    let Some(fact) = s.facts.get(p) else {
        return ("•", Role::EvOther);
    };
    let failed = fact.kind == FactKind::Event(Kind::ToolCompleted)
        && fact.call().is_some_and(|c| {
            s.calls
                .get(c.index())
                .is_some_and(|c| c.status == crate::core::session::CallStatus::Error)
        });
    if failed {
        ("✗", Role::Error)
    } else {
        kind_glyph(fact.kind)
    }
}

pub fn kind_glyph(k: FactKind) -> (&'static str, Role) {
    match k {
        FactKind::Event(k) => match k {
            Kind::AgentStarted | Kind::SubagentStarted | Kind::StartAgent => {
                ("▶", Role::EvLifecycle)
            }
            Kind::AgentCompleted | Kind::SubagentCompleted => ("■", Role::EvLifecycle),
            Kind::AgentThinking => ("…", Role::EvThinking),
            Kind::ToolExecuting => ("⚙", Role::EvTool),
            Kind::ToolCompleted => ("✔", Role::EvResult),
            Kind::AgentError | Kind::Error => ("✗", Role::EvError),
            Kind::AgentFallback | Kind::AgentRetry => ("↺", Role::Warn),
            Kind::PartialResult | Kind::FinalReport => ("◆", Role::EvResult),
            Kind::UserMessage => ("✉", Role::EvMessage),
            Kind::Ping | Kind::Pong | Kind::Heartbeat | Kind::Ack => ("·", Role::Dim),
            _ => ("•", Role::EvOther),
        },
        FactKind::Malformed(_) => ("!", Role::Error),
        FactKind::Binary => ("▒", Role::EvOther),
    }
}
