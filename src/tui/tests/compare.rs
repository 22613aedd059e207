//! The Compare tab of `replay B --against A` on real demo recordings (ml-cost as A, its
//! drop-tool-result and slow fault variants as B): the alignment side by side at both sizes,
//! `]`/`[` between differences, `D` for differences only, Enter moving B's position.

use super::*;

fn recording(name: &str) -> String {
    format!("{}/recordings/{name}.jsonl", env!("CARGO_MANIFEST_DIR"))
}

/// B replayed to its end against A, on the Compare tab.
fn compare_app(a: &str, b: &str) -> App {
    let config = crate::core::validate::Config::default();
    let latency = crate::cli::Latency::default();
    let (loaded, against) =
        crate::commands::against::load(&recording(b), &recording(a), None, latency, &config)
            .unwrap_or_else(|e| panic!("{}", e.0));
    let name = format!("{b}.jsonl");
    let mut app =
        crate::commands::replay::app_for(&name, loaded, 2.0, None, false, settings("default"));
    app.against = Some(against);
    update(&mut app, Msg::Tick(1000.0));
    act(&mut app, Action::End, &mut Vec::new());
    app.recompute_rules();
    act(&mut app, Action::Compare, &mut Vec::new());
    app
}

#[test]
fn the_alignment_side_by_side_at_two_sizes() {
    for (b, w, h) in [
        ("drop-tool-result", 200, 60),
        ("drop-tool-result", 80, 24),
        ("slow", 200, 60),
        ("slow", 80, 24),
    ] {
        let mut app = compare_app("ml-cost", b);
        assert_eq!(app.ui.focus, Focus::Compare);
        let t = draw(&mut app, w, h);
        insta::assert_snapshot!(format!("compare_{b}_{w}x{h}"), text(&t));
    }
}

#[test]
fn brackets_move_between_differences_and_say_which() {
    let mut app = compare_app("ml-cost", "drop-tool-result");
    let c = app.against.as_deref().unwrap();
    let first = c.shown.iter().position(|&e| c.entries[e].differs());
    // The changed verdicts are listed first: the cursor starts on one.
    assert_eq!(first, Some(0));
    let differing = c.shown.iter().filter(|&&e| c.entries[e].differs()).count();
    assert_eq!(differing, 3, "two verdicts and the aborted call");
    for _ in 0..2 {
        key(&mut app, KeyCode::Char(']'));
    }
    let c = app.against.as_deref().unwrap();
    let e = &c.entries[c.shown[c.cursor]];
    assert_eq!((e.kind, e.name.as_str()), ("tool_call", "classify_intent"));
    assert_eq!(e.mark.word, "ok→aborted");
    assert_eq!(
        app.ui.notice.as_deref(),
        Some("difference 3/3 · tool_call classify_intent · ✗ ok→aborted")
    );
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.ui.notice.as_deref(), Some("no further difference"));
    key(&mut app, KeyCode::Char('['));
    let c = app.against.as_deref().unwrap();
    assert_eq!(c.entries[c.shown[c.cursor]].kind, "rule");
}

#[test]
fn differences_only_keeps_each_under_its_run_and_agent_and_the_cursor_on_its_row() {
    let mut app = compare_app("ml-cost", "drop-tool-result");
    let all = app.against.as_deref().unwrap().shown.len();
    // 2 rules, 1 run, 4 agents, 5 calls.
    assert_eq!(all, 12);
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char('D'));
    let c = app.against.as_deref().unwrap();
    let shown: Vec<(&str, bool)> = (c.shown.iter())
        .map(|&e| (c.entries[e].name.as_str(), c.entries[e].differs()))
        .collect();
    // The changed call under its run and agent, which are there (equal) to say where it is.
    let run = shown[2].0;
    assert_eq!(
        shown,
        [
            ("tool-pairing", true),
            ("stream-health", true),
            (run, false),
            ("triage", false),
            ("classify_intent", true)
        ]
    );
    assert_eq!(c.entries[c.shown[c.cursor]].name, "classify_intent");
    key(&mut app, KeyCode::Char('D'));
    assert_eq!(app.against.as_deref().unwrap().shown.len(), all);
}

