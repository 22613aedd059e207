//! The recording reader under bad input: the R1 corpus (none panics, the good lines around
//! are kept), overlong lines, streaming, and arbitrary bytes.

use crate::recording_common;

use orchscope::core::recording::*;
use proptest::prelude::*;
use recording_common::*;
use std::io::{BufReader, Cursor, Read};

/// The R1 corpus, as lines of a recording between good frames.
fn corpus() -> Vec<Vec<u8>> {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let big = format!(
        "{{\"type\":\"tool_completed\",\"result\":\"{}\"}}",
        "x".repeat(20 << 20)
    );
    vec![
        format!("{{\"t\":1,\"dir\":\"in\",\"frame\":{deep}}}").into_bytes(),
        format!("{{\"t\":1,\"dir\":\"in\",\"frame\":{{\"a\":{deep}}}}}").into_bytes(),
        deep.clone().into_bytes(),
        format!("{{\"t\":1,\"dir\":\"in\",\"frame\":{big}}}").into_bytes(),
        b"{\"t\":1,\"dir\":\"in\",\"frame\":{\"type\":\"\xff\xfe\"}}".to_vec(),
        b"\xc3\x28 not utf-8".to_vec(),
        b"{\"t\":1,\"dir\":\"in\",\"frame\":{\"type\":\"a\0b\"}}".to_vec(),
        b"\0\0\0".to_vec(),
        br#"{"t":1,"dir":"in","frame":{"type":"\u0000\u001b[2J\ud800\"\\"}}"#.to_vec(),
        br#"{"t":1,"dir":"in","frame":{"n":1e99999,"i":-99999999999999999999999999999}}"#.to_vec(),
        br#"{"t":1,"dir":"in","text":"\u001b]0;x\u0007"}"#.to_vec(),
        br#"{"t":1,"dir":"in","frame":{"type":"x"}"#.to_vec(),
        b"\"just a string\"".to_vec(),
        b"{}".to_vec(),
    ]
}

#[test]
fn bad_input_corpus_never_panics_and_keeps_the_good_lines() {
    let good = |i: usize| format!("{{\"t\":{i},\"dir\":\"in\",\"frame\":{{\"type\":\"good\"}}}}\n");
    for bare in [false, true] {
        // A bare file is told by its first line: a frame, not a header nor a record.
        let mut src: Vec<u8> = Vec::new();
        src.extend_from_slice(if bare { "{\"type\":\"x\"}\n" } else { HDR }.as_bytes());
        let corpus = corpus();
        for (i, bad) in corpus.iter().enumerate() {
            src.extend_from_slice(good(i).as_bytes());
            src.extend_from_slice(bad);
            src.push(b'\n');
        }
        src.extend_from_slice(good(corpus.len()).as_bytes());
        let (items, is_bare) = read(&src);
        assert_eq!(is_bare, bare);
        let first = 2;
        // Every good line is kept, at its physical line, whatever sits between them.
        for i in 0..=corpus.len() {
            let line = first + 2 * i;
            let found = items.iter().any(|o| match o {
                O::Json(l, Some(t), Dir::In, s) => {
                    *l == line && *t == i as f64 && s == "{\"type\":\"good\"}"
                }
                O::Text(l, None, Dir::In, s) => *l == line && s == good(i).trim_end(),
                _ => false,
            });
            assert!(found, "good line {line} lost (bare: {bare})");
        }
        // And every bad line is reported exactly once.
        // (The line of NULs is padding, reported as such and read as the blank line it hides.)
        assert_eq!(items.len(), 1 + 2 * corpus.len() + 1);
        assert!(!items.iter().any(|o| matches!(o, O::Tail(_))));
        if !bare {
            // What each corpus line becomes in a recording: raw frames stay verbatim (even
            // 10,000-deep ones: the decoder downstream bounds its own depth).
            let kinds: Vec<&str> = (0..corpus.len())
                .map(|i| {
                    let line = first + 2 * i + 1;
                    match items.iter().find(|o| item_line(o) == Some(line)) {
                        Some(O::Json(_, _, _, s)) => {
                            assert_eq!(s.len() + 27, corpus[i].len(), "line {line} not verbatim");
                            "json"
                        }
                        Some(O::Text(..)) => "text",
                        Some(O::Bad(_)) => "bad",
                        Some(O::Padding(..)) => "padding",
                        other => panic!("line {line}: {other:?}"),
                    }
                })
                .collect();
            assert_eq!(
                kinds,
                [
                    "json", "json", "bad", "json", "bad", "bad", "bad", "padding", "json", "json",
                    "text", "bad", "bad", "bad"
                ]
            );
        }
        if bare {
            // In bare JSONL, invalid UTF-8 comes through lossily.
            assert!(items
                .iter()
                .any(|o| matches!(o, O::Text(_, _, _, s) if s.contains('\u{fffd}'))));
        }
    }
}

