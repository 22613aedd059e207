//! The Compare tab's detail for the row under the cursor, made when the cursor moves: an item's
//! two sides (status, duration, id, frames), how it differs and whether that regresses, whether
//! it was paired by name only, and A's first frame beside B's; the diverging context's
//! structural diff (`core::context_diff::body`, as `diff` prints it); a changed verdict's codes.

use super::comparison::Against;
use super::comparison_rows::{call_id, names, status, Subject};
use crate::core::compare::alignment::{Aligned, Pick};
use crate::core::compare::{Kind, RuleChange};
use crate::core::context_diff::{body, LineKind};
use crate::core::escape::escape_short;
use crate::core::jsondiff::{self, Limits};
use crate::core::log::Log;
use crate::core::session::{Pos, Session};

/// Characters of a frame's text kept.
const FRAME_MAX: usize = 2000;

type Lines = Vec<(Option<LineKind>, String)>;

fn heading(s: String) -> (Option<LineKind>, String) {
    (Some(LineKind::Heading), s)
}

fn note(s: String) -> (Option<LineKind>, String) {
    (Some(LineKind::Note), s)
}

/// The title and lines of entry `e` (none: the Compare tab is empty).
pub fn lines(c: &Against, e: Option<usize>, b: &Log) -> (String, Lines) {
    let Some(entry) = e.and_then(|e| c.entries.get(e)) else {
        return (
            "Compare · nothing differs or matches the filter".into(),
            Vec::new(),
        );
    };
    match entry.subject {
        Subject::Context => context(c),
        Subject::Rule(i) => rule(&c.cmp.rules[i]),
        Subject::Item(i) => match c.cmp.rows.as_ref().and_then(|r| r.get(i)) {
            Some(r) => item(r, (&c.log, c.log.session()), (b, b.session())),
            None => (String::new(), Vec::new()),
        },
    }
}

fn context(c: &Against) -> (String, Lines) {
    let mut out = Lines::new();
    let Some(d) = &c.cmp.context else {
        return (String::new(), out);
    };
    let hash = |t: &Option<crate::core::compare::TurnSide>| {
        t.as_ref().map_or("no such turn".into(), |t| {
            let h = t.hash.as_deref().unwrap_or("no hash");
            format!("T{} {}", t.index, escape_short(h, 80))
        })
    };
    out.push(heading(format!("A  {}", hash(&d.a))));
    out.push(heading(format!("B  {}", hash(&d.b))));
    for (kind, line) in body(d.history, &d.entries, d.diff.as_ref(), d.note) {
        out.push((Some(kind), line));
    }
    let title = format!("Context diverges at turn {} · A → B", d.turn);
    (title, out)
}

fn rule(r: &RuleChange) -> (String, Lines) {
    let mut out = vec![heading(format!(
        "{}: {} in A → {} in B",
        r.id,
        r.a.as_str(),
        r.b.as_str()
    ))];
    out.push((
        None,
        format!("findings: {} in A, {} in B", r.findings.0, r.findings.1),
    ));
    for (word, codes) in [("only in B", &r.new_codes), ("only in A", &r.gone_codes)] {
        if !codes.is_empty() {
            out.push((
                None,
                format!("{word}: {}", escape_short(&codes.join(", "), 400)),
            ));
        }
    }
    out.push(note(
        match (r.regression, r.improved()) {
            (true, _) => "B regresses here",
            (false, true) => "B is better here",
            _ => "neither better nor worse",
        }
        .into(),
    ));
    (format!("Rule {} · A → B", r.id), out)
}

/// An item's first frame and the range of its frames on one side.
fn frames(kind: Kind, s: &Session, p: Pick) -> Option<(Pos, Option<Pos>)> {
    match kind {
        Kind::Run => s.runs.get(p.ix).map(|r| (r.first_pos, Some(r.last_pos))),
        Kind::Agent => {
            (s.agents.get(p.ix)).map(|a| (a.start_pos.unwrap_or(a.last_pos), Some(a.last_pos)))
        }
        Kind::ToolCall => {
            let call = s.calls.get(p.ix)?;
            Some((call.exec_pos.or(call.done_pos)?, call.done_pos))
        }
    }
}

