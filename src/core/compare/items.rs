//! Runs, agents and tool calls: the runs of A and B paired by position (one only one side has
//! is added or missing as a whole), and within a pair the agents, keyed by name, and the tool
//! calls, keyed by tool and agent name, aligned by longest common subsequence; each aligned
//! pair compared in status and duration, each unaligned item added or missing.

use super::alignment::{Aligned, Pick};
use super::{Change, Comparison, Difference, Item, Kind, Side, Thresholds};
use crate::core::align::{align, Step};
use crate::core::intern::{Interner, Sym};
use crate::core::session::{AgentIx, CallIx, Run, Session};
use crate::core::summary::{agent_duration_ms, run_duration, run_status};
use rustc_hash::FxHashMap;

/// One session as read here.
struct View<'a> {
    s: &'a Session,
    i: &'a Interner,
}

impl<'a> View<'a> {
    fn text(&self, sym: Option<Sym>) -> Option<&'a str> {
        sym.map(|x| self.i.resolve(x))
    }

    fn agent_name(&self, ix: AgentIx) -> &'a str {
        let ag = &self.s.agents[ix];
        self.i.resolve(ag.name.unwrap_or(ag.id))
    }

    fn call_agent(&self, ix: CallIx) -> &'a str {
        self.s.calls[ix].agent.map_or("", |a| self.agent_name(a))
    }

    fn call_tool(&self, ix: CallIx) -> &'a str {
        self.text(self.s.calls[ix].tool).unwrap_or("")
    }
}

/// Keys equal across both sessions for equal texts.
#[derive(Default)]
struct Keys<'a> {
    ids: FxHashMap<(&'a str, &'a str), u32>,
}

impl<'a> Keys<'a> {
    fn key(&mut self, k: (&'a str, &'a str)) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(k).or_insert(next)
    }
}

/// What an item's comparison reads, before anything is written out.
#[derive(Clone, Copy)]
struct Probe {
    status: &'static str,
    ms: Option<f64>,
}

/// What every difference of one run pair shares.
struct Where {
    run: usize,
    run_ids: (Option<String>, Option<String>),
}

pub(super) fn runs(a: &Side, b: &Side, out: &mut Comparison) {
    let va = View {
        s: a.log.session(),
        i: &a.log.interner,
    };
    let vb = View {
        s: b.log.session(),
        i: &b.log.interner,
    };
    let mut keys = Keys::default();
    for r in 0..va.s.runs.len().max(vb.s.runs.len()) {
        let (x, y) = (va.s.runs.get(r), vb.s.runs.get(r));
        let at = Where {
            run: r + 1,
            run_ids: (
                x.map(|x| va.i.resolve(x.id).to_string()),
                y.map(|y| vb.i.resolve(y.id).to_string()),
            ),
        };
        let probe = |v: &View, run: &Run| Probe {
            status: run_status(v.s, run).as_str(),
            ms: run_duration(v.s, run),
        };
        let sides = (x.map(|x| probe(&va, x)), y.map(|y| probe(&vb, y)));
        // A run both have: its status is its root agent's, compared there.
        let v = verdict(out.thresholds, sides, x.is_none() || y.is_none());
        let ix = (x.map(|_| r), y.map(|_| r));
        keep(out, (Kind::Run, r), ix, sides, v, || (None, None));
        if let Some(v) = v {
            let name = at.run_ids.0.clone().or(at.run_ids.1.clone());
            let ids = at.run_ids.clone();
            record(
                out,
                &at,
                Kind::Run,
                (name.unwrap_or_default(), None),
                sides,
                ids,
                v,
            );
        }
        if let (Some(x), Some(y)) = (x, y) {
            agents(out, &at, (&va, x), (&vb, y), &mut keys);
            calls(out, &at, (&va, x), (&vb, y), &mut keys);
        }
    }
}

