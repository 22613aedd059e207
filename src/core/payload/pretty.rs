//! JSON text pretty-printed as lines of classified tokens (keys, strings, numbers, literals,
//! punctuation), or plain text as lines, for showing a payload: one forward pass with an
//! explicit stack of open containers (never recursion, whatever the nesting), the indent capped,
//! at most `max_lines` lines kept and every further line only counted, each kept line cut at
//! `max_chars` characters. Every string is escaped, so wire text is never interpreted.

use super::scan::{skip_ws, string_end};
use crate::core::escape::escape;

/// What a piece of a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tok {
    Key,
    Str,
    Num,
    Lit,
    Punct,
    Text,
}

/// One line: its pieces in order.
pub type Line = Vec<(Tok, String)>;

/// Lines made of a payload: the first ones, and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lines {
    pub lines: Vec<Line>,
    pub total: usize,
}

/// Deepest indent drawn (levels); deeper values are drawn at this indent.
const INDENT_MAX: usize = 24;

struct Out {
    lines: Vec<Line>,
    cur: Line,
    chars: usize,
    total: usize,
    max_lines: usize,
    max_chars: usize,
}

impl Out {
    fn push(&mut self, tok: Tok, text: &str) {
        if self.total >= self.max_lines || self.chars >= self.max_chars {
            return;
        }
        let room = self.max_chars - self.chars;
        let n = text.chars().count();
        let piece = if n > room {
            let cut: String = text.chars().take(room).collect();
            format!("{cut}… ({} more characters)", n - room)
        } else {
            text.to_string()
        };
        self.chars += n.min(room);
        self.cur.push((tok, piece));
    }

    fn newline(&mut self, depth: usize) {
        self.end_line();
        if self.total < self.max_lines && depth > 0 {
            self.cur
                .push((Tok::Punct, "  ".repeat(depth.min(INDENT_MAX))));
        }
    }

    fn end_line(&mut self) {
        let line = std::mem::take(&mut self.cur);
        if self.total < self.max_lines {
            self.lines.push(line);
        }
        self.total += 1;
        self.chars = 0;
    }
}

/// What the grammar allows next.
#[derive(Clone, Copy, PartialEq)]
enum Next {
    Value,
    Key,
    Colon,
    /// A comma or the container's close (the end of the text at depth 0).
    After,
}

/// `text` pretty-printed when it is one JSON value; `None` when it is not JSON.
pub fn json(text: &str, max_lines: usize, max_chars: usize) -> Option<Lines> {
    let b = text.as_bytes();
    let mut p = Printer {
        out: Out {
            lines: Vec::new(),
            cur: Vec::new(),
            chars: 0,
            total: 0,
            max_lines,
            max_chars,
        },
        stack: Vec::new(),
        next: Next::Value,
    };
    let mut i = skip_ws(b, 0);
    while i < b.len() {
        if p.next == Next::After && p.stack.is_empty() {
            return None;
        }
        i = skip_ws(b, p.step(text, i)?);
    }
    if !p.stack.is_empty() || p.next != Next::After {
        return None;
    }
    p.out.end_line();
    Some(Lines {
        lines: p.out.lines,
        total: p.out.total,
    })
}

/// The pretty-printer's state: what it wrote, the open containers (whether each is an
/// object), what may come next.
struct Printer {
    out: Out,
    stack: Vec<bool>,
    next: Next,
}

impl Printer {
    /// Takes the token at `i`; the index after it, or `None` when the text is not JSON.
    fn step(&mut self, text: &str, i: usize) -> Option<usize> {
        let b = text.as_bytes();
        let c = b[i];
        let out = &mut self.out;
        Some(match (self.next, c) {
            (Next::Value, b'{' | b'[') => {
                let (open, close) = if c == b'{' { ("{", b'}') } else { ("[", b']') };
                let j = skip_ws(b, i + 1);
                if b.get(j) == Some(&close) {
                    out.push(Tok::Punct, if c == b'{' { "{}" } else { "[]" });
                    self.next = Next::After;
                    return Some(j + 1);
                }
                out.push(Tok::Punct, open);
                self.stack.push(c == b'{');
                self.next = if c == b'{' { Next::Key } else { Next::Value };
                out.newline(self.stack.len());
                j
            }
            (Next::After, b'}' | b']') => {
                let obj = self.stack.pop()?;
                if obj != (c == b'}') {
                    return None;
                }
                out.newline(self.stack.len());
                out.push(Tok::Punct, if obj { "}" } else { "]" });
                i + 1
            }
            (Next::After, b',') => {
                let obj = *self.stack.last()?;
                out.push(Tok::Punct, ",");
                out.newline(self.stack.len());
                self.next = if obj { Next::Key } else { Next::Value };
                i + 1
            }
            (Next::Colon, b':') => {
                out.push(Tok::Punct, ": ");
                self.next = Next::Value;
                i + 1
            }
            (Next::Key | Next::Value, b'"') => {
                let end = string_end(b, i)?;
                let key = self.next == Next::Key;
                out.push(
                    if key { Tok::Key } else { Tok::Str },
                    &escape(text.get(i..end)?, true),
                );
                self.next = if key { Next::Colon } else { Next::After };
                end
            }
            (Next::Value, _) => {
                let end = super::scan::value_end(b, i)?;
                out.push(scalar(text.get(i..end)?)?, text.get(i..end)?);
                self.next = Next::After;
                end
            }
            _ => return None,
        })
    }
}

