//! Session derivation tests: the Netra fixtures and small constructed sessions for each rule
//! of model.md.

use crate::core::link::Dir;
use crate::core::log::{Keep, Log};
use crate::core::summary::{build, Summary};

pub(crate) fn load(text: &str) -> Log {
    let mut log = Log::new(Keep::All);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        log.push_frame(None, Dir::In, line);
    }
    log.finish();
    log
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/netra/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn summary(log: &Log) -> Summary {
    build(
        log.session(),
        &log.interner,
        "test",
        crate::core::import::Format::Jsonl,
    )
}

#[test]
fn dump_era_a() {
    let log = load(&fixture("era-a-session.jsonl"));
    println!("{}", serde_json::to_string_pretty(&summary(&log)).unwrap());
    println!("{:#?}", log.session().anomalies);
}
