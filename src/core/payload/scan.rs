//! Finding values in JSON text without building a tree: where a value ends, the members of an
//! object, and a frame's field by the lookup rule (`payload`, then `data`, then the top level).
//! One forward pass with a depth counter, never recursion, so any nesting depth is safe; it is
//! tolerant (it finds spans, it does not validate) and borrows every span from the text.

/// The index after the whitespace at `i`.
pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The index after the string that opens at `i` (a `"`), or `None` when it never closes.
pub fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The index after the value that starts at `i` (no leading whitespace), or `None` when the
/// text ends first. Containers are skipped by counting brackets outside strings.
pub fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let end = (b[i..].iter())
                .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .map_or(b.len(), |n| i + n);
            (end > i).then_some(end)
        }
    }
}

/// The members of the object `text` is (surrounding whitespace allowed): each key as written
/// between its quotes and its value's text. `None` when `text` is not an object.
pub fn members(text: &str) -> Option<Vec<(&str, &str)>> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut out = Vec::new();
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(b, i)?;
        let key = text.get(i + 1..key_end - 1)?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let end = value_end(b, start)?;
        out.push((key, text.get(start..end)?));
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return Some(out),
            _ => return None,
        }
    }
}

/// The member `key` of an object's members (the first one wins, as in the decoder).
pub fn get<'t>(members: &[(&str, &'t str)], key: &str) -> Option<&'t str> {
    members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// A frame's layers by the lookup rule: `payload` and `data` when they are objects, then the
/// frame itself.
pub fn layers(frame: &str) -> Vec<Vec<(&str, &str)>> {
    let Some(top) = members(frame) else {
        return Vec::new();
    };
    let inner = ["payload", "data"].map(|k| get(&top, k).and_then(members));
    inner.into_iter().flatten().chain([top]).collect()
}

/// The text of the first of `keys` found in the first layer that has it.
pub fn field<'t>(layers: &[Vec<(&str, &'t str)>], keys: &[&str]) -> Option<&'t str> {
    (layers.iter()).find_map(|layer| keys.iter().find_map(|k| get(layer, k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_and_layers_follow_the_lookup_rule() {
        let frame =
            r#"{"type":"x","payload":{"a":[1,{"b":"}"}],"s":"q\"}"},"a":2,"data":{"c":true}}"#;
        let l = layers(frame);
        assert_eq!(field(&l, &["a"]), Some(r#"[1,{"b":"}"}]"#));
        assert_eq!(field(&l, &["s"]), Some(r#""q\"}""#));
        assert_eq!(field(&l, &["c"]), Some("true"));
        assert_eq!(field(&l, &["type"]), Some(r#""x""#));
        assert_eq!(field(&l, &["nope", "c"]), Some("true"));
        assert_eq!(field(&l, &["nope"]), None);
        assert!(members("[1]").is_none());
        assert!(members(r#"{"a":"#).is_none());
        assert!(layers("not json").is_empty());
    }

    #[test]
    fn any_depth_is_skipped_without_recursion() {
        let deep = format!(
            "{{\"a\":{}{},\"b\":1}}",
            "[".repeat(200_000),
            "]".repeat(200_000)
        );
        let m = members(&deep).expect("an object");
        assert_eq!(m.len(), 2);
        assert_eq!(get(&m, "b"), Some("1"));
        let open = format!("{{\"a\":{}", "[".repeat(1000));
        assert!(members(&open).is_none());
    }
}
