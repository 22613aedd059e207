//! The whole alignment kept for the side-by-side view: every item once, equal ones included,
//! the same differences `diff` reports, calls nested under their agents, and each row's mark.

use super::super::alignment::{mark, nest, with_ancestors, Aligned, Pick, Tone};
use super::*;

fn aligned(a: &Log, b: &Log) -> Comparison {
    compare_aligned(&side(a), &side(b), Thresholds::default())
}

#[test]
fn every_item_has_a_row_and_the_differences_are_the_diffs() {
    let a = base().done("data").start("extra").done("extra").done("sup");
    let b = base().tool("data", "extra_query").done("data").done("sup");
    let (la, lb) = (a.log(), b.log());
    let c = aligned(&la, &lb);
    let rows = c.rows.as_ref().unwrap();
    // One run, three agents (sup, data, extra), two calls (query, extra_query).
    assert_eq!(rows.len(), 1 + 3 + 2, "{rows:?}");
    let differing: Vec<_> = rows.iter().filter(|r| r.differs()).collect();
    assert_eq!(differing.len(), c.total());
    let plain = compare_logs(&la, &lb);
    assert_eq!(plain.differences, c.differences);
    assert!(plain.rows.is_none());
    let extra = rows.iter().find(|r| r.change == Some(Change::Missing));
    assert!(extra.is_some_and(|r| r.kind == Kind::Agent && r.a.is_some() && r.b.is_none()));
}

#[test]
fn calls_come_under_the_agent_that_made_them() {
    let f = Frames::default()
        .start("sup")
        .tool("sup", "plan")
        .start("data")
        .tool("data", "query")
        .done("data")
        .done("sup");
    let (la, lb) = (f.log(), f.log());
    let c = aligned(&la, &lb);
    let rows = c.rows.as_ref().unwrap();
    let order = nest(rows, la.session(), lb.session());
    let kinds: Vec<&str> = order.iter().map(|&i| rows[i].kind.as_str()).collect();
    assert_eq!(kinds, ["run", "agent", "tool_call", "agent", "tool_call"]);
    let name = |i: usize| {
        let p = rows[order[i]].a.unwrap();
        la.interner.resolve(la.session().calls[p.ix].tool.unwrap())
    };
    assert_eq!((name(2), name(4)), ("plan", "query"));
    assert!(rows.iter().all(|r| !r.differs() && !r.by_name));
}

fn row(change: Option<Change>, regression: bool, a: Option<Pick>, b: Option<Pick>) -> Aligned {
    Aligned {
        kind: Kind::ToolCall,
        run: 0,
        a,
        b,
        change,
        regression,
        by_name: false,
    }
}

fn pick(status: &'static str, ms: f64) -> Option<Pick> {
    Some(Pick {
        ix: 0,
        status,
        ms: Some(ms),
    })
}

#[test]
fn a_mark_says_in_words_how_a_row_differs() {
    let cases = [
        (
            row(None, false, pick("ok", 1.0), pick("ok", 1.0)),
            "=",
            "same",
            Tone::Same,
        ),
        (
            row(Some(Change::Added), false, None, pick("ok", 1.0)),
            "+",
            "added",
            Tone::Neutral,
        ),
        (
            row(Some(Change::Missing), true, pick("ok", 1.0), None),
            "-",
            "missing",
            Tone::Worse,
        ),
        (
            row(
                Some(Change::Status),
                true,
                pick("ok", 1.0),
                pick("error", 1.0),
            ),
            "✗",
            "ok→error",
            Tone::Worse,
        ),
        (
            row(
                Some(Change::Status),
                false,
                pick("error", 1.0),
                pick("ok", 1.0),
            ),
            "≠",
            "error→ok",
            Tone::Better,
        ),
        (
            row(
                Some(Change::Slower),
                true,
                pick("ok", 1000.0),
                pick("ok", 2200.0),
            ),
            "▲",
            "slower +1.2s",
            Tone::Worse,
        ),
        (
            row(
                Some(Change::Faster),
                false,
                pick("ok", 3000.0),
                pick("ok", 1000.0),
            ),
            "▼",
            "faster -2.0s",
            Tone::Better,
        ),
    ];
    for (r, glyph, word, tone) in cases {
        let m = mark(&r);
        assert_eq!(
            (m.glyph, m.word.as_str(), m.tone),
            (glyph, word, tone),
            "{r:?}"
        );
    }
    let mut run = row(Some(Change::Added), false, None, pick("completed", 1.0));
    run.kind = Kind::Run;
    assert_eq!(mark(&run).word, "only in B");
}

#[test]
fn a_run_only_one_side_has_is_one_row_marked_as_such() {
    let one = base().done("data").done("sup");
    let mut two = one.clone();
    two.lines.extend(
        Frames::default()
            .start("sup")
            .done("sup")
            .lines
            .iter()
            .map(|l| l.replace("\"r1\"", "\"r2\"")),
    );
    let (la, lb) = (one.log(), two.log());
    let c = aligned(&la, &lb);
    let rows = c.rows.as_ref().unwrap();
    let last = rows.last().unwrap();
    assert_eq!((last.kind, last.run), (Kind::Run, 1));
    assert_eq!(mark(last).word, "only in B");
    assert!(last.a.is_none() && last.b.is_some());
}

#[test]
fn a_row_paired_by_name_whose_ids_differ_says_so() {
    let a = base().done("data").done("sup");
    let mut b = a.clone();
    for l in &mut b.lines {
        *l = l.replace(
            r#""agent_name":"data""#,
            r#""agent_name":"data","agent_id":"data-2""#,
        );
    }
    let (la, lb) = (a.log(), b.log());
    let c = aligned(&la, &lb);
    let rows = c.rows.as_ref().unwrap();
    let named: Vec<_> = rows.iter().filter(|r| r.by_name).collect();
    assert_eq!(named.len(), 1, "{rows:?}");
    let ix = named[0].b.unwrap().ix;
    let name = lb.session().agents[ix].name.unwrap();
    assert_eq!(lb.interner.resolve(name), "data");
    // Paired all the same, and equal.
    assert!(!named[0].differs());
}

#[test]
fn a_difference_comes_under_its_run_and_agent_once_each() {
    // R0 [a1 c2 c3] [a4 c5]  R6 c7 (a call without an agent row)  R8 [a9]
    let depth = [0u8, 1, 2, 2, 1, 2, 0, 2, 0, 1];
    let kept = [3, 5, 7, 9];
    let out = with_ancestors(|i| depth[i], kept.into_iter());
    assert_eq!(out, [0, 1, 3, 4, 5, 6, 7, 8, 9]);
    // A run that differs itself is not repeated as its own ancestor.
    let out = with_ancestors(|i| depth[i], [0, 2, 3].into_iter());
    assert_eq!(out, [0, 1, 2, 3]);
}
