//! Validation reports: the `text`, `json` (validators.md, exact keys) and `junit` renderings of
//! the rule results for one or more sources, and the exit code they imply. Pure formatting.

use super::escape::{escape, json_pretty};
use super::intern::Interner;
use super::plural::count;
use super::session::{Pos, Session};
use super::validate::{RuleResult, Severity, Status};
use serde::Serialize;
use std::fmt::Write as _;

/// At most this many findings are listed per rule.
pub const MAX_LISTED: usize = 1000;

/// One source's results.
pub struct SourceReport<'a> {
    pub source: &'a str,
    /// The input format's `--format-in` name, as detected or named.
    pub format: &'a str,
    pub frames: usize,
    pub session: &'a Session,
    pub interner: &'a Interner,
    pub results: &'a [RuleResult],
    /// The fields of a foreign format orchscope does not know, when asked for (`--unknowns`).
    pub unknowns: Option<&'a [super::import::Unknown]>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    orchscope_report: u32,
    source: &'a str,
    format: &'a str,
    counts: Counts,
    rules: Vec<JsonRule<'a>>,
    summary: Tally,
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown_fields: Option<Vec<JsonUnknown<'a>>>,
}

#[derive(Serialize)]
struct JsonUnknown<'a> {
    field: &'a str,
    count: usize,
    first_line: usize,
}

#[derive(Serialize)]
struct Counts {
    frames: usize,
    events: u32,
    runs: usize,
    agents: usize,
    tool_calls: usize,
    turns: usize,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    status: &'static str,
    reason: Option<&'a str>,
    total_findings: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    run_id: Option<&'a str>,
    agent: Option<&'a str>,
    frames: &'a [Pos],
}

/// Counts of rule statuses.
#[derive(Serialize, Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub skip: usize,
}

/// Counts statuses.
pub fn tally(results: &[RuleResult]) -> Tally {
    let mut t = Tally::default();
    for r in results {
        match r.status {
            Status::Pass => t.pass += 1,
            Status::Fail => t.fail += 1,
            Status::Warn => t.warn += 1,
            Status::Skip | Status::Pending => t.skip += 1,
        }
    }
    t
}

impl SourceReport<'_> {
    fn counts(&self) -> Counts {
        let s = self.session;
        Counts {
            frames: self.frames,
            events: s.events,
            runs: s.runs.len(),
            agents: s.agents.len(),
            tool_calls: s.calls.len(),
            turns: s.turns.len(),
        }
    }

    fn json(&self) -> JsonReport<'_> {
        let s = self.session;
        let rules = self
            .results
            .iter()
            .map(|r| JsonRule {
                id: r.id,
                status: r.status.as_str(),
                reason: r.reason.as_deref(),
                total_findings: r.findings.len(),
                findings: r
                    .findings
                    .iter()
                    .take(MAX_LISTED)
                    .map(|f| JsonFinding {
                        code: &f.code,
                        severity: f.severity.as_str(),
                        message: &f.message,
                        run_id: f.run.map(|r| self.interner.resolve(s.runs[r].id)),
                        agent: f.agent.map(|a| self.interner.resolve(s.agents[a].id)),
                        frames: &f.frames,
                    })
                    .collect(),
            })
            .collect();
        JsonReport {
            orchscope_report: 1,
            source: self.source,
            format: self.format,
            counts: self.counts(),
            rules,
            summary: tally(self.results),
            unknown_fields: self.unknowns.map(|list| {
                list.iter()
                    .map(|u| JsonUnknown {
                        field: &u.field,
                        count: u.count,
                        first_line: u.first_line,
                    })
                    .collect()
            }),
        }
    }
}

/// The JSON report: one object for one source, an array for several.
pub fn json(reports: &[SourceReport]) -> String {
    let docs: Vec<JsonReport> = reports.iter().map(SourceReport::json).collect();
    let out = if docs.len() == 1 {
        json_pretty(&docs[0])
    } else {
        json_pretty(&docs)
    };
    out.unwrap_or_default()
}

/// Text for XML: control characters made visible first (XML 1.0 cannot hold most of them, and a
/// JUnit viewer may print the rest), then the markup characters as entities.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape(s, false).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A source as one JUnit class-name segment: CI tools split class names on dots into packages
/// (and some on slashes), so every character but a letter, a digit, `-` and `_` becomes `_`
/// (`recordings/simple.jsonl` → `recordings_simple_jsonl`). The suite keeps the real name.
fn class_name(source: &str) -> String {
    let safe = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    source
        .chars()
        .map(|c| if safe(c) { c } else { '_' })
        .collect()
}