fn agents<'a>(
    out: &mut Comparison,
    at: &Where,
    a: (&View<'a>, &Run),
    b: (&View<'a>, &Run),
    keys: &mut Keys<'a>,
) {
    let ka: Vec<u32> =
        a.1.agents
            .iter()
            .map(|&g| keys.key((a.0.agent_name(g), "")))
            .collect();
    let kb: Vec<u32> =
        b.1.agents
            .iter()
            .map(|&g| keys.key((b.0.agent_name(g), "")))
            .collect();
    let probe = |v: &View, g: AgentIx| Probe {
        status: v.s.agents[g].status.as_str(),
        ms: agent_duration_ms(v.s, g),
    };
    let id = |v: &View, g: AgentIx| Some(v.i.resolve(v.s.agents[g].id).to_string());
    for step in align(&ka, &kb) {
        let (ga, gb) = sides(step, &a.1.agents, &b.1.agents);
        let sides = (ga.map(|g| probe(a.0, g)), gb.map(|g| probe(b.0, g)));
        let v = verdict(out.thresholds, sides, true);
        let ix = (ga.map(|g| g.index()), gb.map(|g| g.index()));
        let ids = || (ga.and_then(|g| id(a.0, g)), gb.and_then(|g| id(b.0, g)));
        keep(out, (Kind::Agent, at.run - 1), ix, sides, v, ids);
        let Some(v) = v else {
            continue;
        };
        let name = match (ga, gb) {
            (Some(g), _) => a.0.agent_name(g),
            (None, Some(g)) => b.0.agent_name(g),
            (None, None) => continue,
        };
        let ids = (ga.and_then(|g| id(a.0, g)), gb.and_then(|g| id(b.0, g)));
        record(
            out,
            at,
            Kind::Agent,
            (name.to_string(), None),
            sides,
            ids,
            v,
        );
    }
}

fn calls<'a>(
    out: &mut Comparison,
    at: &Where,
    a: (&View<'a>, &Run),
    b: (&View<'a>, &Run),
    keys: &mut Keys<'a>,
) {
    let key =
        |v: &View<'a>, c: CallIx, keys: &mut Keys<'a>| keys.key((v.call_tool(c), v.call_agent(c)));
    let ka: Vec<u32> = a.1.calls.iter().map(|&c| key(a.0, c, keys)).collect();
    let kb: Vec<u32> = b.1.calls.iter().map(|&c| key(b.0, c, keys)).collect();
    let probe = |v: &View, run: &Run, c: CallIx| {
        let call = &v.s.calls[c];
        Probe {
            status: call.status.as_str(),
            ms: call.latency_ms(run.clock()),
        }
    };
    let id = |v: &View, c: CallIx| v.text(v.s.calls[c].call_id).map(str::to_string);
    for step in align(&ka, &kb) {
        let (ca, cb) = sides(step, &a.1.calls, &b.1.calls);
        let (v, c) = match (ca, cb) {
            (Some(c), _) => (a.0, c),
            (None, Some(c)) => (b.0, c),
            (None, None) => continue,
        };
        let sides = (
            ca.map(|c| probe(a.0, a.1, c)),
            cb.map(|c| probe(b.0, b.1, c)),
        );
        let verdict = verdict(out.thresholds, sides, true);
        let ix = (ca.map(|c| c.index()), cb.map(|c| c.index()));
        let ids = || (ca.and_then(|c| id(a.0, c)), cb.and_then(|c| id(b.0, c)));
        keep(out, (Kind::ToolCall, at.run - 1), ix, sides, verdict, ids);
        let Some(verdict) = verdict else {
            continue;
        };
        let name = (
            v.call_tool(c).to_string(),
            Some(v.call_agent(c).to_string()),
        );
        let ids = (ca.and_then(|c| id(a.0, c)), cb.and_then(|c| id(b.0, c)));
        record(out, at, Kind::ToolCall, name, sides, ids, verdict);
    }
}

/// The items a step pairs, from each side's list.
fn sides<T: Copy>(step: Step, a: &[T], b: &[T]) -> (Option<T>, Option<T>) {
    match step {
        Step::Both(i, j) => (Some(a[i]), Some(b[j])),
        Step::OnlyA(i) => (Some(a[i]), None),
        Step::OnlyB(j) => (None, Some(b[j])),
    }
}

/// Whether a status is a success: an agent completed, a call ok.
fn ok(status: &str) -> bool {
    matches!(status, "completed" | "ok")
}

/// How an item differs, if it does, and whether that is a regression: `statuses` says
/// whether to compare them.
fn verdict(
    th: Thresholds,
    sides: (Option<Probe>, Option<Probe>),
    statuses: bool,
) -> Option<(Change, bool)> {
    Some(match sides {
        (Some(x), Some(y)) if statuses && x.status != y.status => {
            (Change::Status, ok(x.status) && !ok(y.status))
        }
        (Some(x), Some(y)) => match th.judge(x.ms?, y.ms?)? {
            true => (Change::Slower, true),
            false => (Change::Faster, false),
        },
        (Some(x), None) => (Change::Missing, ok(x.status)),
        (None, Some(y)) => (Change::Added, !ok(y.status)),
        (None, None) => return None,
    })
}

/// Keeps a row of the whole alignment, when it is asked for (`compare_aligned`); `ids` gives
/// each side's id, read only then: both present and different, the row was paired by name.
fn keep(
    out: &mut Comparison,
    (kind, run): (Kind, usize),
    ix: (Option<usize>, Option<usize>),
    sides: (Option<Probe>, Option<Probe>),
    v: Option<(Change, bool)>,
    ids: impl FnOnce() -> (Option<String>, Option<String>),
) {
    let Some(rows) = out.rows.as_mut() else {
        return;
    };
    let by_name = ix.0.is_some() && ix.1.is_some() && {
        let (x, y) = ids();
        x != y
    };
    let pick = |ix: Option<usize>, p: Option<Probe>| {
        Some(Pick {
            ix: ix?,
            status: p?.status,
            ms: p?.ms,
        })
    };
    rows.push(Aligned {
        kind,
        run,
        a: pick(ix.0, sides.0),
        b: pick(ix.1, sides.1),
        change: v.map(|v| v.0),
        regression: v.is_some_and(|v| v.1),
        by_name,
    });
}

/// Writes a difference out.
fn record(
    out: &mut Comparison,
    at: &Where,
    kind: Kind,
    (name, agent): (String, Option<String>),
    sides: (Option<Probe>, Option<Probe>),
    ids: (Option<String>, Option<String>),
    (change, regression): (Change, bool),
) {
    let item = |p: Option<Probe>, id: Option<String>| {
        p.map(|p| Item {
            id,
            status: p.status,
            ms: p.ms,
        })
    };
    out.push(Difference {
        kind,
        change,
        run: at.run,
        run_ids: at.run_ids.clone(),
        name,
        agent,
        a: item(sides.0, ids.0),
        b: item(sides.1, ids.1),
        regression,
    });
}
