//! A wanted line's value with only the top-level fields its importer reads: the others are
//! skipped without being built (most of a Claude Code transcript line is bookkeeping no frame
//! needs, and building it costs more than reading every other line).

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::Text;

/// The object `text` holds, with only the top-level fields `keep` names (all when `None`).
pub(super) fn object(text: &str, keep: Option<&[&str]>) -> Result<Value, serde_json::Error> {
    let Some(keep) = keep else {
        return serde_json::from_str(text);
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Only(keep).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// An object, keeping the fields named.
struct Only<'k>(&'k [&'k str]);

impl<'de> DeserializeSeed<'de> for Only<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Only<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Value, M::Error> {
        let mut obj = Map::new();
        while let Some(key) = map.next_key_seed(Text)? {
            if self.0.contains(&key.as_ref()) {
                // A repeated field keeps its last value, as a whole parse does.
                let value: Value = map.next_value()?;
                obj.insert(key.into_owned(), value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Value::Object(obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_named_are_kept_whole() {
        let text =
            r#"{"type":"user","cwd":"/x","message":{"content":[{"a":1}]},"type":"assistant"}"#;
        let v = object(text, Some(&["type", "message"])).expect("object");
        assert_eq!(
            v,
            serde_json::json!({"type": "assistant", "message": {"content": [{"a": 1}]}})
        );
        let all = object(text, None).expect("object");
        assert_eq!(all.get("cwd"), Some(&Value::from("/x")));
    }

    #[test]
    fn a_line_that_is_not_an_object_is_an_error() {
        assert!(object("[1, 2]", Some(&["type"])).is_err());
        assert!(object(r#"{"type": "user""#, Some(&["type"])).is_err());
    }
}
