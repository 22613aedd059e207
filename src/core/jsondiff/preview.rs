//! A value's compact JSON, cut short: what a change shows of each side. Written without
//! recursion and stopped once long enough, so a huge or deeply nested value costs no more than
//! the characters shown.

use serde_json::Value;

/// An open array or object being written.
enum Open<'a> {
    Array(std::slice::Iter<'a, Value>, bool),
    Object(serde_json::map::Iter<'a>, bool),
}

/// At most about `max` characters of `value`'s compact JSON; `…` ends a shortened one.
pub fn preview(value: &Value, max: usize) -> String {
    let mut out = String::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut next = Some(value);
    loop {
        if out.len() > max {
            let mut cut = max;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push('…');
            return out;
        }
        if let Some(v) = next.take() {
            match v {
                Value::Array(items) => {
                    out.push('[');
                    stack.push(Open::Array(items.iter(), true));
                }
                Value::Object(map) => {
                    out.push('{');
                    stack.push(Open::Object(map.iter(), true));
                }
                Value::String(s) => out.push_str(&quoted(s, max)),
                scalar => out.push_str(&scalar.to_string()),
            }
            continue;
        }
        let Some(top) = stack.last_mut() else {
            return out;
        };
        match top {
            Open::Array(items, first) => match items.next() {
                Some(v) => {
                    if !std::mem::replace(first, false) {
                        out.push(',');
                    }
                    next = Some(v);
                }
                None => {
                    out.push(']');
                    stack.pop();
                }
            },
            Open::Object(entries, first) => match entries.next() {
                Some((k, v)) => {
                    if !std::mem::replace(first, false) {
                        out.push(',');
                    }
                    out.push_str(&quoted(k, max));
                    out.push(':');
                    next = Some(v);
                }
                None => {
                    out.push('}');
                    stack.pop();
                }
            },
        }
    }
}

/// A string as JSON, only its first `max` characters taken (the caller cuts the rest).
fn quoted(s: &str, max: usize) -> String {
    let end = s.char_indices().nth(max + 1).map_or(s.len(), |(i, _)| i);
    Value::from(&s[..end]).to_string()
}
