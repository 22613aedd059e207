//! Producer timestamps: RFC 3339 strings, epoch seconds (integer or float) or epoch
//! milliseconds (any number ≥ 10^12), all read as epoch milliseconds. Also formats times for
//! display. Owns nothing else.

use chrono::{DateTime, NaiveDateTime};
use serde_json::value::RawValue;

/// Epoch milliseconds from a raw JSON timestamp value.
pub fn parse_raw(raw: &RawValue) -> Option<f64> {
    let s = raw.get();
    match s.as_bytes().first()? {
        b'"' => parse_str(&serde_json::from_str::<std::borrow::Cow<str>>(s).ok()?),
        b'-' | b'0'..=b'9' => s.parse::<f64>().ok().and_then(from_number),
        _ => None,
    }
}

/// Epoch milliseconds from a number: seconds, or milliseconds when ≥ 10^12.
pub fn from_number(n: f64) -> Option<f64> {
    if !n.is_finite() {
        return None;
    }
    Some(if n.abs() >= 1e12 { n } else { n * 1000.0 })
}

/// Epoch milliseconds from a string: RFC 3339 (a missing offset means UTC) or a number.
pub fn parse_str(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_micros() as f64 / 1000.0);
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(dt.and_utc().timestamp_micros() as f64 / 1000.0);
        }
    }
    if let Ok(dt) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z") {
        return Some(dt.timestamp_micros() as f64 / 1000.0);
    }
    s.parse::<f64>().ok().and_then(from_number)
}

/// `mm:ss.mmm` (or `h:mm:ss.mmm`) for a duration in milliseconds.
pub fn clock(ms: f64) -> String {
    let total = ms.max(0.0).round() as u64;
    let (h, m, s, milli) = (
        total / 3_600_000,
        total / 60_000 % 60,
        total / 1000 % 60,
        total % 1000,
    );
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{milli:03}")
    } else {
        format!("{m:02}:{s:02}.{milli:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_string()).unwrap()
    }

    #[test]
    fn every_timestamp_form() {
        let iso = parse_raw(&raw("\"2026-09-21T14:13:20.300000+00:00\"")).unwrap();
        assert_eq!(iso, 1_790_000_000_300.0);
        assert_eq!(
            parse_raw(&raw("1790000000.3")).unwrap().round(),
            1_790_000_000_300.0
        );
        assert_eq!(parse_raw(&raw("1790000000")).unwrap(), 1_790_000_000_000.0);
        assert_eq!(
            parse_raw(&raw("1790000000300")).unwrap(),
            1_790_000_000_300.0
        );
        assert_eq!(
            parse_raw(&raw("\"2026-09-21T14:13:20.300Z\"")).unwrap(),
            1_790_000_000_300.0
        );
        assert_eq!(
            parse_raw(&raw("\"2026-09-21T14:13:20.300\"")).unwrap(),
            1_790_000_000_300.0
        );
        assert_eq!(parse_raw(&raw("\"yesterday\"")), None);
        assert_eq!(parse_raw(&raw("null")), None);
        assert_eq!(parse_raw(&raw("{}")), None);
    }

    #[test]
    fn clock_format() {
        assert_eq!(clock(12_400.0), "00:12.400");
        assert_eq!(clock(3_723_004.0), "1:02:03.004");
        assert_eq!(clock(-5.0), "00:00.000");
    }
}
