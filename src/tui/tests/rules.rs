//! The Rules tab: switching rules and thresholds recomputes them; findings lead to their
//! evidence; selections hold across recomputations; a rule that panics is shown as crashed.

use super::*;

#[test]
fn rules_toggle_and_thresholds_recompute_and_findings_jump() {
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Char('5'));
    let lifecycle = app
        .rules
        .results
        .iter()
        .position(|r| r.id == "lifecycle")
        .unwrap();
    crate::tui::nav::set(&mut app, Focus::Rules, lifecycle);
    let asked = JOBS.with_borrow(|j| j.len());
    key(&mut app, KeyCode::Char('x'));
    // The toggle asks for a recomputation; the verdicts change when it is back.
    assert!(JOBS.with_borrow(|j| j.len() > asked) || app.rules.dirty);
    assert_ne!(
        app.rules.results[lifecycle].status,
        crate::core::validate::Status::Skip
    );
    settle(&mut app);
    assert_eq!(
        app.rules.results[lifecycle].status,
        crate::core::validate::Status::Skip
    );
    key(&mut app, KeyCode::Char('x'));
    settle(&mut app);
    assert_ne!(
        app.rules.results[lifecycle].status,
        crate::core::validate::Status::Skip
    );
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "rule latency.simple_max_s 0.001");
    key(&mut app, KeyCode::Enter);
    settle(&mut app);
    assert_eq!(app.rules.config.thresholds.simple_max_s, 0.001);
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "rule latency.bogus 3");
    key(&mut app, KeyCode::Enter);
    assert!(app
        .ui
        .notice
        .as_deref()
        .unwrap_or("")
        .contains("unknown setting"));
    // Enter on a rule with findings, Enter on a finding shows it with its evidence
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.focus, Focus::Findings);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ui.overlay, Overlay::Payload(Focus::Findings));
    assert!(matches!(app.selected, Selected::Finding(_)));
    key(&mut app, KeyCode::Esc);
    // history recalls the last command
    key(&mut app, KeyCode::Char(':'));
    key(&mut app, KeyCode::Up);
    assert!(matches!(&app.ui.overlay, Overlay::Command(i) if i.text == "rule latency.bogus 3"));
}

#[test]
fn a_rule_and_a_finding_stay_selected_when_the_verdicts_come_back_reordered() {
    let mut app = replay_app("default");
    key(&mut app, KeyCode::Char('5'));
    let results = &app.rules.results;
    let (ri, id) = (results.iter().enumerate())
        .find(|(_, r)| r.findings.len() > 1)
        .map(|(i, r)| (i, r.id))
        .expect("a rule with two findings");
    crate::tui::nav::set(&mut app, Focus::Rules, ri);
    assert_eq!(app.selected, Selected::Rule(id));
    key(&mut app, KeyCode::Enter);
    crate::tui::nav::set(&mut app, Focus::Findings, 1);
    let Selected::Finding(chosen) = app.selected else {
        panic!("a finding is selected: {:?}", app.selected)
    };
    let title = app.texts.detail_title.clone();
    // A recomputation lists the rules and the findings in another order.
    key(&mut app, KeyCode::Char(':'));
    chars(&mut app, "rule latency.simple_max_s 30");
    key(&mut app, KeyCode::Enter);
    let jobs = JOBS.take();
    for job in jobs {
        let v = job.run().rearranged(|rs| {
            rs.reverse();
            rs.iter_mut().for_each(|r| r.findings.reverse());
        });
        update(&mut app, Msg::Verdicts(v));
    }
    let r = &app.rules.results[app.cursors.rules];
    assert_eq!(r.id, id, "the cursor follows the rule");
    let f = &r.findings[app.cursors.findings];
    assert_eq!(crate::tui::verdicts::FindingKey::of(r.id, f), chosen);
    assert_eq!(app.selected, Selected::Finding(chosen));
    assert!(
        app.texts.detail_title.starts_with("finding ")
            && app.texts.detail_title.ends_with(id)
            && app.texts.detail_title != title,
        "{} then {title}",
        app.texts.detail_title
    );
}

#[test]
fn a_caught_panic_is_its_message_and_the_guarded_rules_are_the_cores() {
    let app = replay_app("default");
    let input = crate::core::validate::Input {
        session: app.session(),
        interner: &app.sink.log.interner,
        carries: app.carries,
        now: None,
    };
    let config = &app.rules.config;
    let caught = crate::crash::catching(|| -> u32 { panic!("on purpose") });
    assert_eq!(caught, Err("on purpose".to_string()));
    assert_eq!(crate::crash::catching(|| 7), Ok(7));
    // Without a panic, the guarded run is the core's own, rule for rule.
    assert_eq!(
        crate::crash::rules(&input, config),
        crate::core::validate::run(&input, config)
    );
}
