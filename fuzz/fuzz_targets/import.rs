//! Fuzz target: format detection and every importer on arbitrary UTF-8 input.
//! Run with `cargo fuzz run import` (nightly) or `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none import`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orchscope::core::import::{detect, import, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let lines: Vec<&str> = text.lines().take(20).collect();
        let _ = detect(&lines);
        for format in Format::ALL {
            let _ = import(format, text);
        }
    }
});
