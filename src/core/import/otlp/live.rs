//! Spans received live (from an OTLP exporter) held per trace until the trace can be shown
//! whole. A span is exported when it ends, children before parents, in batches: a trace is
//! shown once its root span has arrived and no span of it came for the straggler window (or,
//! rootless, after it stayed quiet for `max_quiet`), by the same importer that reads OTLP
//! files, so a trace reads live exactly as it does from a file. While a trace is held, what is
//! known of it is told ([`OpenTrace`]): the spans that ended, and the spans still running (named
//! as parents but not yet ended). Memory is bounded: past `cap` held spans, new ones are refused
//! and counted.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::value::RawValue;

use super::super::otlp_values::norm_id_text;
use serde::Deserialize;

use super::wire::{raw_text, Request};
use super::{import_with, Turns};
use crate::core::link::Dir;

/// The ids of a span, all that holding it needs (the importer reads the rest when it is shown).
#[derive(Deserialize)]
struct SpanIds<'a> {
    #[serde(rename = "traceId", default, borrow)]
    trace_id: Option<&'a RawValue>,
    #[serde(rename = "spanId", default, borrow)]
    span_id: Option<&'a RawValue>,
    #[serde(rename = "parentSpanId", default, borrow)]
    parent_span_id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    name: Option<Cow<'a, str>>,
}

/// What became of one span offered.
enum Held {
    /// Held; whether its trace was already shown.
    Late(bool),
    Invalid,
    OverCap,
}

/// One trace's spans as they arrived.
struct Trace {
    /// Each span's JSON text, as received.
    spans: Vec<String>,
    /// Whether its root span (one without a parent) arrived.
    root: bool,
    /// When its first and its last span arrived (seconds on the receiver's clock).
    first: f64,
    last: f64,
    /// The ids of the spans that arrived, and of the parents they name that did not: spans
    /// still running.
    ids: HashSet<Box<str>>,
    running: HashSet<Box<str>>,
    /// The name of the span that arrived last.
    latest: String,
}

/// What one export request gave.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// Spans held to be shown.
    pub accepted: usize,
    /// Spans refused because they have no span id.
    pub invalid: usize,
    /// Spans refused because the receiver already held as many as it may.
    pub over_cap: usize,
    /// Of the accepted, spans of a trace already shown (they are shown on their own).
    pub late: usize,
}

/// Traces ready to show, as native frames in order, and what reading them reported.
#[derive(Debug, Default)]
pub struct Ready {
    pub frames: Vec<(Dir, String)>,
    pub problems: Vec<String>,
}

/// How much is held, for a status line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub traces: usize,
    pub spans: usize,
}

/// What is known of a trace not yet shown: it is still running.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OpenTrace {
    /// The trace id (lower-case hex, as the importer names it).
    pub trace: String,
    /// Spans that ended (and arrived).
    pub ended: usize,
    /// Spans named as a parent that did not end yet: running.
    pub running: usize,
    /// Whether the trace's root span ended (it then waits out the straggler window).
    pub root_ended: bool,
    /// Whole seconds since its first span arrived.
    pub age_s: u64,
    /// The name of the span that ended last, as sent (escape it before showing).
    pub latest: String,
}

/// What the receiver holds: the totals, and the traces open longest (at most a handful).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Holding {
    pub totals: Open,
    pub traces: Vec<OpenTrace>,
}

/// How long a span name is kept to tell what a trace did last.
const NAME_KEPT: usize = 120;

/// The live receiver's spans, per trace.
pub struct LiveSpans {
    window: f64,
    max_quiet: f64,
    cap: usize,
    traces: HashMap<String, Trace>,
    /// Traces already shown (their later spans are late), the newest [`SHOWN_KEPT`].
    shown: HashSet<String>,
    shown_order: VecDeque<String>,
    held: usize,
    turns: Turns,
}

impl LiveSpans {
    /// Holds at most `cap` spans; shows a trace `window` seconds after its last span once its
    /// root is in, or after `max_quiet` seconds without a span when its root never comes.
    pub fn new(window: f64, max_quiet: f64, cap: usize) -> LiveSpans {
        LiveSpans {
            window,
            max_quiet,
            cap,
            traces: HashMap::new(),
            shown: HashSet::new(),
            shown_order: VecDeque::new(),
            held: 0,
            turns: Turns::default(),
        }
    }

    /// Takes one OTLP/JSON export request received at `now`; `Err` when it is not one.
    pub fn add(&mut self, json: &str, now: f64) -> Result<Taken, String> {
        let request = serde_json::from_str::<Request>(json)
            .map_err(|e| format!("not an OTLP/JSON export request ({e})"))?;
        let mut taken = Taken::default();
        let raw = request.resource_spans.iter().flat_map(|rs| {
            rs.scope_spans
                .iter()
                .chain(&rs.library_spans)
                .flat_map(|ss| ss.spans.iter().copied())
        });
        for span in raw {
            match self.hold(span, now) {
                Held::Late(late) => {
                    taken.accepted += 1;
                    taken.late += usize::from(late);
                }
                Held::Invalid => taken.invalid += 1,
                Held::OverCap => taken.over_cap += 1,
            }
        }
        Ok(taken)
    }

