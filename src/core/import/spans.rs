//! Span timelines shared by the span-based importers (OTLP, OpenAI Agents trace exports).
//! Owns turning a set of spans (exported in END order, or a mix of start and end records)
//! into start and end edges sorted by start time, and walking span ancestry safely.

use rustc_hash::FxHashMap as HashMap;
use std::cmp::Ordering;

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

/// Which side of a span a timeline step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Start,
    End,
    /// Closed by orchscope at the end of input.
    Abort,
}

impl Edge {
    /// The span the step is of, and which side of it.
    pub(crate) fn split(self) -> (usize, Phase) {
        match self {
            Edge::Start(i) => (i, Phase::Start),
            Edge::End(i) => (i, Phase::End),
            Edge::Abort(i) => (i, Phase::Abort),
        }
    }
}

/// Index of spans by id (the first span of an id wins).
pub(crate) fn index(spans: &[Span]) -> HashMap<&str, usize> {
    let mut map = HashMap::with_capacity_and_hasher(spans.len(), Default::default());
    for (i, span) in spans.iter().enumerate() {
        map.entry(span.id.as_str()).or_insert(i);
    }
    map
}

/// Each span's parent, as an index (`None`: a root, a parent not in the input, or a link
/// that would close a cycle).
pub(crate) fn parents(spans: &[Span], by_id: &HashMap<&str, usize>) -> Vec<Option<usize>> {
    let mut parent: Vec<Option<usize>> = spans
        .iter()
        .map(|s| s.parent.as_deref().and_then(|p| by_id.get(p).copied()))
        .collect();
    // Break cycles: walk each chain once, marking what is finished.
    let mut state = vec![0u8; spans.len()]; // 0 unseen, 1 on the current walk, 2 done
    let mut path = Vec::new();
    for start in 0..spans.len() {
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                2 => break,
                1 => {
                    // `c` is on this walk: the link into it closes a cycle.
                    if let Some(&last) = path.last() {
                        parent[last] = None;
                    }
                    break;
                }
                _ => {
                    state[c] = 1;
                    path.push(c);
                    cur = parent[c];
                }
            }
        }
        for c in path.drain(..) {
            state[c] = 2;
        }
    }
    parent
}

/// For every span, the value `at` gives on its nearest proper ancestor that has one. Each span
/// is resolved once from its parent's answer, so deep chains cost linear time.
pub(crate) fn nearest<T: Clone>(
    parent: &[Option<usize>],
    at: impl Fn(usize) -> Option<T>,
) -> Vec<Option<T>> {
    let mut memo: Vec<Option<Option<T>>> = vec![None; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        let mut cur = start;
        // Climb until a span whose answer is known, or a root.
        let mut known = loop {
            if let Some(v) = &memo[cur] {
                break v.clone();
            }
            path.push(cur);
            match parent[cur] {
                Some(p) => cur = p,
                None => break None,
            }
        };
        // Going back down, each span's answer is its parent's value, else its parent's answer.
        while let Some(c) = path.pop() {
            let answer = match parent[c] {
                Some(p) => at(p).or(known),
                None => None,
            };
            memo[c] = Some(answer.clone());
            known = answer;
        }
    }
    memo.into_iter().map(Option::flatten).collect()
}

/// Start and end edges in time order: at equal times, ends of spans with a duration come
/// first (deepest first), then starts (outermost first), then ends of zero-length spans.
/// Spans never ended come last as `Abort`, newest start first.
pub(crate) fn timeline(spans: &[Span]) -> Vec<Edge> {
    timeline_of(spans, &parents(spans, &index(spans)))
}

/// [`timeline`] with each span's parent already found (see [`parents`]).
pub(crate) fn timeline_of(spans: &[Span], parent: &[Option<usize>]) -> Vec<Edge> {
    // Depths, each from its parent's (linear: `nearest` with every ancestor counted).
    let mut depth = vec![-1i64; spans.len()];
    let mut path = Vec::new();
    for start in 0..spans.len() {
        let mut cur = start;
        let base = loop {
            if depth[cur] >= 0 {
                break depth[cur];
            }
            path.push(cur);
            match parent[cur] {
                Some(p) => cur = p,
                None => break -1,
            }
        };
        let mut d = base;
        while let Some(c) = path.pop() {
            d += 1;
            depth[c] = d;
        }
    }
    let mut keyed: Vec<(f64, u8, i64, usize, Edge)> = Vec::with_capacity(2 * spans.len());
    for (i, span) in spans.iter().enumerate() {
        let d = depth[i];
        keyed.push((span.start, 1, d, i, Edge::Start(i)));
        if let Some(end) = span.end {
            let end = if end < span.start { span.start } else { end };
            let class = if end > span.start { 0 } else { 2 };
            keyed.push((end, class, -d, i, Edge::End(i)));
        }
    }
    // No two keys are equal (a span's start and end differ in class), so an unstable sort
    // gives the one order.
    keyed.sort_unstable_by(|a, b| {
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
