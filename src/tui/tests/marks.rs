//! Bookmarks and notes in the inspector: `m` toggles a bookmark on the selected frame, `n`
//! writes (or, empty, removes) its note, `M` lists them; each is an entry of the log and an
//! effect the runner appends to the recording; drawn as a glyph and a word.

use super::*;
use crate::core::bookmarks::{Anchored, MarkKind, Marking};
use crate::tui::marks::Target;

fn goto(app: &mut App, frame: usize) {
    key(app, KeyCode::Char(':'));
    chars(app, &format!("goto #{frame}"));
    key(app, KeyCode::Enter);
    assert_eq!(
        app.selected,
        Selected::Frame(crate::core::session::Pos::new(frame))
    );
}

fn anchors(fx: &[Effect]) -> Vec<(u32, Anchored)> {
    (fx.iter())
        .filter_map(|e| match e {
            Effect::Anchor { at, what, .. } => Some((*at, what.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn m_bookmarks_the_selected_frame_and_again_removes_it() {
    let mut app = replay_app("default");
    goto(&mut app, 3);
    let fx = key(&mut app, KeyCode::Char('m'));
    assert_eq!(
        anchors(&fx),
        vec![(3, Anchored::Bookmark("bookmark".into()))]
    );
    assert_eq!(app.marks.list.len(), 1);
    assert_eq!(app.marks.label(3), Some("⚑ bookmark"));
    assert!(
        app.texts.detail_title.contains("⚑ bookmark"),
        "{}",
        app.texts.detail_title
    );
    // A bare JSONL file cannot hold them: said once.
    let notice = app.ui.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("bookmarked frame #3 · kept in memory only"),
        "{notice}"
    );
    let fx = key(&mut app, KeyCode::Char('m'));
    assert_eq!(anchors(&fx), vec![(3, Anchored::Delete(Marking::Bookmark))]);
    assert!(app.marks.list.is_empty());
    assert_eq!(
        app.ui.notice.as_deref(),
        Some("bookmark removed from frame #3")
    );
}

#[test]
fn n_writes_a_note_shown_escaped_and_an_empty_one_removes_it() {
    let mut app = replay_app("default");
    goto(&mut app, 2);
    key(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.ui.overlay, Overlay::Note(_, 2)));
    chars(&mut app, "retry \u{1b}[31m starts here");
    let fx = key(&mut app, KeyCode::Enter);
    let note = "retry \u{1b}[31m starts here".to_string();
    assert_eq!(anchors(&fx), vec![(2, Anchored::Note(note.clone()))]);
    assert_eq!(app.texts.detail[0], "✎ note: retry ␛[31m starts here");
    assert!(app.marks.rows[0].contains("✎ note     retry ␛[31m starts here"));
    // Again: the composer holds the note; emptied, it removes it.
    key(&mut app, KeyCode::Char('n'));
    match &app.ui.overlay {
        Overlay::Note(i, 2) => assert_eq!(i.text, note),
        o => panic!("{o:?}"),
    }
    for _ in 0..note.chars().count() {
        key(&mut app, KeyCode::Backspace);
    }
    let fx = key(&mut app, KeyCode::Enter);
    assert_eq!(anchors(&fx), vec![(2, Anchored::Delete(Marking::Note))]);
    assert!(app.marks.list.is_empty());
}

#[test]
fn the_list_jumps_and_deletes() {
    let mut app = replay_app("default");
    for f in [5, 1] {
        goto(&mut app, f);
        key(&mut app, KeyCode::Char('m'));
    }
    key(&mut app, KeyCode::Char('n'));
    chars(&mut app, "first look");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('M'));
    assert_eq!(app.ui.overlay, Overlay::Marks);
    let kinds: Vec<_> = app.marks.list.iter().map(|m| (m.kind, m.frame)).collect();
    assert_eq!(
        kinds,
        vec![
            (MarkKind::Bookmark, Some(1)),
            (MarkKind::Note, Some(1)),
            (MarkKind::Bookmark, Some(5))
        ]
    );
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.overlay, Overlay::None);
    assert_eq!(
        app.selected,
        Selected::Frame(crate::core::session::Pos::new(5))
    );
    key(&mut app, KeyCode::Char('M'));
    key(&mut app, KeyCode::Char('k'));
    let fx = key(&mut app, KeyCode::Char('d'));
    assert_eq!(anchors(&fx), vec![(1, Anchored::Delete(Marking::Note))]);
    assert_eq!(app.marks.list.len(), 2);
    let fx = key(&mut app, KeyCode::Char('x'));
    assert_eq!(anchors(&fx), vec![(5, Anchored::Delete(Marking::Bookmark))]);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.ui.overlay, Overlay::None);
    // `:marks` opens it too.
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "marks");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.overlay, Overlay::Marks);
}

