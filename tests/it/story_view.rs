//! The Story and the Context tab of the real binary under tmux, at 80×24 and 200×60: the
//! `all` scenario's runs each with its own request, `--pause-on-markers` stopping at each
//! marker for a presenter (`space` plays on to the next), and the selected turn's rewritten
//! history entry with both values, `d` away from the context itself.

use crate::frame_numbers::Step::{Press, See};
use crate::frame_numbers::{replay_at_both_sizes, shown};

#[test]
fn each_run_of_the_story_shows_its_own_request() {
    let steps = [
        See("152 ev"),
        Press(&["s"]),
        See("■ DONE · 9 runs"),
        See("Asked: “Analyze our ML training infrastructure costs"),
        Press(&["Down", "Down", "Down", "Down", "Down"]),
        See("Story · run 5 of 9"),
        See("Asked: “Build a GPU spend report from ClickHouse and the billing export”"),
        See("query_gpu_spend failed for data: retried"),
        Press(&["Down"]),
        See("Asked: “Forecast next quarter's GPU spend”"),
    ];
    let args = format!("--speed 64 {}", shown("all.jsonl"));
    replay_at_both_sizes("story", &args, &steps);
}

#[test]
fn pause_on_markers_stops_the_story_at_each_marker() {
    let steps = [
        See("paused at the marker “first request answered”"),
        See("■ DONE · 1 run"),
        Press(&["Space"]),
        See("paused at the marker “the cost questions are answered”"),
        See("■ DONE · 4 runs"),
    ];
    let args = format!("--pause-on-markers --speed 64 {}", shown("all.jsonl"));
    replay_at_both_sizes("marks", &args, &steps);
}

#[test]
fn the_context_tab_shows_what_differs_and_d_shows_the_context() {
    let steps = [
        See("53 ev"),
        Press(&["4"]),
        See("What differs · turn 1"),
        Press(&["Down", "Down"]),
        See("turn 3 against turn 2"),
        See("[0] rewritten · [1] appended"),
        See("~ history[0].response"),
        Press(&["d"]),
        See("Context of turn 3"),
    ];
    let args = format!("--speed 64 {}", shown("history-rewrite.jsonl"));
    replay_at_both_sizes("ctx", &args, &steps);
}
