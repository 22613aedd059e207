//! The ids of a session's runs, agents, tool calls, turns and messages: each is a position in
//! its own table of the session and its own type, so an agent's id cannot index the runs and
//! a run's cannot be taken for a frame position. (`Ix`, not `Id`: `run_id` and `agent_id`
//! are the producer's names, kept as symbols.) A frame's position in the log is its own type
//! too, `Pos`.

use super::model::{Agent, Message, Run, ToolCall, Turn};
use crate::core::chunks::ChunkVec;
use std::fmt;
use std::ops::{Index, IndexMut};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $item:ty;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The id of the `i`-th entry of its table (tables hold fewer than 2³² entries:
            /// frame positions, which outnumber them, are `u32` too).
            pub fn new(i: usize) -> $name {
                $name(i as u32)
            }

            /// Its position in its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl Index<$name> for ChunkVec<$item> {
            type Output = $item;
            fn index(&self, id: $name) -> &$item {
                &self[id.index()]
            }
        }

        impl IndexMut<$name> for ChunkVec<$item> {
            fn index_mut(&mut self, id: $name) -> &mut $item {
                &mut self[id.index()]
            }
        }
    )*};
}

/// A 0-based frame position in the log (serialized as its plain number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Pos(pub u32);

impl Pos {
    /// The position of the `i`-th frame (logs hold fewer than 2³² frames).
    pub fn new(i: usize) -> Pos {
        Pos(i as u32)
    }

    /// Its 0-based index in the log.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The frame after it.
    pub fn next(self) -> Pos {
        Pos(self.0 + 1)
    }

    /// The frame before it, if any.
    pub fn prev(self) -> Option<Pos> {
        self.0.checked_sub(1).map(Pos)
    }

    /// The positions from `self` up to, not including, `to`.
    pub fn upto(self, to: Pos) -> impl DoubleEndedIterator<Item = Pos> + ExactSizeIterator {
        (self.0..to.0).map(Pos)
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

ids! {
    /// A run: an index into `Session::runs`.
    RunIx => Run;
    /// An agent instance: an index into `Session::agents`.
    AgentIx => Agent;
    /// A tool call: an index into `Session::calls`.
    CallIx => ToolCall;
    /// A turn: an index into `Session::turns`.
    TurnIx => Turn;
    /// A user message: an index into `Session::messages`.
    MsgIx => Message;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_position_in_its_own_table() {
        let a = AgentIx::new(3);
        assert_eq!(a.index(), 3);
        assert_eq!(a, AgentIx(3));
        assert_eq!(a.to_string(), "3");
        assert!(RunIx::new(1) < RunIx::new(2));
    }

    #[test]
    fn a_frame_position_prints_and_serializes_as_its_number() {
        let p = Pos::new(7);
        assert_eq!(p.index(), 7);
        assert_eq!(p.next(), Pos(8));
        assert_eq!(p.prev(), Some(Pos(6)));
        assert_eq!(Pos(0).prev(), None);
        assert_eq!(p.to_string(), "7");
        assert_eq!(serde_json::to_string(&vec![p, Pos(0)]).unwrap(), "[7,0]");
        assert_eq!(Pos(2).upto(Pos(4)).collect::<Vec<_>>(), [Pos(2), Pos(3)]);
    }
}
