//! The append-only log: the single truth. Every frame in and out (its text, kept in memory or
//! as a byte range of the file it was read from), every link change, marker and note, in
//! arrival order. The session is derived from it incrementally as entries are pushed. Nothing
//! decoded is kept per frame: an earlier position is recovered from the nearest checkpoint (a
//! clone of the session, sharing its chunks) by decoding and deriving the frames after it again
//! (see `log/rederive.rs`). A log made with `Keep::Summary` keeps no entries (headless
//! validation of huge files).

use super::entry::{Decode, Frame};
use super::frame::{decode_event, ContextCache};
use super::intern::{Interner, Overlay};
use super::link::{Dir, LinkState};
use super::session::{FactKind, Pos, Session, StreamIssue};
use super::texts::{Stale, TextRef, Texts};
use std::borrow::Cow;

mod rederive;

/// What a log keeps besides the derived session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Only the derived session (headless validation).
    Summary,
    /// Only what decides turns and idleness (headless recording): the session forgets per-frame
    /// facts, stream issues and anomalies as frames come, so memory does not grow with them.
    Turns,
    /// Every entry and every frame's text (the TUI, replay, step back).
    All,
}

pub use super::entry::{Entry, Other};

/// What a link change, marker, note or segment changes in the session.
pub(crate) fn apply(other: &Other, session: &mut Session) {
    match other {
        Other::Link { state, size, .. } => session.link(*state, *size),
        Other::Mark { .. } | Other::Anchored { .. } => {}
        Other::Note(issue) => session.note(issue.clone()),
        Other::Segment => session.segment(),
    }
}

/// One entry the log holds, in arrival order.
#[derive(Debug, Clone, Copy)]
pub enum Logged<'a> {
    /// The frame at a position (its time and direction are in the session's facts).
    Frame(Pos),
    Other(&'a Other),
}

/// The append-only log and the session derived from it.
#[derive(Debug, Clone)]
pub struct Log {
    pub interner: Interner,
    keep: Keep,
    /// Where each frame's text is (kept logs).
    texts: Vec<TextRef>,
    store: Texts,
    /// Positions of frames that repeat the previous one, ascending (kept logs).
    duplicates: Vec<Pos>,
    /// Positions and bytes of binary frames, ascending (kept logs).
    binaries: Vec<(Pos, Box<[u8]>)>,
    /// Everything else, each with the number of frames pushed before it.
    others: Vec<(u32, Other)>,
    prev_text: String,
    prev_dir: Option<Dir>,
    session: Session,
    contexts: ContextCache,
    /// (frames applied, session after them).
    checkpoints: Vec<(usize, Session)>,
    spacing: usize,
    frames: usize,
    /// Entries pushed so far, of every kind.
    generation: u64,
}

impl Log {
    pub fn new(keep: Keep) -> Log {
        Log {
            interner: Interner::default(),
            keep,
            texts: Vec::new(),
            store: Texts::default(),
            duplicates: Vec::new(),
            binaries: Vec::new(),
            others: Vec::new(),
            prev_text: String::new(),
            prev_dir: None,
            session: Session::new(),
            contexts: ContextCache::default(),
            checkpoints: Vec::new(),
            spacing: rederive::FIRST_SPACING,
            frames: 0,
            generation: 0,
        }
    }

    /// Frames pushed from now on with an offset keep their text in `file` (the file being
    /// read), not in memory.
    pub fn back_with(&mut self, file: std::fs::File) {
        if self.keep == Keep::All {
            self.store.back_with(file);
        }
    }

    /// Everything pushed so far dropped (an import that had to start over): the log is as new,
    /// keeping what it kept before; a backing file is let go (an import's frames keep their
    /// text in memory).
    pub fn restart(&mut self) {
        *self = Log::new(self.keep);
    }

    /// The session derived from everything pushed so far.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Frames pushed so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Every entry in arrival order (none for `Keep::Summary`).
    pub fn entries(&self) -> impl Iterator<Item = Logged<'_>> + '_ {
        let frames = if self.keep == Keep::All {
            self.frames
        } else {
            0
        };
        let mut others = self.others.iter().peekable();
        let mut pos = 0usize;
        std::iter::from_fn(move || {
            if let Some((_, o)) = others.next_if(|(before, _)| *before as usize <= pos) {
                return Some(Logged::Other(o));
            }
            if pos < frames {
                pos += 1;
                return Some(Logged::Frame(Pos::new(pos - 1)));
            }
            others.next().map(|(_, o)| Logged::Other(o))
        })
    }

    /// Markers, as (frames before it, text).
    pub fn marks(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.others.iter().filter_map(|(before, o)| match o {
            Other::Mark { text, .. } => Some((*before as usize, text.as_str())),
            _ => None,
        })
    }

