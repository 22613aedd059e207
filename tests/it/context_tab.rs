//! The Context tab of the real binary under tmux, at 80×24 and 200×60: the selected turn's
//! rewritten history entry with both values, and `d` for the context itself.

use crate::frame_numbers::resize;
use crate::tui_tmux::{have_tmux, Pane};

const BIN: &str = env!("CARGO_BIN_EXE_orchscope");
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/shown/history-rewrite.jsonl"
);

#[test]
fn the_context_tab_shows_what_differs_and_d_shows_the_context() {
    if !have_tmux() {
        return;
    }
    for (w, h) in [(80, 24), (200, 60)] {
        let cmd = format!("{BIN} replay --speed 64 --no-color {FIXTURE}");
        let p = Pane::start(&format!("ctx{w}"), &cmd);
        resize(&p, w, h);
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
