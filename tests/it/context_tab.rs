//! The Context tab of the real binary under tmux, at 80×24 and 200×60: the selected turn's
//! rewritten history entry with both values, and `d` for the context itself.

use crate::frame_numbers::replay_at;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/shown/history-rewrite.jsonl"
);

#[test]
fn the_context_tab_shows_what_differs_and_d_shows_the_context() {
    for size in [(80, 24), (200, 60)] {
        let Some(p) = replay_at("ctx", &format!("--speed 64 {FIXTURE}"), size) else {
            return;
        };
        p.wait_for("53 ev");
        p.keys(&["4"]);
        p.wait_for("What differs · turn 1");
        p.keys(&["Down", "Down"]);
        p.wait_for("turn 3 against turn 2");
        p.wait_for("[0] rewritten · [1] appended");
        p.wait_for("~ history[0].response");
        p.keys(&["d"]);
        p.wait_for("Context of turn 3");
        p.keys(&["q"]);
    }
}
