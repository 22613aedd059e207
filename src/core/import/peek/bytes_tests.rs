//! A line found from its bytes is found as from its text: the same verdict, record and
//! counted fields, or the text's path is taken.

use super::{from_bytes, line_keeping, trimmed, Found, Out, Peek};
use crate::core::import::Format;

fn wanted(p: &Peek) -> bool {
    p.kind.as_deref() == Some("user")
}

/// Counts every field of every line, so a line counted twice shows.
fn seen(out: &mut Out, n: usize, p: &Peek) {
    for k in &p.keys {
        out.unknown(n, k.to_string());
    }
}

fn describe(f: Option<Found>, out: Out) -> String {
    let f = match f {
        None => "text's path".to_string(),
        Some(Found::Object(n, Some(r))) => format!("{n} record {} {}", r.value, r.text),
        Some(Found::Object(n, None)) => format!("{n} object"),
        Some(Found::NotObject(n)) => format!("{n} not an object"),
        Some(Found::Bad(n, e)) => format!("{n} bad {e}"),
    };
    format!("{f} {:?}", out.finish().unknown)
}

/// The line as the text's path finds it.
fn by_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}').trim();
    let mut out = Out::new(Format::ClaudeCode);
    let f = match line_keeping(
        text,
        1,
        &mut out,
        (&wanted, Some(&["type", "message"])),
        &seen,
    ) {
        Ok(Some(v)) => Found::Object(1, v),
        Ok(None) => Found::NotObject(1),
        Err(e) => Found::Bad(1, e),
    };
    describe(Some(f), out)
}

fn by_bytes(bytes: &[u8]) -> String {
    let mut out = Out::new(Format::ClaudeCode);
    let f = trimmed(bytes)
        .and_then(|b| from_bytes(b, 1, &mut out, (&wanted, Some(&["type", "message"])), &seen));
    describe(f, out)
}

#[test]
fn lines_found_from_their_bytes_are_found_as_from_their_text() {
    let lines: [&[u8]; 9] = [
        br#"{"type":"user","message":{"content":"hi"},"cwd":"/x"}"#,
        b"\xef\xbb\xbf\xef\xbb\xbf {\"type\":\"attachment\",\"a\":1}\r\n",
        b"\x0b{\"type\":\"user\",\"message\":\"caf\xc3\xa9\"}\x0c",
        b"[1, 2, \"x\"]",
        b"{\"type\":\"attachment\",\"blob\":\"\xff\xfe\"}",
        b"{\"type\":\"user\",\"message\":\"\xff\"}",
        b"{\"ty\xffpe\":\"user\"}",
        b"{\"type\":\"user\",",
        b"{\"type\":\"user\",\"message\":1} x",
    ];
    for line in lines {
        let fast = by_bytes(line);
        if !fast.starts_with("text's path") {
            assert_eq!(fast, by_text(line), "{}", String::from_utf8_lossy(line));
        }
    }
    // A wanted line that is not UTF-8, and a line that is not JSON, take the text's path
    // before anything is counted.
    assert!(by_bytes(lines[5]).starts_with("text's path []"));
    assert!(by_bytes(lines[7]).starts_with("text's path []"));
    assert!(by_bytes(lines[0]).starts_with("1 record"));
    assert!(by_bytes(lines[4]).starts_with("1 object"));
}

#[test]
fn a_line_is_trimmed_from_its_bytes_only_when_both_ends_are_ascii() {
    assert_eq!(trimmed(b"\xef\xbb\xbf  {}\r\n"), Some(&b"{}"[..]));
    assert_eq!(trimmed(b" \t\x0b\x0c\r\n"), Some(&b""[..]));
    assert_eq!(trimmed("{}\u{a0}".as_bytes()), None);
    assert_eq!(trimmed(" \u{feff}{}".as_bytes()), None);
}
