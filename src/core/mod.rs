//! The core: decoding, the append-only log, the derived session, hashing, recordings and
//! validators. Plain functions over data; nothing below here may import tokio, ratatui or
//! crossterm (CI checks it), so every front end (CLI, TUI, live, replay) shares one truth.

pub mod hash;
pub mod event;
pub mod intern;
