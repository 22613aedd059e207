//! Tables with column headers that use the space: every column has a minimum width and a
//! priority; at a width too small for all, the least important columns are left out (never
//! the status), and what is left over is shared among the columns that grow. Drawn with
//! ratatui's `Table`, only the rows in the window around the cursor built.

use super::{fit, layout, selection};
use crate::tui::app::{App, Focus};
use crate::tui::theme::Role;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use ratatui::Frame;

/// A column: its header, its minimum width, its share of the space left over (0: fixed), its
/// priority (0 is always shown; higher numbers go first when space is short), and whether its
/// text is aligned right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Col {
    pub title: &'static str,
    pub min: usize,
    pub grow: usize,
    pub priority: u8,
    pub right: bool,
}

/// A column of `min` columns at least, taking `grow` shares of what is left, left out at
/// `priority` (0: never), its text aligned right when `right`.
pub const fn col(title: &'static str, min: usize, grow: usize, priority: u8, right: bool) -> Col {
    Col {
        title,
        min,
        grow,
        priority,
        right,
    }
}

/// A cell: its text (escaped already) and style.
pub type Text = (String, Style);

/// The widths of `cols` in `width` columns (one column between them): `None` for a column left
/// out (a column of minimum 0 always is). Pure: the tables and their tests use it.
pub fn widths(cols: &[Col], width: usize) -> Vec<Option<usize>> {
    let mut shown: Vec<bool> = cols.iter().map(|c| c.min > 0).collect();
    let need = |shown: &[bool]| -> usize {
        let n = shown.iter().filter(|s| **s).count();
        (cols.iter().zip(shown))
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.min)
            .sum::<usize>()
            + n.saturating_sub(1)
    };
    while need(&shown) > width {
        let drop = (cols.iter().enumerate())
            .filter(|(i, c)| shown[*i] && c.priority > 0)
            .max_by_key(|(i, c)| (c.priority, *i));
        match drop {
            Some((i, _)) => shown[i] = false,
            None => break,
        }
    }
    let extra = width.saturating_sub(need(&shown));
    let weights: usize = (cols.iter().zip(&shown))
        .filter(|(_, s)| **s)
        .map(|(c, _)| c.grow)
        .sum();
    let mut given = 0;
    let last_grower = (0..cols.len())
        .rev()
        .find(|&i| shown[i] && cols[i].grow > 0);
    (cols.iter().enumerate())
        .map(|(i, c)| {
            if !shown[i] {
                return None;
            }
            let mut more = (extra * c.grow).checked_div(weights).unwrap_or(0);
            if Some(i) == last_grower {
                more = extra - given;
            }
            given += more;
            Some(c.min + more)
        })
        .collect()
}

/// Draws a table pane: the header (the sorted column's with its arrow), then the rows in the
/// window around the pane's cursor (`row(i)` gives every column's cell, shown or not).
pub fn render(
    app: &App,
    f: &mut Frame,
    area: Rect,
    (focus, title): (Focus, String),
    (cols, sorted): (&[Col], Option<(usize, &str)>),
    len: usize,
    row: impl Fn(usize) -> Vec<Text>,
) {
    let t = &app.ui.theme;
    let b = super::block(app, focus, title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let ws = widths(cols, inner.width as usize);
    let pad = |s: &str, c: &Col, w: usize| {
        if c.right {
            let s = fit(s.trim_end(), w);
            let used = s.trim_end().chars().count();
            format!("{}{}", " ".repeat(w.saturating_sub(used)), s.trim_end())
        } else {
            fit(s, w)
        }
    };
    let head = |i: usize, c: &Col| match sorted {
        Some((at, arrow)) if at == i => format!("{} {arrow}", c.title),
        _ => c.title.to_string(),
    };
    let header = Row::new(
        (cols.iter().enumerate().zip(&ws))
            .filter_map(|((i, c), w)| Some(Cell::from(pad(&head(i, c), c, (*w)?)))),
    )
    .style(t.fg(Role::Title).add_modifier(Modifier::BOLD));
    let h = (inner.height as usize).saturating_sub(1);
    let cursor = crate::tui::nav::cursor(app, focus);
    let first = layout::offset(cursor, h);
    let rows = (first..len.min(first + h)).map(|i| {
        let cells =
            (row(i).into_iter().zip(cols).zip(&ws)).filter_map(|(((text, style), c), w)| {
                Some(Cell::from(pad(&text, c, (*w)?)).style(style))
            });
        let r = Row::new(cells.collect::<Vec<_>>());
        if i == cursor {
            r.style(selection(app, focus))
        } else {
            r
        }
    });
    let constraints = ws.iter().flatten().map(|&w| Constraint::Length(w as u16));
    let table = Table::new(rows.collect::<Vec<_>>(), constraints)
        .header(header)
        .column_spacing(1);
    f.render_widget(table, inner);
    if len == 0 && inner.height > 1 {
        let empty = Line::styled("  (nothing yet)", t.fg(Role::Dim));
        let below = Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        };
        f.render_widget(Paragraph::new(empty), below);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn col(title: &'static str, min: usize, grow: usize, priority: u8) -> Col {
        super::col(title, min, grow, priority, false)
    }

    #[test]
    fn the_least_important_columns_go_first_and_the_rest_is_shared() {
        let cols = [
            col("call", 6, 1, 3),
            col("tool", 8, 2, 0),
            col("agent", 6, 1, 2),
            col("latency", 7, 0, 1),
            col("status", 9, 0, 0),
        ];
        // Everything fits at its minimum (36 + 4 spaces): the rest is shared 1:2:1.
        let wide = widths(&cols, 80);
        assert_eq!(wide, vec![Some(16), Some(28), Some(16), Some(7), Some(9)]);
        assert_eq!(wide.iter().flatten().sum::<usize>() + 4, 80);
        // Too narrow for all: the call column goes, then the agent; the status stays.
        assert_eq!(widths(&cols, 38)[0], None);
        assert!(widths(&cols, 38)[4] == Some(9));
        let narrow = widths(&cols, 26);
        assert_eq!(narrow, vec![None, Some(8), None, Some(7), Some(9)]);
        // Narrower than the columns that always show: they stay (and are cut by the pane).
        assert_eq!(widths(&cols, 10), vec![None, Some(8), None, None, Some(9)]);
        // A column of minimum 0 is not shown at all.
        let mut hidden = cols;
        hidden[0].min = 0;
        assert_eq!(widths(&hidden, 80)[0], None);
    }
}
