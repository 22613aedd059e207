//! What a tool call carried: its arguments, its result and the error of a failed one, read
//! from the frames' texts by the field lookup rule, and shown as pretty JSON or as text with
//! their sizes (`showing 2,000 of 48,113 lines · 1.9 MB`). Pure: frame text in, lines out.

pub mod pretty;
pub mod scan;

pub use pretty::{Line, Lines, Tok};

/// Keys that hold a tool call's arguments, in the order they are looked for.
const ARGUMENTS: [&str; 5] = ["parameters", "arguments", "args", "input", "tool_input"];
/// Keys that hold a tool call's result.
const RESULT: [&str; 3] = ["result", "results", "output"];

/// A payload made ready to show: its lines, how many there are, its size in bytes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub lines: Lines,
    pub bytes: usize,
    /// It is text (a JSON string, or not JSON at all), not pretty JSON.
    pub text: bool,
}

impl Block {
    /// `showing 2,000 of 48,113 lines · 1.9 MB`, when not every line is kept; else the size.
    pub fn size_note(&self) -> String {
        let (kept, total) = (self.lines.lines.len(), self.lines.total);
        let size = bytes(self.bytes);
        if kept < total {
            format!(
                "showing {} of {} lines · {size}",
                thousands(kept),
                thousands(total)
            )
        } else {
            format!(
                "{} {} · {size}",
                thousands(total),
                plural(total, "line", "lines")
            )
        }
    }

    /// Whether lines were left out.
    pub fn cut(&self) -> bool {
        self.lines.lines.len() < self.lines.total
    }
}

/// A JSON value's text as lines: a string as its text (unescaped, then escaped for the
/// screen), other JSON pretty-printed, anything else as text.
pub fn block(raw: &str, max_lines: usize, max_chars: usize) -> Block {
    let bytes = raw.len();
    let trimmed = raw.trim();
    if trimmed.starts_with('"') {
        if let Ok(s) = serde_json::from_str::<String>(trimmed) {
            let lines = pretty::text(&s, max_lines, max_chars);
            return Block {
                lines,
                bytes,
                text: true,
            };
        }
    }
    match pretty::json(trimmed, max_lines, max_chars) {
        Some(lines) => Block {
            lines,
            bytes,
            text: false,
        },
        None => Block {
            lines: pretty::text(raw, max_lines, max_chars),
            bytes,
            text: true,
        },
    }
}

/// The arguments a `tool_executing` frame carries.
pub fn arguments(frame: &str) -> Option<&str> {
    scan::field(&scan::layers(frame), &ARGUMENTS)
}

/// The result a `tool_completed` frame carries.
pub fn result(frame: &str) -> Option<&str> {
    scan::field(&scan::layers(frame), &RESULT)
}

/// The error a failed result names: `result.error`, else the frame's `error` or
/// `error_message`, else a failing `result.status` (`status: timeout`), as one line of text.
pub fn error(frame: &str) -> Option<String> {
    let layers = scan::layers(frame);
    let result = scan::field(&layers, &RESULT).and_then(scan::members);
    let in_result = |k: &str| result.as_deref().and_then(|m| scan::get(m, k));
    let found = (in_result("error"))
        .or_else(|| scan::field(&layers, &["error", "error_message"]))
        .filter(|e| !matches!(e.trim(), "null" | "false" | "\"\""));
    if let Some(e) = found {
        return Some(as_text(e));
    }
    let status = in_result("status").or_else(|| scan::field(&layers, &["status"]))?;
    let status = as_text(status);
    let failed = ["error", "failed", "failure", "timeout", "timed_out"];
    failed
        .contains(&status.to_ascii_lowercase().as_str())
        .then(|| format!("status: {status}"))
}

/// A JSON value as one line: a string's text, else the value's own text.
fn as_text(raw: &str) -> String {
    let raw = raw.trim();
    let s = serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string());
    crate::core::escape::escape(&s, true)
}

/// `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `512 B`, `4.0 KB`, `1.9 MB` (powers of 1024).
pub fn bytes(n: usize) -> String {
    let n = n as f64;
    match n {
        n if n < 1024.0 => format!("{n} B"),
        n if n < 1024.0 * 1024.0 => format!("{:.1} KB", n / 1024.0),
        n => format!("{:.1} MB", n / (1024.0 * 1024.0)),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests;
