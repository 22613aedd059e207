//! Span timelines shared by the span-based importers (OTLP, OpenAI Agents trace exports).
//! Owns turning a set of spans (exported in END order, or a mix of start and end records)
//! into start and end edges sorted by start time, and walking span ancestry safely.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::Value;

/// One span, reduced to what ordering needs. `start`/`end` are epoch milliseconds.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub id: String,
    pub parent: Option<String>,
    pub start: f64,
    /// `None`: never ended in the input.
    pub end: Option<f64>,
}

/// One step of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    Start(usize),
    End(usize),
    /// A span still open at the end of input, newest first.
    Abort(usize),
}

/// Index of spans by id (the first span of an id wins).
pub(crate) fn index(spans: &[Span]) -> HashMap<&str, usize> {
    let mut map = HashMap::new();
    for (i, span) in spans.iter().enumerate() {
        map.entry(span.id.as_str()).or_insert(i);
    }
    map
}

/// The nearest proper ancestor of `i` for which `pred` holds (cycles and missing parents end
/// the walk).
pub(crate) fn ancestor(
    spans: &[Span],
    by_id: &HashMap<&str, usize>,
    i: usize,
    pred: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut cur = i;
    for _ in 0..spans.len() {
        let parent = spans.get(cur)?.parent.as_deref()?;
        cur = *by_id.get(parent)?;
        if cur == i {
            return None;
        }
        if pred(cur) {
            return Some(cur);
        }
    }
    None
}

fn depth(spans: &[Span], by_id: &HashMap<&str, usize>, i: usize) -> i64 {
    let mut d = 0;
    let mut cur = i;
    while let Some(p) = spans[cur].parent.as_deref().and_then(|p| by_id.get(p)) {
        d += 1;
        cur = *p;
        if cur == i || d as usize > spans.len() {
            break;
        }
    }
    d
}

/// Start and end edges in time order: at equal times, ends of spans with a duration come
/// first (deepest first), then starts (outermost first), then ends of zero-length spans.
/// Spans never ended come last as `Abort`, newest start first.
pub(crate) fn timeline(spans: &[Span]) -> Vec<Edge> {
    let by_id = index(spans);
    let mut keyed: Vec<(f64, u8, i64, usize, Edge)> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let d = depth(spans, &by_id, i);
        keyed.push((span.start, 1, d, i, Edge::Start(i)));
        if let Some(end) = span.end {
            let end = if end < span.start { span.start } else { end };
            let class = if end > span.start { 0 } else { 2 };
            keyed.push((end, class, -d, i, Edge::End(i)));
        }
    }
    keyed.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    let mut edges: Vec<Edge> = keyed.into_iter().map(|k| k.4).collect();
    let mut open: Vec<usize> = (0..spans.len())
        .filter(|&i| spans[i].end.is_none())
        .collect();
    open.sort_by(|&a, &b| {
        spans[b]
            .start
            .total_cmp(&spans[a].start)
            .then(b.cmp(&a))
            .then(Ordering::Equal)
    });
    edges.extend(open.into_iter().map(Edge::Abort));
    edges
}

/// Epoch milliseconds as a frame timestamp: an integer when whole.
pub(crate) fn ms_value(ms: f64) -> Value {
    if ms.is_finite() && ms.fract() == 0.0 && ms.abs() < 9.0e15 {
        Value::from(ms as i64)
    } else {
        serde_json::Number::from_f64(ms)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}
