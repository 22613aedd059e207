//! Tokens and cost in the inspector, on a genuine Claude Code session with two sub-agents:
//! the agents tree's usage column at wide sizes (subtree totals, `Σ` with delegated), left out
//! at 80×24 so the tree stays readable, and the Story's model-use line with top spenders.

use super::*;

const SUBAGENTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/corpus/claude-code/disk-subagents/projects/-home-dev-project/11111111-1111-4111-8111-111111111111.jsonl"
);

fn session_app(tab: Tab) -> App {
    let mut app = replay_file(SUBAGENTS, "mono");
    app.ui.tab = tab;
    app.ui.focus = tab.panes()[0];
    app
}

#[test]
fn the_tree_shows_subtree_tokens_and_cost_when_wide() {
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        let mut app = session_app(Tab::Overview);
        let screen = text(&draw(&mut app, w, h));
        insta::assert_snapshot!(format!("costs_tree_{w}x{h}"), screen);
        // From the files' lines (one count per message.id): main 3.6k in, 120 out itself, each
        // sub-agent 2.4k in, 80 out; claude-opus-5-5 at $4 / $20 per million.
        let main = screen
            .lines()
            .find(|l| l.contains("│  main "))
            .unwrap_or_default();
        if w == 200 {
            assert!(main.contains("Σ8.7k $0.0392"), "{screen}");
            assert!(screen.contains("2.5k $0.0112"), "{screen}");
        } else {
            assert!(!main.contains('$'), "{screen}");
        }
    }
}

#[test]
fn the_story_tells_each_runs_model_use_and_top_spenders() {
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        let mut app = session_app(Tab::Story);
        let screen = text(&draw(&mut app, w, h));
        insta::assert_snapshot!(format!("costs_story_{w}x{h}"), screen);
        let used = app.story.runs[0]
            .iter()
            .find(|l| l.text.starts_with("  Model use:"));
        let used = used.map(|l| l.text.as_str()).unwrap_or_default();
        assert!(
            used.starts_with(
                "  Model use: 8.4k in · 280 out · $0.0392 — most by main 3.7k $0.0168"
            ),
            "{used}"
        );
    }
}
