//! Several runs on screen: each pane says which run a row belongs to, `r` narrows every list
//! to one run, and the waterfall draws them on one time axis (concurrent runs overlap).

use super::*;
use crate::core::session::RunIx;

fn runs_app(file: &str) -> App {
    let path = format!("{}/tests/fixtures/runs/{file}", env!("CARGO_MANIFEST_DIR"));
    let loaded = crate::core::load::load(&path, None, Keep::All).unwrap();
    let mut app =
        crate::commands::replay::app_for(file, loaded, 2.0, None, false, settings("mono"));
    update(&mut app, Msg::Tick(1000.0));
    act(&mut app, Action::End, &mut Vec::new());
    app.recompute_rules();
    app
}

#[test]
fn several_runs_are_told_apart_in_every_pane() {
    for (w, h) in [(200u16, 60u16), (80, 24)] {
        for tab in [Tab::Overview, Tab::Waterfall, Tab::Tools, Tab::Frames] {
            let mut app = runs_app("concurrent.jsonl");
            act(&mut app, Action::for_tab(tab), &mut Vec::new());
            let t = draw(&mut app, w, h);
            let name = tab.title().to_lowercase();
            insta::assert_snapshot!(format!("runs_{name}_{w}x{h}"), text(&t));
        }
    }
}

#[test]
fn the_run_lines_carry_each_runs_own_request() {
    let mut app = runs_app("all.jsonl");
    super::super::nav::set(&mut app, Focus::Agents, 0);
    let screen = text(&draw(&mut app, 200, 60));
    for (label, words) in [
        ("R1", "Analyze our ML training"),
        ("R2", "Analyze our Kubernetes costs"),
    ] {
        let line = (screen.lines())
            .find(|l| l.contains(&format!("▾ {label} ")))
            .unwrap_or_default();
        assert!(line.contains(words), "{label}: {screen}");
    }
}

#[test]
fn r_narrows_every_list_to_one_run_and_says_which() {
    let mut app = runs_app("concurrent.jsonl");
    let (rows, tools) = (app.view.rows.len(), app.view.tools.len());
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('r'));
    let r2 = RunIx::new(1);
    assert_eq!(app.ui.run_filter, Some(r2));
    assert_eq!(app.view.labels.threads(), 3, "one thread per user");
    let s = app.session();
    assert!(app.view.rows.len() < rows && !app.view.rows.is_empty());
    assert!(app
        .view
        .rows
        .iter()
        .all(|p| s.facts[p.index()].run() == Some(r2)));
    assert!(app.view.tools.len() < tools && !app.view.tools.is_empty());
    assert!(app.view.tools.iter().all(|c| s.calls[c.index()].run == r2));
    assert_eq!(app.view.agents.len(), 1 + s.runs[1].agents.len());
    assert_eq!(
        app.view.lanes.len(),
        1 + s.runs[1].agents.len() + s.runs[1].calls.len()
    );
    let t = draw(&mut app, 80, 24);
    insta::assert_snapshot!("runs_filtered_overview_80x24", text(&t));
    // Round the runs back to all of them.
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.ui.run_filter, None);
    assert_eq!(app.view.rows.len(), rows);
    assert!(text(&draw(&mut app, 80, 24)).contains("showing all 3 runs"));
}

#[test]
fn enter_on_a_run_line_narrows_to_it_and_again_widens() {
    let mut app = runs_app("concurrent.jsonl");
    act(&mut app, Action::Overview, &mut Vec::new());
    super::super::nav::set(&mut app, Focus::Agents, 0);
    assert_eq!(app.selected, Selected::Run(RunIx::new(0)));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.run_filter, Some(RunIx::new(0)));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.run_filter, None);
}

#[test]
fn each_finding_says_which_run_it_is_of() {
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut app = runs_app("cross-user.jsonl");
        on_rule(&mut app, "concurrency");
        let shown = text(&draw(&mut app, w, h));
        // The finding is of run R2 (run-002-d978), whose label leads its row.
        assert!(shown.contains("✗ R2 #14"), "{shown}");
        insta::assert_snapshot!(format!("runs_findings_{w}x{h}"), shown);
    }
    // With one run, no label.
    let mut app = runs_app("../payloads.jsonl");
    key(&mut app, KeyCode::Char('5'));
    let shown = text(&draw(&mut app, 80, 24));
    assert!(!shown.contains(" R1 #"), "{shown}");
}

