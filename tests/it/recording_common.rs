//! Shared helpers for the recording tests: an owned copy of reader items and read-all helpers.
#![allow(dead_code)]

use orchscope::core::recording::*;
use std::io::Cursor;

/// An owned copy of an [`Item`], so a whole file can be collected and compared.
#[derive(Debug, Clone, PartialEq)]
pub enum O {
    Header(Header),
    Json(usize, Option<f64>, Dir, String),
    Text(usize, Option<f64>, Dir, String),
    Binary(usize, Option<f64>, Dir, Vec<u8>),
    /// A text frame that is not UTF-8: its bytes and where they stop being valid.
    InvalidText(usize, Option<f64>, Dir, Vec<u8>, u64),
    Link(usize, Option<f64>, LinkState, Option<String>, Option<u64>),
    Mark(usize, Option<f64>, String),
    Anchored(
        usize,
        Option<f64>,
        u32,
        orchscope::core::bookmarks::Anchored,
    ),
    Bad(usize),
    Tail(usize),
    HeaderProblem(usize),
    Padding(usize, usize),
    Dropped(usize, Option<f64>, u64, String),
}

pub fn owned(item: Item<'_>) -> O {
    match item {
        Item::Header(h) => O::Header(h),
        Item::Frame { line, t, dir, body } => match body {
            FrameBody::Json(s) => O::Json(line, t, dir, s.to_owned()),
            FrameBody::Text(s) => O::Text(line, t, dir, s.into_owned()),
            FrameBody::Binary(b) => O::Binary(line, t, dir, b),
            FrameBody::InvalidText { bytes, valid_up_to } => {
                O::InvalidText(line, t, dir, bytes, valid_up_to)
            }
        },
        Item::Link {
            line,
            t,
            state,
            reason,
            size,
        } => O::Link(line, t, state, reason, size),
        Item::Mark { line, t, text } => O::Mark(line, t, text),
        Item::Anchored { line, t, at, what } => O::Anchored(line, t, at, what),
        Item::Bad { line, error } => {
            assert!(!error.is_empty());
            O::Bad(line)
        }
        Item::TruncatedTail { line } => O::Tail(line),
        Item::HeaderProblem { line, problem } => {
            assert!(!problem.is_empty());
            O::HeaderProblem(line)
        }
        Item::Padding { line, bytes } => O::Padding(line, bytes),
        Item::Dropped {
            line,
            t,
            spans,
            reason,
        } => O::Dropped(line, t, spans, reason),
    }
}

pub fn read_reader<R: std::io::BufRead>(mut r: Reader<R>) -> (Vec<O>, bool) {
    let mut out = Vec::new();
    while let Some(item) = r.next_item().expect("no I/O error from memory") {
        out.push(owned(item));
    }
    (out, r.is_bare())
}

pub fn read(bytes: &[u8]) -> (Vec<O>, bool) {
    read_reader(Reader::new(Cursor::new(bytes.to_vec())))
}

pub const HDR: &str =
    "{\"orchscope_recording\": 1, \"started_at\": \"2026-11-23T10:00:00.000Z\"}\n";

pub fn hdr() -> O {
    O::Header(Header {
        started_at: Some("2026-11-23T10:00:00.000Z".into()),
        ..Header::default()
    })
}

pub fn item_line(o: &O) -> Option<usize> {
    match o {
        O::Header(_) => None,
        O::Json(l, ..)
        | O::Text(l, ..)
        | O::Binary(l, ..)
        | O::InvalidText(l, ..)
        | O::Link(l, ..)
        | O::Mark(l, ..)
        | O::Anchored(l, ..)
        | O::Dropped(l, ..) => Some(*l),
        O::Bad(l) | O::Tail(l) | O::HeaderProblem(l) | O::Padding(l, _) => Some(*l),
    }
}
