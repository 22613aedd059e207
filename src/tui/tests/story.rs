//! The Story of the demo's `all` scenario: a status line on top, the checks in plain words
//! with problems first and no hashes, and every run with its own request, agents, tools,
//! failures and recoveries, and answer; at 80×24 and 200×60.

use super::shown::{shown_app, shows, SIZES};
use super::*;

fn story_of(name: &str) -> App {
    let mut app = shown_app(name);
    key(&mut app, KeyCode::Char('s'));
    app
}

#[test]
fn every_run_tells_its_own_request() {
    let mut app = story_of("all.jsonl");
    draw(&mut app, 80, 24);
    assert!(
        app.story.runs.len() < 9,
        "only the runs that can show are told"
    );
    // ↓ puts each run on top, its request second.
    let asked: Vec<String> = (0..9)
        .map(|_| {
            key(&mut app, KeyCode::Down);
            app.story.runs[0][1].text.clone()
        })
        .collect();
    assert_eq!(app.story.total, 9);
    let log = &app.sink.log;
    let s = log.session();
    for (i, line) in asked.iter().enumerate() {
        let root = s.runs[i].root.unwrap();
        let ctx = crate::core::context_diff::context_of(log, s, root).unwrap();
        let want = ctx["user_request"].as_str().unwrap();
        assert_eq!(*line, format!("  Asked: “{want}”"), "run {}", i + 1);
    }
    let mut distinct = asked.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(distinct.len() >= 8, "{asked:#?}");
}

#[test]
fn the_story_at_two_sizes_has_its_status_checks_and_runs() {
    for size in SIZES {
        let mut app = story_of("all.jsonl");
        let top = [
            "■ DONE · 9 runs",
            "0 agents working · 0 tools in flight",
            "checks 9 ✓ green · 0 ✗ red · 1 ⚠ warning",
        ];
        shows(&mut app, size, "story_all_first", &top);
        // The recovery run: a retried tool, one never retried, a fallback, and the answer.
        crate::tui::nav::set(&mut app, Focus::Story, 5);
        let recovery = ["Run 5 ·", "↺ the tool query_gpu_spend failed for data"];
        shows(&mut app, size, "story_all_recovery", &recovery);
    }
}

#[test]
fn checks_put_problems_first_in_plain_words_without_hashes() {
    let app = story_of("context-drift.jsonl");
    let checks: Vec<&str> = app.story.checks.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(checks[0], "What the checks say");
    assert!(
        checks[1].starts_with("✗ context-integrity failed: 1 problem — agent"),
        "{checks:?}"
    );
    assert!(
        checks[1].contains("received one context but turn 1"),
        "{checks:?}"
    );
    assert!(checks.iter().all(|c| !c.contains("sha256")), "{checks:?}");
    assert!(checks[2].starts_with("✓ 8 checks passed: "), "{checks:?}");
    let status = &app.story.status.as_ref().unwrap().1;
    assert_eq!(status[0], " ■ DONE · 1 run ");
    assert_eq!(status[2], " checks 8 ✓ green · 1 ✗ red ");
}

#[test]
fn markers_pause_the_story_and_space_plays_on_to_the_next() {
    let mut app = story_of("all.jsonl");
    let marks: Vec<usize> = app.sink.log.marks().map(|(at, _)| at).collect();
    assert_eq!(marks.len(), 2);
    let play_far = |app: &mut App, t: f64| {
        key(app, KeyCode::Char(' '));
        update(app, Msg::Tick(t));
    };
    // Without the flag, playing runs through the markers.
    key(&mut app, KeyCode::Char('g'));
    play_far(&mut app, 1e9);
    assert_eq!(app.view.frames, app.sink.log.frames());
    app.pause_on_markers = true;
    key(&mut app, KeyCode::Char('g'));
    play_far(&mut app, 2e9);
    assert_eq!(app.view.frames, marks[0]);
    let notice = app.ui.notice.clone().unwrap_or_default();
    assert_eq!(
        notice,
        "paused at the marker “first request answered” · space plays on"
    );
    settle(&mut app);
    for size in SIZES {
        let at = ["paused at the marker", "Run 1 · ✓ completed"];
        shows(&mut app, size, "story_paused_at_marker", &at);
    }
    play_far(&mut app, 3e9);
    assert_eq!(app.view.frames, marks[1]);
    // Off the Story, the markers do not stop the replay.
    key(&mut app, KeyCode::Char('1'));
    play_far(&mut app, 4e9);
    assert_eq!(app.view.frames, app.sink.log.frames());
}

#[test]
fn bookmarks_and_notes_pause_the_story_as_markers_do() {
    use crate::core::bookmarks::{Anchored, Marking};
    use crate::core::entry::Entry;
    let mut app = story_of("all.jsonl");
    let first_marker = app.sink.log.marks().map(|(at, _)| at).next().unwrap_or(0);
    assert!(first_marker > 6, "{first_marker}");
    let log = &mut app.sink.log;
    log.push(Entry::anchored(
        None,
        2,
        Anchored::Bookmark("the plan".into()),
    ));
    log.push(Entry::anchored(
        None,
        4,
        Anchored::Note("ask about this".into()),
    ));
    // A bookmark taken back does not stop the replay.
    log.push(Entry::anchored(None, 5, Anchored::Bookmark("gone".into())));
    log.push(Entry::anchored(
        None,
        5,
        Anchored::Delete(Marking::Bookmark),
    ));
    app.pause_on_markers = true;
    let play_far = |app: &mut App, t: f64| {
        key(app, KeyCode::Char(' '));
        update(app, Msg::Tick(t));
    };
    key(&mut app, KeyCode::Char('g'));
    let mut stops = Vec::new();
    for k in 1..=3 {
        play_far(&mut app, f64::from(k) * 1e9);
        stops.push((app.view.frames, app.ui.notice.clone().unwrap_or_default()));
    }
    assert_eq!(
        stops,
        [
            (
                3,
                "paused at the bookmark “the plan” · space plays on".to_string()
            ),
            (
                5,
                "paused at the note “ask about this” · space plays on".to_string()
            ),
            (
                first_marker,
                "paused at the marker “first request answered” · space plays on".to_string()
            ),
        ]
    );
}
