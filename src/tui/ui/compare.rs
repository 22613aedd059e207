//! The Compare tab (`replay B --against A`): the summary of what differs, then the alignment
//! side by side — A's item │ mark │ B's item per row, nested run → agent → tool call — with
//! each difference marked by a glyph and a word in its tone's colour and equal rows dimmed;
//! below, the detail of the row under the cursor. Only reads the prepared `app.against`.

use super::fit;
use crate::core::compare::alignment::Tone;
use crate::tui::app::{App, Focus};
use crate::tui::comparison::Against;
use crate::tui::escape::escape_short;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Columns of the mark between the two sides.
const MARK_W: usize = 17;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(c) = app.against.as_deref() else {
        let b = super::block(app, Focus::Compare, "Compare".into());
        let text = "nothing to compare: open a recording with `orchscope replay B --against A`";
        f.render_widget(Paragraph::new(text).block(b), area);
        return;
    };
    let mut title = format!("Compare · {} rows", c.shown.len());
    if let Some(r) = app.ui.run_filter {
        title.push_str(&format!(" · run {}", app.view.labels.short(r)));
    }
    if c.only_differences {
        title.push_str(" · only differences (D all)");
    }
    if !app.ui.filter.is_empty() {
        title.push_str(&format!(" · /{}", escape_short(app.ui.filter.source(), 20)));
    }
    let b = super::block(app, Focus::Compare, title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if inner.height < 3 {
        return;
    }
    let t = &app.ui.theme;
    let w = inner.width as usize;
    let side_w = w.saturating_sub(MARK_W + 2) / 2;
    let summary = match c.summary.0.chars().count() <= w {
        true => &c.summary.0,
        false => &c.summary.1,
    };
    let head = [
        Line::styled(fit(summary, w), t.fg(Role::Title)),
        Line::styled(
            format!(
                "{}│{}│{}",
                fit(&format!("A {}", escape_short(&c.source, 60)), side_w),
                fit(" ", MARK_W),
                fit(&format!("B {}", escape_short(&file(app), 60)), side_w)
            ),
            t.fg(Role::Dim).add_modifier(Modifier::BOLD),
        ),
    ];
    f.render_widget(Paragraph::new(head.to_vec()), Rect { height: 2, ..inner });
    let list = Rect {
        y: inner.y + 2,
        height: inner.height - 2,
        ..inner
    };
    super::list_in(app, f, list, Focus::Compare, c.shown.len(), |i, _| {
        row(app, c, c.shown[i], side_w)
    });
}

/// B's file, as the header names it.
fn file(app: &App) -> String {
    match &app.mode {
        crate::tui::app::Mode::Replay { file, .. } => file.clone(),
        crate::tui::app::Mode::Live { url, .. } => url.clone(),
    }
}

fn row<'a>(app: &App, c: &Against, e: usize, side_w: usize) -> Line<'a> {
    let t = &app.ui.theme;
    let e = &c.entries[e];
    let indent = "  ".repeat(e.depth as usize);
    let role = match e.mark.tone {
        Tone::Same => Role::Dim,
        Tone::Worse => Role::Error,
        Tone::Better => Role::Ok,
        Tone::Neutral => Role::Warn,
    };
    let sides = if e.differs() { Role::Fg } else { Role::Dim };
    let by_name = if e.by_name { " ≈" } else { "" };
    let mark = format!(" {} {}{by_name}", e.mark.glyph, e.mark.word);
    let fits = |s: &str| s.chars().count() + indent.chars().count() <= side_w;
    let (left, right) = match fits(&e.left) && fits(&e.right) {
        true => (&e.left, &e.right),
        false => (&e.short.0, &e.short.1),
    };
    Line::from(vec![
        Span::styled(fit(&format!("{indent}{left}"), side_w), t.fg(sides)),
        Span::styled("│", t.fg(Role::Dim)),
        Span::styled(fit(&mark, MARK_W), t.fg(role)),
        Span::styled("│", t.fg(Role::Dim)),
        Span::styled(fit(&format!("{indent}{right}"), side_w), t.fg(sides)),
    ])
}
