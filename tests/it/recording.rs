//! Recording reader and writer: round trips and the reading rules of recording.md.

use crate::recording_common;

use orchscope::core::recording::*;
use recording_common::*;

#[test]
fn writer_reader_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/rec.jsonl");
    let header = Header {
        started_at: Some("2026-11-23T10:00:00.000Z".into()),
        source: Some(serde_json::json!({"kind": "websocket", "url": "ws://127.0.0.1:8765/ws"})),
        title: Some("a \"title\"\n".into()),
        meta: None,
    };
    let mut w = Writer::create(&path, &header).unwrap();
    assert_eq!(w.path(), path);
    w.link(0.0, LinkState::Connected, None, None).unwrap();
    w.frame_text(
        0.012,
        Dir::Out,
        r#"{"type":"user_message","payload":{"content":"hi"}}"#,
    )
    .unwrap();
    // Key order and number spelling survive; a multi-line object is compacted only.
    w.frame_text(
        0.1534,
        Dir::In,
        "{\n  \"z\": 1.0e5,\n  \"a\": \"x y\\\"\\n\" }\n",
    )
    .unwrap();
    w.frame_text(0.16, Dir::In, "this frame was not JSON")
        .unwrap();
    w.frame_text(0.17, Dir::In, "[1, 2]").unwrap();
    w.frame_text(0.18, Dir::In, "\"\u{1b}[2J\u{0}\"").unwrap();
    w.frame_binary(0.2, Dir::In, &[0, 159, 146, 150, 255])
        .unwrap();
    w.frame_binary(0.21, Dir::Out, &[]).unwrap();
    w.mark(4.2, "tool failure injected").unwrap();
    w.link(5.0, LinkState::Oversize, None, Some(20_000_000))
        .unwrap();
    w.link(
        9.87,
        LinkState::Disconnected,
        Some("connection reset"),
        None,
    )
    .unwrap();
    drop(w);

    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("{\"orchscope_recording\":1,\"started_at\":"));
    assert!(lines[0].ends_with(",\"meta\":{}}"));
    assert_eq!(lines[1], r#"{"t":0.000,"link":"connected"}"#);
    assert_eq!(
        lines[2],
        r#"{"t":0.012,"dir":"out","frame":{"type":"user_message","payload":{"content":"hi"}}}"#
    );
    assert_eq!(
        lines[3],
        r#"{"t":0.153,"dir":"in","frame":{"z":1.0e5,"a":"x y\"\n"}}"#
    );
    assert_eq!(
        lines[4],
        r#"{"t":0.160,"dir":"in","text":"this frame was not JSON"}"#
    );
    assert!(text.ends_with('\n'));

    let (items, bare) = read_reader(open(&path).unwrap());
    assert!(!bare);
    let expected = vec![
        O::Header(Header {
            meta: Some(serde_json::json!({})),
            ..header
        }),
        O::Link(2, Some(0.0), LinkState::Connected, None, None),
        O::Json(
            3,
            Some(0.012),
            Dir::Out,
            r#"{"type":"user_message","payload":{"content":"hi"}}"#.into(),
        ),
        O::Json(
            4,
            Some(0.153),
            Dir::In,
            r#"{"z":1.0e5,"a":"x y\"\n"}"#.into(),
        ),
        O::Text(5, Some(0.16), Dir::In, "this frame was not JSON".into()),
        O::Text(6, Some(0.17), Dir::In, "[1, 2]".into()),
        O::Text(7, Some(0.18), Dir::In, "\"\u{1b}[2J\u{0}\"".into()),
        O::Binary(8, Some(0.2), Dir::In, vec![0, 159, 146, 150, 255]),
        O::Binary(9, Some(0.21), Dir::Out, vec![]),
        O::Mark(10, Some(4.2), "tool failure injected".into()),
        O::Link(11, Some(5.0), LinkState::Oversize, None, Some(20_000_000)),
        O::Link(
            12,
            Some(9.87),
            LinkState::Disconnected,
            Some("connection reset".into()),
            None,
        ),
    ];
    assert_eq!(items, expected);
}

