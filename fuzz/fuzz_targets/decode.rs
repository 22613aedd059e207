//! Fuzz target: the frame decoder on arbitrary bytes (as one frame).
//! See `fuzz/README.md` for how to run it.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| common::decode_frame(data));
