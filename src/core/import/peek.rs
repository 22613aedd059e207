//! Reading a JSON-lines input where most lines are of no use to the importer: each line's
//! top-level keys and `type`/`subtype` are read without building its values (about what a
//! syntax-only parse costs), and only the lines the importer wants are parsed whole.

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::out::Record;
use super::Out;
use crate::core::load::ordered::WORKERS;
use batch::{read_lines, Graves, Lines, Pool};
use seeds::{MaybeText, Text};

#[macro_use]
mod seeds;
mod batch;
#[cfg(test)]
mod bytes_tests;
mod fields;

/// A line the importer wants: its value, and its text as written, which is what a frame keeps
/// of it (so a record is never written out again from its value).
#[derive(Debug)]
pub(crate) struct Rec {
    pub value: Value,
    text: Box<str>,
}

impl Rec {
    /// A JSON `null` in place of a line (what a frame made at the end of input keeps).
    pub(crate) fn null() -> Rec {
        Rec {
            value: Value::Null,
            text: "null".into(),
        }
    }
}

impl std::ops::Deref for Rec {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.value
    }
}

impl Record for Rec {
    fn json(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.text)
    }
}

/// A line's top-level keys, and its `type` and `subtype` when they are strings.
#[derive(Debug, Default)]
pub(crate) struct Peek<'a> {
    pub keys: Vec<Cow<'a, str>>,
    pub kind: Option<Cow<'a, str>>,
    pub subtype: Option<Cow<'a, str>>,
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
                // Room for a usual line's keys at once (a Claude Code line has about twenty).
                let mut peek = Peek {
                    keys: Vec::with_capacity(32),
                    ..Peek::default()
                };
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
    peek_from(serde_json::Deserializer::from_str(text))
}

fn peek_from<'a, R: serde_json::de::Read<'a>>(
    mut de: serde_json::Deserializer<R>,
) -> Result<Option<Peek<'a>>, serde_json::Error> {
    let peek = Top.deserialize(&mut de)?;
    de.end()?;
    Ok(peek)
}

/// The object lines of a JSON-lines input that `wanted` keeps, parsed whole, with their 1-based
/// line numbers; every object line's peek goes to `seen` first (which may only count unknown
/// fields). Blank lines and lines starting with `#` are skipped; a line that is not a JSON
/// object is reported as `read_objects` does. The flag says whether the last line was cut off.
/// A record keeps the top-level fields `keep` names (all when `None`).
pub(crate) fn read_wanted(
    input: &str,
    out: &mut Out,
    (wanted, keep): (impl Fn(&Peek) -> bool + Sync, Keep),
    seen: impl Fn(&mut Out, usize, &Peek) + Sync,
) -> (Vec<(usize, Rec)>, bool) {
    // Reading from memory cannot fail.
    read_wanted_from(input.as_bytes(), out, (wanted, keep), seen).unwrap_or_default()
}

/// The top-level fields a record keeps of its line (all when `None`).
pub(crate) type Keep = Option<&'static [&'static str]>;

/// What a line held, as a worker found it.
enum Found {
    Object(usize, Option<Rec>),
    NotObject(usize),
    Bad(usize, serde_json::Error),
}

/// [`read_wanted`] from a reader (a file is never held whole): lines are read in batches on
/// one thread, peeked and parsed on both cores, and taken back here in order.
pub(crate) fn read_wanted_from(
    r: impl std::io::Read + Send,
    out: &mut Out,
    wanted: (impl Fn(&Peek) -> bool + Sync, Keep),
    seen: impl Fn(&mut Out, usize, &Peek) + Sync,
) -> std::io::Result<(Vec<(usize, Rec)>, bool)> {
    let mut records = Vec::new();
    let cut = each_wanted(r, out, wanted, seen, |n, rec, _| {
        records.push((n, rec));
        true
    })?;
    Ok((records, cut))
}

/// Each record [`read_wanted_from`] would collect, handed to `each` as soon as it is parsed (in
/// the order of the input) and never held; `each` stops the reading by returning `false`, and
/// puts the records it is done with in the list it is given, to be dropped by the worker that
/// built them. Problems and unknown fields go to `out` as they are found. Returns whether the
/// last line was cut off.
pub(crate) fn each_wanted(
    r: impl std::io::Read + Send,
    out: &mut Out,
    (wanted, keep): (impl Fn(&Peek) -> bool + Sync, Keep),
    seen: impl Fn(&mut Out, usize, &Peek) + Sync,
    mut each: impl FnMut(usize, Rec, &mut Vec<Rec>) -> bool,
) -> std::io::Result<bool> {
    let mut failed = None;
    let graves = Graves::default();
    let mut spent = Vec::new();
    // The worker that parsed the next result (batches go to the workers in turn).
    let mut worker = 0;
    // A line that is not JSON is reported once the next line shows it was not the last.
    let mut pending: Option<(usize, serde_json::Error)> = None;
    let format = out.format();
    let pool = Pool::default();
    let pool = &pool;
    crate::core::load::ordered::in_order(
        |send| {
            if let Err(e) = read_lines(r, pool, send) {
                send(Err(e));
            }
        },
        |_: &mut (), lines: std::io::Result<Lines>| {
            let mut local = Out::new(format);
            let found = lines.map(|l| {
                graves.bury(l.seq % WORKERS);
                let found = find(&l, &mut local, (&wanted, keep), &seen);
                l.give_back(pool);
                found
            });
            (found, local)
        },
        |(found, local)| {
            out.count_unknowns_of(local);
            let from = worker;
            worker = (worker + 1) % WORKERS;
            let found = match found {
                Ok(found) => found,
                Err(e) => {
                    failed = Some(e);
                    return false;
                }
            };
            for f in found {
                if let Some((m, e)) = pending.take() {
                    out.problem(m, format!("line {m} is not valid JSON ({e}); skipped"));
                }
                match f {
                    Found::Object(n, Some(rec)) => {
                        if !each(n, rec, &mut spent) {
                            return false;
                        }
                    }
                    Found::Object(_, None) => {}
                    Found::NotObject(n) => {
                        out.problem(n, format!("line {n} is JSON but not an object; skipped"))
                    }
                    Found::Bad(n, e) => pending = Some((n, e)),
                }
            }
            graves.hand(from, &mut spent);
            true
        },
    );
    if let Some(e) = failed {
        return Err(e);
    }
    let cut = pending.is_some();
    if let Some((m, _)) = pending {
        out.problem(m, format!("line {m}: last line is cut off; ignored"));
    }
    Ok(cut)
}

