//! The structural diff on values that differ and values that do not, deep ones included.

use super::*;
use serde_json::json;

fn paths(d: &JsonDiff) -> Vec<(&str, &str)> {
    d.changes
        .iter()
        .map(|c| (c.kind.as_str(), c.path.as_str()))
        .collect()
}

#[test]
fn equal_values_have_no_change() {
    let a = json!({"user_request": "x", "history": [{"request": "q", "response": 1.0}], "n": null});
    let b = json!({"n": null, "history": [{"response": 1, "request": "q"}], "user_request": "x"});
    let d = diff(&a, &b, Limits::default());
    assert!(d.is_empty(), "{d:?}");
    assert!(same(&a, &b));
}

#[test]
fn keys_added_removed_and_changed_with_both_values() {
    let a = json!({"history": [{"request": "q1", "response": "r1"}, {"request": "q2", "response": "r2"}, {"request": "q3", "response": "old"}], "gone": true, "user_request": "x"});
    let b = json!({"history": [{"request": "q1", "response": "r1"}, {"request": "q2", "response": "r2"}, {"request": "q3", "response": "new"}], "meta data": {"k": 1}, "user_request": "x"});
    let d = diff(&a, &b, Limits::default());
    assert_eq!(
        paths(&d),
        [
            ("removed", "gone"),
            ("changed", "history[2].response"),
            ("added", "[\"meta data\"]"),
        ]
    );
    assert_eq!(d.changes[0].before.as_deref(), Some("true"));
    assert_eq!(d.changes[0].after, None);
    assert_eq!(d.changes[1].before.as_deref(), Some("\"old\""));
    assert_eq!(d.changes[1].after.as_deref(), Some("\"new\""));
    assert_eq!(d.changes[2].after.as_deref(), Some("{\"k\":1}"));
}

#[test]
fn arrays_compare_by_index_and_types_change_whole() {
    let d = diff(&json!([1, 2, 3]), &json!([1, 5]), Limits::default());
    assert_eq!(paths(&d), [("changed", "[1]"), ("removed", "[2]")]);
    let d = diff(
        &json!({"a": [1]}),
        &json!({"a": {"0": 1}}),
        Limits::default(),
    );
    assert_eq!(paths(&d), [("changed", "a")]);
    let d = diff(&json!(1), &json!("1"), Limits::default());
    assert_eq!(paths(&d), [("changed", "$")]);
}

#[test]
fn changes_beyond_the_cap_are_counted_not_listed() {
    let a = json!((0..500).collect::<Vec<_>>());
    let b = json!((0..500).map(|i| i + 1).collect::<Vec<_>>());
    let limits = Limits {
        max_changes: 10,
        preview_chars: 8,
    };
    let d = diff(&a, &b, limits);
    assert_eq!(d.changes.len(), 10);
    assert_eq!(d.unlisted, 490);
    assert_eq!(d.total(), 500);
    let long = json!({"text": "x".repeat(10_000)});
    let d = diff(&json!({}), &long, limits);
    let shown = d.changes[0].after.as_deref().unwrap_or_default();
    assert!(
        shown.chars().count() <= 9 && shown.ends_with('…'),
        "{shown}"
    );
}

/// `depth` arrays nested in one another around `leaf`, built without recursion.
fn nested(depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |v, _| Value::Array(vec![v]))
}

/// Takes a value apart without recursion (dropping a deep one would recurse).
fn dismantle(v: Value) {
    let mut stack = vec![v];
    while let Some(mut v) = stack.pop() {
        match &mut v {
            Value::Array(items) => stack.append(items),
            Value::Object(map) => stack.extend(std::mem::take(map).into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

#[test]
fn a_hundred_thousand_deep_value_is_diffed_without_overflow() {
    let a = nested(100_000, json!(1));
    let b = nested(100_000, json!(2));
    let d = diff(&a, &b, Limits::default());
    assert_eq!(d.total(), 1);
    let path = &d.changes[0].path;
    assert!(
        path.contains("…(99968 levels)…") && path.len() < 200,
        "{path}"
    );
    assert!(!same(&a, &b));
    let c = nested(100_000, json!(1));
    assert!(diff(&a, &c, Limits::default()).is_empty());
    assert!(same(&a, &c));
    let shown = preview(&a, 20);
    assert_eq!(shown, format!("{}…", "[".repeat(20)));
    for v in [a, b, c] {
        dismantle(v);
    }
}

#[test]
fn history_appended_rewritten_truncated_or_unchanged() {
    let h = |items: &[&str]| json!({"history": items, "user_request": "x"});
    let verdict = |a: &[&str], b: &[&str]| history_change(&h(a), &h(b)).map(|c| c.verdict);
    assert_eq!(verdict(&["a"], &["a", "b"]), Some(HistoryVerdict::Appended));
    assert_eq!(
        verdict(&["a", "b", "c"], &["a", "x", "c", "d"]),
        Some(HistoryVerdict::Rewritten { first: 1 })
    );
    assert_eq!(
        verdict(&["a", "b"], &["a"]),
        Some(HistoryVerdict::Truncated)
    );
    assert_eq!(verdict(&["a"], &["a"]), Some(HistoryVerdict::Unchanged));
    let counts = history_change(&h(&["a"]), &h(&["a", "b", "c"]));
    assert_eq!(counts.map(|c| (c.before, c.after)), Some((1, 3)));
    assert_eq!(history_change(&json!({"history": 1}), &h(&[])), None);
    assert_eq!(history_change(&json!([]), &h(&[])), None);
}

#[test]
fn history_entries_say_which_were_appended_rewritten_or_cut() {
    let e = |r: &str| json!({"request": r, "response": "ok"});
    let a = json!({"history": [e("q1"), e("q2")]});
    let appended = json!({"history": [e("q1"), e("q2"), e("q3")]});
    assert_eq!(history_entries(&a, &appended), [(2, ChangeKind::Added)]);
    let rewritten = json!({"history": [e("other"), e("q2"), e("q3")]});
    assert_eq!(
        history_entries(&a, &rewritten),
        [(0, ChangeKind::Changed), (2, ChangeKind::Added)]
    );
    let cut = json!({"history": [e("q1")]});
    assert_eq!(history_entries(&a, &cut), [(1, ChangeKind::Removed)]);
    assert!(history_entries(&a, &a).is_empty());
    assert!(history_entries(&a, &json!({"no": "history"})).is_empty());
}
