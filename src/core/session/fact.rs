//! The fact kept per frame: what kind of frame it is, its direction and times, and the run,
//! agent and call it belongs to, packed into 32 bytes (a million frames keep a million).

use super::model::{AgentIx, CallIx, RunIx};
use super::time::At;
use crate::core::event::Kind;
use crate::core::frame::Malformed;
use crate::core::link::Dir;

/// What kind of frame a position holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    Event(Kind),
    Malformed(Malformed),
    Binary,
}

/// The compact per-frame facts validators and views read (32 bytes: one is kept per frame).
#[derive(Debug, Clone)]
pub struct Fact {
    pub kind: FactKind,
    pub dir: Dir,
    /// The run, agent and call the frame belongs to; `NO_IX` for none.
    run: u32,
    agent: u32,
    call: u32,
    pub at: At,
}

/// "No index" in a [`Fact`].
const NO_IX: u32 = u32::MAX;

fn ix(v: u32) -> Option<u32> {
    (v != NO_IX).then_some(v)
}

impl Fact {
    pub fn new(kind: FactKind, dir: Dir, at: At) -> Fact {
        Fact {
            kind,
            dir,
            run: NO_IX,
            agent: NO_IX,
            call: NO_IX,
            at,
        }
    }

    /// The run the frame belongs to.
    pub fn run(&self) -> Option<RunIx> {
        ix(self.run).map(RunIx)
    }

    /// The agent the frame is about.
    pub fn agent(&self) -> Option<AgentIx> {
        ix(self.agent).map(AgentIx)
    }

    /// The tool call the frame is part of.
    pub fn call(&self) -> Option<CallIx> {
        ix(self.call).map(CallIx)
    }

    pub fn set_run(&mut self, run: RunIx) {
        self.run = run.0;
    }

    pub fn set_agent(&mut self, agent: AgentIx) {
        self.agent = agent.0;
    }

    pub fn set_call(&mut self, call: CallIx) {
        self.call = call.0;
    }
}