/// A worker's part: each line of a batch peeked (its peek to `seen`), and parsed whole when
/// `wanted`.
fn find(
    lines: &Lines,
    out: &mut Out,
    wanted: (&impl Fn(&Peek) -> bool, Keep),
    seen: &impl Fn(&mut Out, usize, &Peek),
) -> Vec<Found> {
    let mut found = Vec::new();
    let mut start = 0;
    for &(n, end) in &lines.ends {
        let bytes = &lines.text[start..end];
        start = end;
        if let Some(b) = trimmed(bytes) {
            if b.is_empty() || b[0] == b'#' {
                continue;
            }
            if let Some(f) = from_bytes(b, n, out, wanted, seen) {
                found.push(f);
                continue;
            }
        }
        // Valid UTF-8 (nearly always) is checked fast and borrowed.
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => Cow::Borrowed(t),
            Err(_) => String::from_utf8_lossy(bytes),
        };
        let text = text.trim_start_matches('\u{feff}').trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        found.push(match line_keeping(text, n, out, wanted, seen) {
            Ok(Some(v)) => Found::Object(n, v),
            Ok(None) => Found::NotObject(n),
            Err(e) => Found::Bad(n, e),
        });
    }
    found
}

/// A line's bytes trimmed as its text is (a byte order mark, then whitespace), when that needs
/// no decoding: `None` when a byte at either end is not ASCII.
fn trimmed(bytes: &[u8]) -> Option<&[u8]> {
    let mut b = bytes;
    while let Some(rest) = b.strip_prefix("\u{feff}".as_bytes()) {
        b = rest;
    }
    // The ASCII characters `str::trim` takes off.
    let space = |c: &u8| matches!(c, b' ' | b'\t'..=b'\r');
    let start = b.iter().position(|c| !space(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !space(c)).map_or(start, |i| i + 1);
    let b = &b[start..end];
    match (b.first(), b.last()) {
        (Some(first), Some(last)) if !first.is_ascii() || !last.is_ascii() => None,
        _ => Some(b),
    }
}

/// A trimmed line found from its bytes: most lines are not wanted, and their peek needs no
/// UTF-8 check of the whole line first (the strings it reads are checked as they are read).
/// `None` — before anything was counted — when the line must take the text's path: not
/// valid JSON read so (its error is the text's), or a wanted line that is not valid UTF-8.
fn from_bytes(
    b: &[u8],
    n: usize,
    out: &mut Out,
    (wanted, keep): (&impl Fn(&Peek) -> bool, Keep),
    seen: &impl Fn(&mut Out, usize, &Peek),
) -> Option<Found> {
    let Some(p) = peek_from(serde_json::Deserializer::from_slice(b)).ok()? else {
        return Some(Found::NotObject(n));
    };
    if !wanted(&p) {
        seen(out, n, &p);
        return Some(Found::Object(n, None));
    }
    let text = std::str::from_utf8(b).ok()?;
    seen(out, n, &p);
    let rec = fields::object(text, keep).ok().map(|value| Rec {
        value,
        text: text.into(),
    });
    Some(Found::Object(n, rec))
}

/// One trimmed, non-blank line numbered `n`: its peek goes to `seen`, and it is parsed whole
/// when `wanted` (`Some(None)`: an object not wanted; `None`: JSON but not an object).
pub(crate) fn line(
    text: &str,
    n: usize,
    out: &mut Out,
    wanted: &impl Fn(&Peek) -> bool,
    seen: &impl Fn(&mut Out, usize, &Peek),
) -> Result<Option<Option<Rec>>, serde_json::Error> {
    line_keeping(text, n, out, (wanted, None), seen)
}

/// [`line`], the record keeping the top-level fields `keep` names.
fn line_keeping(
    text: &str,
    n: usize,
    out: &mut Out,
    (wanted, keep): (&impl Fn(&Peek) -> bool, Keep),
    seen: &impl Fn(&mut Out, usize, &Peek),
) -> Result<Option<Option<Rec>>, serde_json::Error> {
    let Some(p) = peek(text)? else {
        return Ok(None);
    };
    seen(out, n, &p);
    // Valid JSON already: parsing it cannot fail.
    let v = wanted(&p).then(|| {
        let value = fields::object(text, keep).ok()?;
        Some(Rec {
            value,
            text: text.into(),
        })
    });
    Ok(Some(v.flatten()))
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
