//! Structural JSON diff: what was added, removed and changed between two values, each change
//! at a path like `history[2].response` with short previews of both values, and for a context's
//! `history` array whether the new one appends to, rewrites or truncates the old. Objects are
//! compared key by key, arrays by index. Iterative with an explicit stack (a value nested
//! 100,000 deep is no problem) and bounded: at most `Limits::max_changes` changes are listed,
//! the rest only counted. Pure; used by `diff`, and meant for the Context tab and reports.

mod path;
mod preview;
#[cfg(test)]
mod tests;

pub use path::Seg;
pub use preview::preview;

use serde_json::{Map, Value};

/// What happened at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only the second value has it.
    Added,
    /// Only the first value has it.
    Removed,
    /// Both have it, with different values (or types).
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference: where, and a compact JSON preview of each side (`None` on the side that
/// does not have it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// `$` for the whole value, else like `history[2].response` or `meta["a b"]`.
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The differences of two values: the listed ones, in path order, and how many more there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonDiff {
    pub changes: Vec<Change>,
    /// Changes found beyond `Limits::max_changes`, not listed.
    pub unlisted: usize,
}

impl JsonDiff {
    /// No difference at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.unlisted == 0
    }

    /// Every change, listed or not.
    pub fn total(&self) -> usize {
        self.changes.len() + self.unlisted
    }
}

/// How much a diff lists.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Changes listed; the rest are counted.
    pub max_changes: usize,
    /// Characters of each value preview (a longer one ends in `…`).
    pub preview_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_changes: 200,
            preview_chars: 120,
        }
    }
}

/// A pair of values still to compare, or a value only one side has.
enum Task<'a> {
    Both(&'a Value, &'a Value),
    Only(ChangeKind, &'a Value),
}

/// The differences from `a` to `b`.
pub fn diff(a: &Value, b: &Value, limits: Limits) -> JsonDiff {
    let mut out = JsonDiff::default();
    let mut path: Vec<Seg> = Vec::new();
    // (path length before the segment, its segment, what to compare there)
    let mut stack: Vec<(usize, Option<Seg>, Task)> = vec![(0, None, Task::Both(a, b))];
    let mut children = Vec::new();
    while let Some((depth, seg, task)) = stack.pop() {
        path.truncate(depth);
        path.extend(seg);
        let (kind, before, after) = match task {
            Task::Only(kind, v) => (kind, v, v),
            Task::Both(Value::Object(x), Value::Object(y)) => {
                object_children(x, y, &mut children);
                let depth = path.len();
                stack.extend(children.drain(..).rev().map(|(s, t)| (depth, Some(s), t)));
                continue;
            }
            Task::Both(Value::Array(x), Value::Array(y)) => {
                array_children(x, y, &mut children);
                let depth = path.len();
                stack.extend(children.drain(..).rev().map(|(s, t)| (depth, Some(s), t)));
                continue;
            }
            Task::Both(x, y) if same_scalar(x, y) => continue,
            Task::Both(x, y) => (ChangeKind::Changed, x, y),
        };
        if out.changes.len() >= limits.max_changes {
            out.unlisted += 1;
            continue;
        }
        let show = |v| preview(v, limits.preview_chars);
        out.changes.push(Change {
            kind,
            path: path::render(&path),
            before: (kind != ChangeKind::Added).then(|| show(before)),
            after: (kind != ChangeKind::Removed).then(|| show(after)),
        });
    }
    out
}

type Child<'a> = (Seg<'a>, Task<'a>);

/// The keys of two objects, in sorted order, as tasks.
fn object_children<'a>(
    x: &'a Map<String, Value>,
    y: &'a Map<String, Value>,
    out: &mut Vec<Child<'a>>,
) {
    let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    for k in keys {
        out.extend(task(x.get(k), y.get(k)).map(|t| (Seg::Key(k), t)));
    }
}

