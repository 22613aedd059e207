//! The shape of one recording line, parsed once with borrowed values: which of `t`, `dir`,
//! `frame`, `text`, `binary` (with `invalid_utf8`), `link`, `mark`, `note`, `delete` (with `at`) and the header keys it has.

use serde::de::{Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

pub(super) fn into_string(v: serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}

/// Every key a recording line may have, parsed in one pass; `frame` stays raw.
#[derive(Deserialize)]
pub(super) struct RawLine<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    pub(super) orchscope_recording: Option<&'a RawValue>,
    #[serde(default)]
    pub(super) started_at: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) source: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) title: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) meta: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) t: Option<f64>,
    #[serde(default, borrow)]
    pub(super) dir: Option<CowStr<'a>>,
    #[serde(default, borrow, deserialize_with = "present")]
    pub(super) frame: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub(super) text: Option<CowStr<'a>>,
    #[serde(default, borrow)]
    pub(super) binary: Option<CowStr<'a>>,
    /// On a `binary` record: it was a text frame, UTF-8 up to this byte.
    #[serde(default)]
    pub(super) invalid_utf8: Option<u64>,
    #[serde(default, borrow)]
    pub(super) link: Option<CowStr<'a>>,
    #[serde(default)]
    pub(super) reason: Option<String>,
    #[serde(default)]
    pub(super) size: Option<u64>,
    #[serde(default)]
    pub(super) mark: Option<String>,
    /// A user note on frame `at`.
    #[serde(default)]
    pub(super) note: Option<String>,
    /// What a deletion on frame `at` removes (`mark` or `note`).
    #[serde(default, borrow)]
    pub(super) delete: Option<CowStr<'a>>,
    /// The 0-based frame a mark, note or deletion is anchored to.
    #[serde(default)]
    pub(super) at: Option<u64>,
    /// Spans a live receiver dropped (with `reason`).
    #[serde(default)]
    pub(super) dropped: Option<u64>,
}

impl RawLine<'_> {
    /// True when the line carries something a record carries: a frame, a link or a mark.
    pub(super) fn has_body(&self) -> bool {
        self.frame.is_some()
            || self.text.is_some()
            || self.binary.is_some()
            || self.link.is_some()
            || self.mark.is_some()
            || self.note.is_some()
            || self.delete.is_some()
            || self.dropped.is_some()
    }
}

/// A key that is present, even with the value `null`, is `Some`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&'de RawValue>::deserialize(d).map(Some)
}

/// A string borrowed from the line when it has no escapes.
pub(super) struct CowStr<'a>(pub(super) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for CowStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = CowStr<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(CowStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}