    /// Holds one span, or says why not.
    fn hold(&mut self, raw: &RawValue, now: f64) -> Held {
        let Some(span) = serde_json::from_str::<SpanIds>(raw.get())
            .ok()
            .filter(|s| raw_text(s.span_id).and_then(|t| norm_id_text(&t)).is_some())
        else {
            return Held::Invalid;
        };
        if self.held >= self.cap {
            return Held::OverCap;
        }
        let trace = raw_text(span.trace_id)
            .and_then(|t| norm_id_text(&t))
            .unwrap_or_default();
        let id = raw_text(span.span_id)
            .and_then(|t| norm_id_text(&t))
            .unwrap_or_default();
        let parent = raw_text(span.parent_span_id).and_then(|t| norm_id_text(&t));
        let late = self.shown.contains(&trace);
        let held = self.traces.entry(trace).or_insert_with(|| empty(now));
        held.spans.push(raw.get().to_string());
        held.root |= parent.is_none();
        held.last = now;
        held.running.remove(id.as_str());
        if let Some(p) = parent.filter(|p| !held.ids.contains(p.as_str())) {
            held.running.insert(p.into());
        }
        held.ids.insert(id.into());
        held.latest.clear();
        if let Some(name) = span.name {
            held.latest.extend(name.chars().take(NAME_KEPT));
        }
        self.held += 1;
        Held::Late(late)
    }

    /// The traces ready at `now`, shown oldest first.
    pub fn due(&mut self, now: f64) -> Ready {
        let (window, quiet) = (self.window, self.max_quiet);
        self.take(|h| {
            let waited = now - h.last;
            (h.root && waited >= window) || waited >= quiet
        })
    }

    /// Every trace still held (the end of input): what never completed is shown as it is.
    pub fn drain(&mut self) -> Ready {
        self.take(|_| true)
    }

    /// How much is held now.
    pub fn open(&self) -> Open {
        Open {
            traces: self.traces.len(),
            spans: self.held,
        }
    }

    /// What is held at `now`: the totals and the `max` traces open longest, oldest first.
    pub fn holding(&self, now: f64, max: usize) -> Holding {
        let mut oldest: Vec<(&String, &Trace)> = self.traces.iter().collect();
        let by_age = |a: &(&String, &Trace), b: &(&String, &Trace)| {
            a.1.first.total_cmp(&b.1.first).then(a.0.cmp(b.0))
        };
        if oldest.len() > max && max > 0 {
            oldest.select_nth_unstable_by(max - 1, by_age);
        }
        oldest.truncate(max);
        oldest.sort_unstable_by(by_age);
        let traces = (oldest.into_iter())
            .map(|(id, h)| OpenTrace {
                trace: id.clone(),
                ended: h.spans.len(),
                running: h.running.len(),
                root_ended: h.root,
                age_s: (now - h.first).max(0.0) as u64,
                latest: h.latest.clone(),
            })
            .collect();
        Holding {
            totals: self.open(),
            traces,
        }
    }

    fn take(&mut self, ready: impl Fn(&Trace) -> bool) -> Ready {
        let mut out = Ready::default();
        let mut due: Vec<(String, Trace)> = Vec::new();
        self.traces.retain(|id, h| {
            if ready(h) {
                due.push((id.clone(), std::mem::replace(h, empty(0.0))));
                false
            } else {
                true
            }
        });
        due.sort_by(|a, b| a.1.last.total_cmp(&b.1.last).then(a.0.cmp(&b.0)));
        for (id, held) in due {
            self.held -= held.spans.len();
            self.show(&held, &mut out);
            self.remember(id);
        }
        out
    }

    /// One trace's frames, read as a one-line OTLP/JSON request by the file importer.
    fn show(&mut self, held: &Trace, out: &mut Ready) {
        let mut line =
            String::with_capacity(64 + held.spans.iter().map(String::len).sum::<usize>());
        line.push_str(r#"{"resourceSpans":[{"scopeSpans":[{"spans":["#);
        for (i, s) in held.spans.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            line.push_str(s);
        }
        line.push_str("]}]}]}");
        let imported = import_with(&line, None, &mut self.turns);
        out.frames
            .extend(imported.frames.into_iter().map(|f| (f.dir, f.text)));
        out.problems.extend(
            imported
                .problems
                .into_iter()
                .map(|p| without_line(&p.message)),
        );
    }
}

/// How many shown traces are remembered to tell late spans by (a bounded memory).
const SHOWN_KEPT: usize = 100_000;

impl LiveSpans {
    fn remember(&mut self, id: String) {
        if self.shown.insert(id.clone()) {
            self.shown_order.push_back(id);
        }
        if self.shown_order.len() > SHOWN_KEPT {
            if let Some(old) = self.shown_order.pop_front() {
                self.shown.remove(&old);
            }
        }
    }
}

fn empty(now: f64) -> Trace {
    Trace {
        spans: Vec::new(),
        root: false,
        first: now,
        last: now,
        ids: HashSet::new(),
        running: HashSet::new(),
        latest: String::new(),
    }
}

/// An importer's message without the `line 1: ` of the one-line request it read.
fn without_line(message: &str) -> String {
    message
        .strip_prefix("line 1: ")
        .unwrap_or(message)
        .to_string()
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
