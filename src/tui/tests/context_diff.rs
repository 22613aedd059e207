//! The Context tab shows what differs: a rewritten history entry by index with both values, a
//! drifted sub-agent's context against its turn's, and — `d` away — the context itself.

use super::shown::{shown_app, SIZES};
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
    for (w, h) in SIZES {
        let mut app = context_tab("history-rewrite.jsonl", 2);
        let screen = text(&draw(&mut app, w, h));
        assert!(screen.contains("What differs · turn 3"), "{screen}");
        assert!(screen.contains("turn 3 against turn 2"), "{screen}");
        assert!(screen.contains("[0] rewritten · [1] appended"), "{screen}");
        assert!(screen.contains("~ history[0].response"), "{screen}");
        insta::assert_snapshot!(format!("context_diff_rewrite_{w}x{h}"), screen);
        key(&mut app, KeyCode::Char('d'));
        let screen = text(&draw(&mut app, w, h));
        assert!(screen.contains("Context of turn 3"), "{screen}");
        assert!(screen.contains("\"history\": ["), "{screen}");
        insta::assert_snapshot!(format!("context_diff_raw_{w}x{h}"), screen);
    }
}

#[test]
fn a_drifted_agent_shows_what_it_got_and_a_first_turn_says_there_is_nothing_to_compare() {
    for (w, h) in SIZES {
        let mut app = context_tab("context-drift.jsonl", 0);
        let screen = text(&draw(&mut app, w, h));
        assert!(
            screen.contains("drift: optimization got another context"),
            "{screen}"
        );
        assert!(screen.contains("+ user_context.drifted  true"), "{screen}");
        insta::assert_snapshot!(format!("context_diff_drift_{w}x{h}"), screen);
    }
    let mut app = context_tab("history-rewrite.jsonl", 0);
    let screen = text(&draw(&mut app, 80, 24));
    assert!(screen.contains("the first turn of its thread"), "{screen}");
}
