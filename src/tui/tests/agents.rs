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
        .find(|l| l.contains("─bob"))
        .unwrap_or_default();
    assert!(bob.contains("⇠ alice"), "{screen}");
}

#[test]
fn a_25000_deep_chain_draws_its_deepest_agent_with_its_depth() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.jsonl");
    let n = 25_000;
    let mut lines = String::new();
    for i in 0..n {
        let parent = match i {
            0 => String::new(),
            _ => format!(r#","parent_agent_id":"a{}""#, i - 1),
        };
        lines.push_str(&format!(
            r#"{{"type":"agent_started","payload":{{"run_id":"r1","agent_name":"a{i}","agent_id":"a{i}"{parent}}}}}"#
        ));
        lines.push('\n');
    }
    std::fs::write(&path, lines).unwrap();
    let loaded = crate::core::load::load(path.to_str().unwrap(), None, Keep::All).unwrap();
    let mut app =
        crate::commands::replay::app_for("deep.jsonl", loaded, 2.0, None, false, settings("mono"));
    update(&mut app, Msg::Tick(1000.0));
    act(&mut app, Action::End, &mut Vec::new());
    app.recompute_rules();
    for _ in 0..n / 10 {
        act(&mut app, Action::PageDown, &mut Vec::new());
    }
    let screen = text(&draw(&mut app, 120, 36));
    let deepest = format!("a{}", n - 1);
    let row = screen
        .lines()
        .find(|l| l.contains(&deepest))
        .unwrap_or_default();
    // The 16 levels above it are drawn; the rest is one count.
    assert!(row.contains(&format!("⋯{}", n - 1 - 16)), "{screen}");
}