#[cfg(unix)]
#[test]
fn recording_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rec.jsonl");
    let mut w = Writer::create(&path, &Header::default()).unwrap();
    w.mark(0.0, "x").unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn writer_appends_to_an_existing_file_as_a_new_segment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rec.jsonl");
    let mut w = Writer::create(&path, &Header::default()).unwrap();
    w.mark(2.0, "one").unwrap();
    drop(w);
    let mut w = Writer::open(&path, &Header::default(), Existing::Append).unwrap();
    w.mark(1.0, "two").unwrap();
    drop(w);
    let (items, _) = read_reader(open(&path).unwrap());
    assert_eq!(items.len(), 4);
    assert_eq!(items[3], O::Mark(4, Some(3.0), "two".into()));
}

#[test]
fn header_only_file() {
    let (items, bare) = read(HDR.as_bytes());
    assert_eq!(items, vec![hdr()]);
    assert!(!bare);
    // Without its newline the header still parses: it is not a truncated tail.
    let (items, bare) = read(HDR.trim_end().as_bytes());
    assert_eq!(items, vec![hdr()]);
    assert!(!bare);
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(read(b""), (vec![], false));
    assert_eq!(
        read(b"\n\n  \r\n# a comment\n   # another\n"),
        (vec![], false)
    );
}

#[test]
fn comments_and_blank_lines_are_skipped_and_lines_are_physical() {
    let src = format!(
        "# made by hand\n\n{HDR}\n# a note\n{{\"t\":1,\"dir\":\"in\",\"frame\":{{}}}}\n   \n{{\"t\":2,\"mark\":\"m\"}}\n"
    );
    let (items, _) = read(src.as_bytes());
    assert_eq!(
        items,
        vec![
            hdr(),
            O::Json(6, Some(1.0), Dir::In, "{}".into()),
            O::Mark(8, Some(2.0), "m".into()),
        ]
    );
}

#[test]
fn bare_jsonl_keeps_every_line_but_a_cut_off_tail() {
    let src = b"{\"type\":\"a\"}\nnot json at all\n\n# skipped\n[1,2]\n{\"type\":\"b\"}\n{\"type\":\"c\",\"pay";
    let (items, bare) = read(src);
    assert!(bare);
    assert_eq!(
        items,
        vec![
            O::Text(1, None, Dir::In, "{\"type\":\"a\"}".into()),
            O::Text(2, None, Dir::In, "not json at all".into()),
            O::Text(5, None, Dir::In, "[1,2]".into()),
            O::Text(6, None, Dir::In, "{\"type\":\"b\"}".into()),
            O::Tail(7),
        ]
    );
    // A complete last line without a newline is a frame.
    let (items, _) = read(b"{\"type\":\"a\"}\n{\"type\":\"b\"}");
    assert_eq!(
        items[1],
        O::Text(2, None, Dir::In, "{\"type\":\"b\"}".into())
    );
    // A non-JSON first line makes the file bare, too.
    let (items, bare) = read(b"hello\n{\"orchscope_recording\":1}\n");
    assert!(bare);
    assert_eq!(items.len(), 2);
    assert!(matches!(items[1], O::Text(2, None, Dir::In, _)));
}

#[test]
fn bad_lines_in_a_recording_are_reported_and_skipped() {
    let src = format!(
        "{HDR}\
{{\"t\":0.5,\"dir\":\"in\",\"frame\":{{\"type\":\"a\"}}}}\n\
this is not json\n\
{{\"t\":0.6,\"dir\":\"in\",\"frame\":{{\"type\":\"b\"}}}}\n\
{{\"t\":0.7,\"link\":\"exploded\"}}\n\
{{\"t\":0.8,\"dir\":\"sideways\",\"frame\":{{}}}}\n\
{{\"t\":0.9,\"dir\":\"in\",\"binary\":\"not base64!\"}}\n\
{{\"t\":1.0,\"dir\":\"in\",\"frame\":{{}},\"text\":\"x\"}}\n\
{{\"t\":\"soon\",\"dir\":\"in\",\"frame\":{{}}}}\n\
{{\"t\":1.1,\"t\":1.2,\"dir\":\"in\",\"frame\":{{}}}}\n\
{{\"t\":1.3}}\n\
[1,2,3]\n\
{{\"t\":1e400,\"dir\":\"in\",\"frame\":{{}}}}\n\
{{\"t\":1.4,\"dir\":\"in\",\"frame\":null}}\n\
{{\"t\":1.5,\"dir\":\"in\",\"frame\":[1,2]}}\n\
{{\"t\":1.6,\"dir\":\"in\",\"frame\":{{\"type\":\"c\"}}}}\n\
{{\"t\":1.7,\"dir\":\"in\",\"frame\":{{\"type\":\"d\""
    );
    let (items, bare) = read(src.as_bytes());
    assert!(!bare);
    assert_eq!(
        items,
        vec![
            hdr(),
            O::Json(2, Some(0.5), Dir::In, "{\"type\":\"a\"}".into()),
            O::Bad(3),
            O::Json(4, Some(0.6), Dir::In, "{\"type\":\"b\"}".into()),
            O::Bad(5),
            O::Bad(6),
            O::Bad(7),
            O::Bad(8),
            O::Bad(9),
            O::Bad(10),
            O::Bad(11),
            O::Bad(12),
            O::Bad(13),
            O::Json(14, Some(1.4), Dir::In, "null".into()),
            O::Json(15, Some(1.5), Dir::In, "[1,2]".into()),
            O::Json(16, Some(1.6), Dir::In, "{\"type\":\"c\"}".into()),
            O::Tail(17),
        ]
    );
}

