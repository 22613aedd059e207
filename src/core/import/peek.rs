//! Reading a JSON-lines input where most lines are of no use to the importer: each line's
//! top-level keys and `type`/`subtype` are read without building its values (about what a
//! syntax-only parse costs), and only the lines the importer wants are parsed whole.

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::Out;

/// A line's top-level keys, and its `type` and `subtype` when they are strings.
#[derive(Debug, Default)]
pub(crate) struct Peek<'a> {
    pub keys: Vec<Cow<'a, str>>,
    pub kind: Option<Cow<'a, str>>,
    pub subtype: Option<Cow<'a, str>>,
}

/// The visits of a scalar that is not wanted: `None`.
macro_rules! none_for_scalars {
    () => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

/// A string, borrowed from the input when it has no escapes.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cow<'de, str>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Cow::Borrowed(s))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Cow::Owned(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(Cow::Owned(s))
            }
        }
        d.deserialize_str(V)
    }
}

/// A string value, or nothing for any other JSON value (skipped).
struct MaybeText;

impl<'de> DeserializeSeed<'de> for MaybeText {
    type Value = Option<Cow<'de, str>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Cow<'de, str>>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Some(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Some(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(Some(Cow::Owned(s)))
            }
            none_for_scalars!();
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(None)
            }
        }
        d.deserialize_any(V)
    }
}

/// The peek of one object line; `None` when the line is JSON but not an object.
struct Top;

impl<'de> DeserializeSeed<'de> for Top {
    type Value = Option<Peek<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Peek<'de>>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut peek = Peek::default();
                while let Some(key) = map.next_key_seed(Text)? {
                    match key.as_ref() {
                        "type" if peek.kind.is_none() => {
                            peek.kind = map.next_value_seed(MaybeText)?
                        }
                        "subtype" if peek.subtype.is_none() => {
                            peek.subtype = map.next_value_seed(MaybeText)?
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                    peek.keys.push(key);
                }
                Ok(Some(peek))
            }
            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            none_for_scalars!();
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }
        d.deserialize_any(V)
    }
}

fn peek(text: &str) -> Result<Option<Peek<'_>>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let peek = Top.deserialize(&mut de)?;
    de.end()?;
    Ok(peek)
}

/// The object lines of a JSON-lines input that `wanted` keeps, parsed whole, with their 1-based
/// line numbers; every object line's peek goes to `seen` first. Blank lines and lines starting
/// with `#` are skipped; a line that is not a JSON object is reported as `read_objects` does.
/// The flag says whether the last line was cut off.
pub(crate) fn read_wanted(
    input: &str,
    out: &mut Out,
    wanted: impl Fn(&Peek) -> bool,
    seen: impl FnMut(&mut Out, usize, &Peek),
) -> (Vec<(usize, Value)>, bool) {
    // Reading from memory cannot fail.
    read_wanted_from(input.as_bytes(), out, wanted, seen).unwrap_or_default()
}

/// [`read_wanted`] from a reader, a line at a time (a file is never held whole).
pub(crate) fn read_wanted_from(
    mut r: impl std::io::BufRead,
    out: &mut Out,
    wanted: impl Fn(&Peek) -> bool,
    mut seen: impl FnMut(&mut Out, usize, &Peek),
) -> std::io::Result<(Vec<(usize, Value)>, bool)> {
    let mut records = Vec::new();
    let mut buf = Vec::new();
    let mut n = 0;
    // A line that is not JSON is reported once the next line shows it was not the last.
    let mut pending: Option<(usize, serde_json::Error)> = None;
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        n += 1;
        // Valid UTF-8 (nearly always) is checked fast and borrowed.
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => std::borrow::Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(&buf),
        };
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if let Some((m, e)) = pending.take() {
            out.problem(m, format!("line {m} is not valid JSON ({e}); skipped"));
        }
        match peek(text) {
            Ok(Some(p)) => {
                seen(out, n, &p);
                if wanted(&p) {
                    // Valid JSON already: parsing it whole cannot fail.
                    if let Ok(v) = serde_json::from_str::<Value>(text) {
                        records.push((n, v));
                    }
                }
            }
            Ok(None) => out.problem(n, format!("line {n} is JSON but not an object; skipped")),
            Err(e) => pending = Some((n, e)),
        }
    }
    let cut = pending.is_some();
    if let Some((m, _)) = pending {
        out.problem(m, format!("line {m}: last line is cut off; ignored"));
    }
    Ok((records, cut))
}

/// The lines of a JSON-lines input that may hold a record (not blank, not a `#` comment), with
/// their 1-based numbers, and the number of the last.
pub(crate) fn object_lines(input: &str) -> (Vec<(usize, &str)>, Option<usize>) {
    let lines: Vec<(usize, &str)> = input
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_start_matches('\u{feff}').trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let last = lines.last().map(|(n, _)| *n);
    (lines, last)
}

/// The top-level keys of an object's text (none when it is not an object).
pub(crate) fn keys(text: &str) -> Vec<Cow<'_, str>> {
    match peek(text) {
        Ok(Some(p)) => p.keys,
        _ => Vec::new(),
    }
}
