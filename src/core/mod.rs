//! The core: decoding, the append-only log, the derived session, hashing, recordings and
//! validators. Plain functions over data; nothing below here may import tokio, ratatui or
//! crossterm (CI checks it), so every front end (CLI, TUI, live, replay) shares one truth.

pub mod activity;
pub mod align;
pub mod bookmarks;
pub mod carries;
pub mod chunks;
pub mod compare;
pub mod context_diff;
pub mod discover;
pub mod entry;
pub mod escape;
pub mod event;
pub mod frame;
pub mod hash;
pub mod import;
pub mod intern;
pub mod jsondiff;
pub mod link;
pub mod load;
pub mod log;
pub mod mark;
pub mod parsed;
pub mod payload;
pub mod plural;
pub mod recording;
pub mod report;
pub mod runlabel;
pub mod session;
pub mod share;
pub mod story;
pub mod summary;
pub mod symmap;
pub mod texts;
pub mod timestamp;
pub mod usage;
pub mod validate;