#[test]
fn enter_moves_b_to_the_rows_frame_and_the_detail_shows_both_frames() {
    let mut app = compare_app("ml-cost", "drop-tool-result");
    for _ in 0..2 {
        key(&mut app, KeyCode::Char(']'));
    }
    let before = app.target_pos();
    key(&mut app, KeyCode::Enter);
    let call = match app.selected {
        Selected::Call(c) => c,
        other => panic!("{other:?}"),
    };
    let exec = app.sink.log.session().calls[call.index()].exec_pos.unwrap();
    assert_eq!(app.target_pos(), exec.index() + 1);
    assert!(app.target_pos() < before);
    assert_eq!(app.ui.tab, Tab::Compare);
    let c = app.against.as_deref().unwrap();
    let detail: Vec<&str> = c.detail.iter().map(|(_, l)| l.as_str()).collect();
    let a_frame = format!("A's frame #{exec}");
    assert!(detail.contains(&a_frame.as_str()), "{detail:?}");
    assert!(
        detail.iter().any(|l| l.starts_with("B's frame #")),
        "{detail:?}"
    );
    assert!(
        detail.iter().any(|l| l.contains("B regresses here")),
        "{detail:?}"
    );
}

#[test]
fn the_filter_narrows_the_rows_and_the_tab_is_refused_without_a() {
    let mut app = compare_app("ml-cost", "slow");
    act(&mut app, Action::Filter, &mut Vec::new());
    chars(&mut app, "agent:data");
    key(&mut app, KeyCode::Enter);
    let c = app.against.as_deref().unwrap();
    let names: Vec<&str> = c
        .shown
        .iter()
        .map(|&e| c.entries[e].name.as_str())
        .collect();
    assert_eq!(
        names,
        ["data", "query_cost_metrics", "get_utilization_metrics"]
    );
    let mut plain = replay_app("default");
    key(&mut plain, KeyCode::Char('7'));
    assert_eq!(plain.ui.tab, Tab::Overview);
    assert_eq!(
        plain.ui.notice.as_deref(),
        Some("nothing to compare: replay B --against A")
    );
}

#[test]
fn the_diverging_context_is_a_row_whose_detail_is_the_structural_diff() {
    let mut app = compare_app("multi-turn", "history-rewrite");
    let c = app.against.as_deref().unwrap();
    let e = &c.entries[c.shown[0]];
    assert_eq!((e.kind, e.name.as_str()), ("context", "turn 3"));
    assert_eq!(c.detail_title, "Context diverges at turn 3 · A → B");
    let detail: Vec<&str> = c.detail.iter().map(|(_, l)| l.as_str()).collect();
    assert!(
        detail.contains(&"history rewritten at [0] (2 → 2 entries): [0] rewritten"),
        "{detail:?}"
    );
    assert!(
        detail.iter().any(|l| l.starts_with("~ history[0].response")
            && l.ends_with("→ \"(rewritten) a different answer\"")),
        "{detail:?}"
    );
    // Enter moves B to the turn's first frame and selects the turn.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.selected, Selected::Turn(t) if t.index() == 2));
    let t = draw(&mut app, 120, 36);
    insta::assert_snapshot!("compare_history-rewrite_120x36", text(&t));
}

#[test]
fn r_narrows_the_alignment_to_one_pair_of_runs() {
    let mut app = compare_app("multi-turn", "history-rewrite");
    let c = app.against.as_deref().unwrap();
    let all = c.shown.len();
    let runs_of = |c: &crate::tui::comparison::Against| -> Vec<usize> {
        let mut runs: Vec<usize> = (c.shown.iter())
            .filter_map(|&e| c.row(e))
            .map(|r| r.run)
            .collect();
        runs.dedup();
        runs
    };
    assert!(runs_of(c).len() > 1, "{:?}", runs_of(c));
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('r'));
    let c = app.against.as_deref().unwrap();
    assert!(c.shown.len() < all && !c.shown.is_empty());
    assert_eq!(runs_of(c), [1], "the second pair of runs only");
    let screen = text(&draw(&mut app, 200, 60));
    assert!(screen.contains("· run R2"), "{screen}");
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.ui.run_filter, None);
    assert_eq!(app.against.as_deref().unwrap().shown.len(), all);
}
