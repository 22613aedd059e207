//! What the inspector shows of a recording other than the default fixture: the helpers that
//! open one of `tests/fixtures/shown/`, and one frame numbering (frames counted from 0, as
//! `validate` and `summary` print them): the findings list, the detail title and the Frames
//! tab agree, and `:goto #N` moves the replay position to frame N or says it is past the end.

use super::*;
use crate::core::session::Pos;

/// A recording of `tests/fixtures/shown/`, replayed to its end, paused, its rules settled.
pub fn shown_app(name: &str) -> App {
    let path = format!("{}/tests/fixtures/shown/{name}", env!("CARGO_MANIFEST_DIR"));
    let loaded = crate::core::load::load(&path, None, Keep::All).unwrap();
    let mut app =
        crate::commands::replay::app_for(name, loaded, 2.0, None, false, settings("default"));
    update(&mut app, Msg::Tick(1000.0));
    act(&mut app, Action::End, &mut Vec::new());
    settle(&mut app);
    app.recompute_rules();
    app
}

/// Runs a `:` command.
pub fn command(app: &mut App, line: &str) {
    key(app, KeyCode::Char(':'));
    chars(app, line);
    key(app, KeyCode::Enter);
}

/// Draws the app at `w`×`h`, checks the screen has every one of `needles`, and keeps it as
/// snapshot `name_WxH`.
pub fn shows(app: &mut App, (w, h): (u16, u16), name: &str, needles: &[&str]) {
    let screen = text(&draw(app, w, h));
    for n in needles {
        assert!(screen.contains(n), "{n:?} not on screen:\n{screen}");
    }
    insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
}

/// The screen at the two sizes every view is checked at: the smallest and a large one.
pub const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

#[test]
fn the_findings_list_the_detail_and_the_frames_tab_number_frames_as_validate_does() {
    for (w, h) in SIZES {
        let mut app = shown_app("context-drift.jsonl");
        on_rule(&mut app, "context-integrity");
        key(&mut app, KeyCode::Enter);
        let findings = ["✗ #20 ", "#20 agent_started · optimization"];
        shows(&mut app, (w, h), "frame_numbers_findings", &findings);
        command(&mut app, "goto #20");
        assert_eq!(app.view.frames, 21, "frame 20 is the last one shown");
        assert_eq!(app.selected, Selected::Frame(Pos(20)));
        key(&mut app, KeyCode::Char('6'));
        let frame = ["Detail · frame #20", "     20 ↓ in"];
        shows(&mut app, (w, h), "frame_numbers_goto", &frame);
    }
}

#[test]
fn goto_past_the_end_says_how_many_frames_there_are_and_moves_nothing() {
    let mut app = shown_app("context-drift.jsonl");
    command(&mut app, "goto #3");
    assert_eq!(app.view.frames, 4, "back to frame 3");
    command(&mut app, "goto #900");
    assert_eq!(
        app.ui.notice.as_deref(),
        Some("frame 900 is past the end: 31 frames, the last is #30")
    );
    assert_eq!(app.view.frames, 4);
    command(&mut app, "goto #30");
    assert_eq!(app.view.frames, 31);
    command(&mut app, "goto #x");
    assert_eq!(
        app.ui.notice.as_deref(),
        Some("goto #x: not a frame number")
    );
}
