//! `orchscope report` through the real binary: every recording as HTML that is well formed
//! (every tag closed, nothing fetched from outside, no script) with as many runs, agents, tool
//! calls and findings as `summary` and `validate` count; secrets redacted by default and said
//! so, `--redact` and `--no-redact`; input text escaped (a `<script>` and control characters
//! in a tool result); Markdown on stdout; and the file drawn by a real headless Chromium.

use serde_json::Value;
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SECRETS: [&str; 7] = [
    "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "AKIAIOSFODNN7EXAMPLE",
    "abcdefghijklmnop12345",
    "sk-proj-abcdefghijklmnopqrstuvwxyz0123",
    "ann.lee@example.com",
    "dXNlcjpwYXNzd29yZA==",
];

fn bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orchscope"))
        .args(args)
        .env_remove("ORCHSCOPE_CONFIG")
        .output()
        .expect("run orchscope")
}

fn fixture() -> String {
    format!("{ROOT}/tests/fixtures/report-secrets.jsonl")
}

/// The report of `source` on stdout, with `extra` flags.
fn report(source: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", source, "-o", "-"];
    args.extend(extra);
    let out = bin(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&bin(args).stdout).expect("json")
}

/// Every tag closed in order (`/>` closes itself), no comment or CDATA, no `<` left in text.
fn well_formed(html: &str) -> Result<(), String> {
    let body = html.strip_prefix("<!DOCTYPE html>").ok_or("no doctype")?;
    let mut open: Vec<&str> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let end = after.find('>').ok_or("a tag is not closed by >")?;
        let tag = &after[..end];
        if tag.contains('<') || tag.starts_with('!') {
            return Err(format!("stray < or declaration: {tag}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(o) if o == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else if !tag.ends_with('/') {
            let name = tag.split([' ', '\n']).next().unwrap_or("");
            open.push(name);
        }
        rest = &after[end + 1..];
    }
    match open.is_empty() {
        true => Ok(()),
        false => Err(format!("left open: {open:?}")),
    }
}

fn self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!lower.contains(bad), "{bad} in the report");
    }
}

#[test]
fn the_checks_here_catch_broken_html() {
    assert!(well_formed("<!DOCTYPE html><p><b>x</p></b>").is_err());
    assert!(well_formed("<!DOCTYPE html><p>a < b</p>").is_err());
    assert!(well_formed("<!DOCTYPE html><ul><li>x</li>").is_err());
    assert!(well_formed("<!DOCTYPE html><p>x<br/></p>").is_ok());
}

#[test]
fn every_recording_gives_a_well_formed_report_with_the_sessions_counts() {
    let mut names: Vec<_> = std::fs::read_dir(format!("{ROOT}/recordings"))
        .expect("recordings")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    for path in names {
        let source = path.to_string_lossy().into_owned();
        let html = report(&source, &[]);
        well_formed(&html).unwrap_or_else(|e| panic!("{source}: {e}"));
        self_contained(&html);
        let summary = json(&["summary", &source, "--format", "json"]);
        let runs = summary["runs"].as_array().expect("runs");
        let count = |key: &str| -> usize {
            runs.iter()
                .map(|r| r[key].as_array().map_or(0, Vec::len))
                .sum()
        };
        assert_eq!(
            html.matches("<section class=\"run\">").count(),
            runs.len(),
            "{source}"
        );
        assert_eq!(
            html.matches("<li class=\"agent\"").count(),
            count("agents"),
            "{source}"
        );
        assert_eq!(
            html.matches("<tr class=\"call\">").count(),
            count("tool_calls"),
            "{source}"
        );
        let validated = json(&["validate", &source, "--format", "json"]);
        let findings: u64 = (validated[0]["rules"]
            .as_array()
            .or(validated["rules"].as_array()))
        .expect("rules")
        .iter()
        .map(|r| r["total_findings"].as_u64().unwrap_or(0))
        .sum();
        let shown = html.matches("<div class=\"finding\">").count() as u64;
        assert_eq!(shown, findings, "{source}");
        let marks = std::fs::read_to_string(&path)
            .expect("read")
            .matches("\"mark\":")
            .count();
        assert_eq!(
            html.matches("<tr class=\"mark\">").count(),
            marks,
            "{source}"
        );
        for section in [
            "<h4>Story</h4>",
            "<h4>Waterfall</h4>",
            "<h2>Contexts</h2>",
            "<h2>Findings</h2>",
        ] {
            assert!(
                html.contains(section) || runs.is_empty(),
                "{source}: {section}"
            );
        }
    }
}

#[test]
fn secrets_are_redacted_by_default_and_counted_by_kind() {
    let html = report(&fixture(), &[]);
    well_formed(&html).expect("well formed");
    for s in SECRETS {
        assert!(!html.contains(s), "{s} left in the report");
    }
    assert!(html.contains("[redacted:anthropic key]"));
    for count in [
        "1 × anthropic key",
        "1 × github token",
        "1 × aws key",
        "1 × bearer token",
        "1 × openai key",
        "1 × authorization",
    ] {
        assert!(html.contains(count), "{count}");
    }
    assert!(html.contains("× email"));
    // A value the default rules leave alone stays, until a pattern of the user's takes it.
    assert!(html.contains("acct-4711"));
    let custom = report(&fixture(), &["--redact", "acct-[0-9]+"]);
    assert!(!custom.contains("acct-4711"));
    assert!(custom.contains("1 × pattern 1"));
}

#[test]
fn no_redact_keeps_the_values_and_says_so() {
    let html = report(&fixture(), &["--no-redact"]);
    assert!(html.contains("sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx"));
    assert!(html.contains("Redaction: off"));
    let clean = report(&format!("{ROOT}/recordings/simple.jsonl"), &[]);
    assert!(clean.contains("nothing matched a redaction rule"));
}

#[test]
fn input_text_is_escaped_in_html_and_markdown() {
    let html = report(&fixture(), &[]);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(!html.contains('\u{1b}') && !html.contains('\u{7}'));
    assert!(html.contains("␛[31mred␇"));
    let md = report(&fixture(), &["--format", "md"]);
    assert!(md.starts_with("# orchscope report"));
    assert!(!md.contains("<script>") && !md.contains('\u{1b}'));
    assert!(md.contains("&lt;script&gt;"));
    for s in SECRETS {
        assert!(!md.contains(s), "{s} left in the Markdown");
    }
}

#[test]
fn the_report_goes_to_the_file_named_and_a_bad_pattern_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("session.html");
    let code = bin(&["report", &fixture(), "-o", &out.to_string_lossy()]);
    assert_eq!(code.status.code(), Some(0));
    let html = std::fs::read_to_string(&out).expect("written");
    well_formed(&html).expect("well formed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&out).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "a report is owner-only");
        // A link at the output path is replaced, its target left alone.
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, "keep me").expect("target");
        let link = dir.path().join("linked.html");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let code = bin(&["report", &fixture(), "-o", &link.to_string_lossy()]);
        assert_eq!(code.status.code(), Some(0));
        assert_eq!(std::fs::read_to_string(&target).expect("target"), "keep me");
        assert!(!std::fs::symlink_metadata(&link).expect("meta").is_symlink());
        // Writing over an earlier report replaces it.
        let again = bin(&["report", &fixture(), "-o", &out.to_string_lossy()]);
        assert_eq!(again.status.code(), Some(0));
    }
    let bad = bin(&["report", &fixture(), "-o", "-", "--redact", "("]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
}

#[path = "report_browser.rs"]
mod browser;
