//! OTLP/JSON value decoding for the OTLP importer: ids (any hex case), nanosecond times (numbers,
//! decimal strings, `{low, high}` longs), `AnyValue` attributes of every kind, span status.
//! Accepts both the JS encoder's and the Collector's spellings.

use serde_json::{Map, Value};

fn arr(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    v.and_then(Value::as_array).into_iter().flatten()
}

/// A span id: hex ids lower-cased (the Collector may write upper case), others kept.
pub(super) fn norm_id_text(id: &str) -> Option<String> {
    if id.is_empty() {
        return None;
    }
    if id.chars().all(|c| c.is_ascii_hexdigit()) {
        Some(id.to_ascii_lowercase())
    } else {
        Some(id.to_string())
    }
}

/// Epoch milliseconds from nanoseconds given as a number, a decimal string, or a
/// `{low, high}` long (integer arithmetic, so no precision is lost before the division).
pub(super) fn millis(v: Option<&Value>) -> Option<f64> {
    let ns: u128 = match v? {
        Value::Number(n) => match n.as_u64() {
            Some(u) => u128::from(u),
            None => return n.as_f64().map(|f| f / 1e6),
        },
        Value::String(s) => s.trim().parse::<u128>().ok()?,
        Value::Object(o) => {
            let low = o.get("low")?.as_i64()? as u32;
            let high = o.get("high")?.as_i64()? as u32;
            (u128::from(high) << 32) | u128::from(low)
        }
        _ => return None,
    };
    Some((ns / 1_000_000) as f64 + (ns % 1_000_000) as f64 / 1e6)
}

/// [`millis`] of a raw JSON value: plain digits (a number that fits in 64 bits, or a string)
/// read straight from the text, anything else read as JSON first.
pub(super) fn millis_raw(raw: &str) -> Option<f64> {
    let quoted = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"'));
    let digits = quoted.unwrap_or(raw);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let ns = match quoted {
            Some(_) => digits.parse::<u128>().ok(),
            None => digits.parse::<u64>().ok().map(u128::from),
        };
        if let Some(ns) = ns {
            return Some((ns / 1_000_000) as f64 + (ns % 1_000_000) as f64 / 1e6);
        }
    }
    let v: Value = serde_json::from_str(raw).ok()?;
    millis(Some(&v))
}

/// An OTLP `AnyValue` as plain JSON.
pub(super) fn any_value(v: &Value) -> Value {
    let Some(o) = v.as_object() else {
        return v.clone();
    };
    if let Some(x) = o.get("stringValue") {
        return x.clone();
    }
    if let Some(x) = o.get("boolValue") {
        return x.clone();
    }
    if let Some(x) = o.get("intValue") {
        return match x {
            Value::String(s) => s
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| x.clone()),
            _ => x.clone(),
        };
    }
    if let Some(x) = o.get("doubleValue") {
        return match x {
            Value::String(s) => s
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .unwrap_or_else(|| x.clone()),
            _ => x.clone(),
        };
    }
    if let Some(x) = o.get("arrayValue") {
        return Value::Array(arr(x.get("values")).map(any_value).collect());
    }
    if let Some(x) = o.get("kvlistValue") {
        return Value::Object(attributes(x.get("values")));
    }
    o.get("bytesValue").cloned().unwrap_or(Value::Null)
}

pub(super) fn attributes(v: Option<&Value>) -> Map<String, Value> {
    let mut m = Map::new();
    for kv in arr(v) {
        if let (Some(k), Some(val)) = (kv.get("key").and_then(Value::as_str), kv.get("value")) {
            m.insert(k.to_string(), any_value(val));
        }
    }
    m
}

/// The error message of a span whose status is error, else `None`.
pub(super) fn status_error(span: &Value) -> Option<String> {
    let status = span.get("status")?;
    let code = status.get("code")?;
    let is_error = code.as_i64() == Some(2)
        || code
            .as_str()
            .is_some_and(|c| c == "2" || c.eq_ignore_ascii_case("STATUS_CODE_ERROR"));
    if !is_error {
        return None;
    }
    let from_event = arr(span.get("events"))
        .filter(|e| e.get("name").and_then(Value::as_str) == Some("exception"))
        .find_map(|e| {
            attributes(e.get("attributes"))
                .get("exception.message")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    let msg = status
        .get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty());
    Some(
        msg.map(str::to_string)
            .or(from_event)
            .unwrap_or_else(|| "span status error".into()),
    )
}

/// [`status_error`] from a span's raw `status` and `events`, each read only as far as needed.
pub(super) fn status_error_raw(
    status: Option<&serde_json::value::RawValue>,
    events: Option<&serde_json::value::RawValue>,
) -> Option<String> {
    let status: Value = serde_json::from_str(status?.get()).ok()?;
    let mut span = Map::new();
    span.insert("status".into(), status);
    // Not an error: nothing more to read.
    status_error(&Value::Object(span.clone()))?;
    if let Some(e) = events.and_then(|e| serde_json::from_str::<Value>(e.get()).ok()) {
        span.insert("events".into(), e);
    }
    status_error(&Value::Object(span))
}
