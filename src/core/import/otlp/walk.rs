//! An export request's spans read in one pass: the levels above the spans (`resourceSpans`,
//! `scopeSpans`) are walked by hand, each span is read by serde_json from where it starts, and
//! its text (kept in its frames) is cut from the line where the read ended — so the span's
//! bytes are scanned once, not once to find it and again to read it. Anything this walk does
//! not expect gives `None`, and the line is read the general way (which also words the error).

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::wire::WireSpan;
use crate::core::payload::scan::skip_ws;

/// A span read, and its text as written.
pub(super) type Found<'a> = (WireSpan<'a>, &'a str);

/// The spans of one request line in the order the general reader gives them (per resource,
/// the `scopeSpans` first, then the older `instrumentationLibrarySpans`), or `None`.
pub(super) fn spans(line: &str) -> Option<Vec<Found<'_>>> {
    let mut c = Cursor { text: line, at: 0 };
    let mut found = Vec::new();
    let mut seen = false;
    c.object(|c, key| match key {
        "resourceSpans" if !std::mem::replace(&mut seen, true) => {
            c.array(|c| resource(c, &mut found))
        }
        "resourceSpans" => None,
        _ => c.skip(),
    })?;
    c.ws();
    (c.at == line.len()).then_some(found)
}

/// One `ResourceSpans`: its spans appended to `found`.
fn resource<'a>(c: &mut Cursor<'a>, found: &mut Vec<Found<'a>>) -> Option<()> {
    let (mut scope, mut library) = (None, None);
    c.object(|c, key| {
        let into = match key {
            "scopeSpans" => &mut scope,
            "instrumentationLibrarySpans" => &mut library,
            _ => return c.skip(),
        };
        if into.is_some() {
            return None;
        }
        let mut spans = Vec::new();
        c.array(|c| scope_spans(c, &mut spans))?;
        *into = Some(spans);
        Some(())
    })?;
    found.extend(scope.into_iter().chain(library).flatten());
    Some(())
}

/// One `ScopeSpans`: its spans appended to `found`.
fn scope_spans<'a>(c: &mut Cursor<'a>, found: &mut Vec<Found<'a>>) -> Option<()> {
    let mut seen = false;
    c.object(|c, key| match key {
        "spans" if !std::mem::replace(&mut seen, true) => c.array(|c| {
            let (span, text) = c.read::<WireSpan>()?;
            found.push((span, text));
            Some(())
        }),
        "spans" => None,
        _ => c.skip(),
    })
}