#[test]
fn the_runner_appends_to_the_replayed_recording_or_says_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("simple.jsonl");
    let from = concat!(env!("CARGO_MANIFEST_DIR"), "/recordings/simple.jsonl");
    std::fs::copy(from, &path).unwrap();
    let mut app = replay_file(path.to_str().unwrap(), "default");
    // Appended lines carry the time of the recording's last frame.
    let text = std::fs::read_to_string(&path).unwrap();
    let last_frame = text
        .lines()
        .rev()
        .find(|l| l.contains(r#""dir":"#))
        .unwrap();
    let t = serde_json::from_str::<serde_json::Value>(last_frame).unwrap()["t"]
        .as_f64()
        .unwrap();
    assert_eq!(
        app.marks.target,
        Target::File {
            path: "simple.jsonl".into(),
            t
        }
    );
    app.marks.target = Target::File {
        path: path.clone(),
        t: 0.065,
    };
    let what = Anchored::Note("here".into());
    assert!(crate::tui::marks_file::append(&mut app, 0.065, 4, &what).is_none());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.ends_with("\n{\"t\":0.065,\"note\":\"here\",\"at\":4}\n"),
        "{text}"
    );
    std::fs::remove_file(&path).unwrap();
    let said = crate::tui::marks_file::append(&mut app, 0.065, 4, &what);
    assert!(matches!(said, Some(Msg::WriteFailed(w)) if w.starts_with("cannot add the mark to ")));
    assert!(!path.exists(), "a vanished file is not made again");
    assert!(matches!(
        app.marks.target,
        Target::Memory { told: true, .. }
    ));
}

#[test]
fn the_list_and_the_timeline_glyphs_at_two_sizes() {
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        let mut app = replay_app("default");
        goto(&mut app, 4);
        key(&mut app, KeyCode::Char('m'));
        goto(&mut app, 6);
        key(&mut app, KeyCode::Char('n'));
        chars(&mut app, "the plan changes here");
        key(&mut app, KeyCode::Enter);
        app.ui.focus = Focus::Timeline;
        let t = draw(&mut app, w, h);
        insta::assert_snapshot!(format!("marks_timeline_{w}x{h}"), text(&t));
        key(&mut app, KeyCode::Char('M'));
        let t = draw(&mut app, w, h);
        insta::assert_snapshot!(format!("marks_list_{w}x{h}"), text(&t));
    }
}

#[test]
fn live_a_bookmark_goes_to_the_recording_being_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.jsonl");
    let header = crate::core::recording::Header::default();
    let existing = crate::core::recording::Existing::Refuse;
    let sink = Sink::recording_to(Keep::All, &path, &header, existing).unwrap();
    let mut app = live_app();
    app.sink = sink;
    for (i, line) in fixture_lines().iter().take(4).enumerate() {
        update(&mut app, frame(i, line));
    }
    update(&mut app, Msg::Tick(500.0));
    let fx = key(&mut app, KeyCode::Char('m'));
    assert_eq!(
        anchors(&fx),
        vec![(3, Anchored::Bookmark("bookmark".into()))]
    );
    assert_eq!(app.marks.target, Target::Recorder);
    assert!(crate::tui::marks_file::append(&mut app, 0.5, 3, &anchors(&fx)[0].1).is_none());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.ends_with("{\"t\":0.500,\"mark\":\"bookmark\",\"at\":3}\n"),
        "{text}"
    );
}

#[test]
fn marks_kept_in_memory_are_in_what_save_writes() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved.jsonl");
    let mut app = replay_app("default");
    assert!(matches!(app.marks.target, Target::Memory { .. }));
    goto(&mut app, 2);
    key(&mut app, KeyCode::Char('m'));
    key(&mut app, KeyCode::Char('n'));
    chars(&mut app, "kept");
    key(&mut app, KeyCode::Enter);
    let existing = crate::core::recording::Existing::Refuse;
    crate::tui::runner::save(&app.sink.log, &saved, existing).unwrap();
    let loaded = crate::core::load::load(saved.to_str().unwrap(), None, Keep::All).unwrap();
    assert_eq!(crate::core::bookmarks::marks(&loaded.log), app.marks.list);
}

#[test]
fn a_mark_on_a_frame_past_the_end_is_listed_and_jumping_to_it_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.jsonl");
    let from = concat!(env!("CARGO_MANIFEST_DIR"), "/recordings/simple.jsonl");
    let far = "{\"t\":1.2,\"note\":\"far\",\"at\":999}\n";
    std::fs::write(&path, std::fs::read_to_string(from).unwrap() + far).unwrap();
    let mut app = replay_file(path.to_str().unwrap(), "default");
    key(&mut app, KeyCode::Char('M'));
    assert!(app.marks.rows[0].contains("#999"), "{:?}", app.marks.rows);
    key(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 80, 24);
    assert!(text(&t).contains("not there"), "{}", text(&t));
}

#[test]
fn the_findings_keys_visit_bookmarks_and_notes() {
    // `simple.jsonl`: no rule fails or warns, so the stops are the marks alone.
    let from = concat!(env!("CARGO_MANIFEST_DIR"), "/recordings/simple.jsonl");
    let mut app = replay_file(from, "default");
    goto(&mut app, 3);
    key(&mut app, KeyCode::Char('m'));
    goto(&mut app, 6);
    key(&mut app, KeyCode::Char('n'));
    chars(&mut app, "the answer");
    key(&mut app, KeyCode::Enter);
    goto(&mut app, 0);
    app.ui.focus = Focus::Findings;
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(
        app.ui.notice.as_deref(),
        Some("marker 1/2 · bookmark · frame 3")
    );
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(
        app.ui.notice.as_deref(),
        Some("marker 2/2 · note: the answer · frame 6")
    );
    key(&mut app, KeyCode::Char('['));
    assert_eq!(
        app.selected,
        Selected::Frame(crate::core::session::Pos::new(3))
    );
}
