//! The report as one self-contained HTML file: inline CSS and SVG, no script, no external
//! asset, every text escaped.

use super::{svg, Block};
use std::fmt::Write as _;

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;\
padding:0 1em;color:#1d2330;background:#fff}h1{font-size:1.5em}h2{border-bottom:1px solid #ccd;\
margin-top:2em}section.run{border-left:3px solid #8aa;padding-left:1em;margin:1.5em 0}\
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #dde;\
padding:3px 6px;vertical-align:top;text-align:left}th{background:#eef}\
pre{background:#f5f6fa;padding:6px;margin:0;white-space:pre-wrap;word-break:break-all;\
max-height:24em;overflow:auto}ul.tree{list-style:none;padding-left:0;font-family:monospace}\
div.finding{border:1px solid #dde;padding:0 1em 1em;margin:1em 0}\
svg text{font:11px monospace;fill:#1d2330}rect.ok{fill:#5b9b6b}rect.failed{fill:#c0504d}\
rect.open{fill:#c9a227}rect.call{opacity:.75}line.tick{stroke:#dde}";

/// `&`, `<`, `>`, `"` and `'` as entities.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole file.
pub fn write(doc: &[Block]) -> String {
    let title = doc.iter().find_map(|b| match b {
        Block::H(1, t) => Some(t.as_str()),
        _ => None,
    });
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width\"/>");
    let _ = write!(
        out,
        "<title>{}</title>",
        esc(title.unwrap_or("orchscope report"))
    );
    let _ = writeln!(out, "<style>{STYLE}</style></head>\n<body>");
    for b in doc {
        block(&mut out, b);
    }
    out.push_str("</body></html>\n");
    out
}

fn cell(out: &mut String, tag: &str, text: &str) {
    if text.contains('\n') || text.len() > 120 {
        let _ = write!(out, "<{tag}><pre>{}</pre></{tag}>", esc(text));
    } else {
        let _ = write!(out, "<{tag}>{}</{tag}>", esc(text));
    }
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::H(n, t) => {
            let _ = writeln!(out, "<h{n}>{}</h{n}>", esc(t));
        }
        Block::P(t) => {
            let _ = writeln!(out, "<p>{}</p>", esc(t));
        }
        Block::Items(items) => {
            out.push_str("<ul>");
            for i in items {
                let _ = write!(out, "<li>{}</li>", esc(i));
            }
            out.push_str("</ul>\n");
        }
        Block::Tree(rows) => {
            out.push_str("<ul class=\"tree\">");
            for (depth, line) in rows {
                let pad = (*depth).min(40) as f64 * 1.5;
                let _ = write!(
                    out,
                    "<li class=\"agent\" style=\"padding-left:{pad}em\">{}{}</li>",
                    if *depth > 0 { "└ " } else { "" },
                    esc(line)
                );
            }
            out.push_str("</ul>\n");
        }
        Block::Table(class, head, rows) => {
            let _ = write!(out, "<table><thead><tr>");
            for h in head {
                cell(out, "th", h);
            }
            out.push_str("</tr></thead><tbody>");
            for row in rows {
                let _ = write!(out, "<tr class=\"{class}\">");
                for c in row {
                    cell(out, "td", c);
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table>\n");
        }
        Block::Pre(t) => {
            let _ = writeln!(out, "<pre>{}</pre>", esc(t));
        }
        Block::Waterfall(bars, span) => out.push_str(&svg::waterfall(bars, *span)),
        Block::Open(tag, class) => {
            let _ = writeln!(out, "<{tag} class=\"{class}\">");
        }
        Block::Close(tag) => {
            let _ = writeln!(out, "</{tag}>");
        }
    }
}
