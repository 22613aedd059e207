//! Bookmarks, notes and deletions in a recording (`mark`/`note`/`delete` with `at`, the frame
//! they are on): read wherever they stand, appended without touching earlier bytes, malformed
//! ones reported as bad lines, and older recordings read as before.

use crate::recording_common::*;
use orchscope::core::bookmarks::{marks, Anchored, MarkKind, Marking};
use orchscope::core::load::load;
use orchscope::core::log::Keep;
use orchscope::core::recording::*;
use orchscope::core::session::StreamIssue;
use std::path::{Path, PathBuf};

/// A copy of a recording orchscope made (`recordings/simple.jsonl`: 9 frames).
fn copy_of_simple(dir: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings/simple.jsonl");
    let to = dir.join("simple.jsonl");
    std::fs::copy(from, &to).unwrap();
    to
}

fn bad_lines(path: &Path) -> Vec<usize> {
    let loaded = load(path.to_str().unwrap(), None, Keep::All).unwrap();
    (loaded.log.session().stream.iter().cloned())
        .filter_map(|i| match i {
            StreamIssue::BadLine { line, .. } => Some(line),
            _ => None,
        })
        .collect()
}

#[test]
fn lines_appended_after_the_last_frame_land_on_their_frames() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_simple(dir.path());
    let before = std::fs::read(&path).unwrap();
    let mut w = Writer::append_to(&path).unwrap();
    w.anchored(1.102, 4, &Anchored::Bookmark("bookmark".into()))
        .unwrap();
    w.anchored(
        1.102,
        2,
        &Anchored::Note("the \"plan\"\nstarts here".into()),
    )
    .unwrap();
    w.anchored(1.102, 7, &Anchored::Note("gone soon".into()))
        .unwrap();
    w.anchored(1.102, 7, &Anchored::Delete(Marking::Note))
        .unwrap();
    drop(w);
    let after = std::fs::read(&path).unwrap();
    assert_eq!(
        &after[..before.len()],
        &before[..],
        "earlier bytes untouched"
    );
    let tail = String::from_utf8(after[before.len()..].to_vec()).unwrap();
    assert_eq!(
        tail,
        "{\"t\":1.102,\"mark\":\"bookmark\",\"at\":4}\n\
         {\"t\":1.102,\"note\":\"the \\\"plan\\\"\\nstarts here\",\"at\":2}\n\
         {\"t\":1.102,\"note\":\"gone soon\",\"at\":7}\n\
         {\"t\":1.102,\"delete\":\"note\",\"at\":7}\n"
    );
    let (items, _) = read_reader(open(&path).unwrap());
    let n = items.len();
    assert_eq!(
        items[n - 4],
        O::Anchored(13, Some(1.102), 4, Anchored::Bookmark("bookmark".into()))
    );
    assert_eq!(
        items[n - 1],
        O::Anchored(16, Some(1.102), 7, Anchored::Delete(Marking::Note))
    );
    let loaded = load(path.to_str().unwrap(), None, Keep::All).unwrap();
    assert_eq!(loaded.log.frames(), 9);
    let list = marks(&loaded.log);
    let got: Vec<_> = list.iter().map(|m| (m.kind, m.frame)).collect();
    assert_eq!(
        got,
        vec![(MarkKind::Note, Some(2)), (MarkKind::Bookmark, Some(4))]
    );
    assert_eq!(list[0].text, "the \"plan\"\nstarts here");
    assert!(bad_lines(&path).is_empty());
}

#[test]
fn an_older_recording_reads_the_same_and_its_markers_stay_where_they_were() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings/slow.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let (items, _) = read_reader(open(&path).unwrap());
    assert!(items.iter().all(|o| !matches!(o, O::Anchored(..))));
    // Its marker lines, each after the frame before it.
    let mut frames = 0usize;
    let mut expected = Vec::new();
    for line in text.lines().skip(1) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v.get("dir").is_some() {
            frames += 1;
        }
        if let Some(m) = v.get("mark").and_then(|m| m.as_str()) {
            expected.push((MarkKind::Marker, frames.checked_sub(1), m.to_string()));
        }
    }
    assert!(!expected.is_empty());
    let loaded = load(path.to_str().unwrap(), None, Keep::All).unwrap();
    let got: Vec<_> = (marks(&loaded.log).into_iter())
        .map(|m| (m.kind, m.frame, m.text))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn malformed_anchored_lines_are_counted_as_bad_lines_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_simple(dir.path());
    let lines = [
        r#"{"t":1.2,"note":"no frame given"}"#,
        r#"{"t":1.2,"mark":"x","at":-1}"#,
        r#"{"t":1.2,"mark":"x","at":"3"}"#,
        r#"{"t":1.2,"delete":"everything","at":3}"#,
        r#"{"t":1.2,"mark":"x","note":"y","at":3}"#,
        r#"{"t":1.2,"mark":5,"at":3}"#,
        r#"{"t":1.2,"at":3}"#,
        r#"{"t":1.2,"note":"fine","at":3}"#,
    ];
    let mut text = std::fs::read_to_string(&path).unwrap();
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    assert_eq!(bad_lines(&path), (13..=19).collect::<Vec<_>>());
    let loaded = load(path.to_str().unwrap(), None, Keep::All).unwrap();
    let list = marks(&loaded.log);
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].kind, list[0].frame), (MarkKind::Note, Some(3)));
}

#[cfg(unix)]
#[test]
fn appending_keeps_the_mode_and_refuses_a_file_that_is_gone_or_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_simple(dir.path());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut w = Writer::append_to(&path).unwrap();
    w.anchored(0.5, 0, &Anchored::Bookmark("b".into())).unwrap();
    drop(w);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    // Root writes anyway; everyone else is refused.
    let root = unsafe { libc::geteuid() } == 0;
    assert_eq!(Writer::append_to(&path).is_err(), !root);
    assert!(Writer::append_to(&dir.path().join("vanished.jsonl")).is_err());
}