#[test]
fn overlong_lines_are_skipped_whole() {
    let src = format!(
        "{HDR}{{\"t\":1,\"dir\":\"in\",\"text\":\"{}\"}}\n{{\"t\":2,\"mark\":\"after\"}}\n",
        "y".repeat(1000)
    );
    let r = Reader::new(Cursor::new(src.into_bytes())).with_max_line(200);
    let (items, _) = read_reader(r);
    assert_eq!(
        items,
        vec![hdr(), O::Bad(2), O::Mark(3, Some(2.0), "after".into())]
    );
}

/// Yields `n` recording lines on demand, so the whole file never exists in memory.
struct Generated {
    next: usize,
    n: usize,
    pending: Vec<u8>,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if self.next > self.n {
                return Ok(0);
            }
            self.pending = if self.next == 0 {
                HDR.as_bytes().to_vec()
            } else {
                format!(
                    "{{\"t\":{}.000,\"dir\":\"in\",\"frame\":{{\"type\":\"agent_thinking\",\"payload\":{{\"seq\":{}}}}}}}\n",
                    self.next, self.next
                )
                .into_bytes()
            };
            self.next += 1;
        }
        let k = out.len().min(self.pending.len());
        out[..k].copy_from_slice(&self.pending[..k]);
        self.pending.drain(..k);
        Ok(k)
    }
}

#[test]
fn reads_a_stream_line_by_line() {
    let n = 50_000;
    let gen = Generated {
        next: 0,
        n,
        pending: Vec::new(),
    };
    let mut r = Reader::new(BufReader::with_capacity(4096, gen));
    let mut frames = 0;
    while let Some(item) = r.next_item().unwrap() {
        if let Item::Frame {
            line,
            t: Some(t),
            body: FrameBody::Json(s),
            ..
        } = item
        {
            assert_eq!(t, (line - 1) as f64);
            assert!(s.ends_with(&format!("\"seq\":{}}}}}", line - 1)));
            frames += 1;
        }
    }
    assert_eq!(frames, n);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(
        header in any::<bool>(),
        body in proptest::collection::vec(
            prop_oneof![
                any::<u8>(),
                Just(b'\n'), Just(b'\r'), Just(b'{'), Just(b'}'), Just(b'"'), Just(b'#'),
            ],
            0..2048,
        ),
        pieces in proptest::collection::vec(
            prop_oneof![
                Just(&b"{\"t\":1,\"dir\":\"in\",\"frame\":"[..]),
                Just(&b"{\"t\":2,\"link\":\"oversize\",\"size\":"[..]),
                Just(&b"{\"orchscope_recording\":1}\n"[..]),
                Just(&b"\"binary\":\""[..]),
                Just(&b"\n"[..]),
            ],
            0..8,
        ),
    ) {
        let mut src = Vec::new();
        if header {
            src.extend_from_slice(HDR.as_bytes());
        }
        for (i, p) in pieces.iter().enumerate() {
            src.extend_from_slice(p);
            let at = body.len() * i / pieces.len().max(1);
            src.extend_from_slice(&body[at..]);
        }
        src.extend_from_slice(&body);
        let max_items = src.iter().filter(|&&b| b == b'\n').count() + 1;
        let mut r = Reader::new(Cursor::new(src));
        let mut n = 0;
        while let Some(item) = r.next_item().unwrap() {
            let _ = owned(item);
            n += 1;
            prop_assert!(n <= max_items);
        }
    }

    #[test]
    fn any_text_frame_round_trips(frames in proptest::collection::vec(
        (0u32..1_000_000, any::<bool>(), prop_oneof![
            any::<String>(),
            "[ \\n\\t]{0,2}\\{[ \\n]{0,2}(\"[a-z\\\\\" ]{0,6}\"[ \\n]{0,2}:[ \\n]{0,2}[0-9]{1,3}[ \\n]{0,2})?\\}[ \\n]{0,2}",
        ]),
        0..20,
    )) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec.jsonl");
        let mut w = Writer::create(&path, &Header::default()).unwrap();
        for (ms, out, text) in &frames {
            let d = if *out { Dir::Out } else { Dir::In };
            w.frame_text(f64::from(*ms) / 1000.0, d, text).unwrap();
        }
        drop(w);
        let (items, bare) = read_reader(open(&path).unwrap());
        prop_assert!(!bare);
        prop_assert_eq!(items.len(), frames.len() + 1);
        for ((ms, out, text), item) in frames.iter().zip(&items[1..]) {
            let d = if *out { Dir::Out } else { Dir::In };
            let t = Some(f64::from(*ms) / 1000.0);
            match item {
                O::Json(_, tt, dd, s) => {
                    prop_assert_eq!((*tt, *dd), (t, d));
                    let a: serde_json::Value = serde_json::from_str(s).unwrap();
                    let b: serde_json::Value = serde_json::from_str(text).unwrap();
                    prop_assert_eq!(a, b);
                    prop_assert!(!s.contains('\n'));
                }
                O::Text(_, tt, dd, s) => {
                    prop_assert_eq!((*tt, *dd), (t, d));
                    prop_assert_eq!(s, text);
                }
                other => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }
}
