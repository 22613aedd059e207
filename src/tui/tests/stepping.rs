//! The replay position: stepping back and forward, a recording changed on disk while open,
//! `]` finding what lies ahead, and selections made at a later position.

use super::*;
use crate::core::session::Pos;

#[test]
fn replay_steps_back_and_forward() {
    let mut app = replay_app("default");
    let n = app.sink.log.frames();
    assert_eq!(app.view.frames, n);
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Char(','));
    assert_eq!(app.view.frames, n - 2);
    assert_eq!(
        app.session().facts.len(),
        n - 2,
        "the session is the one at the position"
    );
    key(&mut app, KeyCode::Char('.'));
    assert_eq!(app.view.frames, n - 1);
    key(&mut app, KeyCode::Home);
    assert_eq!(app.view.frames, 0);
    key(&mut app, KeyCode::End);
    assert_eq!(app.view.frames, n);
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "goto 00:05");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.view.frames > 0 && app.view.frames < n,
        "{}",
        app.view.frames
    );
    // playing with the injected clock advances
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char(' '));
    update(&mut app, Msg::Tick(2000.0));
    update(&mut app, Msg::Tick(4000.0));
    assert!(app.view.frames > 0);
}

#[test]
fn a_replayed_file_changed_on_disk_is_said_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.jsonl");
    std::fs::copy(FIXTURE, &path).unwrap();
    let path = path.to_str().unwrap();
    let loaded = crate::core::load::load(path, None, Keep::All).unwrap();
    let mut app =
        crate::commands::replay::app_for(path, loaded, 1.0, None, false, settings("default"));
    update(&mut app, Msg::Tick(1000.0));
    act(&mut app, Action::End, &mut Vec::new());
    let n = app.sink.log.frames();
    key(&mut app, KeyCode::Char(','));
    assert_eq!(app.view.frames, n - 1, "stepping back reads the file");
    std::fs::write(path, "").unwrap();
    key(&mut app, KeyCode::Char(','));
    let notice = app.ui.notice.clone().unwrap_or_default();
    assert!(notice.contains("changed on disk"), "{notice:?}");
    // The whole session is still shown; a frame's text says why it is missing.
    assert_eq!(app.session().facts.len(), n);
    let shown = app.raw(Pos(0)).unwrap_or_default();
    assert!(shown.contains("text unavailable"), "{shown}");
    // It stays there, consistent, without trying (and saying) it again at every step.
    app.ui.notice = None;
    key(&mut app, KeyCode::Char(','));
    assert_eq!(app.ui.notice, None);
    assert_eq!((app.view.frames, app.session().facts.len()), (n, n));
    // The Frames tab says so in each row, with no size.
    key(&mut app, KeyCode::Char('6'));
    let screen = text(&draw(&mut app, 160, 36));
    let row = screen.lines().find(|l| l.contains("text unavailable"));
    assert!(row.is_some_and(|r| r.contains(" ? ")), "{screen}");
}

#[test]
fn next_failure_is_found_ahead_of_the_position_in_replay() {
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Home);
    update(&mut app, Msg::Tick(5000.0));
    settle(&mut app);
    assert_eq!(app.view.frames, 0);
    assert!(
        (app.rules.results.iter()).all(|r| r.findings.iter().all(|f| f.frames.is_empty())),
        "no evidence before the first frame"
    );
    let first_failure = app
        .whole
        .results
        .iter()
        .filter(|r| {
            use crate::core::validate::Status;
            matches!(r.status, Status::Fail | Status::Warn)
        })
        .filter_map(|r| r.findings.iter().filter_map(|f| f.frames.first()).min())
        .min()
        .copied()
        .expect("the fixture fails or warns on a rule");
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.selected, Selected::Frame(first_failure));
    assert!(app.view.frames > first_failure.index());
}

#[test]
fn what_is_selected_may_not_exist_at_an_earlier_position() {
    let mut app = replay_app("default");
    let s = app.session();
    let (agents, calls, turns) = (s.agents.len(), s.calls.len(), s.turns.len());
    let picks = [
        Selected::Agent(crate::core::session::AgentIx::new(agents - 1)),
        Selected::Call(crate::core::session::CallIx::new(calls - 1)),
        Selected::Turn(crate::core::session::TurnIx::new(turns - 1)),
        Selected::Frame(Pos::new(app.sink.log.frames() - 1)),
        Selected::Finding(
            (app.rules.results.iter())
                .find_map(|r| {
                    Some(crate::tui::verdicts::FindingKey::of(
                        r.id,
                        r.findings.first()?,
                    ))
                })
                .expect("a finding"),
        ),
    ];
    key(&mut app, KeyCode::Home);
    for pick in picks {
        app.selected = pick;
        let _ = crate::tui::inspect::json(&app);
        for tab in Tab::ALL {
            app.ui.tab = tab;
            draw(&mut app, 120, 36);
        }
    }
}
