//! `validate --format junit` for CI systems: one suite per source under its real name, one test
//! case per rule, and class names that tools splitting on dots (Jenkins, GitLab) read as one
//! class under `orchscope`, not as packages made of the file's path and extension.

use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn attribute<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {name}=\""))? + name.len() + 3;
    line[start..].split('"').next()
}

#[test]
fn junit_class_names_have_one_dot_and_suites_keep_the_path() {
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(["validate", "--format", "junit"])
        .args([
            "recordings/simple.jsonl",
            "recordings/drop-tool-result.jsonl",
        ])
        .current_dir(ROOT)
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope");
    let xml = String::from_utf8(out.stdout).expect("utf-8");
    let classes: Vec<&str> = xml
        .lines()
        .filter_map(|l| attribute(l, "classname"))
        .collect();
    assert_eq!(classes.len(), 20, "{xml}");
    assert!(
        classes[..10]
            .iter()
            .all(|c| *c == "orchscope.recordings_simple_jsonl"),
        "{xml}"
    );
    let dropped = "orchscope.recordings_drop-tool-result_jsonl";
    assert!(classes[10..].iter().all(|c| *c == dropped), "{xml}");
    let suites: Vec<&str> = xml
        .lines()
        .filter(|l| l.trim_start().starts_with("<testsuite "))
        .filter_map(|l| attribute(l, "name"))
        .collect();
    assert_eq!(
        suites,
        [
            "recordings/simple.jsonl",
            "recordings/drop-tool-result.jsonl"
        ]
    );
}
