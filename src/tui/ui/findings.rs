//! The findings pane of the Rules tab: each finding with its severity glyph, first evidence
//! frame and its whole message, wrapped (rows prepared by `update`); the finding under the
//! cursor is highlighted across all its rows and kept in view.

use crate::tui::app::{App, Focus};
use crate::tui::escape::escape_short;
use crate::tui::nav;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The first finding drawn so that the one at `cursor` fits in `height` rows.
fn first(heights: &[usize], cursor: usize, height: usize) -> usize {
    let mut used = 0;
    let mut i = cursor;
    loop {
        used += heights.get(i).copied().unwrap_or(1);
        if i == 0 || used + heights.get(i - 1).copied().unwrap_or(1) > height {
            return i;
        }
        i -= 1;
    }
}

/// The finding drawn at `row` of the pane's text, `height` rows high.
pub fn at_row(app: &App, height: usize, row: usize) -> usize {
    let rows = &app.payloads.findings.rows;
    let heights: Vec<usize> = rows.iter().map(Vec::len).collect();
    let cursor = app.cursors.findings.min(rows.len().saturating_sub(1));
    let mut i = first(&heights, cursor, height);
    let mut top = 0;
    while i + 1 < heights.len() && top + heights[i] <= row {
        top += heights[i];
        i += 1;
    }
    i
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    let res = app.rules.results.get(nav::cursor(app, Focus::Rules));
    let title = match res {
        Some(r) => match &r.reason {
            Some(reason) => format!("Findings · {} · {}", r.id, escape_short(reason, 50)),
            None => match app.ui.run_filter {
                Some(run) => format!(
                    "Findings · {} · {} of {} · run {}",
                    r.id,
                    app.payloads.findings.rows.len(),
                    r.findings.len(),
                    app.view.labels.short(run)
                ),
                None => format!("Findings · {} · {}", r.id, r.findings.len()),
            },
        },
        None => "Findings".into(),
    };
    let b = super::block(app, Focus::Findings, title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = &app.payloads.findings.rows;
    if rows.is_empty() {
        let none = match app.ui.run_filter {
            Some(run) => format!("  (no findings in run {})", app.view.labels.short(run)),
            None => "  (no findings)".to_string(),
        };
        let none = Line::styled(none, t.fg(Role::Dim));
        f.render_widget(Paragraph::new(none), inner);
        return;
    }
    let cursor = app.cursors.findings.min(rows.len() - 1);
    let heights: Vec<usize> = rows.iter().map(Vec::len).collect();
    let h = inner.height as usize;
    let mut lines = Vec::new();
    for (i, finding) in rows.iter().enumerate().skip(first(&heights, cursor, h)) {
        for row in finding {
            let spans = row
                .iter()
                .map(|(role, s)| Span::styled(s.clone(), t.fg(*role)));
            let mut l = Line::from(spans.collect::<Vec<_>>());
            if i == cursor {
                let sel = super::selection(app, Focus::Findings);
                for span in &mut l.spans {
                    span.style = span.style.patch(sel);
                }
                l = l.patch_style(sel);
            }
            lines.push(l);
        }
        if lines.len() >= h {
            break;
        }
    }
    lines.truncate(h);
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cursor_finding_stays_in_view() {
        assert_eq!(super::first(&[2, 2, 2, 2], 0, 3), 0);
        assert_eq!(super::first(&[2, 2, 2, 2], 3, 4), 2);
        assert_eq!(super::first(&[2, 2, 2, 2], 3, 5), 2);
        assert_eq!(
            super::first(&[1, 1, 5], 2, 3),
            2,
            "taller than the pane: its top"
        );
    }
}
