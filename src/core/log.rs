//! The append-only log: the single truth. Every frame in and out (with its receive time and
//! decoded event), every link change, marker and note, in arrival order. The session is derived
//! from it incrementally as items are pushed; any earlier position is recovered from the nearest
//! checkpoint (a clone of the session) plus a short re-derivation, so stepping back is fast
//! anywhere. A log made with `Keep::Summary` keeps no items (headless validation of huge files);
//! `Keep::All` keeps decoded events and raw text for the views.

use super::event::Event;
use super::frame::{decode_event, ContextCache, Decoded, Malformed};
use super::intern::{Interner, Overlay};
use super::link::{Dir, LinkState};
use super::session::{Pos, Session, StreamIssue};

/// What a log keeps besides the derived session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Only the derived session (headless validation).
    Summary,
    /// Every item, decoded events and raw text (the TUI, replay, step back).
    All,
}

/// One thing that happened, in arrival order.
#[derive(Debug, Clone)]
pub enum Item {
    Frame {
        recv_s: Option<f64>,
        dir: Dir,
        decoded: Decoded,
        duplicate: bool,
        raw: (usize, usize),
    },
    Binary {
        recv_s: Option<f64>,
        dir: Dir,
        len: usize,
    },
    Link {
        t: Option<f64>,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    },
    Mark {
        t: Option<f64>,
        text: String,
    },
    Note(StreamIssue),
}

/// The first checkpoint spacing, in frames; doubles as the log grows so at most
/// `MAX_CHECKPOINTS` are kept.
const FIRST_SPACING: usize = 4096;
const MAX_CHECKPOINTS: usize = 128;

/// The append-only log and the session derived from it.
#[derive(Debug, Clone)]
pub struct Log {
    pub interner: Interner,
    keep: Keep,
    items: Vec<Item>,
    /// Item index of each frame position.
    frame_items: Vec<u32>,
    raw: String,
    prev_text: String,
    prev_dir: Option<Dir>,
    session: Session,
    contexts: ContextCache,
    /// (items applied, frames applied, session after them).
    checkpoints: Vec<(usize, usize, Session)>,
    spacing: usize,
    frames: usize,
}

impl Log {
    pub fn new(keep: Keep) -> Log {
        Log {
            interner: Interner::default(),
            keep,
            items: Vec::new(),
            frame_items: Vec::new(),
            raw: String::new(),
            prev_text: String::new(),
            prev_dir: None,
            session: Session::new(),
            contexts: ContextCache::default(),
            checkpoints: Vec::new(),
            spacing: FIRST_SPACING,
            frames: 0,
        }
    }

    /// The session derived from everything pushed so far.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Frames pushed so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Every item (empty for `Keep::Summary`).
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// Appends one text frame.
    pub fn push_frame(&mut self, recv_s: Option<f64>, dir: Dir, text: &str) {
        let decoded = decode_event(text, &mut self.interner, &mut self.contexts);
        self.push_decoded(recv_s, dir, text, decoded, None);
    }

    /// Appends one text frame decoded elsewhere (e.g. parsed on a reading thread and interned
    /// with this log's interner).
    /// `duplicate` says whether the text repeats the previous frame's, when the caller knows;
    /// `None` lets the log compare (it keeps a copy of the previous frame for that).
    pub fn push_decoded(
        &mut self,
        recv_s: Option<f64>,
        dir: Dir,
        text: &str,
        decoded: Result<Event, Malformed>,
        duplicate: Option<bool>,
    ) {
        let duplicate = match duplicate {
            Some(d) => {
                self.prev_dir = None;
                d
            }
            None => {
                let d = self.prev_dir == Some(dir) && self.prev_text == text;
                self.prev_text.clear();
                self.prev_text.push_str(text);
                self.prev_dir = Some(dir);
                d
            }
        };
        self.session.frame(
            recv_s,
            dir,
            decoded.as_ref().map_err(|m| *m),
            duplicate,
            &mut self.interner,
        );
        if self.keep == Keep::All {
            let start = self.raw.len();
            self.raw.push_str(text);
            self.frame_items.push(self.items.len() as u32);
            let decoded = match decoded {
                Ok(e) => Decoded::Event(Box::new(e)),
                Err(m) => Decoded::Malformed(m),
            };
            self.items.push(Item::Frame {
                recv_s,
                dir,
                decoded,
                duplicate,
                raw: (start, self.raw.len()),
            });
        }
        self.frames += 1;
        self.maybe_checkpoint();
    }

