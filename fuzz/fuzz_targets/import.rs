//! Fuzz target: format detection and every importer on arbitrary input.
//! See `fuzz/README.md` for how to run it.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::import_all(data));
