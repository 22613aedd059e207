//! Turn pacing, shared by every front end that sends (`record --send`, `validate ws:// --send`,
//! `connect --send`, the demo, the inspector's composer): messages wait their turn, the next
//! once every run the previous one started has completed, each on the conversation's thread,
//! and in demo mode again from the start once the last completed. Pure: it reads the session
//! and returns the frame to send.

use crate::core::intern::Interner;
use crate::core::link::Dir;
use crate::core::session::Session;
use crate::source::websocket::user_message;

/// Messages waiting to be sent, one turn at a time.
#[derive(Debug, Clone, Default)]
pub struct Pacing {
    texts: Vec<String>,
    next: usize,
    /// Start again after the last (the demo).
    pub looping: bool,
    /// Index in `session.messages` of the last message we sent.
    waiting_on: Option<usize>,
}

impl Pacing {
    pub fn new(texts: Vec<String>, looping: bool) -> Pacing {
        Pacing {
            texts,
            next: 0,
            looping,
            waiting_on: None,
        }
    }

    /// Records a message sent outside the queue (the composer): the next send waits for it too.
    pub fn sent_now(&mut self, session: &Session) {
        self.waiting_on = Some(session.messages.len());
    }

    /// Whether the last message sent has had its turn (every run it started completed).
    pub fn turn_done(&self, session: &Session) -> bool {
        turn_done(session, self.waiting_on)
    }

    /// Nothing is left to send (never, when looping).
    pub fn is_empty(&self) -> bool {
        !self.looping && self.next >= self.texts.len()
    }

    /// The frame to send now, if any: the link can take it and the previous turn completed.
    pub fn due(&mut self, session: &Session, interner: &Interner, ready: bool) -> Option<String> {
        if !ready || self.texts.is_empty() || !self.turn_done(session) {
            return None;
        }
        if self.next >= self.texts.len() {
            if !self.looping {
                return None;
            }
            self.next = 0;
        }
        let text = &self.texts[self.next];
        self.next += 1;
        let thread = thread_of(session, interner);
        self.waiting_on = Some(session.messages.len());
        Some(user_message(text, thread.as_deref()))
    }
}

/// Whether the turn of message `waiting_on` (an index into `session.messages`) has completed:
/// it started runs and every one has closed (no message sent yet counts as done).
fn turn_done(session: &Session, waiting_on: Option<usize>) -> bool {
    match waiting_on {
        None => true,
        Some(i) => session
            .messages
            .get(i)
            .is_some_and(|m| !m.runs.is_empty() && m.runs.iter().all(|&r| session.runs[r].closed)),
    }
}

/// The conversation's thread, for the next message: the one the server gave the first run a
/// message we sent started. Runs nobody here asked for (another client's, a run already going
/// when we connected) never decide it.
pub fn thread_of(session: &Session, interner: &Interner) -> Option<String> {
    session
        .messages
        .iter()
        .filter(|m| m.dir == Dir::Out)
        .flat_map(|m| m.runs.iter())
        .find_map(|&r| session.runs[r].thread)
        .map(|t| interner.resolve(t).to_string())
}

#[cfg(test)]
#[path = "pacing_tests.rs"]
mod tests;
