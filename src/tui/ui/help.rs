//! The `?` overlay (also `:help`): every action with its keys, generated from the live keymap
//! (so remapped keys show as remapped), the filter syntax and the commands (from the command
//! table). Nothing is cut: the keys are laid out in as many columns as fit whole, the prose
//! wraps, and when it is taller than the screen the moves scroll it (the title says so).

use crate::tui::app::App;
use crate::tui::cmdline::COMMANDS;
use crate::tui::keymap::Action;
use crate::tui::theme::Role;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

/// `text` in lines of at most `w` columns, broken between words (its leading spaces kept),
/// each line but the first starting with `indent`.
pub fn wrap(text: &str, w: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = text[..text.len() - text.trim_start().len()].to_string();
    for word in text.split_whitespace() {
        let fresh = cur.trim().is_empty();
        if !fresh && cur.width() + 1 + word.width() > w {
            lines.push(std::mem::replace(&mut cur, indent.to_string()));
        } else if !fresh {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    lines
}

/// The help's lines for an inner width of `w`.
fn lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let t = &app.ui.theme;
    let entries: Vec<(String, &str)> = (Action::ALL.iter())
        .map(|a| (app.ui.keymap.label(*a), a.describe()))
        .collect();
    // As many columns as fit whole, each as wide as its own widest key and description.
    let layout = |cols: usize| {
        let rows = entries.len().div_ceil(cols);
        let widths: Vec<(usize, usize)> = (entries.chunks(rows.max(1)))
            .map(|col| {
                let kw = col.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
                (kw, col.iter().map(|(_, d)| d.width()).max().unwrap_or(0))
            })
            .collect();
        (rows, widths)
    };
    let fits = |cols: usize| layout(cols).1.iter().map(|(k, d)| k + d + 4).sum::<usize>() <= w;
    let cols = (1..=3).rev().find(|&c| fits(c)).unwrap_or(1);
    let (rows, widths) = layout(cols);
    let mut out = Vec::new();
    for r in 0..rows {
        let mut spans = Vec::new();
        for (c, (kw, dw)) in widths.iter().enumerate() {
            if let Some((k, d)) = entries.get(c * rows + r) {
                spans.push(Span::styled(
                    format!(" {}  ", super::fit(k, *kw)),
                    t.fg(Role::Title),
                ));
                spans.push(Span::raw(super::fit(d, dw + 1)));
            }
        }
        out.push(Line::from(spans));
    }
    out.push(Line::raw(""));
    let filter = " filter (/, applies to the tab shown, narrowing as you type): text  /regex/  agent:NAME type:tool_* status:error tool:query* dur:>500ms run:ID  !negates";
    let commands: Vec<&str> = COMMANDS.iter().map(|c| c.example).collect();
    let commands = format!(" commands: {}", commands.join(" · "));
    for prose in [filter, commands.as_str()] {
        out.extend(
            wrap(prose, w, "   ")
                .into_iter()
                .map(|l| Line::styled(l, t.fg(Role::Dim))),
        );
    }
    out
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.ui.theme;
    f.render_widget(Clear, area);
    let inner_w = area.width.saturating_sub(2) as usize;
    let all = lines(app, inner_w);
    let h = area.height.saturating_sub(2) as usize;
    let first = app.cursors.help.min(all.len().saturating_sub(h));
    let title = if all.len() > h {
        let last = (first + h).min(all.len());
        format!(
            " Help · lines {}–{last} of {} · ↑↓ scroll · any other key closes ",
            first + 1,
            all.len()
        )
    } else {
        " Help · any key closes ".to_string()
    };
    let b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(true))
        .title(title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let shown: Vec<Line> = all.into_iter().skip(first).take(h).collect();
    f.render_widget(Paragraph::new(shown), inner);
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn prose_wraps_between_words_and_never_past_the_width() {
        let text = " commands: :goto 03:12 | :goto #120 · :theme light · :help · :quit";
        for w in [20, 33, 78] {
            let lines = wrap(text, w, "   ");
            assert!(lines.iter().all(|l| l.chars().count() <= w), "{lines:?}");
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
        }
        assert_eq!(wrap("a b", 80, "  "), vec!["a b".to_string()]);
        assert_eq!(
            wrap(" a b", 2, "  "),
            vec![" a".to_string(), "  b".to_string()]
        );
    }
}
