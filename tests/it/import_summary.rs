//! The real binary on every genuine foreign fixture: `summary --format json` snapshotted per
//! fixture (trees, tool pairs, turns), detection and `--format-in`, an unrecognised first line
//! (exit 2, one line), and context-integrity skipping foreign contexts (they are each agent's
//! own model input, not contexts handed from agent to agent).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn orchscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope")
}

/// Every foreign fixture, as (format dir, path relative to the repository), sorted.
fn fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let base = Path::new(ROOT).join("tests/fixtures/foreign");
    for dir in std::fs::read_dir(&base).expect("fixtures dir").flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        let format = dir.file_name().to_string_lossy().into_owned();
        for f in std::fs::read_dir(dir.path()).expect("format dir").flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            out.push((
                format.clone(),
                format!("tests/fixtures/foreign/{format}/{name}"),
            ));
        }
    }
    out.sort();
    out
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn summary(path: &str, extra: &[&str]) -> Output {
    let mut args = vec!["summary", "--format", "json"];
    args.extend_from_slice(extra);
    args.push(path);
    orchscope(&args)
}

#[test]
fn summary_of_every_foreign_fixture() {
    let all = fixtures();
    assert!(all.len() >= 8, "fixtures missing: {all:?}");
    for (format, path) in all {
        let out = summary(&path, &[]);
        assert_eq!(out.status.code(), Some(0), "{path}: {out:?}");
        assert!(out.stderr.is_empty(), "{path}: {out:?}");
        let doc = json_of(&out);
        assert_eq!(doc["orchscope_summary"], 1);
        assert!(
            !doc["runs"].as_array().unwrap().is_empty(),
            "{path}: no runs"
        );
        // The same document when the detected format is named explicitly.
        let named = summary(&path, &["--format-in", &format]);
        assert_eq!(named.stdout, out.stdout, "{path}: --format-in {format}");
        let stem = Path::new(&path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let name = format!("{format}__{stem}");
        insta::assert_snapshot!(name, String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn format_in_on_input_of_another_format_is_one_line_and_exit_2() {
    let path = "tests/fixtures/foreign/langgraph/langgraph_supervisor_handled.jsonl";
    let detected = json_of(&summary(path, &[]));
    assert_eq!(detected["format"], "langgraph");
    assert!(!detected["runs"][0]["agents"].as_array().unwrap().is_empty());
    // Read as bare native frames instead: LangGraph records have `event`, not a native `type`,
    // so nothing in it is a frame orchscope knows.
    let native = "tests/fixtures/netra/era-b-session.jsonl";
    for (file, format) in [
        (path, "jsonl"),
        (native, "codex"),
        (native, "otlp"),
        (path, "claude-code"),
    ] {
        for cmd in ["summary", "validate"] {
            let out = orchscope(&[cmd, "--format", "json", "--format-in", format, file]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{file} as {format}: {out:?}");
            assert!(out.stdout.is_empty(), "{file} as {format}: {out:?}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
            assert!(stderr.contains(&format!("not {format} input")), "{stderr}");
        }
    }
    // The format a file really is, named, reads as detected.
    let named = json_of(&summary(native, &["--format-in", "jsonl"]));
    assert_eq!(named["format"], "jsonl");
    assert!(!named["runs"].as_array().unwrap().is_empty());
    // An unknown name is a usage error.
    let out = summary(native, &["--format-in", "Claude-Code"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn input_no_importer_recognises_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.jsonl", b"", "empty file"),
        ("blank.jsonl", b"\n  \n\n", "empty file"),
        (
            "objects.jsonl",
            b"{\"kind\":\"x\"}\n{\"type\":\"not_an_event\"}\n",
            "no line is a frame of a known event type",
        ),
        ("comments.jsonl", b"# a comment\n\n", "empty file"),
    ];
    for (name, bytes, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.to_str().unwrap();
        for cmd in ["summary", "validate"] {
            let out = orchscope(&[cmd, "--format", "json", path]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} {cmd}: {out:?}");
            assert!(out.stdout.is_empty(), "{name} {cmd}: {out:?}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
            assert!(stderr.contains(says), "{name}: {stderr}");
        }
    }
}

#[test]
fn a_first_line_that_is_not_a_json_object_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 4] = [
        ("text.jsonl", b"hello world\n{\"type\":\"agent_started\"}\n"),
        ("array.jsonl", b"[1,2,3]\n{\"type\":\"agent_started\"}\n"),
        ("string.jsonl", b"\"agent_started\"\n"),
        ("binary.jsonl", b"\xff\xfe\x00garbage\n"),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.to_str().unwrap();
        for args in [
            &["summary", "--format", "json", path][..],
            &["validate", "--format", "json", path][..],
        ] {
            let out = orchscope(args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {out:?}");
            assert!(out.stdout.is_empty(), "{name} {args:?}: {out:?}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{name}: {stderr}");
            assert!(stderr.contains(name), "{name}: {stderr}");
            assert!(stderr.contains("--format-in"), "{name}: {stderr}");
        }
    }
}

#[test]
fn foreign_contexts_are_not_judged_as_hand_offs() {
    for (format, path) in fixtures() {
        let out = orchscope(&["validate", "--format", "json", &path]);
        let report = json_of(&out);
        let rule = report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "context-integrity")
            .unwrap();
        assert_eq!(rule["status"], "skip", "{path}: {rule}");
        assert_eq!(rule["total_findings"], 0, "{path}: {rule}");
        let reason = rule["reason"].as_str().unwrap();
        // The importers that attach each agent's model input say why it is not judged.
        let attaches = matches!(format.as_str(), "langgraph")
            || path.ends_with("openai_agents_trace_callbacks.jsonl");
        if attaches {
            assert!(
                reason.contains("each agent's own model input"),
                "{path}: {reason}"
            );
        } else {
            assert_eq!(reason, "the format carries no agent contexts", "{path}");
        }
    }
    // The summary still shows the model inputs' hashes.
    let doc = json_of(&summary(
        "tests/fixtures/foreign/langgraph/langgraph_supervisor_handled.jsonl",
        &[],
    ));
    assert!(doc["turns"][0]["context_hash"]
        .as_str()
        .is_some_and(|h| h.starts_with("sha256:")));
}

/// One case of the genuine corpus (`tests/fixtures/corpus/<producer>/<case>/expect.toml`): what
/// the producer's own lines say, written by reading them.
#[derive(serde::Deserialize)]
struct Expect {
    format: String,
    entry: String,
    turns: Option<usize>,
    #[serde(default)]
    agents: Vec<ExpectAgent>,
    #[serde(default)]
    tools: Vec<ExpectTool>,
    /// Hand-offs as `[from, to]` agent names (none when absent).
    #[serde(default)]
    handoffs: Vec<(String, String)>,
    /// The whole session's usage (token counts and model calls), when the case checks it.
    usage: Option<toml::Table>,
}

#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ExpectAgent {
    name: String,
    parent: String,
    status: String,
}

#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ExpectTool {
    call_id: String,
    tool: String,
    agent: String,
    status: String,
}

/// Every case folder of the corpus that has an `expect.toml`, sorted.
fn corpus_cases() -> Vec<std::path::PathBuf> {
    let base = Path::new(ROOT).join("tests/fixtures/corpus");
    let mut out = Vec::new();
    for producer in std::fs::read_dir(&base).into_iter().flatten().flatten() {
        for case in std::fs::read_dir(producer.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if case.path().join("expect.toml").is_file() {
                out.push(case.path());
            }
        }
    }
    out.sort();
    out
}

/// The hand-offs orchscope derived, as `[from, to]` agent names.
fn derived_handoffs(doc: &Value) -> Vec<(String, String)> {
    let agents: Vec<&Value> = doc["runs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["agents"].as_array().into_iter().flatten())
        .collect();
    let name = |id: &Value| {
        agents
            .iter()
            .find(|a| &a["id"] == id)
            .and_then(|a| a["name"].as_str())
            .unwrap_or("")
            .to_string()
    };
    agents
        .iter()
        .filter(|a| !a["handoff_from"].is_null())
        .map(|a| (name(&a["handoff_from"]), name(&a["id"])))
        .collect()
}

/// What orchscope derived from a case, in the terms of its `expect.toml`.
fn derived(doc: &Value) -> (Vec<ExpectAgent>, Vec<ExpectTool>) {
    let mut names = std::collections::HashMap::new();
    let mut agents = Vec::new();
    let mut tools = Vec::new();
    let runs = doc["runs"].as_array().cloned().unwrap_or_default();
    for run in &runs {
        for a in run["agents"].as_array().into_iter().flatten() {
            let name = a["name"].as_str().or(a["id"].as_str()).unwrap_or("");
            names.insert(a["id"].as_str().unwrap_or("").to_string(), name.to_string());
        }
    }
    let name_of = |id: &Value| {
        id.as_str()
            .and_then(|id| names.get(id).cloned())
            .unwrap_or_default()
    };
    for run in &runs {
        for a in run["agents"].as_array().into_iter().flatten() {
            agents.push(ExpectAgent {
                name: name_of(&a["id"]),
                parent: name_of(&a["parent"]),
                status: a["status"].as_str().unwrap_or("").to_string(),
            });
        }
        for c in run["tool_calls"].as_array().into_iter().flatten() {
            tools.push(ExpectTool {
                call_id: c["call_id"].as_str().unwrap_or("").to_string(),
                tool: c["tool"].as_str().unwrap_or("").to_string(),
                agent: name_of(&c["agent"]),
                status: c["status"].as_str().unwrap_or("").to_string(),
            });
        }
    }
    (agents, tools)
}

#[test]
fn every_corpus_case_reads_as_its_own_lines_say() {
    let cases = corpus_cases();
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case.join("expect.toml")).unwrap();
        let expect: Expect = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: expect.toml: {e}", case.display()));
        let entry = case.join(&expect.entry);
        let out = summary(entry.to_str().unwrap(), &[]);
        let label = case
            .strip_prefix(ROOT)
            .unwrap_or(case)
            .display()
            .to_string();
        if out.status.code() != Some(0) {
            failures.push(format!(
                "{label}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            continue;
        }
        let doc = json_of(&out);
        let mut problems = Vec::new();
        if doc["format"] != expect.format.as_str() {
            problems.push(format!("format {} ≠ {}", doc["format"], expect.format));
        }
        let (mut agents, mut tools) = derived(&doc);
        let (mut want_agents, mut want_tools) = (expect.agents.clone(), expect.tools.clone());
        for v in [&mut agents, &mut want_agents] {
            v.sort();
        }
        for v in [&mut tools, &mut want_tools] {
            v.sort();
        }
        if agents != want_agents {
            problems.push(format!("agents {agents:?}\n   expected {want_agents:?}"));
        }
        if tools != want_tools {
            problems.push(format!("tools {tools:?}\n   expected {want_tools:?}"));
        }
        let mut handoffs = derived_handoffs(&doc);
        let mut want_handoffs = expect.handoffs.clone();
        handoffs.sort();
        want_handoffs.sort();
        if handoffs != want_handoffs {
            problems.push(format!("handoffs {handoffs:?} ≠ {want_handoffs:?}"));
        }
        if let Some(turns) = expect.turns {
            let got = doc["turns"].as_array().map_or(0, Vec::len);
            if got != turns {
                problems.push(format!("turns {got} ≠ {turns}"));
            }
        }
        for (key, want) in expect.usage.iter().flatten() {
            let got = &doc["usage"][key];
            let same = match want.as_float() {
                Some(w) => got.as_f64().is_some_and(|g| (g - w).abs() < 1e-9),
                None => got.as_i64() == want.as_integer(),
            };
            if !same {
                problems.push(format!("usage.{key} {got} ≠ {want}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{label}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases differ from their expect.toml:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn fields_a_newer_producer_added_are_counted_and_listed() {
    // Every field of the genuine corpus is known.
    for case in corpus_cases() {
        let text = std::fs::read_to_string(case.join("expect.toml")).unwrap();
        let expect: Expect = toml::from_str(&text).unwrap();
        let entry = case.join(&expect.entry);
        let doc = json_of(&summary(entry.to_str().unwrap(), &["--unknowns"]));
        assert_eq!(
            doc["unknown_fields"],
            serde_json::json!([]),
            "{}",
            case.display()
        );
    }
    // A transcript from a newer CLI: a new field on two lines, a new kind of line.
    let source = Path::new(ROOT).join(
        "tests/fixtures/corpus/claude-code/disk-multi-prompt/projects/-home-dev-project/33333333-3333-4333-8333-333333333333.jsonl",
    );
    let mut lines: Vec<String> = std::fs::read_to_string(source)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut marked = 0;
    for line in lines.iter_mut() {
        if marked < 2 && line.contains(r#""type":"assistant""#) {
            let mut v: Value = serde_json::from_str(line).unwrap();
            v["reasoningBudget"] = Value::from(7);
            *line = v.to_string();
            marked += 1;
        }
    }
    lines.insert(
        3,
        r#"{"type":"hologram","sessionId":"33333333-3333-4333-8333-333333333333"}"#.into(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let path = path.to_str().unwrap();
    let doc = json_of(&summary(path, &["--unknowns"]));
    let fields: Vec<(String, u64)> = doc["unknown_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["field"].as_str().unwrap().to_string(),
                u["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("assistant.reasoningBudget".to_string(), 2),
            ("hologram (a kind of record)".to_string(), 1)
        ]
    );
    // Without the flag the documents keep their exact keys.
    assert!(json_of(&summary(path, &[])).get("unknown_fields").is_none());
    // The text forms say it too, and validate lists it per source.
    let out = orchscope(&["summary", "--unknowns", path]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("assistant.reasoningBudget") && text.contains("×2"),
        "{text}"
    );
    let out = orchscope(&["validate", "--unknowns", "--format", "json", path]);
    assert_eq!(
        json_of(&out)["unknown_fields"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn hand_offs_are_named_in_the_text_summary() {
    let path = "tests/fixtures/corpus/langgraph/swarm/events.jsonl";
    let out = orchscope(&["summary", path]);
    let text = String::from_utf8_lossy(&out.stdout);
    let bob = text
        .lines()
        .find(|l| l.contains(" bob "))
        .unwrap_or_default();
    assert!(bob.contains("⇠ handed off by alice"), "{text}");
    let alice = text
        .lines()
        .find(|l| l.contains(" alice "))
        .unwrap_or_default();
    assert!(!alice.contains('⇠'), "{text}");
}

#[test]
fn a_codex_child_thread_past_midnight_is_found_in_the_next_days_folder() {
    let case = Path::new(ROOT).join("tests/fixtures/corpus/codex/multi-agent/sessions/2026/11/27");
    let dir = tempfile::tempdir().unwrap();
    let (today, tomorrow) = (
        dir.path().join("sessions/2026/11/30"),
        dir.path().join("sessions/2026/12/01"),
    );
    std::fs::create_dir_all(&today).unwrap();
    std::fs::create_dir_all(&tomorrow).unwrap();
    let mut root = None;
    for f in std::fs::read_dir(&case).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        let first = std::fs::read_to_string(f.path()).unwrap();
        let child = first
            .lines()
            .next()
            .unwrap()
            .contains("\"parent_thread_id\":\"");
        let to = if child { &tomorrow } else { &today };
        std::fs::copy(f.path(), to.join(&name)).unwrap();
        if !child {
            root = Some(today.join(&name));
        }
    }
    let root = root.expect("a root rollout");
    let doc = json_of(&summary(root.to_str().unwrap(), &[]));
    let names: Vec<&str> = doc["runs"][0]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(names, ["codex", "Euclid"], "{doc:#}");
}
