//! The terminal UI: one async loop over terminal input, the source and a tick, feeding a pure
//! reducer (`update`, which performs no I/O and returns effects for the runner) whose state
//! (`App`) the `ui` modules draw. Live, replay and demo are only different sources of the same
//! messages.

pub mod app;
pub mod cmdline;
pub mod filter;
pub mod inspect;
pub mod keymap;
pub mod linkrows;
pub mod mouse;
pub mod msg;
pub mod nav;
pub mod position;
pub mod prepare;
pub mod replay;
pub mod rows;
pub mod runner;
pub mod tab;
pub mod terminal;
pub mod texts;
pub mod theme;
pub mod tree;
pub mod ui;
pub mod update;
pub mod verdicts;
pub mod view;

/// The panes escape wire text with the core's one escaping function.
pub use crate::core::escape;

#[cfg(test)]
mod tests;
