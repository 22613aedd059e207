//! orchscope: a terminal inspector for multi-agent LLM orchestration.
//!
//! The library holds everything; `main.rs` only dispatches. `core` is the pure heart (no
//! tokio, ratatui or crossterm); the other modules are front ends and sources on top of it.
#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod core;
pub mod crash;
pub mod demo;
pub mod export;
pub mod report;
pub mod source;
pub mod tui;
