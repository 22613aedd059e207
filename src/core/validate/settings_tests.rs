//! The settings table: each value accepted or refused by its range, whatever its form, and the
//! generated texts (gen-config, the README table) made from the table.

use super::*;

fn try_set(name: &str, value: &str) -> Result<Config, SettingError> {
    let mut c = Config::default();
    set(&mut c, name, value).map(|()| c)
}

#[test]
fn thresholds_take_numbers_in_their_range_only() {
    let c = try_set("latency.complex_max_s", "20").unwrap();
    assert_eq!(c.thresholds.complex_max_s, 20.0);
    assert_eq!(
        try_set("latency.complex_max_s", "0")
            .unwrap()
            .thresholds
            .complex_max_s,
        0.0
    );
    for bad in ["-1", "nan", "NaN", "inf", "x", ""] {
        assert!(try_set("latency.complex_max_s", bad).is_err(), "{bad}");
    }
    let c = try_set("error-recovery.min_recovery_rate", "1").unwrap();
    assert_eq!(c.thresholds.min_recovery_rate, 1.0);
    for bad in ["1.5", "-0.1", "nan"] {
        let e = try_set("error-recovery.min_recovery_rate", bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("error-recovery.min_recovery_rate needs a number from 0.0 to 1.0, got '{bad}'")
        );
    }
}

#[test]
fn a_file_value_of_the_wrong_type_is_refused_as_the_text_would_not_be() {
    let mut c = Config::default();
    assert!(set_value(&mut c, "latency.max_gap_s", Value::Quoted("20")).is_err());
    assert!(set_value(&mut c, "latency.max_gap_s", Value::Number(f64::NAN)).is_err());
    assert!(set_value(&mut c, "latency.enabled", Value::Number(1.0)).is_err());
    assert!(set_value(&mut c, "latency.severity", Value::Quoted("warn")).is_ok());
    assert_eq!(c.rule("latency").severity, Severity::Warn);
    assert!(set_value(&mut c, "latency.max_gap_s", Value::Number(20.0)).is_ok());
}

#[test]
fn switches_and_names_are_checked() {
    let c = try_set("hierarchy.enabled", "false").unwrap();
    assert!(!c.rule("hierarchy").enabled);
    assert!(try_set("hierarchy.enabled", "no").is_err());
    assert!(try_set("hierarchy.severity", "info").is_err());
    assert_eq!(
        try_set("latency.bogus", "1").unwrap_err(),
        SettingError::UnknownSetting("latency.bogus".into())
    );
    assert_eq!(
        try_set("latncy.enabled", "true").unwrap_err(),
        SettingError::UnknownRule("latncy".into())
    );
    // A threshold belongs to its rule.
    assert!(try_set("latency.min_success_rate", "0.5").is_err());
    assert!(try_set("concurrency.run_max_s", "5").is_ok());
}

#[test]
fn every_threshold_is_in_the_table_once_with_a_default_in_its_range() {
    let defaults = Thresholds::default();
    let mut names: Vec<String> = THRESHOLDS.iter().map(Threshold::name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), THRESHOLDS.len());
    for th in &THRESHOLDS {
        assert!(th.unit.allows(th.default), "{}", th.name());
        assert_eq!(th.get(&defaults), th.default, "{}", th.name());
        assert!(rule_id(th.rule).is_ok(), "{}", th.name());
    }
    // Every field of Thresholds is one entry: set each to a marker and see them all move.
    let mut t = default_thresholds();
    for th in &THRESHOLDS {
        *(th.field)(&mut t) = -7.0;
    }
    assert_eq!(format!("{t:?}").matches("-7.0").count(), THRESHOLDS.len());
    // …beside the name lists and the pricing table (the config's `[prices]`).
    let lists = super::super::name_lists::NAME_LISTS.len();
    assert_eq!(
        format!("{t:?}").matches(": ").count(),
        THRESHOLDS.len() + lists + 1
    );
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    let described: Vec<&str> = RULE_DESCRIPTIONS.iter().map(|(r, _)| *r).collect();
    assert_eq!(ids, described);
}

#[test]
fn generated_texts_list_every_threshold_with_its_default() {
    let toml = default_toml();
    let table = markdown_table();
    for th in &THRESHOLDS {
        assert!(
            toml.contains(&format!("\n{} = {:?}\n", th.key, th.default)),
            "{}",
            th.name()
        );
        assert!(table.contains(&format!("| `{}` | {:?} |", th.name(), th.default)));
    }
}

/// The README's settings table, between its markers, if it has one.
fn readme_table(readme: &str) -> Option<&str> {
    let start = readme.find("<!-- settings -->\n")? + "<!-- settings -->\n".len();
    let end = start + readme[start..].find("<!-- /settings -->")?;
    Some(&readme[start..end])
}

#[test]
fn the_readme_table_is_the_generated_one() {
    let good = format!(
        "intro\n<!-- settings -->\n{}<!-- /settings -->\n",
        markdown_table()
    );
    assert_eq!(readme_table(&good), Some(markdown_table().as_str()));
    let stale = good.replace("| 15.0 |", "| 20.0 |");
    assert_ne!(readme_table(&stale), Some(markdown_table().as_str()));
    let readme = include_str!("../../../README.md");
    if let Some(table) = readme_table(readme) {
        assert_eq!(
            table,
            markdown_table(),
            "README.md's settings table is out of date"
        );
    }
}