/// JUnit XML: one test suite per source, one test case per rule.
pub fn junit(reports: &[SourceReport]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"orchscope\">\n",
    );
    for rep in reports {
        let t = tally(rep.results);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" errors=\"0\">",
            xml_escape(rep.source),
            rep.results.len(),
            t.fail,
            t.skip
        );
        for r in rep.results {
            let _ = write!(
                out,
                "    <testcase classname=\"orchscope.{}\" name=\"{}\"",
                xml_escape(&class_name(rep.source)),
                r.id
            );
            let body: String = r
                .findings
                .iter()
                .take(MAX_LISTED)
                .map(|f| {
                    format!(
                        "{} {} {} [frames {}]\n",
                        f.severity.as_str(),
                        f.code,
                        f.message,
                        frame_list(&f.frames, usize::MAX)
                    )
                })
                .collect();
            match r.status {
                Status::Pass => out.push_str("/>\n"),
                Status::Skip | Status::Pending => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        xml_escape(r.reason.as_deref().unwrap_or("skipped"))
                    );
                }
                Status::Fail => {
                    let first = r
                        .findings
                        .iter()
                        .find(|f| f.severity == Severity::Error)
                        .map_or("", |f| f.message.as_str());
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        xml_escape(first),
                        r.id,
                        xml_escape(&body)
                    );
                }
                Status::Warn => {
                    let _ = writeln!(
                        out,
                        ">\n      <system-out>{}</system-out>\n    </testcase>",
                        xml_escape(&body)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The compact text report; ANSI colour when `color`.
pub fn text(reports: &[SourceReport], color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    for rep in reports {
        let c = rep.counts();
        let _ = writeln!(
            out,
            "{}  {} · {} · {} · {} · {} · {}",
            paint.on("1", &escape(rep.source, true)),
            rep.format,
            count(c.frames, "frame"),
            count(c.runs, "run"),
            count(c.agents, "agent"),
            count(c.tool_calls, "tool call"),
            count(c.turns, "turn")
        );
        for r in rep.results {
            text_rule(&mut out, r, paint);
        }
        let t = tally(rep.results);
        let _ = writeln!(
            out,
            "  {} pass · {} fail · {} warn · {} skip",
            t.pass, t.fail, t.warn, t.skip
        );
    }
    out
}

/// ANSI colour for the text report, or none.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn on(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// One rule's line of the text report, and its first findings.
fn text_rule(out: &mut String, r: &RuleResult, paint: Paint) {
    let (glyph, code) = match r.status {
        Status::Pass => ("✓", "32"),
        Status::Fail => ("✗", "31"),
        Status::Warn => ("⚠", "33"),
        Status::Skip => ("–", "2"),
        Status::Pending => ("…", "2"),
    };
    let mut line = format!(
        "  {} {:<18} {:<4}",
        paint.on(code, glyph),
        r.id,
        paint.on(code, r.status.as_str())
    );
    if !r.findings.is_empty() {
        let _ = write!(line, "  {}", count(r.findings.len(), "finding"));
    }
    if let Some(reason) = &r.reason {
        let _ = write!(line, "  ({})", escape(reason, true));
    }
    let _ = writeln!(out, "{line}");
    for f in r
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info || r.findings.len() <= 5)
        .take(20)
    {
        let sev = match f.severity {
            Severity::Error => paint.on("31", "error"),
            Severity::Warn => paint.on("33", "warn "),
            Severity::Info => paint.on("2", "info "),
        };
        let _ = writeln!(
            out,
            "      {sev} {}  {}  [frames {}]",
            paint.on("2", &f.code),
            escape(&f.message, true),
            frame_list(&f.frames, 6)
        );
    }
    if r.findings.len() > 20 {
        let _ = writeln!(
            out,
            "      … {} more (use --format json for all)",
            r.findings.len() - 20
        );
    }
}

/// Evidence frames as every text output writes them: their positions (0-based, the numbers
/// of the JSON report, the TUI and `:goto #N`), comma-separated, at most `max` of them.
pub fn frame_list(frames: &[Pos], max: usize) -> String {
    let shown: Vec<String> = frames.iter().take(max).map(Pos::to_string).collect();
    shown.join(",")
}

/// Exit code for a set of results: 1 when a rule failed (or warned, with `fail_on_warn`).
pub fn exit_code(results: &[RuleResult], fail_on_warn: bool) -> u8 {
    let bad = results
        .iter()
        .any(|r| r.status == Status::Fail || (fail_on_warn && r.status == Status::Warn));
    u8::from(bad)
}
