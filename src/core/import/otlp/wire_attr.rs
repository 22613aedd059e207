//! One OTLP attribute (`{"key": …, "value": {"stringValue": …}}`) read in one pass: its key
//! first, then a value the rules do not read checked as the wire shape requires and dropped
//! without being kept, a wanted string read once (borrowed when it has no escapes). A value
//! written before its key is taken as text first and read the same way once the key is known.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::attrs::{wanted, AttrValue};
use super::wire::WireAny;

/// The fields of an attribute.
const ATTR: &[&str] = &["key", "value"];
/// The fields of an `AnyValue`, in the order a list form gives them.
const ANY: &[&str] = &[
    "stringValue",
    "boolValue",
    "intValue",
    "doubleValue",
    "arrayValue",
    "kvlistValue",
    "bytesValue",
];

/// One attribute: `Some` (its key and value) when the rules read it.
pub(super) struct AttrSeed;

type Pair<'a> = (Cow<'a, str>, AttrValue<'a>);

impl<'de> DeserializeSeed<'de> for AttrSeed {
    type Value = Option<Pair<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct("WireAttr", ATTR, self)
    }
}

impl<'de> Visitor<'de> for AttrSeed {
    type Value = Option<Pair<'de>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an attribute")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
        let mut key: Option<Cow<'de, str>> = None;
        let mut value: Option<Option<WireAny<'de>>> = None;
        // A value written before the key, as text.
        let mut early: Option<&'de RawValue> = None;
        while let Some(field) = m.next_key_seed(KeyIn(ATTR))? {
            match field {
                Some(0) if key.is_some() => return Err(de::Error::duplicate_field("key")),
                Some(0) => key = Some(m.next_value_seed(StrSeed { keep: true })?),
                Some(_) if value.is_some() || early.is_some() => {
                    return Err(de::Error::duplicate_field("value"))
                }
                Some(_) => match &key {
                    Some(k) => value = Some(m.next_value_seed(ValueSeed { keep: wanted(k) })?),
                    None => early = Some(m.next_value()?),
                },
                None => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        let key = key.ok_or_else(|| de::Error::missing_field("key"))?;
        let keep = wanted(&key);
        if let Some(raw) = early {
            let mut d = serde_json::Deserializer::from_str(raw.get());
            value = Some(
                ValueSeed { keep }
                    .deserialize(&mut d)
                    .map_err(de::Error::custom)?,
            );
        }
        Ok(kept(key, value.flatten(), keep))
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
        let key = (s.next_element_seed(StrSeed { keep: true })?)
            .ok_or_else(|| de::Error::invalid_length(0, &"an attribute with its key"))?;
        let keep = wanted(&key);
        let value = s.next_element_seed(ValueSeed { keep })?.flatten();
        Ok(kept(key, value, keep))
    }
}

/// The attribute, when the rules read it (no value reads as JSON null).
fn kept<'a>(key: Cow<'a, str>, value: Option<WireAny<'a>>, keep: bool) -> Option<Pair<'a>> {
    let value = match value {
        Some(v) => v.into_attr(keep)?,
        None => AttrValue::Json(Value::Null),
    };
    keep.then_some((key, value))
}

/// An attribute's value (`None`: JSON null); a string in it kept only when `keep`.
struct ValueSeed {
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = Option<WireAny<'de>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(OrNull(AnyStruct { keep: self.keep }))
    }
}

/// What `.0` reads, or `None` for JSON null.
struct OrNull<S>(S);

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OrNull<S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(d).map(Some)
    }
}

/// An `AnyValue` read as a struct.
struct AnyStruct {
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for AnyStruct {
    type Value = WireAny<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct("WireAny", ANY, AnySeed { keep: self.keep })
    }
}

/// An `AnyValue` object (or its list form).
struct AnySeed {
    keep: bool,
}

