//! The append-only log: the single truth. Every frame in and out (its text, kept in memory or
//! as a byte range of the file it was read from), every link change, marker and note, in
//! arrival order. The session is derived from it incrementally as entries are pushed. Nothing
//! decoded is kept per frame: an earlier position is recovered from the nearest checkpoint (a
//! clone of the session, sharing its chunks) by decoding and deriving the frames after it again
//! (see `log/rederive.rs`). A log made with `Keep::Summary` keeps no entries (headless
//! validation of huge files).

use super::event::Event;
use super::frame::{decode_event, ContextCache, Malformed};
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

/// What the log holds besides frames.
#[derive(Debug, Clone)]
pub enum Other {
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
    /// A header line in the middle of a recording: another recording appended to it.
    Segment,
}

impl Other {
    /// What it changes in the session.
    fn apply(&self, session: &mut Session) {
        match self {
            Other::Link { state, size, .. } => session.link(*state, *size),
            Other::Mark { .. } => {}
            Other::Note(issue) => session.note(issue.clone()),
            Other::Segment => session.segment(),
        }
    }
}

/// One entry of the log, in arrival order.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
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

    /// The session derived from everything pushed so far.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Frames pushed so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Changes with every entry pushed, of any kind (frames, link changes, marks, notes).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Every entry in arrival order (none for `Keep::Summary`).
    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> + '_ {
        let frames = if self.keep == Keep::All {
            self.frames
        } else {
            0
        };
        let mut others = self.others.iter().peekable();
        let mut pos = 0usize;
        std::iter::from_fn(move || {
            if let Some((_, o)) = others.next_if(|(before, _)| *before as usize <= pos) {
                return Some(Entry::Other(o));
            }
            if pos < frames {
                pos += 1;
                return Some(Entry::Frame(pos as Pos - 1));
            }
            others.next().map(|(_, o)| Entry::Other(o))
        })
    }

    /// Markers, as (frames before it, text).
    pub fn marks(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.others.iter().filter_map(|(before, o)| match o {
            Other::Mark { text, .. } => Some((*before as usize, text.as_str())),
            _ => None,
        })
    }

    /// Appends one text frame.
    pub fn push_frame(&mut self, recv_s: Option<f64>, dir: Dir, text: &str) {
        let decoded = decode_event(text, &mut self.interner, &mut self.contexts);
        self.push_decoded(recv_s, dir, text, decoded, None, None);
    }

    /// Appends one text frame, decoded from `head`: the same frame with what the decoder never
    /// reads left out (an imported frame without its source record, see `ImportedFrame::head`).
    pub fn push_frame_from_head(&mut self, dir: Dir, text: &str, head: &str) {
        let decoded = decode_event(head, &mut self.interner, &mut self.contexts);
        self.push_decoded(None, dir, text, decoded, None, None);
    }

    /// Appends one text frame decoded elsewhere (e.g. parsed on a reading thread and interned
    /// with this log's interner).
    /// `duplicate` says whether the text repeats the previous frame's, when the caller knows;
    /// `None` lets the log compare (it keeps a copy of the previous frame for that).
    /// `at` is the text's byte offset in the file given to [`Log::back_with`], if it is there
    /// verbatim.
    pub fn push_decoded(
        &mut self,
        recv_s: Option<f64>,
        dir: Dir,
        text: &str,
        decoded: Result<Event, Malformed>,
        duplicate: Option<bool>,
        at: Option<u64>,
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
            recv_s.map(|s| s * 1000.0),
            dir,
            decoded.as_ref().map_err(|m| *m),
            duplicate,
            &mut self.interner,
        );
        if self.keep == Keep::All {
            if duplicate {
                self.duplicates.push(self.frames as Pos);
            }
            self.texts.push(self.store.keep(text, at));
        }
        self.frames += 1;
        self.generation += 1;
        self.maybe_checkpoint();
    }

    /// Appends one binary frame (a kept log keeps its bytes).
    pub fn push_binary(&mut self, recv_s: Option<f64>, dir: Dir, bytes: &[u8]) {
        self.session.binary(recv_s.map(|s| s * 1000.0), dir);
        self.prev_dir = None;
        if self.keep == Keep::All {
            self.binaries.push((self.frames as Pos, bytes.into()));
            self.texts.push(Texts::NONE);
        }
        self.frames += 1;
        self.generation += 1;
        self.maybe_checkpoint();
    }

    /// Appends a frame kept as bytes: a binary frame, or with `invalid_utf8` (where its bytes
    /// stop being UTF-8) a text frame that is not UTF-8, which is also reported.
    pub fn push_bytes(
        &mut self,
        recv_s: Option<f64>,
        dir: Dir,
        bytes: &[u8],
        invalid_utf8: Option<u64>,
    ) {
        self.push_binary(recv_s, dir, bytes);
        if let Some(valid_up_to) = invalid_utf8 {
            let pos = (self.frames - 1) as super::session::Pos;
            self.push_note(StreamIssue::InvalidUtf8 { pos, valid_up_to });
        }
    }

    /// Appends a link change.
    pub fn push_link(
        &mut self,
        t: Option<f64>,
        state: LinkState,
        reason: Option<String>,
        size: Option<u64>,
    ) {
        self.push_other(Other::Link {
            t,
            state,
            reason,
            size,
        });
    }

    /// Appends a marker.
    pub fn push_mark(&mut self, t: Option<f64>, text: String) {
        self.push_other(Other::Mark { t, text });
    }

    /// Appends a note about the input.
    pub fn push_note(&mut self, issue: StreamIssue) {
        self.push_other(Other::Note(issue));
    }

    /// Appends a link change, marker or note.
    pub fn push_other(&mut self, other: Other) {
        self.generation += 1;
        other.apply(&mut self.session);
        if matches!(&other, Other::Link { state, .. } if *state != LinkState::Reconnecting) {
            self.prev_dir = None;
        }
        if self.keep == Keep::All {
            self.others.push((self.frames as u32, other));
        }
    }

    /// The stream has ended.
    pub fn finish(&mut self) {
        self.session.finish();
    }

    /// The text of the frame at `pos`: `None` for a binary frame or one not kept.
    pub fn raw(&self, pos: Pos) -> Result<Option<Cow<'_, str>>, Stale> {
        match self.texts.get(pos as usize) {
            Some(_) if self.binary_len(pos).is_some() => Ok(None),
            Some(&r) => self.store.read(r).map(Some),
            None => Ok(None),
        }
    }

    /// Calls `f` with the text of every text frame in `from..to`, reading them in bulk.
    pub fn each_raw(&self, from: Pos, to: Pos, mut f: impl FnMut(Pos, &str)) -> Result<(), Stale> {
        let to = (to as usize).min(self.texts.len());
        let from = (from as usize).min(to);
        self.store.read_each(&self.texts[from..to], |i, text| {
            let p = (from + i) as Pos;
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
            self.session.facts.get(pos as usize)?.kind,
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
