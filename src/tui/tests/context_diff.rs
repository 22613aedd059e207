//! The Context tab shows what differs: a rewritten history entry by index with both values, a
//! drifted sub-agent's context against its turn's, and — `d` away — the context itself.

use super::shown::{shown_app, shows, SIZES};
use super::*;

/// The Context tab with turn `i` (0-based among all turns) selected.
fn context_tab(name: &str, i: usize) -> App {
    let mut app = shown_app(name);
    key(&mut app, KeyCode::Char('4'));
    crate::tui::nav::set(&mut app, Focus::Context, i);
    app
}

#[test]
fn a_rewritten_history_shows_the_entries_and_both_values_and_d_shows_the_context() {
    for size in SIZES {
        let mut app = context_tab("history-rewrite.jsonl", 2);
        let diff = [
            "What differs · turn 3",
            "turn 3 against turn 2",
            "[0] rewritten · [1] appended",
            "~ history[0].response",
        ];
        shows(&mut app, size, "context_diff_rewrite", &diff);
        key(&mut app, KeyCode::Char('d'));
        let raw = ["Context of turn 3", "\"history\": ["];
        shows(&mut app, size, "context_diff_raw", &raw);
    }
}

#[test]
fn a_drifted_agent_shows_what_it_got_and_a_first_turn_says_there_is_nothing_to_compare() {
    for size in SIZES {
        let mut app = context_tab("context-drift.jsonl", 0);
        let drift = [
            "drift: optimization got another context",
            "+ user_context.drifted  true",
        ];
        shows(&mut app, size, "context_diff_drift", &drift);
    }
    let mut app = context_tab("history-rewrite.jsonl", 0);
    let screen = text(&draw(&mut app, 80, 24));
    assert!(screen.contains("the first turn of its thread"), "{screen}");
}
