//! An OTLP/JSON export request as it is written, read borrowed: spans as their raw text, their
//! fields as borrowed strings, attribute values as plain JSON (a string stays one string, not a
//! map holding it), so a span costs about what its bytes do.

use std::borrow::Cow;

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use super::attrs::AttrValue;
use super::wire_attr::AttrSeed;

#[derive(Deserialize)]
pub(super) struct Request<'a> {
    #[serde(rename = "resourceSpans", default, borrow)]
    pub resource_spans: Vec<ResourceSpans<'a>>,
}

#[derive(Deserialize)]
pub(super) struct ResourceSpans<'a> {
    #[serde(rename = "scopeSpans", default, borrow)]
    pub scope_spans: Vec<ScopeSpans<'a>>,
    /// The older name of `scopeSpans`.
    #[serde(rename = "instrumentationLibrarySpans", default, borrow)]
    pub library_spans: Vec<ScopeSpans<'a>>,
}

#[derive(Deserialize)]
pub(super) struct ScopeSpans<'a> {
    #[serde(default, borrow)]
    pub spans: Vec<&'a RawValue>,
}

/// The fields of a span orchscope reads.
#[derive(Deserialize)]
pub(super) struct WireSpan<'a> {
    #[serde(rename = "traceId", default, borrow)]
    pub trace_id: Option<&'a RawValue>,
    #[serde(rename = "spanId", default, borrow)]
    pub span_id: Option<&'a RawValue>,
    #[serde(rename = "parentSpanId", default, borrow)]
    pub parent_span_id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub name: Option<Cow<'a, str>>,
    #[serde(rename = "startTimeUnixNano", default, borrow)]
    pub start: Option<&'a RawValue>,
    #[serde(rename = "endTimeUnixNano", default, borrow)]
    pub end: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub attributes: WireAttrs<'a>,
    #[serde(default, borrow)]
    pub status: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub events: Option<&'a RawValue>,
}

/// The attributes of a span the rules read (see [`super::attrs::wanted`]), each value made an attribute as
/// it is read; the others are checked as the wire shape requires and dropped unconverted.
#[derive(Default)]
pub(super) struct WireAttrs<'a>(pub Vec<(Cow<'a, str>, AttrValue<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for WireAttrs<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct List<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for List<'a> {
            type Value = WireAttrs<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of attributes")
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                let mut attrs = Vec::with_capacity(8);
                while let Some(kept) = seq.next_element_seed(AttrSeed)? {
                    attrs.extend(kept);
                }
                // Kept until the end of the import: no room beyond what is kept.
                attrs.shrink_to_fit();
                Ok(WireAttrs(attrs))
            }
        }
        d.deserialize_seq(List(PhantomData))
    }
}

/// An `AnyValue`: one of its kinds is set. A string is checked when read and kept only when
/// wanted (else it is empty here).
#[derive(Default)]
pub(super) struct WireAny<'a> {
    pub(super) string: Option<Cow<'a, str>>,
    pub(super) boolean: Option<bool>,
    pub(super) int: Option<&'a RawValue>,
    pub(super) double: Option<&'a RawValue>,
    pub(super) array: Option<&'a RawValue>,
    pub(super) kvlist: Option<&'a RawValue>,
    pub(super) bytes: Option<&'a RawValue>,
}

impl<'a> WireAny<'a> {
    /// The value as an attribute (`None` when not `keep`): a string kept as it was read
    /// (borrowed when it can be).
    pub(super) fn into_attr(self, keep: bool) -> Option<AttrValue<'a>> {
        if !keep {
            return None;
        }
        if let Some(s) = self.string {
            return Some(AttrValue::Str(s));
        }
        Some(match self.to_value() {
            Value::String(s) => AttrValue::Str(Cow::Owned(s)),
            v => AttrValue::Json(v),
        })
    }

    /// The value as plain JSON (a number given as a string is read as the number).
    fn to_value(&self) -> Value {
        if let Some(b) = self.boolean {
            return Value::Bool(b);
        }
        let number = |raw: &RawValue| -> Value {
            let text = raw.get().trim_matches('"');
            serde_json::from_str::<Value>(text)
                .ok()
                .filter(Value::is_number)
                .unwrap_or_else(|| Value::String(text.to_string()))
        };
        if let Some(raw) = self.int.or(self.double) {
            return number(raw);
        }
        // Arrays and maps keep the general decoding (rare in the attributes read).
        for (key, raw) in [("arrayValue", self.array), ("kvlistValue", self.kvlist)] {
            if let Some(raw) = raw {
                let any = serde_json::from_str::<Value>(raw.get()).unwrap_or(Value::Null);
                let wrapped = serde_json::json!({ key: any });
                return super::super::otlp_values::any_value(&wrapped);
            }
        }
        self.bytes
            .map(|raw| serde_json::from_str(raw.get()).unwrap_or(Value::Null))
            .unwrap_or(Value::Null)
    }
}

/// A raw JSON string's text: borrowed when it has no escapes (the reader has checked its
/// characters already), else unescaped.
fn string_of(raw: &str) -> Result<Cow<'_, str>, &'static str> {
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        if !inner.as_bytes().contains(&b'\\') {
            return Ok(Cow::Borrowed(inner));
        }
    }
    serde_json::from_str::<String>(raw)
        .map(Cow::Owned)
        .map_err(|_| "a string attribute that is not a string")
}

/// A JSON string or number field's text (ids are strings; some encoders write numbers).
pub(super) fn raw_text(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let raw = raw?;
    match raw.get().as_bytes().first()? {
        b'"' => string_of(raw.get()).ok(),
        b'n' => None,
        _ => Some(Cow::Borrowed(raw.get())),
    }
}
