//! Going back: checkpoints of the session, taken as frames are pushed, and the session at any
//! earlier position rebuilt from the nearest one by decoding and deriving the frames after it
//! again. A checkpoint shares the session's chunks, so keeping hundreds costs little; their
//! spacing doubles as the log grows so that at most `MAX_CHECKPOINTS` are kept.

use super::{Keep, Log};
use crate::core::frame::{decode_event, ContextCache};
use crate::core::intern::Overlay;
use crate::core::session::{FactKind, Pos, Session, FACT_WINDOW};
use crate::core::texts::Stale;

/// The first checkpoint spacing, in frames.
pub(super) const FIRST_SPACING: usize = 1024;
const MAX_CHECKPOINTS: usize = 512;

impl Log {
    /// The session as it was after the first `frames` frames (and the entries before the next
    /// frame). A summary log returns its current session.
    pub fn session_at(&self, frames: usize) -> Result<Session, Stale> {
        if self.keep == Keep::Summary || frames >= self.frames {
            return Ok(self.session.clone());
        }
        let (from, mut session) = match self.checkpoint_before(frames) {
            Some((f, s)) => (*f, s.clone()),
            None => (0, Session::new()),
        };
        // A checkpoint is taken as its last frame is pushed: before the entries that follow.
        let others = self
            .others
            .partition_point(|(before, _)| (*before as usize) < from);
        self.derive(&mut session, from, others, frames)?;
        Ok(session)
    }

    /// Moves `session`, the session after `from` frames, to the one after `to`: by deriving
    /// the frames in between when going forward is no longer than from the nearest checkpoint,
    /// else as [`Log::session_at`].
    pub fn move_session(&self, session: &mut Session, from: usize, to: usize) -> Result<(), Stale> {
        let to = to.min(self.frames);
        let nearest = self.checkpoint_before(to).map_or(0, |(f, _)| *f);
        // The end is the log's own session (finished, when the log is).
        if self.keep == Keep::All && from <= to && to < self.frames && from >= nearest {
            let others = self.others.partition_point(|(b, _)| (*b as usize) <= from);
            return self.derive(session, from, others, to);
        }
        *session = self.session_at(to)?;
        Ok(())
    }

    /// The latest checkpoint at or before `frames` frames.
    fn checkpoint_before(&self, frames: usize) -> Option<&(usize, Session)> {
        let i = self.checkpoints.partition_point(|(f, _)| *f <= frames);
        i.checked_sub(1).map(|i| &self.checkpoints[i])
    }

    /// Applies frames `from..to` to `session`, with the other entries from index `others` on
    /// that come before each frame, and after the last those that come before the next.
    fn derive(
        &self,
        session: &mut Session,
        from: usize,
        others: usize,
        to: usize,
    ) -> Result<(), Stale> {
        let mut run = Rederive {
            log: self,
            names: Overlay::new(&self.interner),
            contexts: ContextCache::default(),
            others,
            next: from,
        };
        run.others_upto(session, from);
        self.each_raw(Pos::new(from), Pos::new(to), |p, text| {
            run.frame(session, p.index(), text)
        })?;
        run.binaries_upto(session, to);
        Ok(())
    }

    pub(super) fn maybe_checkpoint(&mut self) {
        if self.keep == Keep::Turns && self.frames.is_multiple_of(FACT_WINDOW) {
            self.session.forget_history();
        }
        if self.keep != Keep::All || !self.frames.is_multiple_of(self.spacing) {
            return;
        }
        self.checkpoints.push((self.frames, self.session.clone()));
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            self.spacing *= 2;
            let spacing = self.spacing;
            self.checkpoints.retain(|(f, _)| f % spacing == 0);
        }
    }
}

/// One re-derivation in progress.
struct Rederive<'a> {
    log: &'a Log,
    /// Re-deriving interns only names the log's table already holds: no copy of it.
    names: Overlay<'a>,
    contexts: ContextCache,
    /// The next other entry to apply.
    others: usize,
    /// The next frame to apply.
    next: usize,
}

impl Rederive<'_> {
    /// Applies the other entries that come before frame `upto`.
    fn others_upto(&mut self, session: &mut Session, upto: usize) {
        while let Some((before, other)) = self.log.others.get(self.others) {
            if *before as usize > upto {
                break;
            }
            super::apply(other, session);
            self.others += 1;
        }
    }

    /// Applies the frames before `upto` that have no text: binary ones.
    fn binaries_upto(&mut self, session: &mut Session, upto: usize) {
        while self.next < upto {
            let fact = &self.log.session.facts[self.next];
            debug_assert!(matches!(fact.kind, FactKind::Binary));
            session.binary(fact.at.recv(), fact.dir);
            self.next += 1;
            self.others_upto(session, self.next);
        }
    }

    /// Decodes and applies text frame `p`.
    fn frame(&mut self, session: &mut Session, p: usize, text: &str) {
        self.binaries_upto(session, p);
        let fact = &self.log.session.facts[p];
        let decoded = decode_event(text, &mut self.names, &mut self.contexts);
        session.frame(
            fact.at.recv(),
            fact.dir,
            decoded.as_ref().map_err(|m| *m),
            self.log.is_duplicate(Pos::new(p)),
            &mut self.names,
        );
        self.next = p + 1;
        self.others_upto(session, self.next);
    }
}
