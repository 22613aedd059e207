//! The Story view's words, prepared when the session or the verdicts change (never while
//! drawing): a status line (running or done, agents working, tools in flight, checks green and
//! red, as the verdicts say), the checks in plain words with problems first, then each run told
//! by `core::story`. Knows nothing of the app: `prepare` says when and hands the inputs.

use super::theme::Role;
use crate::core::escape::escape;
use crate::core::log::Log;
use crate::core::plural::{count, noun_for};
use crate::core::session::{AgentStatus, CallStatus, RunIx, Session};
use crate::core::story::{of_run, plain, RunStory};
use crate::core::validate::{RuleResult, Severity};
use crate::tui::escape::escape_short;
use crate::tui::ui::rules::crashed;

/// Characters of the answer shown (its first lines once wrapped).
const ANSWER_MAX: usize = 480;
/// Characters of a finding's message shown.
const MESSAGE_MAX: usize = 160;

/// One line of the Story: what it shows, its colour role, and whether it is a heading.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryLine {
    pub role: Role,
    pub bold: bool,
    pub text: String,
}

fn line(role: Role, bold: bool, text: impl Into<String>) -> StoryLine {
    StoryLine {
        role,
        bold,
        text: text.into(),
    }
}

#[derive(Debug, Default)]
pub struct StoryView {
    made_of: Option<u64>,
    /// The status lines (what stands, then the counts) and the role they are drawn in
    /// (reversed); none before they are prepared.
    pub status: Option<(Role, [String; 3])>,
    /// The checks in words.
    pub checks: Vec<StoryLine>,
    /// The lines of the runs that can show, one list per run, from run `first`.
    pub runs: Vec<Vec<StoryLine>>,
    pub first: usize,
    /// How many runs there are.
    pub total: usize,
}

impl StoryView {
    /// Tells the session `s` and its verdicts again, unless `inputs` (a hash of what they are
    /// made from) is what they were made from: the runs from `first`, as many as `rows` of
    /// screen can show (a run takes at least four).
    pub fn prepare(
        &mut self,
        inputs: u64,
        (log, s): (&Log, &Session),
        (results, checking): (&[RuleResult], bool),
        (first, rows): (usize, usize),
        prices: &crate::core::usage::pricing::Prices,
    ) {
        if self.made_of.replace(inputs) == Some(inputs) {
            return;
        }
        self.status = Some(status(s, results, checking));
        self.checks = checks(results);
        self.total = s.runs.len();
        self.first = first.min(self.total);
        let shown = self.first..(self.first + rows / 4 + 1).min(self.total);
        self.runs = shown
            .map(|r| {
                let mut lines = told(r, &of_run(log, s, RunIx::new(r)));
                // The model use goes after the tools.
                let used = super::costs::story_line(log, s, RunIx::new(r), prices);
                lines.splice(4.min(lines.len())..4.min(lines.len()), used);
                lines
            })
            .collect();
    }
}

/// `⟳ RUNNING · 2 of 3 runs open`, `2 agents working · 1 tool in flight`, `checks 7 ✓
/// green · 1 ✗ red`.
fn status(s: &Session, results: &[RuleResult], checking: bool) -> (Role, [String; 3]) {
    let open = (s.runs.iter())
        .filter(|r| crate::tui::texts::run_state(s, r) == AgentStatus::Running)
        .count();
    let working = s.agents.iter().filter(|a| a.is_running()).count();
    let in_flight = (s.calls.iter())
        .filter(|c| c.status == CallStatus::Open)
        .filter(|c| c.agent.is_none_or(|a| s.agents[a].is_running()))
        .count();
    let by = |name: &str| results.iter().filter(|r| r.status.as_str() == name).count();
    let (green, red, amber) = (by("pass"), by("fail"), by("warn"));
    let pending = (results.iter())
        .filter(|r| !matches!(r.status.as_str(), "pass" | "fail" | "warn" | "skip"))
        .count();
    let (word, glyph) = match (s.runs.is_empty(), open) {
        (true, _) => ("WAITING", "…"),
        (false, 0) => ("DONE", "■"),
        _ => ("RUNNING", "⟳"),
    };
    let runs = match open {
        0 => count(s.runs.len(), "run"),
        n => format!("{n} of {} open", count(s.runs.len(), "run")),
    };
    let mut checks = format!("checks {green} ✓ green · {red} ✗ red");
    if amber > 0 {
        checks.push_str(&format!(" · {amber} ⚠ {}", noun_for(amber, "warning")));
    }
    if pending > 0 {
        checks.push_str(&format!(" · {pending} … pending"));
    }
    if checking {
        checks.push_str(" · checking…");
    }
    let text = [
        format!(" {glyph} {word} · {runs} "),
        format!(
            " {} working · {} in flight ",
            count(working, "agent"),
            count(in_flight, "tool"),
        ),
        format!(" {checks} "),
    ];
    let role = match (red, amber, open) {
        (0, 0, 0) => Role::Ok,
        (0, _, 0) => Role::Warn,
        (0, _, _) => Role::Running,
        _ => Role::Error,
    };
    (role, text)
}

