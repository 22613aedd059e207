//! The terminal UI: one async loop over terminal input, the source and a tick, feeding a pure
//! reducer (`update`, which performs no I/O and returns effects for the runner) whose state
//! (`App`) the `ui` modules draw. Live, replay and demo are only different sources of the same
//! messages.

pub mod app;
pub mod axis;
pub mod cmdline;
pub mod comparison;
pub mod comparison_detail;
pub mod comparison_rows;
pub mod contexts;
pub mod costs;
pub mod filter;
pub mod findings;
pub mod grouped;
pub mod inspect;
pub mod keymap;
pub mod lanes;
pub mod linkrows;
pub mod marks;
pub mod marks_file;
pub mod mouse;
pub mod msg;
pub mod nav;
pub mod payload;
pub mod position;
pub mod prepare;
pub mod presenter;
pub mod replay;
pub mod rows;
pub mod runner;
pub mod runs;
pub mod sheet;
pub mod stops;
pub mod story;
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
