//! A native frame's payload written straight to JSON text, without building a map first: fields
//! set by name, written in key order with null fields left out — the very text a
//! `serde_json::Map` of the same fields gives.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::Value;

/// One field's value.
pub(crate) enum Field<'a> {
    Str(Cow<'a, str>),
    Json(Value),
}

impl From<&'static str> for Field<'_> {
    fn from(s: &'static str) -> Self {
        Field::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Field<'_> {
    fn from(s: String) -> Self {
        Field::Str(Cow::Owned(s))
    }
}

impl From<Value> for Field<'_> {
    fn from(v: Value) -> Self {
        Field::Json(v)
    }
}

/// The fields of one payload, by name (a name set again replaces its value).
#[derive(Default)]
pub(crate) struct Payload<'a> {
    fields: Vec<(&'static str, Field<'a>)>,
}

impl<'a> Payload<'a> {
    pub(crate) fn new() -> Payload<'a> {
        Payload {
            fields: Vec::with_capacity(12),
        }
    }

    /// Sets a field; a JSON null is not written.
    pub(crate) fn set(&mut self, key: &'static str, value: impl Into<Field<'a>>) {
        let value = value.into();
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.fields.push((key, value)),
        }
    }

    /// Sets a borrowed string field.
    pub(crate) fn set_str(&mut self, key: &'static str, value: &'a str) {
        self.set(key, Field::Str(Cow::Borrowed(value)));
    }

    /// About how long the payload's text is (escapes aside), to make room for it at once.
    pub(crate) fn len_hint(&self) -> usize {
        let value = |v: &Field| match v {
            Field::Str(s) => s.len() + s.len() / 16 + 2,
            Field::Json(_) => 64,
        };
        (self.fields.iter())
            .map(|(k, v)| k.len() + 4 + value(v))
            .sum()
    }

    /// The payload as a JSON object's text.
    #[cfg(test)]
    pub(crate) fn json(&mut self) -> String {
        let mut text = String::new();
        self.write(&mut text);
        text
    }

    /// Appends the payload as a JSON object's text.
    pub(crate) fn write(&mut self, text: &mut String) {
        self.fields.sort_unstable_by(|a, b| a.0.cmp(b.0));
        text.push('{');
        let mut first = true;
        for (key, value) in &self.fields {
            if matches!(value, Field::Json(Value::Null)) {
                continue;
            }
            if !first {
                text.push(',');
            }
            first = false;
            push_str(text, key);
            text.push(':');
            match value {
                Field::Str(s) => push_str(text, s),
                // `Value`'s display is its compact JSON text.
                Field::Json(v) => {
                    let _ = write!(text, "{v}");
                }
            }
        }
        text.push('}');
    }
}

/// Appends `s` as a JSON string, escaped exactly as `serde_json` escapes it.
pub(crate) fn push_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut from = 0;
    let mut i = next_escape(bytes, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        out.push_str(&s[from..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        from = i + 1;
        i = next_escape(bytes, from);
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// Where the next byte a JSON string must escape (`"`, `\`, below 0x20) is, from `i` on (the
/// length when there is none): eight bytes at a time, then byte by byte within the word that
/// holds one.
fn next_escape(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    // A byte of `w` is below `n` (n <= 0x80) when its bit is set here; exact for "any byte".
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH;
    while let Some(word) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let hit = below(w ^ (ONES * u64::from(b'"')), 1)
            | below(w ^ (ONES * u64::from(b'\\')), 1)
            | below(w, 0x20);
        if hit != 0 {
            break;
        }
        i += 8;
    }
    i + (bytes[i..].iter())
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        .unwrap_or(bytes.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let all: String = (0u8..0x80)
            .map(char::from)
            .chain("é\u{2028}😀".chars())
            .collect();
        let mut text = String::new();
        push_str(&mut text, &all);
        assert_eq!(text, Value::from(all.as_str()).to_string());
    }

    proptest::proptest! {
        /// Escapes at any place in a word of eight, and the bytes next to the ones escaped
        /// (`!`, `#`, `[`, `]`, 0x7f, 0x20), are written as serde_json writes them.
        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(s in "[ -~\\x00-\\x1f\"\\\\\\x7fé😀]{0,40}") {
            let mut text = String::from("x");
            push_str(&mut text, &s);
            proptest::prop_assert_eq!(&text[1..], Value::from(s.as_str()).to_string());
        }
    }

    #[test]
    fn a_payload_is_written_as_its_map_would_be() {
        let mut p = Payload::new();
        p.set("turn", Value::from(3));
        p.set_str("run_id", "r\"1");
        p.set("error", Value::Null);
        p.set("agent_id", "a");
        p.set("context", serde_json::json!({"messages": [1, "x"]}));
        p.set("agent_id", String::from("b"));
        let map = serde_json::json!({
            "turn": 3, "run_id": "r\"1", "agent_id": "b", "context": {"messages": [1, "x"]}
        });
        assert_eq!(p.json(), map.to_string());
        assert_eq!(Payload::new().json(), "{}");
    }
}
