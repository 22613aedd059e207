//! The agents pane on imported sessions: what the tree says beside an agent.

use super::*;

#[test]
fn an_agent_handed_to_names_who_handed_off_in_the_tree() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/corpus/langgraph/swarm/events.jsonl"
    );
    let loaded = crate::core::load::load(path, None, Keep::All).unwrap();
    let mut app = crate::commands::replay::app_for(
        "events.jsonl",
        loaded,
        2.0,
        None,
        false,
        settings("mono"),
    );
    update(&mut app, Msg::Tick(1000.0));
    act(&mut app, Action::End, &mut Vec::new());
    let screen = text(&draw(&mut app, 120, 36));
    let bob = screen
        .lines()
        .find(|l| l.contains("bob"))
        .unwrap_or_default();
    assert!(bob.contains("⇠ alice"), "{screen}");
}
