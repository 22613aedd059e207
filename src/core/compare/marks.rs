//! The bookmarks and notes of each side of a diff, each with the item it is on, named by the
//! keys the alignment uses: its run by position (as runs are paired), then the tool call (by
//! tool and agent name) or else the agent (by name) or else the run (by id) its frame belongs
//! to. A mark reads next to that item's difference, and is listed with its side whatever
//! differs.

use super::{Difference, Kind, Side};
use crate::core::bookmarks::{frame_time_ms, marks, place};
use serde::Serialize;
use std::collections::HashMap;

/// What a mark is on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct On {
    /// `run`, `agent` or `tool_call` (as a difference's `kind`).
    pub kind: &'static str,
    /// The tool's name, the agent's name or the run's id (as a difference's `name`).
    pub name: Option<String>,
    /// The agent of a tool call.
    pub agent: Option<String>,
}

/// One bookmark, note or marker of A or B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideMark {
    /// `a` or `b`.
    pub side: &'static str,
    /// The 0-based frame (`null`: before the first frame).
    pub frame: Option<usize>,
    /// The frame's time since the side's first timed frame.
    pub time_ms: Option<i64>,
    /// `bookmark`, `note` or `marker`.
    pub kind: &'static str,
    pub text: String,
    /// The run's position, 1-based (`null`: no run).
    pub run: Option<usize>,
    pub on: On,
}

/// Every mark of A, then every mark of B, by frame.
pub fn of(a: &Side, b: &Side) -> Vec<SideMark> {
    let mut out = Vec::new();
    for (label, s) in [("a", a), ("b", b)] {
        for m in marks(s.log) {
            let p = m.frame.map(|f| place(s.log, f)).unwrap_or_default();
            let run_id = || {
                let run = s.log.session().runs.get(p.run?)?;
                Some(s.log.interner.resolve(run.id).to_string())
            };
            let on = match (&p.tool, &p.agent) {
                (Some(tool), agent) => On {
                    kind: Kind::ToolCall.as_str(),
                    name: Some(tool.clone()),
                    agent: agent.clone(),
                },
                (None, Some(agent)) => On {
                    kind: Kind::Agent.as_str(),
                    name: Some(agent.clone()),
                    agent: None,
                },
                (None, None) => On {
                    kind: Kind::Run.as_str(),
                    name: run_id(),
                    agent: None,
                },
            };
            out.push(SideMark {
                side: label,
                frame: m.frame,
                time_ms: (m.frame)
                    .and_then(|f| frame_time_ms(s.log.session(), f))
                    .map(|t| t.round() as i64),
                kind: m.kind.word(),
                text: m.text,
                run: p.run.map(|r| r + 1),
                on,
            });
        }
    }
    out
}

/// The marks on each difference's item, found by its keys (one pass over each).
pub fn by_difference<'m>(marks: &'m [SideMark], diffs: &[Difference]) -> Vec<Vec<&'m SideMark>> {
    let mut index: HashMap<(Option<usize>, &On), Vec<&SideMark>> = HashMap::new();
    for m in marks {
        index.entry((m.run, &m.on)).or_default().push(m);
    }
    (diffs.iter())
        .map(|d| {
            let on = On {
                kind: d.kind.as_str(),
                name: Some(d.name.clone()),
                agent: d.agent.clone(),
            };
            index.get(&(Some(d.run), &on)).cloned().unwrap_or_default()
        })
        .collect()
}