    /// Everything but frames, as (frames before it, the entry), in arrival order.
    pub fn others(&self) -> impl Iterator<Item = (usize, &Other)> + '_ {
        self.others.iter().map(|(before, o)| (*before as usize, o))
    }

    /// Link changes, as (frames before it, the change).
    pub fn links(&self) -> impl Iterator<Item = (usize, &Other)> + '_ {
        self.others
            .iter()
            .filter(|(_, o)| matches!(o, Other::Link { .. }))
            .map(|(before, o)| (*before as usize, o))
    }

    /// Appends one entry. Every per-entry rule is here, whoever the source: a text frame
    /// repeating the previous frame (same direction, same text, nothing between them that
    /// breaks the sequence) is a duplicate; a text frame that is not UTF-8 is also reported;
    /// every entry, of any kind, moves the generation on.
    pub fn push(&mut self, entry: Entry<'_>) {
        self.generation += 1;
        match entry {
            Entry::Frame(frame) => self.push_text(frame),
            Entry::Bytes {
                t,
                dir,
                bytes,
                invalid_utf8,
            } => {
                self.push_binary(t, dir, bytes);
                if let Some(valid_up_to) = invalid_utf8 {
                    let pos = Pos::new(self.frames - 1);
                    self.push_other(Other::Note(StreamIssue::InvalidUtf8 { pos, valid_up_to }));
                }
            }
            Entry::Other(other) => self.push_other(other),
        }
    }

    /// Appends one text frame the log decodes (a shorthand for [`Log::push`]).
    pub fn push_frame(&mut self, recv_s: Option<f64>, dir: Dir, text: &str) {
        self.push(Entry::frame(recv_s, dir, text));
    }

    /// Appends a link change (a shorthand for [`Log::push`]).
    pub fn push_link(
        &mut self,
        t: Option<f64>,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    ) {
        self.push(Entry::link(t, state, reason, size));
    }

    /// How many entries of any kind have been pushed (and whether the stream finished): what
    /// anything derived from the log compares to know it is up to date.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn push_text(&mut self, frame: super::entry::Frame<'_>) {
        let Frame {
            t,
            dir,
            text,
            decode,
            at,
        } = frame;
        let decoded = match decode {
            Decode::Text => decode_event(text, &mut self.interner, &mut self.contexts),
            Decode::Head(head) => decode_event(head, &mut self.interner, &mut self.contexts),
            Decode::Done(decoded) => decoded,
        };
        let duplicate = self.prev_dir == Some(dir) && self.prev_text == text;
        self.prev_text.clear();
        self.prev_text.push_str(text);
        self.prev_dir = Some(dir);
        self.session.frame(
            t.map(|s| s * 1000.0),
            dir,
            decoded.as_ref().map_err(|m| *m),
            duplicate,
            &mut self.interner,
        );
        if self.keep == Keep::All {
            if duplicate {
                self.duplicates.push(Pos::new(self.frames));
            }
            self.texts.push(self.store.keep(text, at));
        }
        self.frames += 1;
        self.generation += 1;
        self.maybe_checkpoint();
    }

    fn push_binary(&mut self, recv_s: Option<f64>, dir: Dir, bytes: &[u8]) {
        self.session.binary(recv_s.map(|s| s * 1000.0), dir);
        self.prev_dir = None;
        if self.keep == Keep::All {
            self.binaries.push((Pos::new(self.frames), bytes.into()));
            self.texts.push(Texts::NONE);
        }
        self.frames += 1;
        self.generation += 1;
        self.maybe_checkpoint();
    }

    fn push_other(&mut self, other: Other) {
        apply(&other, &mut self.session);
        if other.breaks_repeats() {
            self.prev_dir = None;
        }
        if self.keep == Keep::All {
            self.others.push((self.frames as u32, other));
        }
    }

    /// The stream has ended.
    pub fn finish(&mut self) {
        self.generation += 1;
        self.session.finish();
    }

    /// The text of the frame at `pos`: `None` for a binary frame or one not kept.
    pub fn raw(&self, pos: Pos) -> Result<Option<Cow<'_, str>>, Stale> {
        match self.texts.get(pos.index()) {
            Some(_) if self.binary_len(pos).is_some() => Ok(None),
            Some(&r) => self.store.read(r).map(Some),
            None => Ok(None),
        }
    }

    /// Calls `f` with the text of every text frame in `from..to`, reading them in bulk.
    pub fn each_raw(&self, from: Pos, to: Pos, mut f: impl FnMut(Pos, &str)) -> Result<(), Stale> {
        let to = to.index().min(self.texts.len());
        let from = from.index().min(to);
        self.store.read_each(&self.texts[from..to], |i, text| {
            let p = Pos::new(from + i);
            if self.binary_len(p).is_none() {
                f(p, text)
            }
        })
    }

    /// The length of the binary frame at `pos` (`None` for any other).
    pub fn binary_len(&self, pos: Pos) -> Option<usize> {
        self.binary(pos).map(<[u8]>::len)
    }

    /// The bytes of the binary frame at `pos` (`None` for any other).
    pub fn binary(&self, pos: Pos) -> Option<&[u8]> {
        self.binaries
            .binary_search_by_key(&pos, |(p, _)| *p)
            .ok()
            .map(|i| &*self.binaries[i].1)
    }

    /// The wire type of the frame at `pos` (decoded again from its text).
    pub fn type_name(&self, pos: Pos) -> Option<String> {
        if !matches!(
            self.session.facts.get(pos.index())?.kind,
            FactKind::Event(_)
        ) {
            return None;
        }
        self.type_name_of(&self.raw(pos).ok()??)
    }

    /// The wire type a frame's text gives.
    pub fn type_name_of(&self, text: &str) -> Option<String> {
        let mut names = Overlay::new(&self.interner);
        let event = decode_event(text, &mut names, &mut ContextCache::default()).ok()?;
        Some(super::intern::Intern::resolve(&names, event.type_name).to_string())
    }

    /// Whether the frame at `pos` repeats the previous one.
    fn is_duplicate(&self, pos: Pos) -> bool {
        self.duplicates.binary_search(&pos).is_ok()
    }
}
