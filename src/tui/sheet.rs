//! The payload view's prepared rows: a sheet with a title, a head (the error of a failed call,
//! a finding's message and evidence) and one or two panes of rows (arguments and result side
//! by side, or everything stacked), every line already wrapped to the width it is drawn at and
//! classified by theme role. Made by `update` when the selection or the width changes; drawing
//! only slices it. Knows nothing of the app.

use super::theme::Role;
use crate::core::payload::{Block, Tok};
use unicode_width::UnicodeWidthChar;

/// One row on screen: pieces of text with their role.
pub type Row = Vec<(Role, String)>;

/// What the payload view shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub title: String,
    /// Rows above the panes (not scrolled).
    pub head: Vec<Row>,
    /// One pane (stacked) or two (side by side); each pane's first row is its title.
    pub panes: Vec<Vec<Row>>,
    /// What `y` copies.
    pub copy: String,
    /// Lines were left out of a payload (`L` loads them).
    pub cut: bool,
}

/// The role a token is drawn in.
pub fn role(t: Tok) -> Role {
    match t {
        Tok::Key => Role::JsonKey,
        Tok::Str => Role::JsonString,
        Tok::Num => Role::JsonNumber,
        Tok::Lit => Role::JsonLiteral,
        Tok::Punct => Role::Dim,
        Tok::Text => Role::Fg,
    }
}

/// `pieces` wrapped to `width` columns (wide characters counted as two), pushed onto `out`.
/// Linear in the length of the text.
pub fn wrap(pieces: &[(Role, String)], width: usize, out: &mut Vec<Row>) {
    let width = width.max(4);
    let mut row: Row = Vec::new();
    let mut used = 0;
    for (role, text) in pieces {
        let mut piece = String::new();
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                if !piece.is_empty() {
                    row.push((*role, std::mem::take(&mut piece)));
                }
                out.push(std::mem::take(&mut row));
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        if !piece.is_empty() {
            row.push((*role, piece));
        }
    }
    out.push(row);
}

/// A text of one role wrapped onto `out` at spaces (a word longer than a row is split).
pub fn wrap_text(role: Role, text: &str, width: usize, out: &mut Vec<Row>) {
    let width = width.max(4);
    let body = text.trim_start_matches(' ');
    // A leading indent is kept (up to half the row).
    let mut line = " ".repeat((text.len() - body.len()).min(width / 2));
    let mut used = line.len();
    for word in body.split(' ') {
        let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        let gap = usize::from(used > 0 && !line.ends_with(' '));
        if used > 0 && used + gap + w > width {
            out.push(vec![(role, std::mem::take(&mut line))]);
            used = 0;
        } else if gap > 0 {
            line.push(' ');
            used += 1;
        }
        if w > width {
            // Too long for any row: split it, its end starts the next row.
            let mut rows = Vec::new();
            wrap(&[(role, format!("{line}{word}"))], width, &mut rows);
            let last = rows.pop().unwrap_or_default();
            out.extend(rows);
            line = last.into_iter().map(|(_, s)| s).collect();
            used = line.chars().map(|c| c.width().unwrap_or(0)).sum();
            continue;
        }
        line.push_str(word);
        used += w;
    }
    out.push(vec![(role, line)]);
}

/// A payload's block as wrapped rows under a title row; notes whether lines were left out.
pub fn pane(title: &str, block: Option<&Block>, missing: &str, width: usize) -> (Vec<Row>, bool) {
    let mut rows = Vec::new();
    let Some(b) = block else {
        wrap_text(Role::Title, title, width, &mut rows);
        wrap_text(Role::Dim, missing, width, &mut rows);
        return (rows, false);
    };
    let mut head = format!("{title} · {}", b.size_note());
    if b.cut() {
        head.push_str(" · L loads all");
    }
    wrap_text(Role::Title, &head, width, &mut rows);
    for line in &b.lines.lines {
        let pieces: Row = line.iter().map(|(t, s)| (role(*t), s.clone())).collect();
        wrap(&pieces, width, &mut rows);
    }
    (rows, b.cut())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(rows: &[Row]) -> Vec<String> {
        let join = |r: &Row| r.iter().map(|(_, s)| s.as_str()).collect::<String>();
        rows.iter().map(join).collect()
    }

    #[test]
    fn wrapping_keeps_every_character_and_its_role() {
        let mut out = Vec::new();
        wrap(
            &[
                (Role::JsonKey, "\"abcdef\"".into()),
                (Role::Dim, ": ".into()),
            ],
            4,
            &mut out,
        );
        assert_eq!(plain(&out), ["\"abc", "def\"", ": "]);
        assert_eq!(out[1], vec![(Role::JsonKey, "def\"".to_string())]);
        assert_eq!(out[2], vec![(Role::Dim, ": ".to_string())]);
        let mut out = Vec::new();
        wrap_text(Role::Fg, "日本語です", 5, &mut out);
        assert_eq!(plain(&out), ["日本", "語で", "す"]);
        let mut out = Vec::new();
        wrap_text(
            Role::Fg,
            "a tool call never completed abcdefghijkl x",
            10,
            &mut out,
        );
        assert_eq!(
            plain(&out),
            ["a tool", "call never", "completed", "abcdefghij", "kl x"]
        );
    }
}
