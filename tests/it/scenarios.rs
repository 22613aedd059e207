//! Scenario files, read like the domain: every `tests/scenarios/NAME.jsonl` is a session (one
//! frame a line), and `NAME.expect.toml` beside it says what orchscope must find in it — each
//! listed rule's status and its findings as `code @ frames`, the agents tree and the tool calls
//! with their statuses. One harness runs the real binary (`validate` and `summary`, JSON) on
//! every scenario and reports every difference at once, with the file that would match.
//!
//! A new scenario: write its `.jsonl`, run `ORCHSCOPE_NEW_SCENARIOS=1 cargo test --test it
//! scenarios::`, which writes the missing `.expect.toml` from what the binary says (never
//! overwriting one); read it against the file's lines, and write its `about` line.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// What a scenario's `.expect.toml` holds.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// One line on what the scenario shows.
    about: String,
    /// Extra `validate` arguments (e.g. `--set`).
    #[serde(default)]
    args: Vec<String>,
    /// Per rule id: the status, optionally the reason, and every finding (`code @ frames`).
    #[serde(default)]
    rules: BTreeMap<String, RuleExpect>,
    /// The agents tree, one line per run and agent, two spaces per level.
    tree: Option<Vec<String>>,
    /// Every tool call: `tool call_id · agent · status`.
    tools: Option<Vec<String>>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct RuleExpect {
    status: String,
    reason: Option<String>,
    #[serde(default)]
    findings: Vec<String>,
    /// Words some finding's message of this rule must contain.
    #[serde(default)]
    mentions: Vec<String>,
}

/// A rule's status, reason, findings (`code @ frames · agent`) and their messages.
struct Verdict {
    status: String,
    reason: Option<String>,
    findings: Vec<String>,
    messages: Vec<String>,
}

/// What the binary said about a scenario, in the expectation's terms.
struct Actual {
    rules: BTreeMap<String, Verdict>,
    tree: Vec<String>,
    tools: Vec<String>,
}

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join("tests/scenarios");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    out.sort();
    out
}

