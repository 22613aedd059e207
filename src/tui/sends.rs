//! Messages waiting to be sent on a live link: the `--send` flags and the demo's requests, one
//! turn at a time (the next once the runs the previous one started have all completed), and
//! in demo mode again from the start once the last completed. Pure: it reads the session and
//! returns the frame to send.

use crate::core::intern::Interner;
use crate::core::session::Session;
use crate::source::websocket::user_message;

#[derive(Debug, Clone, Default)]
pub struct Sends {
    texts: Vec<String>,
    next: usize,
    /// Start again after the last (the demo).
    pub looping: bool,
    /// Index in `session.messages` of the last message we sent.
    waiting_on: Option<usize>,
}

impl Sends {
    pub fn new(texts: Vec<String>, looping: bool) -> Sends {
        Sends {
            texts,
            next: 0,
            looping,
            waiting_on: None,
        }
    }

    /// Records a message the user composed (the next send waits for it too).
    pub fn sent_now(&mut self, session: &Session) {
        self.waiting_on = Some(session.messages.len());
    }

    /// The frame to send now, if any: connected and the previous turn completed.
    pub fn due(
        &mut self,
        session: &Session,
        interner: &Interner,
        connected: bool,
    ) -> Option<String> {
        if !connected || self.texts.is_empty() {
            return None;
        }
        if !crate::source::capture::turn_done(session, self.waiting_on) {
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

/// The live thread: the first run's thread, if any.
pub fn thread_of(session: &Session, interner: &Interner) -> Option<String> {
    session
        .runs
        .iter()
        .find_map(|r| r.thread)
        .map(|t| interner.resolve(t).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_one_at_a_time_and_loops() {
        let s = Session::new();
        let i = Interner::default();
        let mut q = Sends::new(vec!["a".into()], true);
        assert!(q.due(&s, &i, false).is_none());
        let f = q.due(&s, &i, true).unwrap();
        assert!(f.contains("\"a\""));
        assert!(q.due(&s, &i, true).is_none(), "waits for its runs");
        let mut q = Sends::new(vec![], true);
        assert!(q.due(&s, &i, true).is_none());
    }
}
