//! Fuzz target: the recording reader, then load into a log, validate, summary and report.
//! See `fuzz/README.md` for how to run it.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::recording(data));