/// The items of two arrays, by index, as tasks.
fn array_children<'a>(x: &'a [Value], y: &'a [Value], out: &mut Vec<Child<'a>>) {
    for i in 0..x.len().max(y.len()) {
        out.extend(task(x.get(i), y.get(i)).map(|t| (Seg::Index(i), t)));
    }
}

/// What to do at a key or index each side may have.
fn task<'a>(a: Option<&'a Value>, b: Option<&'a Value>) -> Option<Task<'a>> {
    Some(match (a, b) {
        (Some(a), Some(b)) => Task::Both(a, b),
        (Some(a), None) => Task::Only(ChangeKind::Removed, a),
        (None, Some(b)) => Task::Only(ChangeKind::Added, b),
        (None, None) => return None,
    })
}

/// Two scalars are the same; numbers compare by value, as the context hash does (`1.0` = `1`).
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Object(_) | Value::Array(_), _) | (_, Value::Object(_) | Value::Array(_)) => false,
        _ => a == b,
    }
}

/// Whether two values are equal (numbers by value), without recursion.
pub fn same(a: &Value, b: &Value) -> bool {
    let mut stack = vec![(a, b)];
    while let Some((x, y)) = stack.pop() {
        match (x, y) {
            (Value::Object(x), Value::Object(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for (k, v) in x {
                    let Some(w) = y.get(k) else {
                        return false;
                    };
                    stack.push((v, w));
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                stack.extend(x.iter().zip(y));
            }
            _ if same_scalar(x, y) => {}
            _ => return false,
        }
    }
    true
}

/// How a context's `history` array changed from one value to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryVerdict {
    Unchanged,
    /// The new history starts with the old one and adds to it.
    Appended,
    /// An earlier entry changed: the first such index.
    Rewritten {
        first: usize,
    },
    /// The new history is the old one cut short.
    Truncated,
}

impl HistoryVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryVerdict::Unchanged => "unchanged",
            HistoryVerdict::Appended => "appended",
            HistoryVerdict::Rewritten { .. } => "rewritten",
            HistoryVerdict::Truncated => "truncated",
        }
    }
}

/// The history verdict and the entry counts on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryChange {
    pub verdict: HistoryVerdict,
    pub before: usize,
    pub after: usize,
}

/// How the `history` array of context `b` relates to that of `a`; `None` unless both are
/// objects with a `history` array.
pub fn history_change(a: &Value, b: &Value) -> Option<HistoryChange> {
    let old = a.get("history")?.as_array()?;
    let new = b.get("history")?.as_array()?;
    let verdict = match old.iter().zip(new).position(|(x, y)| !same(x, y)) {
        Some(first) => HistoryVerdict::Rewritten { first },
        None if new.len() > old.len() => HistoryVerdict::Appended,
        None if new.len() < old.len() => HistoryVerdict::Truncated,
        None => HistoryVerdict::Unchanged,
    };
    Some(HistoryChange {
        verdict,
        before: old.len(),
        after: new.len(),
    })
}

/// Entry by entry, how the `history` array of `b` differs from that of `a`: each index that
/// only `b` has (`Added`: appended), only `a` has (`Removed`: cut off), or both have with other
/// values (`Changed`: rewritten). Equal entries are left out; empty unless both have one.
pub fn history_entries(a: &Value, b: &Value) -> Vec<(usize, ChangeKind)> {
    let (Some(old), Some(new)) = (
        a.get("history").and_then(Value::as_array),
        b.get("history").and_then(Value::as_array),
    ) else {
        return Vec::new();
    };
    (0..old.len().max(new.len()))
        .filter_map(|i| match (old.get(i), new.get(i)) {
            (Some(x), Some(y)) if same(x, y) => None,
            (Some(_), Some(_)) => Some((i, ChangeKind::Changed)),
            (Some(_), None) => Some((i, ChangeKind::Removed)),
            (None, _) => Some((i, ChangeKind::Added)),
        })
        .collect()
}