/// The checks in words: failures, then warnings (each with its first problem), then the
/// passed, pending and unchecked ones on a line each.
fn checks(results: &[RuleResult]) -> Vec<StoryLine> {
    let mut out = vec![line(Role::Title, true, "What the checks say")];
    // How many findings of a severity, and the first one's message in plain words.
    let problems = |r: &RuleResult, sev: Severity| {
        let mut of = r.findings.iter().filter(|f| f.severity == sev);
        let first = of.next().map_or(String::new(), |f| {
            format!(" — {}", escape_short(&plain(&f.message), MESSAGE_MAX))
        });
        (1 + of.count() - usize::from(first.is_empty()), first)
    };
    for r in results.iter().filter(|r| r.status.as_str() == "fail") {
        let (n, first) = problems(r, Severity::Error);
        let words = match crashed(r) {
            Some(m) => format!("✗ {} crashed ({})", r.id, escape(m, true)),
            None => format!("✗ {} failed: {}{first}", r.id, count(n, "problem")),
        };
        out.push(line(Role::Error, false, words));
    }
    for r in results.iter().filter(|r| r.status.as_str() == "warn") {
        let (n, first) = problems(r, Severity::Warn);
        let words = format!("⚠ {} passed with {}{first}", r.id, count(n, "warning"));
        out.push(line(Role::Warn, false, words));
    }
    let named = |status: &str| -> Vec<&str> {
        (results.iter())
            .filter(|r| r.status.as_str() == status)
            .map(|r| r.id)
            .collect()
    };
    let passed = named("pass");
    if !passed.is_empty() {
        let words = format!(
            "✓ {} passed: {}",
            count(passed.len(), "check"),
            passed.join(", ")
        );
        out.push(line(Role::Ok, false, words));
    }
    let pending: Vec<&str> = (results.iter())
        .filter(|r| !matches!(r.status.as_str(), "pass" | "fail" | "warn" | "skip"))
        .map(|r| r.id)
        .collect();
    if !pending.is_empty() {
        let words = format!("… pending while runs are open: {}", pending.join(", "));
        out.push(line(Role::Running, false, words));
    }
    let skipped: Vec<String> = (results.iter())
        .filter(|r| r.status.as_str() == "skip")
        .map(|r| match r.reason.as_deref() {
            Some(why) => format!("{} ({})", r.id, escape(why, true)),
            None => r.id.to_string(),
        })
        .collect();
    if !skipped.is_empty() {
        out.push(line(
            Role::Skip,
            false,
            format!("○ not checked: {}", skipped.join("; ")),
        ));
    }
    out
}

/// Run `r`'s lines.
fn told(r: usize, st: &RunStory) -> Vec<StoryLine> {
    let (glyph, role, how) = match st.status {
        Some(AgentStatus::Completed) => ("✓", Role::Ok, "completed"),
        Some(AgentStatus::Failed) => ("✗", Role::Error, "failed"),
        Some(AgentStatus::FellBack) => ("↺", Role::Warn, "fell back"),
        Some(AgentStatus::Aborted) => ("⊘", Role::Error, "aborted"),
        Some(AgentStatus::Running) | None => ("⟳", Role::Running, "running"),
    };
    let took = crate::tui::ui::secs(st.duration_ms);
    let mut out = vec![
        line(role, true, format!("Run {} · {glyph} {how}, {took}", r + 1)),
        line(
            Role::Fg,
            false,
            match &st.request {
                Some(q) => format!("  Asked: “{}”", escape(q, true)),
                None => "  Asked: (the request was not recorded)".into(),
            },
        ),
    ];
    let agents: Vec<String> = (st.agents.iter())
        .map(|(name, ms)| format!("{} {}", escape(name, true), crate::tui::ui::secs(*ms)))
        .collect();
    out.push(line(
        Role::Fg,
        false,
        format!(
            "  {} worked on it: {}.",
            count(agents.len(), "agent"),
            agents.join(", ")
        ),
    ));
    out.push(line(Role::Fg, false, tools(st)));
    for (what, recovered) in &st.failures {
        let (role, text) = match recovered {
            Some(how) => (Role::Warn, format!("  ↺ {what}: {how}.")),
            None => (
                Role::Error,
                format!("  ✗ {what}, and it was not recovered."),
            ),
        };
        out.push(line(role, false, escape(&text, true)));
    }
    out.push(match &st.answer {
        Some(a) => {
            let a = escape_short(a, ANSWER_MAX);
            line(Role::Fg, false, format!("  The answer: {a}"))
        }
        None => line(Role::Dim, false, "  No answer yet."),
    });
    out
}

/// `Tools: 3 calls of 2 tools — query_gpu_spend (2 calls, 1 failed), query_billing_export.`
fn tools(st: &RunStory) -> String {
    if st.tools.is_empty() {
        return "  No tools were used.".into();
    }
    let calls: usize = st.tools.iter().map(|t| t.1).sum();
    let each: Vec<String> = (st.tools.iter())
        .map(|(name, n, failed)| {
            let name = escape(name, true);
            match (n, failed) {
                (1, 0) => name,
                (1, _) => format!("{name} (failed)"),
                (n, 0) => format!("{name} ({} calls)", n),
                (n, f) => format!("{name} ({n} calls, {f} failed)"),
            }
        })
        .collect();
    format!(
        "  Tools: {} of {} — {}.",
        count(calls, "call"),
        count(st.tools.len(), "tool"),
        each.join(", ")
    )
}