impl<'de> Visitor<'de> for AnySeed {
    type Value = WireAny<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an OTLP AnyValue")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
        let mut any = WireAny::default();
        let mut seen = [false; ANY.len()];
        while let Some(field) = m.next_key_seed(KeyIn(ANY))? {
            let Some(k) = field else {
                m.next_value::<IgnoredAny>()?;
                continue;
            };
            if std::mem::replace(&mut seen[k], true) {
                return Err(de::Error::duplicate_field(ANY[k]));
            }
            put(
                &mut any,
                m.next_value_seed(PartSeed { k, keep: self.keep })?,
            );
        }
        Ok(any)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
        let mut any = WireAny::default();
        for k in 0..ANY.len() {
            match s.next_element_seed(PartSeed { k, keep: self.keep })? {
                Some(part) => put(&mut any, part),
                None => break,
            }
        }
        Ok(any)
    }
}

/// One field of an `AnyValue`, as read.
enum Part<'a> {
    Str(Option<Cow<'a, str>>),
    Bool(Option<bool>),
    /// The `k`th field of [`ANY`], as written.
    Raw(usize, Option<&'a RawValue>),
}

fn put<'a>(any: &mut WireAny<'a>, part: Part<'a>) {
    match part {
        Part::Str(s) => any.string = s,
        Part::Bool(b) => any.boolean = b,
        Part::Raw(2, r) => any.int = r,
        Part::Raw(3, r) => any.double = r,
        Part::Raw(4, r) => any.array = r,
        Part::Raw(5, r) => any.kvlist = r,
        Part::Raw(_, r) => any.bytes = r,
    }
}

/// The `k`th field of [`ANY`].
struct PartSeed {
    k: usize,
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for PartSeed {
    type Value = Part<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Ok(match self.k {
            0 => Part::Str(d.deserialize_option(OrNull(StrSeed { keep: self.keep }))?),
            1 => Part::Bool(Option::<bool>::deserialize(d)?),
            k => Part::Raw(k, Option::<&RawValue>::deserialize(d)?),
        })
    }
}

/// A string, checked (every escape decoded), its text kept when `keep` (else empty): borrowed
/// when it has no escapes.
struct StrSeed {
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for StrSeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match self.keep {
            true => Cow::Owned(v.to_string()),
            false => Cow::Borrowed(""),
        })
    }
}

/// A map key: its index among the names, or `None` for another.
struct KeyIn(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeyIn {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeyIn {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|n| *n == v))
    }
}

#[cfg(test)]
mod tests {
    use super::super::wire::WireAttrs;

    fn kept(json: &str) -> Option<Vec<(String, Option<String>)>> {
        let attrs: WireAttrs = serde_json::from_str(json).ok()?;
        let pairs = attrs.0.into_iter();
        Some(
            pairs
                .map(|(k, v)| (k.into(), v.as_str().map(str::to_string)))
                .collect(),
        )
    }

    #[test]
    fn an_attribute_is_read_whichever_field_comes_first() {
        let got = kept(
            r#"[{"value":{"stringValue":"a\"b"},"key":"gen_ai.agent.name"},
                {"key":"gen_ai.tool.name","value":{"stringValue":"t","x":1}},
                {"key":"other","value":{"intValue":"7"}}]"#,
        );
        let want = [("gen_ai.agent.name", "a\"b"), ("gen_ai.tool.name", "t")];
        let want = want.map(|(k, v)| (k.to_string(), Some(v.to_string())));
        assert_eq!(got, Some(want.to_vec()));
    }

    #[test]
    fn a_dropped_value_is_still_checked() {
        for bad in [
            r#"[{"key":"other","value":{"stringValue":"\ud800"}}]"#,
            r#"[{"key":"other","value":{"stringValue":5}}]"#,
            r#"[{"key":"other","value":{"boolValue":"yes"}}]"#,
            r#"[{"key":"other","value":{"intValue":1,"intValue":2}}]"#,
            r#"[{"value":{"stringValue":"\ud800"},"key":"other"}]"#,
            r#"[{"value":null}]"#,
        ] {
            assert!(kept(bad).is_none(), "{bad}");
        }
        assert_eq!(kept(r#"[{"key":"other","value":null}]"#), Some(vec![]));
    }
}