#[test]
fn concatenated_recordings_continue_in_time() {
    let seg = format!(
        "{HDR}{{\"t\":0.000,\"link\":\"connected\"}}\n{{\"t\":1.500,\"dir\":\"in\",\"frame\":{{}}}}\n"
    );
    let src = format!("{seg}{seg}# third\n{seg}");
    let (items, _) = read(src.as_bytes());
    let ts: Vec<Option<f64>> = items
        .iter()
        .filter_map(|o| match o {
            O::Header(_) => None,
            O::Json(_, t, ..) | O::Link(_, t, ..) => Some(*t),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        ts,
        vec![
            Some(0.0),
            Some(1.5),
            Some(1.5),
            Some(3.0),
            Some(3.0),
            Some(4.5)
        ]
    );
    assert_eq!(
        items.iter().filter(|o| matches!(o, O::Header(_))).count(),
        3
    );
    assert!(matches!(items.last(), Some(O::Json(10, ..))));
}

#[test]
fn crlf_line_endings() {
    let src = "\u{feff}{\"orchscope_recording\":1}\r\n\r\n{\"t\":1,\"dir\":\"out\",\"text\":\"a\"}\r\n{\"t\":2,\"dir\":\"in\",\"frame\":{\"k\":1}}\r\n";
    let (items, bare) = read(src.as_bytes());
    assert!(!bare);
    assert_eq!(
        items,
        vec![
            O::Header(Header::default()),
            O::Text(3, Some(1.0), Dir::Out, "a".into()),
            O::Json(4, Some(2.0), Dir::In, "{\"k\":1}".into()),
        ]
    );
    let (items, bare) = read(b"{\"type\":\"a\"}\r\nplain\r\n");
    assert!(bare);
    assert_eq!(
        items,
        vec![
            O::Text(1, None, Dir::In, "{\"type\":\"a\"}".into()),
            O::Text(2, None, Dir::In, "plain".into()),
        ]
    );
}

#[test]
fn default_file_name_is_sanitised() {
    use chrono::TimeZone;
    let now = chrono::Local
        .with_ymd_and_hms(2026, 11, 23, 10, 4, 5)
        .unwrap();
    assert_eq!(
        default_file_name(now, "box-1.lan"),
        "20261123-100405-box-1.lan.jsonl"
    );
    assert_eq!(
        default_file_name(now, "a/b c\u{e9}"),
        "20261123-100405-a_b_c_.jsonl"
    );
    assert_eq!(default_file_name(now, ""), "20261123-100405-unknown.jsonl");
}

#[test]
fn a_text_frame_that_is_not_utf8_reads_back_as_its_bytes_and_only_it_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rec.jsonl");
    let mut w = Writer::create(&path, &Header::default()).unwrap();
    w.frame_invalid_text(0.5, Dir::In, b"ab\xffc", 2).unwrap();
    w.frame_binary(0.6, Dir::In, b"ab\xffc").unwrap();
    drop(w);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1],
        r#"{"t":0.500,"dir":"in","binary":"YWL/Yw==","invalid_utf8":2}"#
    );
    assert_eq!(lines[2], r#"{"t":0.600,"dir":"in","binary":"YWL/Yw=="}"#);
    let (items, _) = read_reader(open(&path).unwrap());
    assert_eq!(
        items[1..],
        [
            O::InvalidText(2, Some(0.5), Dir::In, b"ab\xffc".to_vec(), 2),
            O::Binary(3, Some(0.6), Dir::In, b"ab\xffc".to_vec()),
        ]
    );
}
