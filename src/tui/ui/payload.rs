//! The payload view: the prepared sheet of the selection (a tool call's arguments and result
//! side by side or stacked, with a failed call's error on top; a finding with its evidence)
//! in the detail pane, or over the whole body when opened with Enter. Only the visible rows
//! are styled; everything else was made by `update`.

use crate::tui::app::{App, Focus};
use crate::tui::sheet::Row;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

fn line(app: &App, row: &Row) -> Line<'static> {
    let t = &app.ui.theme;
    let spans = row
        .iter()
        .map(|(role, s)| Span::styled(s.clone(), t.fg(*role)));
    Line::from(spans.collect::<Vec<_>>())
}

/// Draws the selection's sheet in `area`; false when the selection has none.
pub fn render(app: &App, f: &mut Frame, area: Rect) -> bool {
    let Some(sheet) = &app.payloads.sheet else {
        return false;
    };
    let b = super::block(app, Focus::Detail, format!("Detail · {}", sheet.title));
    let inner = b.inner(area);
    f.render_widget(b, area);
    // The head leaves the payloads their title and a row at least.
    let head = sheet
        .head
        .len()
        .min(inner.height.saturating_sub(2) as usize) as u16;
    let head_lines: Vec<Line> = sheet.head.iter().map(|r| line(app, r)).collect();
    f.render_widget(
        Paragraph::new(head_lines),
        Rect {
            height: head,
            ..inner
        },
    );
    let body = Rect {
        y: inner.y + head,
        height: inner.height - head,
        ..inner
    };
    let n = sheet.panes.len().max(1) as u16;
    let w = body.width.saturating_sub(n - 1) / n;
    for (i, pane) in sheet.panes.iter().enumerate() {
        let x = body.x + i as u16 * (w + 1);
        let width = if i + 1 == n as usize {
            body.right() - x
        } else {
            w
        };
        draw_pane(app, f, pane, Rect { x, width, ..body });
        if i > 0 {
            let sep = Rect {
                x: x - 1,
                width: 1,
                ..body
            };
            let bar = vec![
                Line::styled("│", app.ui.theme.fg(crate::tui::theme::Role::Border));
                body.height as usize
            ];
            f.render_widget(Paragraph::new(bar), sep);
        }
    }
    true
}

/// A pane: its title row kept on top, its rows scrolled by the detail cursor.
fn draw_pane(app: &App, f: &mut Frame, rows: &[Row], area: Rect) {
    let Some((title, rest)) = rows.split_first() else {
        return;
    };
    let scroll = app.cursors.detail.min(rest.len().saturating_sub(1));
    let h = area.height.saturating_sub(1) as usize;
    let mut lines = vec![line(app, title)];
    lines.extend(rest.iter().skip(scroll).take(h).map(|r| line(app, r)));
    f.render_widget(Paragraph::new(lines), area);
}

/// The payload view over the body: the sheet, else the selection's JSON.
pub fn render_over(app: &App, f: &mut Frame, area: Rect) {
    f.render_widget(Clear, area);
    f.render_widget(
        ratatui::widgets::Block::default().style(app.ui.theme.base()),
        area,
    );
    super::detail::render(app, f, area);
}
