//! The report as Markdown: the same blocks, text escaped so no input becomes markup, payloads
//! in fences longer than any run of backticks they hold.

use super::Block;
use std::fmt::Write as _;

/// Markdown's and HTML's special characters escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn fence(out: &mut String, text: &str) {
    let (mut run, mut longest) = (0usize, 0usize);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let f = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{f}text\n{text}\n{f}\n");
}

/// The whole file.
pub fn write(doc: &[Block]) -> String {
    let mut out = String::new();
    for b in doc {
        match b {
            Block::H(n, t) => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from(*n)), esc(t));
            }
            Block::P(t) => {
                let _ = writeln!(out, "{}\n", esc(t));
            }
            Block::Items(items) => {
                items.iter().for_each(|i| {
                    let _ = writeln!(out, "- {}", esc(i));
                });
                out.push('\n');
            }
            Block::Tree(rows) => {
                for (depth, line) in rows {
                    let _ = writeln!(out, "{}- {}", "  ".repeat((*depth).min(40)), esc(line));
                }
                out.push('\n');
            }
            Block::Table(_, head, rows) => table(&mut out, head, rows),
            Block::Pre(t) => fence(&mut out, t),
            Block::Waterfall(bars, _) => {
                out.push_str("| bar | start | end |\n| --- | --- | --- |\n");
                for bar in bars {
                    let end = bar.end.map_or("no end".into(), |e| format!("{e:.0}ms"));
                    let _ = writeln!(out, "| {} | {:.0}ms | {end} |", esc(&bar.label), bar.start);
                }
                out.push('\n');
            }
            Block::Open(..) | Block::Close(_) => {}
        }
    }
    out
}

/// Each row as a list item of its short cells, its long ones in fences after it.
fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    for row in rows {
        let mut short = Vec::new();
        let mut long = Vec::new();
        for (h, c) in head.iter().zip(row) {
            if c.contains('\n') || c.len() > 120 {
                long.push((h, c));
            } else if !c.is_empty() {
                short.push(format!("{h}: {}", esc(c)));
            }
        }
        let _ = writeln!(out, "- {}", short.join(" · "));
        for (h, c) in long {
            let _ = writeln!(out, "\n  {h}:\n");
            fence(out, c);
        }
    }
    out.push('\n');
}
