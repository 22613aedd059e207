//! Context diffs on the demo's drift and history-rewrite recordings, and on one without either.

use super::*;
use crate::core::load::{load, Loaded};
use crate::core::log::Keep;

fn loaded(name: &str) -> Loaded {
    let path = format!("{}/tests/fixtures/shown/{name}", env!("CARGO_MANIFEST_DIR"));
    load(&path, None, Keep::All).unwrap()
}

fn texts(d: &ContextDiff) -> Vec<String> {
    lines(d).into_iter().map(|(_, t)| t).collect()
}

#[test]
fn a_drifted_agent_shows_what_it_got_instead_of_the_handed_off_context() {
    let l = loaded("context-drift.jsonl");
    let s = l.log.session();
    let drifted: Vec<ContextDiff> = (0..s.agents.len())
        .filter_map(|a| drift(&l.log, s, AgentIx::new(a)))
        .collect();
    assert_eq!(drifted.len(), 1, "{drifted:?}");
    let t = texts(&drifted[0]);
    assert!(
        t[0].starts_with("drift: optimization got another context than turn 1"),
        "{t:?}"
    );
    let diff = drifted[0].diff.as_ref().unwrap();
    assert!(!diff.is_empty());
    // Every change line has both values when changed, one when added or removed.
    for (kind, text) in lines(&drifted[0]) {
        match kind {
            LineKind::Change(ChangeKind::Changed) => assert!(text.contains(" → "), "{text}"),
            LineKind::Change(ChangeKind::Added) => assert!(text.starts_with("+ "), "{text}"),
            LineKind::Change(ChangeKind::Removed) => assert!(text.starts_with("- "), "{text}"),
            _ => {}
        }
    }
}

#[test]
fn a_rewritten_history_names_the_rewritten_entry_and_an_appended_one_only_appends() {
    let l = loaded("history-rewrite.jsonl");
    let s = l.log.session();
    let turn = |i: usize| against_previous(&l.log, s, TurnIx::new(i));
    assert!(turn(0).is_none(), "the first turn has nothing before it");
    let appended = turn(1).unwrap();
    assert_eq!(appended.history.unwrap().verdict, HistoryVerdict::Appended);
    assert!(appended
        .entries
        .iter()
        .all(|(_, k)| *k == ChangeKind::Added));
    let rewritten = turn(2).unwrap();
    assert!(matches!(
        rewritten.history.unwrap().verdict,
        HistoryVerdict::Rewritten { .. }
    ));
    assert!(
        rewritten.entries.contains(&(0, ChangeKind::Changed)),
        "{rewritten:?}"
    );
    let t = texts(&rewritten);
    assert_eq!(t[0], "turn 3 against turn 2");
    assert!(
        t[1].starts_with("history rewritten at [0] (1 → 2 entries): [0] rewritten · [1] appended"),
        "{t:?}"
    );
    assert!(t.iter().any(|l| l.starts_with("~ history[0]")), "{t:?}");
    assert_eq!(s.turns.len(), 3);
    // No agent of these turns drifted.
    assert!((0..3).all(|i| of_turn(&l.log, s, TurnIx::new(i)).len() == usize::from(i > 0)));
}

#[test]
fn an_unreadable_context_says_why_instead_of_a_diff() {
    let d = between(
        "x".into(),
        Err("the context was not sent, only its hash"),
        Ok(Value::Null),
    );
    assert_eq!(
        texts(&d),
        [
            "x",
            "no structural diff: the context was not sent, only its hash"
        ]
    );
}

#[test]
fn drift_and_history_findings_lead_to_their_diffs_and_others_to_none() {
    for (file, heading) in [
        ("context-drift.jsonl", "drift: optimization"),
        ("history-rewrite.jsonl", "turn 3 against turn 2"),
    ] {
        let l = loaded(file);
        let input = crate::core::validate::Input {
            session: l.log.session(),
            interner: &l.log.interner,
            carries: l.carries,
            now: None,
        };
        let results = crate::core::validate::run(&input, &Default::default());
        let with_diff: Vec<ContextDiff> = (results.iter())
            .flat_map(|r| &r.findings)
            .filter_map(|f| of_finding(&l.log, f))
            .collect();
        assert_eq!(with_diff.len(), 1, "{file}: {with_diff:?}");
        assert!(with_diff[0].heading.starts_with(heading), "{file}");
    }
}