    /// Appends one binary frame.
    pub fn push_binary(&mut self, recv_s: Option<f64>, dir: Dir, len: usize) {
        self.session.binary(recv_s, dir);
        self.prev_dir = None;
        if self.keep == Keep::All {
            self.frame_items.push(self.items.len() as u32);
            self.items.push(Item::Binary { recv_s, dir, len });
        }
        self.frames += 1;
        self.maybe_checkpoint();
    }

    /// Appends a link change.
    pub fn push_link(
        &mut self,
        t: Option<f64>,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    ) {
        self.session.link(state, size);
        if state != LinkState::Reconnecting {
            self.prev_dir = None;
        }
        if self.keep == Keep::All {
            self.items.push(Item::Link {
                t,
                state,
                reason,
                size,
            });
        }
    }

    /// Appends a marker.
    pub fn push_mark(&mut self, t: Option<f64>, text: String) {
        if self.keep == Keep::All {
            self.items.push(Item::Mark { t, text });
        }
    }

    /// Appends a note about the input.
    pub fn push_note(&mut self, issue: StreamIssue) {
        self.session.note(issue.clone());
        if self.keep == Keep::All {
            self.items.push(Item::Note(issue));
        }
    }

    /// The stream has ended.
    pub fn finish(&mut self) {
        self.session.finish();
    }

    /// The raw text of the frame at `pos` (kept logs only).
    pub fn raw(&self, pos: Pos) -> Option<&str> {
        match self
            .items
            .get(*self.frame_items.get(pos as usize)? as usize)?
        {
            Item::Frame { raw: (a, b), .. } => self.raw.get(*a..*b),
            _ => None,
        }
    }

    /// The decoded event at `pos` (kept logs only).
    pub fn event(&self, pos: Pos) -> Option<&Event> {
        match self
            .items
            .get(*self.frame_items.get(pos as usize)? as usize)?
        {
            Item::Frame {
                decoded: Decoded::Event(e),
                ..
            } => Some(e),
            _ => None,
        }
    }

    /// The item index of the frame at `pos`.
    pub fn item_of(&self, pos: Pos) -> Option<usize> {
        self.frame_items.get(pos as usize).map(|&i| i as usize)
    }

    /// The session as it was after the first `frames` frames (and the items before the next
    /// frame). Only for `Keep::All` logs; a summary log returns its current session.
    pub fn session_at(&self, frames: usize) -> Session {
        if self.keep == Keep::Summary || frames >= self.frames {
            return self.session.clone();
        }
        let (mut item, mut count, mut session) =
            match self.checkpoints.iter().rev().find(|(_, f, _)| *f <= frames) {
                Some((i, f, s)) => (*i, *f, s.clone()),
                None => (0, 0, Session::new()),
            };
        // Re-deriving interns only names the log's table already holds: no copy of it.
        let mut interner = Overlay::new(&self.interner);
        while item < self.items.len() {
            if count == frames
                && matches!(self.items[item], Item::Frame { .. } | Item::Binary { .. })
            {
                break;
            }
            match &self.items[item] {
                Item::Frame {
                    recv_s,
                    dir,
                    decoded,
                    duplicate,
                    ..
                } => {
                    let decoded = match decoded {
                        Decoded::Event(e) => Ok(&**e),
                        Decoded::Malformed(m) => Err(*m),
                    };
                    session.frame(*recv_s, *dir, decoded, *duplicate, &mut interner);
                    count += 1;
                }
                Item::Binary { recv_s, dir, .. } => {
                    session.binary(*recv_s, *dir);
                    count += 1;
                }
                Item::Link { state, size, .. } => session.link(*state, *size),
                Item::Mark { .. } => {}
                Item::Note(issue) => session.note(issue.clone()),
            }
            item += 1;
        }
        session
    }

    fn maybe_checkpoint(&mut self) {
        if self.keep != Keep::All || !self.frames.is_multiple_of(self.spacing) {
            return;
        }
        self.checkpoints
            .push((self.items.len(), self.frames, self.session.clone()));
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            self.spacing *= 2;
            let spacing = self.spacing;
            self.checkpoints.retain(|(_, f, _)| f % spacing == 0);
        }
    }
}