/// A place in a line.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        self.at = skip_ws(self.text.as_bytes(), self.at);
    }

    /// Takes `b` after any whitespace.
    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        let hit = self.text.as_bytes().get(self.at) == Some(&b);
        self.at += usize::from(hit);
        hit
    }

    /// The next value, read from where it starts, and its text.
    fn read<T: Deserialize<'a>>(&mut self) -> Option<(T, &'a str)> {
        self.ws();
        let rest = &self.text[self.at..];
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        let value = values.next()?.ok()?;
        let end = values.byte_offset();
        self.at += end;
        Some((value, &rest[..end]))
    }

    /// The next value, checked and passed over.
    fn skip(&mut self) -> Option<()> {
        self.read::<IgnoredAny>().map(|_| ())
    }

    /// An object, `each` called with each key (an escaped key is not expected here).
    fn object(&mut self, mut each: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let (key, _) = self.read::<&str>()?;
            if !self.eat(b':') {
                return None;
            }
            each(self, key)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// An array, `each` called at the start of each element.
    fn array(&mut self, mut each: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if !self.eat(b'[') {
            return None;
        }
        if self.eat(b']') {
            return Some(());
        }
        loop {
            each(self)?;
            if self.eat(b']') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::wire::Request;

    /// The spans' texts as the general reader finds them.
    fn general(line: &str) -> Vec<&str> {
        let request: Request = serde_json::from_str(line).expect("a request");
        let mut texts = Vec::new();
        for rs in &request.resource_spans {
            for ss in rs.scope_spans.iter().chain(&rs.library_spans) {
                texts.extend(ss.spans.iter().map(|r| r.get()));
            }
        }
        texts
    }

    fn walked(line: &str) -> Option<Vec<&str>> {
        Some(super::spans(line)?.into_iter().map(|(_, t)| t).collect())
    }

    #[test]
    fn the_walk_finds_the_spans_the_general_reader_does() {
        let corpus =
            include_str!("../../../../tests/fixtures/corpus/otlp-genai/agents-handoff/trace.jsonl");
        let lines = [
            corpus.trim(),
            r#"{"resourceSpans":[]}"#,
            r#"{}"#,
            r#" { "x" : [1, {"y": "}"}] , "resourceSpans" : [ { "resource" : {}, "scopeSpans" : [ { "spans" : [ {"spanId":"a"} , {"spanId":"b","name":"n"} ] } ] } ] } "#,
            // The older name's spans come after the newer name's, whatever the order written.
            r#"{"resourceSpans":[{"instrumentationLibrarySpans":[{"spans":[{"spanId":"old"}]}],"scopeSpans":[{"spans":[{"spanId":"new"}]}]},{"scopeSpans":[{"spans":[{"spanId":"2"}],"scope":{"name":"s"}}]}]}"#,
        ];
        for line in lines {
            assert_eq!(walked(line.trim()), Some(general(line.trim())), "{line}");
        }
        assert_eq!(walked(corpus.trim()).map(|t| t.len()), Some(16));
    }

    use proptest::prelude::*;

    /// Whitespace as a producer may put it between tokens.
    fn ws() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", " ", "\n", "\t ", "\r\n  "])
    }

    /// An object of these fields, in an order the strategy picks.
    fn object(fields: Vec<(&'static str, String)>) -> impl Strategy<Value = String> {
        (Just(fields).prop_shuffle(), ws()).prop_map(|(fields, w)| {
            let inner: Vec<String> = (fields.into_iter())
                .map(|(k, v)| format!("{w}\"{k}\"{w}:{w}{v}{w}"))
                .collect();
            format!("{{{}}}", inner.join(","))
        })
    }

    fn list(items: Vec<String>) -> String {
        format!("[{}]", items.join(" , "))
    }

    fn span() -> impl Strategy<Value = String> {
        let names = vec!["a", r#"x\"y"#, "}{][,:", "é😀", r"\u0041\n"];
        (0u64..1000, prop::sample::select(names)).prop_flat_map(|(id, name)| {
            object(vec![
                ("spanId", format!("\"{id:016x}\"")),
                ("name", format!("\"{name}\"")),
                (
                    "attributes",
                    r#"[{"key":"k","value":{"intValue":"1"}}]"#.to_string(),
                ),
            ])
        })
    }

    fn scope() -> impl Strategy<Value = String> {
        prop::collection::vec(span(), 0..4).prop_flat_map(|spans| {
            object(vec![
                ("scope", r#"{"name":"s]}"}"#.to_string()),
                ("spans", list(spans)),
            ])
        })
    }

    fn resource() -> impl Strategy<Value = String> {
        let scopes = || prop::collection::vec(scope(), 0..3).prop_map(list);
        (scopes(), prop::option::of(scopes())).prop_flat_map(|(newer, older)| {
            let mut fields = vec![
                ("resource", r#"{"attributes":[]}"#.to_string()),
                ("scopeSpans", newer),
            ];
            fields.extend(older.map(|o| ("instrumentationLibrarySpans", o)));
            object(fields)
        })
    }

    fn request() -> impl Strategy<Value = String> {
        prop::collection::vec(resource(), 0..3).prop_flat_map(|resources| {
            object(vec![
                ("resourceSpans", list(resources)),
                ("extra", r#"{"k":[1.5e3,"}",null,true]}"#.to_string()),
            ])
        })
    }

    proptest! {
        #[test]
        fn any_request_is_walked_as_the_general_reader_reads_it(line in request()) {
            prop_assert_eq!(walked(&line), Some(general(&line)));
        }
    }

    #[test]
    fn what_the_walk_does_not_expect_is_left_to_the_general_reader() {
        for line in [
            r#"{"resource\u0053pans":[]}"#,
            r#"{"resourceSpans":[],"resourceSpans":[]}"#,
            r#"{"resourceSpans":[{"scopeSpans":[],"scopeSpans":[]}]}"#,
            r#"{"resourceSpans":[{"scopeSpans":[{"spans":[null]}]}]}"#,
            r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]}"#,
            r#"{"resourceSpans":null}"#,
            r#"[[]]"#,
            r#"{"resourceSpans":[]} x"#,
            r#"{"resourceSpans":[]"#,
            r#"{"resourceSpans":[1,]}"#,
        ] {
            assert_eq!(walked(line), None, "{line}");
        }
    }
}
