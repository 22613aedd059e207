//! The plan data: what a run will send and when. A run plan is a list of steps at
//! scenario-time offsets from the run's start; a job is the runs of one request merged onto
//! absolute scenario time. Plans are plain data, built by `script`/`scenario`, mutated by
//! `fault`, rendered by `dialect` and played by `player`.

use serde_json::{Map, Value};

use super::Scenario;
pub use crate::core::event::Kind;

/// One run event: its kind (the core's: the scripts emit the eight run kinds) and its full
/// native payload (every optional field, minus `seq`,
/// which is per connection and added when sent).
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: Kind,
    pub payload: Map<String, Value>,
}

impl Event {
    pub fn str_field(&self, key: &str) -> Option<&str> {
        self.payload.get(key).and_then(Value::as_str)
    }

    /// `result.status`, if any.
    pub fn result_status(&self) -> Option<&str> {
        self.payload
            .get("result")
            .and_then(|r| r.get("status"))
            .and_then(Value::as_str)
    }

    pub fn agent_name(&self) -> &str {
        self.str_field("agent_name").unwrap_or("")
    }

    pub fn agent_id(&self) -> &str {
        self.str_field("agent_id").unwrap_or("")
    }

    /// The parent's agent name, for a sub-agent's start.
    pub fn parent_name(&self) -> Option<&str> {
        self.str_field("parent_agent_id")
            .map(|p| p.rsplit('/').next().unwrap_or(p))
    }
}

/// What a step does when its time comes.
#[derive(Debug, Clone)]
pub enum Action {
    /// Send a run event.
    Event(Event),
    /// Announce a fault: `system_message` with `data.event = "demo_mark"`.
    Mark(String),
    /// Send this text as-is (the `malformed` fault).
    Raw(String),
    /// Skip one `seq` number (the `seq-gap` fault).
    SkipSeq,
    /// Drop the connection and park the rest of the job until a client is back.
    Disconnect,
}

/// One step at `at` ms (scenario time; from the run's start in a run plan, absolute epoch
/// ms in a job).
#[derive(Debug, Clone)]
pub struct Step {
    pub at: i64,
    pub action: Action,
}

/// Who a run belongs to.
#[derive(Debug, Clone)]
pub struct RunMeta {
    pub run_id: String,
    pub thread_id: String,
    pub user_id: String,
    pub turn: u32,
    /// The scenario that scripted it (`all` never appears here).
    pub scenario: Scenario,
    /// True when the run overlaps other runs (the concurrent group).
    pub overlapping: bool,
    /// The context history length (earlier turns of its thread).
    pub history_len: usize,
}

/// The script of one run, offsets relative to its start.
#[derive(Debug, Clone)]
pub struct RunPlan {
    pub meta: RunMeta,
    /// Offset of the run's start within its job's block (concurrent runs are staggered).
    pub start: i64,
    pub steps: Vec<Step>,
}

impl RunPlan {
    /// The offset of the last step.
    pub fn end(&self) -> i64 {
        self.steps.last().map_or(0, |s| s.at)
    }

    /// Index of the first event matching `pred`.
    pub fn find(&self, pred: impl Fn(&Event) -> bool) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| matches!(&s.action, Action::Event(e) if pred(e)))
    }

    /// Shift every step from `index` on by `by` ms.
    pub fn shift_from(&mut self, index: usize, by: i64) {
        for s in &mut self.steps[index..] {
            s.at += by;
        }
    }

    /// Insert a step before `index`.
    pub fn insert(&mut self, index: usize, at: i64, action: Action) {
        self.steps.insert(index, Step { at, action });
    }

    pub fn event(&self, index: usize) -> Option<&Event> {
        match self.steps.get(index).map(|s| &s.action) {
            Some(Action::Event(e)) => Some(e),
            _ => None,
        }
    }
}

/// The steps of one request on absolute scenario time, in send order.
#[derive(Debug, Clone, Default)]
pub struct Job {
    pub steps: Vec<Step>,
}

impl Job {
    /// Merge blocks of runs: each block's runs start at `block start + run.start`; blocks
    /// follow each other. Steps of overlapping runs interleave by time (stable).
    pub fn assemble(start: i64, blocks: Vec<Vec<RunPlan>>, gap: impl FnMut() -> i64) -> Job {
        let mut gap = gap;
        let mut steps = Vec::new();
        let mut cursor = start;
        for block in blocks {
            let mut end = cursor;
            let mut merged: Vec<Step> = Vec::new();
            for run in block {
                let base = cursor + run.start;
                for s in run.steps {
                    end = end.max(base + s.at);
                    merged.push(Step {
                        at: base + s.at,
                        action: s.action,
                    });
                }
            }
            merged.sort_by_key(|s| s.at);
            steps.extend(merged);
            cursor = end + gap();
        }
        Job { steps }
    }
}