#[test]
fn r_narrows_the_findings_to_the_runs_own_and_the_rules_counts_with_them() {
    let mut app = runs_app("two-dropped-results.jsonl");
    key(&mut app, KeyCode::Char('5'));
    // A rule whose findings are of several runs.
    let runs_of = |r: &crate::core::validate::RuleResult| {
        let mut runs: Vec<RunIx> = r.findings.iter().filter_map(|f| f.run).collect();
        runs.dedup();
        runs
    };
    let (rule, run) = (app.rules.results.iter().enumerate())
        .find_map(|(i, r)| {
            let runs = runs_of(r);
            (runs.len() > 1).then(|| (i, runs[1]))
        })
        .expect("a rule with findings in two runs");
    let all = app.rules.results[rule].findings.len();
    let of_run: Vec<usize> = (app.rules.results[rule].findings.iter().enumerate())
        .filter(|(_, f)| f.run.is_none_or(|r| r == run))
        .map(|(j, _)| j)
        .collect();
    assert!(!of_run.is_empty() && of_run.len() < all);
    crate::tui::nav::set(&mut app, Focus::Rules, rule);
    while app.ui.run_filter != Some(run) {
        key(&mut app, KeyCode::Char('r'));
    }
    assert_eq!(crate::tui::nav::len(&app, Focus::Findings), of_run.len());
    assert_eq!(app.payloads.findings.rows.len(), of_run.len());
    // The cursor's finding is the run's own.
    let id = app.rules.results[rule].id;
    for (i, &j) in of_run.iter().enumerate() {
        crate::tui::nav::set(&mut app, Focus::Findings, i);
        let want = crate::tui::verdicts::FindingKey::of(id, &app.rules.results[rule].findings[j]);
        assert_eq!(app.selected, Selected::Finding(want));
    }
    let label = app.view.labels.short(run).to_string();
    let screen = text(&draw(&mut app, 200, 60));
    let title = format!("Findings · {id} · {} of {all} · run {label}", of_run.len());
    assert!(screen.contains(&title), "{screen}");
    assert!(
        screen.contains(&format!("Rules (all runs) · {label} findings")),
        "{screen}"
    );
    let line = (screen.lines())
        .find(|l| l.contains(&format!(" {id} ")))
        .unwrap_or_default();
    assert!(line.contains(&format!(" {} ", of_run.len())), "{line}");
    // Every run again: every finding.
    while app.ui.run_filter.is_some() {
        key(&mut app, KeyCode::Char('r'));
    }
    assert_eq!(crate::tui::nav::len(&app, Focus::Findings), all);
    assert_eq!(app.payloads.findings.rows.len(), all);
    // Findings of no run (the stream's) stay shown whichever run is narrowed to.
    let stream = (app.rules.results.iter())
        .position(|r| r.id == "stream-health")
        .unwrap();
    let none = app.rules.results[stream].findings.len();
    assert!(
        none > 0
            && app.rules.results[stream]
                .findings
                .iter()
                .all(|f| f.run.is_none())
    );
    crate::tui::nav::set(&mut app, Focus::Rules, stream);
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(crate::tui::nav::len(&app, Focus::Findings), none);
}

#[test]
fn r_narrows_the_context_matrix_and_puts_the_run_on_top_of_the_story() {
    let mut app = runs_app("concurrent.jsonl");
    act(&mut app, Action::for_tab(Tab::Context), &mut Vec::new());
    let all = crate::tui::nav::len(&app, Focus::Context);
    assert_eq!(all, app.session().turns.len());
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('r'));
    let r2 = RunIx::new(1);
    let n = crate::tui::nav::len(&app, Focus::Context);
    assert!(n > 0 && n < all, "{n} of {all}");
    for i in 0..n {
        crate::tui::nav::set(&mut app, Focus::Context, i);
        let Selected::Turn(t) = app.selected else {
            panic!("{:?}", app.selected)
        };
        assert!(app.session().turns[t.index()].runs.contains(&r2));
    }
    let screen = text(&draw(&mut app, 120, 30));
    assert!(
        screen.contains("Context · run R2 · turn × agent"),
        "{screen}"
    );
    // Its columns are the agents of the run's turns.
    let s = app.session();
    let names = app.view.turn_agent_names.clone().expect("narrowed columns");
    assert!(!names.is_empty());
    for n in &names {
        let of_run = (app.view.turns.iter())
            .flat_map(|t| &s.turns[t.index()].agents)
            .any(|&a| s.agents[a].name.unwrap_or(s.agents[a].id) == *n);
        assert!(of_run);
    }
    act(&mut app, Action::Story, &mut Vec::new());
    let screen = text(&draw(&mut app, 120, 30));
    assert!(screen.contains("Story · run 2 of 3"), "{screen}");
    // Every run again: the whole matrix, the Story from its checks.
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.ui.run_filter, None);
    assert_eq!(crate::tui::nav::len(&app, Focus::Context), all);
    assert_eq!(app.cursors.story, 0);
}

#[test]
fn a_run_without_findings_of_the_rule_keeps_no_other_runs_finding_selected() {
    let mut app = runs_app("cross-user.jsonl");
    on_rule(&mut app, "concurrency");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.focus, Focus::Findings);
    assert!(matches!(app.selected, Selected::Finding(_)));
    // The finding is of R2: narrowed to R1, the pane is empty and nothing is selected.
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.ui.run_filter, Some(RunIx::new(0)));
    assert_eq!(crate::tui::nav::len(&app, Focus::Findings), 0);
    assert_eq!(app.selected, Selected::None);
    let screen = text(&draw(&mut app, 120, 30));
    assert!(screen.contains("(no findings in run R1)"), "{screen}");
}
