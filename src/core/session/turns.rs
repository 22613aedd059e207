//! Turns and context hashes (model.md §4): the three turn signals merged into one turn per
//! request, message ownership of runs, each turn's context hash, the hashes its agents received,
//! and the history verdict.

use super::model::*;
use super::Session;
use crate::core::event::{Event, Reported};
use crate::core::hash::{format_digest, Digest};
use crate::core::intern::Sym;
use crate::core::link::Dir;

/// How a turn's history relates to the previous turn's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    First,
    Appended,
    Rewritten,
    Truncated,
    Unknown,
}

impl History {
    pub fn as_str(self) -> &'static str {
        match self {
            History::First => "first",
            History::Appended => "appended",
            History::Rewritten => "rewritten",
            History::Truncated => "truncated",
            History::Unknown => "unknown",
        }
    }
}

/// A hash as orchscope shows it: recomputed, or the producer's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashValue {
    Digest(Digest),
    /// A reported value that is not a SHA-256 (shown as written).
    Other(Box<str>),
}

impl HashValue {
    pub fn text(&self) -> String {
        match self {
            HashValue::Digest(d) => format_digest(d),
            HashValue::Other(s) => s.to_string(),
        }
    }

    fn from_reported(r: &Reported) -> HashValue {
        match r {
            Reported::Digest(d) => HashValue::Digest(*d),
            Reported::Other(s) => HashValue::Other(s.clone()),
        }
    }
}

impl Session {
    /// A user message (sent or seen) on `ev`'s thread.
    pub(crate) fn message(&mut self, pos: Pos, ev: &Event, dir: Dir, at: Times) {
        let m = MsgIx::new(self.messages.len());
        self.messages.push(Message {
            pos,
            thread: ev.thread_id,
            at,
            dir,
            runs: Vec::new(),
        });
        self.last_message = Some(m);
        if let Some(thread) = ev.thread_id {
            match self.current_turn.get(thread) {
                Some(t)
                    if self.turns[t as usize].message.is_none()
                        && self.turns[t as usize].runs.is_empty() =>
                {
                    self.turns[t as usize].message = Some(m);
                }
                _ => {
                    self.open_turn((Some(thread), None), pos, None, Some(m));
                }
            }
        }
    }

    /// Opens a turn of a thread; frames without a thread keep one line of turns per user
    /// (`key`: the thread, else the user), so two users' runs never merge into one turn.
    fn open_turn(
        &mut self,
        key: (Option<Sym>, Option<Sym>),
        pos: Pos,
        turn_value: Option<u32>,
        message: Option<MsgIx>,
    ) -> TurnIx {
        let thread = key.0;
        let prev = self.turn_of(key);
        let index = prev.map_or(1, |p| self.turns[p].index + 1);
        let t = TurnIx::new(self.turns.len());
        self.turns.push(Turn {
            thread,
            index,
            opened_pos: pos,
            turn_value,
            message,
            runs: Vec::new(),
            agents: Vec::new(),
            prev,
        });
        match key {
            (Some(th), _) => self.current_turn.insert(th, t.0),
            (None, Some(user)) => self.current_turn_of_user.insert(user, t.0),
            (None, None) => self.current_turn_unthreaded = Some(t),
        }
        t
    }

    /// The current turn of a thread (else of a user's frames without one, else of frames with
    /// neither).
    fn turn_of(&self, key: (Option<Sym>, Option<Sym>)) -> Option<TurnIx> {
        match key {
            (Some(th), _) => self.current_turn.get(th).map(TurnIx),
            (None, Some(user)) => self.current_turn_of_user.get(user).map(TurnIx),
            (None, None) => self.current_turn_unthreaded,
        }
    }

    /// The root agent of `run` started: message ownership, and the turn the run belongs to.
    pub(crate) fn root_started(&mut self, run: RunIx, pos: Pos, ev: &Event) {
        let thread = self.runs[run].thread.or(ev.thread_id);
        let user = self.runs[run].user.or(ev.user_id);
        if let Some(m) = self.last_message {
            let msg = &mut self.messages[m];
            // A run whose thread is not known at its start (Netra era B's data envelope names
            // none) may be the message's.
            if msg.thread.is_none() || thread.is_none() || msg.thread == thread {
                msg.runs.push(run);
                self.runs[run].message = Some(m);
            }
        }
        let message = self.runs[run].message;
        // A run of no known thread that a message owns is on the message's thread.
        let thread = thread.or_else(|| message.and_then(|m| self.messages[m].thread));
        let key = (thread, user);
        let join = self.turn_of(key).filter(|&t| {
            let turn = &self.turns[t];
            let other_value = matches!((turn.turn_value, ev.turn), (Some(a), Some(b)) if a != b);
            let same_value = matches!((turn.turn_value, ev.turn), (Some(a), Some(b)) if a == b);
            let newer_message =
                message.is_some() && turn.message != message && !turn.runs.is_empty();
            let active = turn.runs.iter().any(|&r| !self.runs[r].closed);
            !other_value && !newer_message && (turn.runs.is_empty() || same_value || active)
        });
        let t = match join {
            Some(t) => t,
            None => self.open_turn(key, pos, ev.turn, message),
        };
        let turn = &mut self.turns[t];
        turn.runs.push(run);
        turn.turn_value = turn.turn_value.or(ev.turn);
        turn.message = turn.message.or(message);
        self.runs[run].turn = Some(t);
    }

    /// The turn's root agent: the root of its first run.
    pub fn turn_root(&self, turn: TurnIx) -> Option<AgentIx> {
        let t = &self.turns[turn];
        t.runs.first().and_then(|&r| self.runs[r].root)
    }

    /// The hash an agent received: recomputed where the context was sent, else the reported one.
    pub fn agent_hash(&self, agent: AgentIx) -> Option<HashValue> {
        let a = &self.agents[agent];
        if let Some(d) = a.context.as_ref().and_then(|c| c.digest) {
            return Some(HashValue::Digest(d));
        }
        a.reported_hash.as_deref().map(HashValue::from_reported)
    }

    /// The producer's reported hash for an agent, normalised.
    pub fn reported_hash(&self, agent: AgentIx) -> Option<HashValue> {
        self.agents[agent]
            .reported_hash
            .as_deref()
            .map(HashValue::from_reported)
    }

    /// The turn's context hash (from its root agent).
    pub fn turn_hash(&self, turn: TurnIx) -> Option<HashValue> {
        self.turn_root(turn).and_then(|a| self.agent_hash(a))
    }

    /// The producer's `prev_context_hash` on the turn's root.
    pub fn turn_prev_hash(&self, turn: TurnIx) -> Option<HashValue> {
        let root = self.turn_root(turn)?;
        self.agents[root]
            .prev_hash
            .as_deref()
            .map(HashValue::from_reported)
    }

    /// The history verdict of a turn against the previous turn of its thread.
    pub fn history(&self, turn: TurnIx) -> History {
        let ctx = |t: TurnIx| {
            self.turn_root(t)
                .and_then(|a| self.agents[a].context.as_deref())
        };
        let Some(now) = ctx(turn) else {
            return History::Unknown;
        };
        let Some(prev) = self.turns[turn].prev else {
            return History::First;
        };
        let Some(before) = ctx(prev) else {
            return History::Unknown;
        };
        match (&now.history, &before.history) {
            (Some(new), Some(old)) => {
                if new.len() < old.len() {
                    History::Truncated
                } else if new[..old.len()] == old[..] {
                    History::Appended
                } else {
                    History::Rewritten
                }
            }
            _ => History::Unknown,
        }
    }
}
