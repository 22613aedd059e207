//! A transcript session's lanes (its own file, side chains, sub-agents' files) merged into one
//! stream by timestamp, with two gates so the order never contradicts the structure: a
//! sub-agent's lane opens when its `Agent`/`Task` call has been read, and that call's result
//! waits until a foreground sub-agent's lane is exhausted. Within a lane the file's order is
//! kept. The session's own lane may be fed a record at a time while its file is still being
//! parsed: a record of any lane is taken only while that lane holds its next record (or has
//! ended), so the order is the very one the whole file gives.

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use super::super::peek::Rec;
use super::super::{s, Imported};
use super::transcript::{blocks, tool_result_ids};
use super::State;
use crate::core::timestamp;

/// One file's records (or a side chain's), read in order once the lane is open.
pub(super) struct Lane {
    pub name: Option<String>,
    /// The call that spawned it (`None`: the session's own transcript).
    pub tool: Option<String>,
    /// The records not taken yet, each with its timestamp (epoch ms; none sorts first).
    records: VecDeque<(usize, Rec, f64)>,
    pub open: bool,
}

impl Lane {
    pub fn new(name: Option<String>, tool: Option<String>, records: Vec<(usize, Rec)>) -> Lane {
        let open = tool.is_none();
        let mut lane = Lane {
            name,
            tool,
            records: VecDeque::with_capacity(records.len()),
            open,
        };
        for (line, rec) in records {
            lane.push(line, rec);
        }
        lane
    }

    fn push(&mut self, line: usize, rec: Rec) {
        let ts = rec
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(timestamp::parse_str)
            .unwrap_or(f64::NEG_INFINITY);
        self.records.push_back((line, rec, ts));
    }

    fn done(&self) -> bool {
        self.records.is_empty()
    }

    pub fn records(&self) -> impl Iterator<Item = &(usize, Rec, f64)> {
        self.records.iter()
    }
}

/// The lanes being merged into the session's state.
pub(super) struct Merge {
    st: State,
    lanes: Vec<Lane>,
    by_tool: HashMap<String, usize>,
    /// The session file's last line taken.
    last_line: usize,
}

impl Merge {
    /// `lanes[0]` is the session's own.
    pub fn new(st: State, lanes: Vec<Lane>) -> Merge {
        let by_tool = (lanes.iter().enumerate())
            .filter_map(|(k, l)| Some((l.tool.clone()?, k)))
            .collect();
        Merge {
            st,
            lanes,
            by_tool,
            last_line: 0,
        }
    }

    /// The session file's next record, and every record of any lane that comes before the one
    /// after it; the records taken go to `spent`.
    pub fn push(&mut self, line: usize, rec: Rec, spent: &mut Vec<Rec>) {
        self.lanes[0].push(line, rec);
        while !self.lanes[0].done() {
            let Some(k) = pick(&self.lanes, &self.by_tool) else {
                return;
            };
            spent.extend(self.take(k));
        }
    }

    /// The session file has ended: the other lanes are read out, and the session closed.
    pub fn finish(mut self, cut: bool) -> Imported {
        while let Some(k) = pick(&self.lanes, &self.by_tool) {
            self.take(k);
        }
        self.st.finish_transcript(self.last_line, cut)
    }

    /// The merge given up: its collector, with whatever it handed on.
    pub fn into_out(self) -> super::super::Out {
        self.st.out
    }

    /// Lane `k`'s next record into the session; the record, done with.
    fn take(&mut self, k: usize) -> Option<Rec> {
        let lane = &mut self.lanes[k];
        lane.open = true;
        let (line, rec, _) = lane.records.pop_front()?;
        let (name, tool) = (lane.name.clone(), lane.tool.clone());
        // A call that spawns a sub-agent opens its lane.
        let spawns: Vec<String> = tool_use_ids(&rec).map(str::to_string).collect();
        self.st.out.set_file(name);
        self.st.record(line, &rec, tool.as_deref());
        self.st.out.set_file(None);
        if tool.is_none() {
            self.last_line = line;
        }
        for id in spawns {
            if let Some(&k) = self.by_tool.get(&id) {
                self.lanes[k].open = true;
            }
        }
        // A record read is not looked at again: its memory goes to the frames made next.
        Some(rec)
    }
}

/// The lane whose next record comes first: the earliest timestamp among open lanes whose next
/// record is not a result waiting for a sub-agent still writing; when every lane waits, the
/// earliest anyway (a session cut off or out of order must still be read whole).
fn pick(lanes: &[Lane], by_tool: &HashMap<String, usize>) -> Option<usize> {
    let waiting = |rec: &Value| {
        tool_result_ids(rec).any(|id| by_tool.get(id).is_some_and(|&k| !lanes[k].done()))
            && rec.get("toolUseResult").and_then(|r| r.get("isAsync")) != Some(&Value::Bool(true))
    };
    let best = |ready: bool| {
        lanes
            .iter()
            .enumerate()
            .filter_map(|(k, l)| Some((k, l, l.records.front()?)))
            .filter(|(_, l, _)| l.open || !ready)
            .filter(|(_, _, next)| !ready || !waiting(&next.1))
            .min_by(|a, b| a.2 .2.total_cmp(&b.2 .2))
            .map(|(k, _, _)| k)
    };
    best(true).or_else(|| best(false))
}

/// The `tool_use` ids of an assistant line.
fn tool_use_ids(rec: &Value) -> impl Iterator<Item = &str> {
    blocks(rec).filter_map(|b| (s(b, &["type"]) == Some("tool_use")).then(|| s(b, &["id"]))?)
}