fn json(args: &[String], path: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .arg(path)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: {args:?} printed no JSON ({e}); stderr: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn actual(path: &Path, extra: &[String]) -> Actual {
    let mut args: Vec<String> = ["validate", "--format", "json"].map(String::from).into();
    args.extend(extra.iter().cloned());
    let report = json(&args, path);
    let summary = json(&["summary", "--format", "json"].map(String::from), path);
    let mut rules = BTreeMap::new();
    for rule in report["rules"].as_array().into_iter().flatten() {
        let found: Vec<&Value> = rule["findings"].as_array().into_iter().flatten().collect();
        let verdict = Verdict {
            status: str_of(&rule["status"]).to_owned(),
            reason: rule["reason"].as_str().map(String::from),
            findings: found.iter().map(|f| finding(f)).collect(),
            messages: found
                .iter()
                .map(|f| str_of(&f["message"]).to_owned())
                .collect(),
        };
        rules.insert(str_of(&rule["id"]).to_owned(), verdict);
    }
    let runs = summary["runs"].as_array().cloned().unwrap_or_default();
    Actual {
        rules,
        tree: runs.iter().flat_map(tree).collect(),
        tools: runs.iter().flat_map(tools).collect(),
    }
}

/// `code @ 1, 4 · agent` (without the frames or the agent when the finding names none).
fn finding(f: &Value) -> String {
    let mut code = f["code"].as_str().unwrap_or("?").to_owned();
    if let Some(agent) = f["agent"].as_str() {
        let _ = write!(code, " · {}", agent.rsplit('/').next().unwrap_or(agent));
    }
    let frames: Vec<String> = f["frames"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n.to_string())
        .collect();
    match (frames.is_empty(), code.split_once(" · ")) {
        (true, _) => code,
        (false, Some((code, agent))) => format!("{code} @ {} · {agent}", frames.join(", ")),
        (false, None) => format!("{code} @ {}", frames.join(", ")),
    }
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or("-")
}

/// The run line, then each agent under its parent (two spaces a level, in summary order).
fn tree(run: &Value) -> Vec<String> {
    let agents = run["agents"].as_array().cloned().unwrap_or_default();
    let parent: BTreeMap<&str, &str> = agents
        .iter()
        .filter_map(|a| Some((a["id"].as_str()?, a["parent"].as_str()?)))
        .collect();
    let mut lines = vec![format!(
        "run {} · {}",
        str_of(&run["run_id"]),
        str_of(&run["status"])
    )];
    for a in &agents {
        let (mut depth, mut at) = (1, a["id"].as_str().unwrap_or(""));
        while let Some(p) = parent.get(at) {
            depth += 1;
            at = p;
            if depth > agents.len() {
                break; // a cycle: the summary never makes one, but never loop
            }
        }
        let mut line = format!(
            "{}{} · {}",
            "  ".repeat(depth),
            str_of(&a["name"]),
            str_of(&a["status"])
        );
        if let Some(from) = a["handoff_from"].as_str() {
            let _ = write!(line, " ⇠ {from}");
        }
        lines.push(line);
    }
    lines
}

fn tools(run: &Value) -> Vec<String> {
    let calls = run["tool_calls"].as_array().cloned().unwrap_or_default();
    let name = |id: &str| id.rsplit('/').next().unwrap_or(id).to_owned();
    calls
        .iter()
        .map(|c| {
            format!(
                "{} {} · {} · {}",
                str_of(&c["tool"]),
                str_of(&c["call_id"]),
                name(str_of(&c["agent"])),
                str_of(&c["status"])
            )
        })
        .collect()
}

/// The differences between what a scenario expects and what the binary said.
fn differences(want: &Expect, got: &Actual) -> Vec<String> {
    let mut out = Vec::new();
    if want.about.trim().is_empty() {
        out.push("`about` is empty: say what the scenario shows".to_owned());
    }
    for (id, rule) in &want.rules {
        let Some(v) = got.rules.get(id) else {
            out.push(format!("rule {id}: not in the report"));
            continue;
        };
        if rule.status != v.status {
            out.push(format!(
                "rule {id}: status {}, expected {}",
                v.status, rule.status
            ));
        }
        if rule.reason.is_some() && rule.reason != v.reason {
            out.push(format!(
                "rule {id}: reason {:?}, expected {:?}",
                v.reason, rule.reason
            ));
        }
        if rule.findings != v.findings {
            out.push(format!(
                "rule {id}: findings {:?}, expected {:?}",
                v.findings, rule.findings
            ));
        }
        for word in &rule.mentions {
            if !v.messages.iter().any(|m| m.contains(word.as_str())) {
                out.push(format!(
                    "rule {id}: no message mentions {word:?}: {:?}",
                    v.messages
                ));
            }
        }
    }
    let lists = [
        ("tree", &want.tree, &got.tree),
        ("tools", &want.tools, &got.tools),
    ];
    for (what, want, got) in lists {
        if want.as_ref().is_some_and(|w| w != got) {
            out.push(format!("{what}: {got:#?}, expected {want:#?}"));
        }
    }
    out
}

/// The expectation file that matches `got` (every rule, the tree and the tools).
fn render(about: &str, args: &[String], got: &Actual) -> String {
    let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let list = |items: &[String]| {
        let items: Vec<String> = items.iter().map(|i| format!("  {},\n", q(i))).collect();
        format!("[\n{}]", items.concat())
    };
    let mut t = format!("about = {}\n", q(about));
    if !args.is_empty() {
        let _ = writeln!(t, "args = {}", list(args));
    }
    let _ = writeln!(t, "tree = {}", list(&got.tree));
    let _ = writeln!(t, "tools = {}", list(&got.tools));
    for (id, v) in &got.rules {
        let _ = write!(t, "\n[rules.{id}]\nstatus = {}\n", q(&v.status));
        if let Some(r) = v.reason.as_deref().filter(|_| v.status == "skip") {
            let _ = writeln!(t, "reason = {}", q(r));
        }
        if !v.findings.is_empty() {
            let _ = writeln!(t, "findings = {}", list(&v.findings));
        }
    }
    t
}

#[test]
fn every_scenario_reads_as_its_expectation_says() {
    let all = scenarios();
    assert!(all.len() >= 30, "the scenarios are missing: {}", all.len());
    let write_new = std::env::var_os("ORCHSCOPE_NEW_SCENARIOS").is_some();
    let mut failures = Vec::new();
    for path in &all {
        let expect_path = path.with_extension("expect.toml");
        let Ok(text) = std::fs::read_to_string(&expect_path) else {
            let got = actual(path, &[]);
            if write_new {
                std::fs::write(&expect_path, render("", &[], &got)).expect("write expectation");
            }
            failures.push(format!("{}: no .expect.toml beside it", path.display()));
            continue;
        };
        let want: Expect =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", expect_path.display()));
        let got = actual(path, &want.args);
        let diffs = differences(&want, &got);
        if !diffs.is_empty() {
            failures.push(format!(
                "{}:\n  {}\nthe expectation that matches what the binary says:\n{}",
                path.display(),
                diffs.join("\n  "),
                render(&want.about, &want.args, &got)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_difference_is_reported_and_a_match_is_not() {
    let got = Actual {
        rules: BTreeMap::from([(
            "tool-pairing".to_owned(),
            Verdict {
                status: "fail".to_owned(),
                reason: None,
                findings: vec!["tool-pairing/never-completed @ 1 · data".to_owned()],
                messages: vec!["tool call q (c1, agent data) never completed".to_owned()],
            },
        )]),
        tree: vec!["run r1 · completed".to_owned()],
        tools: vec![],
    };
    let same: Expect = toml::from_str(&render("a dropped result", &[], &got)).expect("toml");
    assert!(differences(&same, &got).is_empty());
    let other: Expect = toml::from_str(
        "about = \"x\"\n[rules.tool-pairing]\nstatus = \"fail\"\nfindings = [\"tool-pairing/never-completed @ 2 · data\"]\nmentions = [\"q (c1\", \"c9\"]\n",
    )
    .expect("toml");
    let diffs = differences(&other, &got);
    assert_eq!(diffs.len(), 2, "{diffs:?}");
    assert!(diffs[0].contains("@ 2"), "{diffs:?}");
    assert!(diffs[1].contains("\"c9\""), "{diffs:?}");
}
