//! Context hashing: RFC 8785 (JSON Canonicalization Scheme) serialisation and SHA-256.
//!
//! Owns the one rule by which orchscope hashes a context, so that producers in any language can
//! match it: canonical JSON (sorted keys by UTF-16 code units, no whitespace, ECMAScript number
//! formatting, minimal string escaping), then `sha256:` + 64 lowercase hex digits.
//! Knows nothing of frames or sessions.

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::fmt::Write as _;

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// Why a value cannot be canonicalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashError {
    /// A number that does not fit an IEEE 754 double (RFC 8785 §3.2.2.3).
    NumberOutOfRange(String),
}

impl std::fmt::Display for HashError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HashError::NumberOutOfRange(n) => {
                write!(f, "number {n} is beyond the range of an IEEE 754 double")
            }
        }
    }
}

impl std::error::Error for HashError {}

/// Serialises `value` as RFC 8785 canonical JSON.
pub fn canonicalize(value: &Value) -> Result<String, HashError> {
    let mut out = String::with_capacity(64);
    write_value(value, &mut out)?;
    Ok(out)
}

/// The SHA-256 of the canonical form of `value`.
pub fn digest(value: &Value) -> Result<Digest, HashError> {
    Ok(Sha256::digest(canonicalize(value)?.as_bytes()).into())
}

/// A 64-bit digest of `value`: the first 8 bytes of its SHA-256 (or of its text when it
/// cannot be canonicalised), for comparing values for equality.
pub fn short(value: &Value) -> u64 {
    match digest(value) {
        Ok(d) => u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]),
        Err(_) => u64::from_le_bytes(first8(&Sha256::digest(value.to_string().as_bytes()))),
    }
}

/// [`short`] of JSON text; text that is not JSON is hashed as written.
pub fn short_text(text: &str) -> u64 {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => short(&v),
        Err(_) => u64::from_le_bytes(first8(&Sha256::digest(text.as_bytes()))),
    }
}

fn first8(d: &[u8]) -> [u8; 8] {
    let mut out = [0; 8];
    for (o, b) in out.iter_mut().zip(d) {
        *o = *b;
    }
    out
}

/// Parses JSON text and returns its digest. Numbers beyond the f64 range are an error.
pub fn digest_text(text: &str) -> Result<Digest, DigestTextError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| DigestTextError::Json(e.to_string()))?;
    digest(&value).map_err(DigestTextError::Hash)
}

/// Why JSON text could not be hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DigestTextError {
    /// The text is not one JSON value.
    Json(String),
    /// The value cannot be canonicalised.
    Hash(HashError),
}

impl std::fmt::Display for DigestTextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DigestTextError::Json(e) => write!(f, "not valid JSON: {e}"),
            DigestTextError::Hash(e) => write!(f, "{e}"),
        }
    }
}

/// `sha256:` + 64 lowercase hex digits.
pub fn format_digest(d: &Digest) -> String {
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The `sha256:<hex>` hash of `value`.
pub fn hash_value(value: &Value) -> Result<String, HashError> {
    digest(value).map(|d| format_digest(&d))
}

/// Parses a producer-reported hash (`sha256:<hex>` or bare hex, any case) into a digest.
pub fn parse_reported(text: &str) -> Option<Digest> {
    let hex = text
        .strip_prefix("sha256:")
        .or_else(|| text.strip_prefix("SHA256:"))
        .unwrap_or(text);
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in hex.as_bytes().chunks(2).enumerate() {
        let hi = (chunk[0] as char).to_digit(16)?;
        let lo = (chunk[1] as char).to_digit(16)?;
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}

fn write_value(value: &Value, out: &mut String) -> Result<(), HashError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(n, out)?,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // RFC 8785 §3.2.3: sort by UTF-16 code units, not by UTF-8 bytes.
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(&map[key], out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_number(n: &serde_json::Number, out: &mut String) -> Result<(), HashError> {
    let f = if let Some(i) = n.as_i64() {
        i as f64
    } else if let Some(u) = n.as_u64() {
        u as f64
    } else {
        match n.as_f64() {
            Some(f) if f.is_finite() => f,
            _ => return Err(HashError::NumberOutOfRange(n.to_string())),
        }
    };
    if !f.is_finite() {
        return Err(HashError::NumberOutOfRange(n.to_string()));
    }
    if f == 0.0 {
        // -0 serialises as 0 (ECMAScript Number.prototype.toString).
        out.push('0');
        return Ok(());
    }
    let mut buf = ryu_js::Buffer::new();
    out.push_str(buf.format_finite(f));
    Ok(())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        canonicalize(&serde_json::from_str(text).unwrap()).unwrap()
    }

    #[test]
    fn rfc8785_section_3_2_2_example() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        assert_eq!(
            canon(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    #[test]
    fn rfc8785_number_formatting() {
        // Appendix B of RFC 8785 (IEEE 754 → ECMAScript).
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("1", "1"),
            ("-1", "-1"),
            ("9007199254740992", "9007199254740992"),
            ("9007199254740993", "9007199254740992"),
            ("295147905179352830000", "295147905179352830000"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("4.35", "4.35"),
            ("0.1", "0.1"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("-1.7976931348623157e308", "-1.7976931348623157e+308"),
            ("333333333.3333333", "333333333.3333333"),
            ("123456789012345680000", "123456789012345680000"),
            ("18446744073709551615", "18446744073709552000"),
            ("-9223372036854775808", "-9223372036854776000"),
        ];
        for (input, want) in cases {
            assert_eq!(canon(input), want, "for {input}");
        }
    }

    #[test]
    fn sorts_keys_by_utf16_code_units() {
        // RFC 8785 §3.2.3 sorting example: keys ordered by UTF-16, not UTF-8.
        let input = r#"{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}"#;
        let keys: Vec<String> = {
            let c = canon(input);
            let v: serde_json::Map<String, Value> = serde_json::from_str(&c).unwrap();
            let _ = v;
            // Read keys back in textual order.
            let mut keys = Vec::new();
            let mut rest = c.as_str();
            while let Some(i) = rest.find("\":\"") {
                let start = rest[..i].rfind(['{', ',']).unwrap() + 2;
                keys.push(rest[start..i].to_string());
                rest = &rest[i + 3..];
                rest = &rest[rest.find('"').unwrap() + 1..];
            }
            keys
        };
        let want = ["\\r", "1", "\u{80}", "ö", "€", "😀", "\u{fb33}"];
        assert_eq!(keys, want);
    }

    #[test]
    fn hash_of_empty_object_is_sha256_of_braces() {
        assert_eq!(
            hash_value(&serde_json::json!({})).unwrap(),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }

    #[test]
    fn number_beyond_f64_is_an_error() {
        assert!(matches!(
            digest_text("1e400"),
            Err(DigestTextError::Json(_)) | Err(DigestTextError::Hash(_))
        ));
    }

    #[test]
    fn reported_hash_forms_are_normalised() {
        let d = digest(&serde_json::json!({"a": 1})).unwrap();
        let hex = format_digest(&d);
        assert_eq!(parse_reported(&hex), Some(d));
        assert_eq!(parse_reported(&hex[7..].to_uppercase()), Some(d));
        assert_eq!(parse_reported("sha256:zz"), None);
    }
}
