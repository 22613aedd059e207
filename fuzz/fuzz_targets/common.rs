//! What the fuzz targets run, shared with `tests/it/fuzz_corpus.rs` (which includes this file),
//! so `cargo test` replays every corpus and crash through exactly the fuzzed code paths.
#![allow(dead_code)]

use orchscope::core::frame::{decode, Decoded};
use orchscope::core::import::{self, Format};
use orchscope::core::intern::Interner;
use orchscope::core::load::load_reader;
use orchscope::core::log::Keep;
use orchscope::core::recording::Reader;
use orchscope::core::report::{self, SourceReport};
use orchscope::core::summary;
use orchscope::core::validate::{self, Config, Input};

/// `import`: format detection and every importer on the input as UTF-8 (lossy).
pub fn import_all(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.lines().take(20).collect();
    let _ = import::detect(&lines);
    for format in Format::ALL {
        let out = import::import(format, &text);
        for frame in &out.frames {
            assert!(
                serde_json::from_str::<serde_json::Value>(&frame.text).is_ok(),
                "an importer emitted a frame that is not JSON: {}",
                frame.text
            );
        }
    }
}

/// `decode`: the frame decoder on the input as one frame; decoding is deterministic.
pub fn decode_frame(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut interner = Interner::default();
    let first = decode(&text, &mut interner);
    let again = decode(&text, &mut interner);
    assert_eq!(first, again, "decoding the same frame twice differs");
    if let Decoded::Event(_) = first {
        assert!(
            text.trim_start().starts_with('{'),
            "an event from a non-object"
        );
    }
}

/// `recording`: the recording reader item by item (with a small line limit, so overlong
/// lines are exercised), then the whole pipeline: load into a log (detection and importers
/// included), validate, summary and the JSON report.
pub fn recording(data: &[u8]) {
    let mut reader = Reader::new(data).with_max_line(4096);
    let mut items = 0usize;
    while let Some(item) = reader.next_item().expect("reading memory cannot fail") {
        let _ = item.line();
        items += 1;
        assert!(items <= data.len() + 1, "more items than bytes");
    }
    for format in [None, Some(Format::Orchscope)] {
        let Ok(loaded) = load_reader("fuzz", data, format, Keep::All) else {
            continue;
        };
        let log = &loaded.log;
        let input = Input {
            session: log.session(),
            interner: &log.interner,
            carries: loaded.carries,
            now: None,
        };
        let results = validate::run(&input, &Config::default());
        let doc = summary::build(log.session(), &log.interner, "fuzz", loaded.format);
        serde_json::to_string(&doc).expect("the summary serialises");
        let json = report::json(&[SourceReport {
            source: "fuzz",
            format: loaded.format.name(),
            frames: log.frames(),
            session: log.session(),
            interner: &log.interner,
            results: &results,
            unknowns: None,
        }]);
        serde_json::from_str::<serde_json::Value>(&json).expect("the report is JSON");
    }
}