/// A number or a literal; `None` for anything else.
fn scalar(word: &str) -> Option<Tok> {
    match word {
        "true" | "false" | "null" => Some(Tok::Lit),
        w if w.starts_with(|c: char| c == '-' || c.is_ascii_digit())
            && w.parse::<f64>().is_ok() =>
        {
            Some(Tok::Num)
        }
        _ => None,
    }
}

/// Plain text as lines (escaped, each cut at `max_chars`), at most `max_lines` kept.
pub fn text(text: &str, max_lines: usize, max_chars: usize) -> Lines {
    let mut lines = Vec::new();
    let mut total = 0;
    for l in text.split('\n') {
        if total < max_lines {
            let l = l.strip_suffix('\r').unwrap_or(l);
            let n = l.chars().count();
            let shown = match l.char_indices().nth(max_chars) {
                Some((at, _)) => format!("{}… ({} more characters)", &l[..at], n - max_chars),
                None => l.to_string(),
            };
            lines.push(vec![(Tok::Text, escape(&shown, true))]);
        }
        total += 1;
    }
    Lines { lines, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(l: &Lines) -> Vec<String> {
        let join = |line: &Line| line.iter().map(|(_, s)| s.as_str()).collect::<String>();
        l.lines.iter().map(join).collect()
    }

    #[test]
    fn json_is_indented_and_classified() {
        let l = json(
            r#"{"a": [1, true, "x\u001b"], "b": {}, "c": -2.5e3}"#,
            100,
            100,
        )
        .unwrap();
        assert_eq!(
            plain(&l),
            [
                "{",
                "  \"a\": [",
                "    1,",
                "    true,",
                "    \"x\\u001b\"",
                "  ],",
                "  \"b\": {},",
                "  \"c\": -2.5e3",
                "}"
            ]
        );
        assert_eq!(l.total, 9);
        let kinds: Vec<Tok> = l.lines[1].iter().map(|(t, _)| *t).collect();
        assert_eq!(kinds, [Tok::Punct, Tok::Key, Tok::Punct, Tok::Punct]);
        assert_eq!(l.lines[3][1], (Tok::Lit, "true".into()));
        assert_eq!(l.lines[2][1], (Tok::Num, "1".into()));
        assert_eq!(l.lines[4][1].0, Tok::Str);
        assert_eq!(json("\"just a string\"", 9, 99).unwrap().total, 1);
    }

    #[test]
    fn what_is_not_json_is_refused() {
        for bad in ["", "{", "[1,", "{\"a\" 1}", "[1] 2", "nope", "[}", "1 2"] {
            assert!(json(bad, 10, 10).is_none(), "{bad}");
        }
    }

    #[test]
    fn huge_payloads_are_bounded_and_counted() {
        let big = format!("[{}0]", "1,".repeat(50_000));
        let l = json(&big, 2000, 100).unwrap();
        assert_eq!(l.lines.len(), 2000);
        assert_eq!(l.total, 50_003);
        let long = format!("\"{}\"", "x".repeat(10_000));
        let l = json(&long, 10, 50).unwrap();
        assert!(
            plain(&l)[0].ends_with("… (9952 more characters)"),
            "{:?}",
            plain(&l)
        );
        let t = text("a\nb\r\nc\u{1b}", 2, 10);
        assert_eq!((plain(&t), t.total), (vec!["a".to_string(), "b".into()], 3));
    }

    #[test]
    fn deep_nesting_needs_no_recursion() {
        let n = 300_000;
        let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let l = json(&deep, 100, 200).unwrap();
        assert_eq!(l.lines.len(), 100);
        assert!(l.total > n);
        // The indent stops growing.
        assert!(plain(&l)[99].len() <= 2 * INDENT_MAX + 1);
    }
}
