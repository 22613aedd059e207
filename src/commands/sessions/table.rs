//! The listing as text — an aligned table within 100 columns, three lines a session (the
//! columns, the first prompt, the path), everything from a file escaped for the terminal —
//! and as JSON, an array of objects with fixed keys.

use super::row::Row;
use crate::core::escape::{escape, json_pretty};
use chrono::{DateTime, Local, SecondsFormat, TimeZone as _, Utc};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;
use unicode_width::{UnicodeWidthChar as _, UnicodeWidthStr as _};

/// The widest a line gets.
pub const WIDTH: usize = 100;
/// The prompt and path lines' indent.
const INDENT: &str = "  ";
const STARTED: usize = 16;
const PRODUCER: usize = 13;
const SESSION: usize = 36;

/// The column titles.
pub fn header() -> String {
    format!(
        "{:<STARTED$}  {:<PRODUCER$}  {:<SESSION$}  {:>5} {:>6} {:>5} {:>5}",
        "STARTED", "PRODUCER", "SESSION", "TURNS", "AGENTS", "TOOLS", "FAILS"
    )
}

/// One session's three lines; paths under `home` are shown as `~/…`.
pub fn text(row: &Row, home: Option<&Path>) -> String {
    let mut out = format!(
        "{:<STARTED$}  {}  {}  ",
        local_time(row.started_ms),
        pad(&row.producer, PRODUCER),
        pad(&row.id, SESSION)
    );
    let room = WIDTH - INDENT.len();
    let second = match &row.counts {
        Ok(c) => {
            let _ = write!(
                out,
                "{:>5} {:>6} {:>5} {:>5}",
                c.turns, c.agents, c.tool_calls, c.failures
            );
            row.prompt
                .as_deref()
                .map_or("—".to_string(), |p| fit(p, room))
        }
        Err(e) => {
            out.push_str("error");
            fit(&format!("error: {e}"), room)
        }
    };
    let home = home.filter(|h| h.parent().is_some());
    let path = match home.and_then(|h| row.path.strip_prefix(h).ok()) {
        Some(rest) => Path::new("~").join(rest),
        None => row.path.clone(),
    };
    let _ = writeln!(out);
    let _ = writeln!(out, "{INDENT}{second}");
    let _ = writeln!(out, "{INDENT}{}", fit_path(&path.to_string_lossy(), room));
    out
}

/// One session in the JSON listing.
#[derive(Serialize)]
struct Entry<'a> {
    producer: &'a str,
    id: &'a str,
    /// RFC 3339, UTC.
    started: String,
    prompt: Option<&'a str>,
    turns: Option<usize>,
    agents: Option<usize>,
    tool_calls: Option<usize>,
    failures: Option<usize>,
    path: String,
    /// Why the file could not be read or imported (the counts are then null).
    error: Option<&'a str>,
}

/// The listing as a JSON array.
pub fn json(rows: &[Row]) -> String {
    let entries: Vec<Entry> = rows
        .iter()
        .map(|r| {
            let counts = r.counts.as_ref().ok();
            Entry {
                producer: &r.producer,
                id: &r.id,
                started: utc_time(r.started_ms),
                prompt: r.prompt.as_deref(),
                turns: counts.map(|c| c.turns),
                agents: counts.map(|c| c.agents),
                tool_calls: counts.map(|c| c.tool_calls),
                failures: counts.map(|c| c.failures),
                path: r.path.to_string_lossy().into_owned(),
                error: r.counts.as_ref().err().map(String::as_str),
            }
        })
        .collect();
    json_pretty(&entries).unwrap_or_else(|_| "[]".to_string())
}

/// `2026-11-27 13:54` in local time.
fn local_time(ms: f64) -> String {
    Local
        .timestamp_millis_opt(ms as i64)
        .single()
        .map_or("—".to_string(), |t| {
            t.format("%Y-%m-%d %H:%M").to_string()
        })
}

fn utc_time(ms: f64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms as i64).map_or(String::new(), |t| {
        t.to_rfc3339_opts(SecondsFormat::Millis, true)
    })
}

/// `text` on one line, escaped, cut to `cols` columns (`…` marks a cut).
fn fit(text: &str, cols: usize) -> String {
    let text = escape(text.trim(), true);
    if text.width() <= cols {
        return text;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > cols {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// [`fit`], padded with spaces to exactly `cols` columns.
fn pad(text: &str, cols: usize) -> String {
    let mut out = fit(text, cols);
    let w = out.width();
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// A path escaped, the end of its directory left out when it is wider than `cols`: its start
/// says where it is and its file name which session it is, so the file name stays whole
/// when it can.
fn fit_path(path: &str, cols: usize) -> String {
    let text = escape(path, true);
    if text.width() <= cols {
        return text;
    }
    let Some(slash) = text.rfind('/') else {
        return fit(&text, cols);
    };
    let name = &text[slash..];
    // `…` and the file name, after as much of the directory as is left room for.
    let Some(room) = cols.checked_sub(name.width() + 1).filter(|&r| r > 0) else {
        return fit(&text, cols);
    };
    let mut out = String::new();
    let mut used = 0;
    for c in text[..slash].chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out.push_str(name);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::sessions::row::Counts;
    use std::path::PathBuf;

    fn row(prompt: &str, path: &str, counts: Result<Counts, String>) -> Row {
        Row {
            producer: "claude-code".into(),
            id: "99999999-9999-4999-8999-999999999999".into(),
            started_ms: 0.0,
            prompt: Some(prompt.into()),
            counts,
            path: PathBuf::from(path),
        }
    }

    #[test]
    fn every_line_fits_and_nothing_raw_reaches_the_terminal() {
        let long = format!("\u{1b}[31mred\u{7} {}", "é".repeat(300));
        let counts = Counts {
            turns: 1,
            agents: 3,
            tool_calls: 12345,
            failures: 2,
        };
        let path = format!("/home/u/{}/x.jsonl", "d".repeat(200));
        let out = text(&row(&long, &path, Ok(counts)), Some(Path::new("/home/u")));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert!(l.width() <= WIDTH, "{l}");
            assert!(!l.chars().any(char::is_control), "{l:?}");
        }
        assert!(
            lines[0].ends_with("    1      3 12345     2"),
            "{}",
            lines[0]
        );
        assert!(lines[1].starts_with("  ␛[31mred␇ éé"), "{}", lines[1]);
        assert!(lines[2].starts_with("  ~/ddd") && lines[2].ends_with("dd…/x.jsonl"));
        let name = "n".repeat(120);
        assert_eq!(fit_path(&format!("/a/{name}"), 10), "/a/nnnnnn…");
        assert!(header().width() <= WIDTH);
        assert_eq!(header().width(), lines[0].width());
    }

    #[test]
    fn an_error_takes_the_place_of_the_counts() {
        let out = text(&row("", "/x.jsonl", Err("empty file".into())), None);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].ends_with("  error"), "{}", lines[0]);
        assert_eq!(lines[1], "  error: empty file");
        let j: serde_json::Value =
            serde_json::from_str(&json(&[row("p", "/x.jsonl", Err("bad".into()))])).unwrap();
        assert_eq!(j[0]["error"], "bad");
        assert!(j[0]["turns"].is_null());
        assert_eq!(j[0]["started"], "1970-01-01T00:00:00.000Z");
    }
}
