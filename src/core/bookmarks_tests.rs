//! The fold of bookmarks, notes, deletions and markers into the list shown everywhere.

use super::*;
use crate::core::entry::Entry;
use crate::core::link::Dir;
use crate::core::log::Keep;

fn log_with(frames: usize) -> Log {
    let mut log = Log::new(Keep::All);
    for i in 0..frames {
        log.push_frame(
            Some(i as f64),
            Dir::In,
            &format!("{{\"type\":\"x\",\"n\":{i}}}"),
        );
    }
    log
}

fn anchored(log: &mut Log, at: u32, what: Anchored) {
    log.push(Entry::anchored(Some(9.0), at, what));
}

fn shown(log: &Log) -> Vec<(MarkKind, Option<usize>, String)> {
    marks(log)
        .into_iter()
        .map(|m| (m.kind, m.frame, m.text))
        .collect()
}

#[test]
fn an_anchored_line_at_the_end_belongs_to_its_frame() {
    let mut log = log_with(5);
    anchored(&mut log, 3, Anchored::Note("why here?".into()));
    anchored(&mut log, 1, Anchored::Bookmark("bookmark".into()));
    assert_eq!(
        shown(&log),
        vec![
            (MarkKind::Bookmark, Some(1), "bookmark".into()),
            (MarkKind::Note, Some(3), "why here?".into()),
        ]
    );
    let list = marks(&log);
    assert!(is_bookmarked(&list, 1) && !is_bookmarked(&list, 3));
    assert_eq!(
        note_on(&list, 3).map(|m| m.text.as_str()),
        Some("why here?")
    );
    assert!(note_on(&list, 1).is_none());
}

#[test]
fn an_unanchored_marker_keeps_the_frame_before_it() {
    let mut log = Log::new(Keep::All);
    log.push(Entry::mark(Some(0.0), "before anything".into()));
    log.push_frame(Some(1.0), Dir::In, "{}");
    log.push_frame(Some(2.0), Dir::In, "{}");
    log.push(Entry::mark(Some(2.5), "act 2".into()));
    assert_eq!(
        shown(&log),
        vec![
            (MarkKind::Marker, None, "before anything".into()),
            (MarkKind::Marker, Some(1), "act 2".into()),
        ]
    );
    assert_eq!(marks(&log)[0].place(), "start");
}

#[test]
fn a_later_note_replaces_and_a_deletion_removes() {
    let mut log = log_with(3);
    log.push(Entry::mark(Some(3.0), "marker on 2".into()));
    anchored(&mut log, 2, Anchored::Bookmark("b".into()));
    anchored(&mut log, 0, Anchored::Note("first".into()));
    anchored(&mut log, 0, Anchored::Note("second".into()));
    anchored(&mut log, 2, Anchored::Note("kept".into()));
    anchored(&mut log, 2, Anchored::Delete(Marking::Bookmark));
    assert_eq!(
        shown(&log),
        vec![
            (MarkKind::Note, Some(0), "second".into()),
            (MarkKind::Note, Some(2), "kept".into()),
        ]
    );
    anchored(&mut log, 0, Anchored::Delete(Marking::Note));
    anchored(&mut log, 1, Anchored::Delete(Marking::Note));
    assert_eq!(shown(&log), vec![(MarkKind::Note, Some(2), "kept".into())]);
    // Bookmarked again after the deletion: the new one counts.
    anchored(&mut log, 2, Anchored::Bookmark("again".into()));
    assert!(is_bookmarked(&marks(&log), 2));
}

#[test]
fn words_of_a_deletion_read_back() {
    for m in [Marking::Bookmark, Marking::Note] {
        assert_eq!(Marking::parse(m.word()), Some(m));
    }
    assert_eq!(Marking::parse("everything"), None);
}