fn side(label: &str, r: &Aligned, p: Option<Pick>, (log, s): (&Log, &Session), out: &mut Lines) {
    let Some(p) = p else {
        out.push(heading(format!("{label}  — not in {label}")));
        return;
    };
    let ms = p.ms.map_or("—".into(), |m| format!("{:.1}s", m / 1000.0));
    let id = match r.kind {
        Kind::ToolCall => call_id(log, s, p),
        Kind::Agent => s
            .agents
            .get(p.ix)
            .map(|a| escape_short(log.interner.resolve(a.id), 80)),
        Kind::Run => None,
    };
    let id = id.map_or(String::new(), |id| format!(" · id {id}"));
    let span = frames(r.kind, s, p);
    let range = span.map_or(String::new(), |(f, l)| match l {
        Some(l) if l != f => format!(" · frames #{f}–#{l}"),
        _ => format!(" · frame #{f}"),
    });
    out.push(heading(format!(
        "{label}  {} · {ms}{id}{range}",
        status(p.status)
    )));
}

fn frame_text(label: &str, log: &Log, p: Pos, out: &mut Lines) {
    out.push(heading(format!("{label}'s frame #{p}")));
    let text = match log.raw(p) {
        Ok(Some(t)) => escape_short(&t, FRAME_MAX),
        Ok(None) => "(binary or unavailable)".into(),
        Err(stale) => format!("(text unavailable: {stale})"),
    };
    out.push((None, text));
}

/// What differs between the two sides' first frames, structurally (`core::jsondiff`).
fn frame_diff(a: (&Log, Pos), b: (&Log, Pos), out: &mut Lines) {
    let read = |(log, p): (&Log, Pos)| {
        let text = log.raw(p).ok()??;
        serde_json::from_str::<serde_json::Value>(&text).ok()
    };
    let (Some(x), Some(y)) = (read(a), read(b)) else {
        return;
    };
    let d = jsondiff::diff(&x, &y, Limits::default());
    out.push((None, String::new()));
    out.push(heading(format!(
        "what differs from A's frame #{} to B's #{}",
        a.1, b.1
    )));
    for (kind, line) in body(None, &[], Some(&d), None) {
        out.push((Some(kind), line));
    }
}

fn item(r: &Aligned, a: (&Log, &Session), b: (&Log, &Session)) -> (String, Lines) {
    let (name, agent) = names(r, a, b);
    let mut out = Lines::new();
    side("A", r, r.a, a, &mut out);
    side("B", r, r.b, b, &mut out);
    let m = crate::core::compare::alignment::mark(r);
    let verdict = match (r.change, r.regression) {
        (None, _) => "the same within the thresholds".to_string(),
        (Some(_), true) => format!("{} {}: B regresses here", m.glyph, m.word),
        (Some(_), false) => format!("{} {}: not a regression", m.glyph, m.word),
    };
    out.push((None, verdict));
    if r.by_name {
        out.push(note(
            "paired by name (and agent, for a tool call): the ids differ".into(),
        ));
    }
    let first = |p: Option<Pick>, s: &Session| Some(frames(r.kind, s, p?)?.0);
    let (fa, fb) = (first(r.a, a.1), first(r.b, b.1));
    if let (Some(fa), Some(fb)) = (fa, fb) {
        frame_diff((a.0, fa), (b.0, fb), &mut out);
    }
    for (label, f, log) in [("A", fa, a.0), ("B", fb, b.0)] {
        if let Some(f) = f {
            out.push((None, String::new()));
            frame_text(label, log, f, &mut out);
        }
    }
    let of = agent.map_or(String::new(), |a| format!(" · {a}"));
    (
        format!("{} {name}{of} · run {} · A → B", r.kind.as_str(), r.run + 1),
        out,
    )
}
