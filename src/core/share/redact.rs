//! Redaction of secrets from text that is shared: one table of rules (API keys and tokens of
//! the common providers, `Authorization` values, bearer tokens, emails), patterns a user adds,
//! and counts of what was redacted per kind (never the values). Pure.

use regex::{Captures, Regex};
use std::borrow::Cow;

/// A rule of the table: its kind, the (lowercase) text one of which any match holds, its
/// pattern.
pub type Entry = (&'static str, &'static [&'static str], &'static str);

/// The rules on by default: a kind (shown in counts and in the replacement), the text a match
/// must hold, and the pattern.
/// A `keep` group is kept in front of the replacement (the header's name, not its value).
/// Word boundaries are ASCII ones (`(?-u:\b)`), which the fast engines can run on any text.
/// Order matters: the more specific prefix first (`sk-ant-` before `sk-`).
pub const RULES: [Entry; 10] = [
    (
        "authorization",
        &["authorization"],
        r#"(?i)(?P<keep>(?-u:\b)authorization\\?["']?\s*[:=]\s*\\?["']?)[^"'\\\r\n,;}]+"#,
    ),
    (
        "anthropic key",
        &["sk-ant-"],
        r"(?-u:\b)sk-ant-[A-Za-z0-9_\-]{16,}",
    ),
    (
        "openai key",
        &["sk-"],
        r"(?-u:\b)sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}",
    ),
    (
        "github token",
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        r"(?-u:\b)(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}",
    ),
    (
        "github token",
        &["github_pat_"],
        r"(?-u:\b)github_pat_[A-Za-z0-9_]{22,}",
    ),
    (
        "aws key",
        &["akia", "asia"],
        r"(?-u:\b)(?:AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)",
    ),
    ("google key", &["aiza"], r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}"),
    (
        "slack token",
        &["xox"],
        r"(?-u:\b)xox[abposr]-[A-Za-z0-9\-]{10,}",
    ),
    (
        "bearer token",
        &["bearer"],
        r"(?i)(?P<keep>(?-u:\b)bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*",
    ),
    (
        "email",
        &["@"],
        r"(?-u:\b)[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?-u:\b)",
    ),
];

struct Rule {
    kind: String,
    /// Lowercase text one of which a match holds (none: no hint), to pass over most text
    /// without running the pattern.
    needles: &'static [&'static str],
    re: Regex,
}

/// The rules in force and what they redacted so far.
pub struct Redactor {
    rules: Vec<Rule>,
    counts: Vec<usize>,
}

impl Redactor {
    /// The default rules (none when `off`), then each of `extra` (a regular expression whose
    /// matches are redacted, counted as `pattern N`). An invalid pattern is an error in words.
    pub fn new(extra: &[String], off: bool) -> Result<Redactor, String> {
        let defaults = (!off).then_some(RULES.iter()).into_iter().flatten();
        let mut rules = Vec::new();
        for &(kind, needles, pattern) in defaults {
            let re = Regex::new(pattern).map_err(|e| format!("redaction rule {kind}: {e}"))?;
            rules.push(Rule {
                kind: kind.to_string(),
                needles,
                re,
            });
        }
        for (n, pattern) in extra.iter().enumerate() {
            let re = Regex::new(pattern).map_err(|e| format!("--redact {pattern:?}: {e}"))?;
            rules.push(Rule {
                kind: format!("pattern {}", n + 1),
                needles: &[],
                re,
            });
        }
        let counts = vec![0; rules.len()];
        Ok(Redactor { rules, counts })
    }

    /// `text` with every match of every rule replaced by `[redacted:KIND]`.
    pub fn redact<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let mut cur = Cow::Borrowed(text);
        let lower = text.to_ascii_lowercase();
        for (rule, count) in self.rules.iter().zip(self.counts.iter_mut()) {
            if !rule.needles.is_empty() && !rule.needles.iter().any(|n| lower.contains(n)) {
                continue;
            }
            let kind = &rule.kind;
            let replaced = rule.re.replace_all(&cur, |c: &Captures| {
                *count += 1;
                let keep = c.name("keep").map_or("", |m| m.as_str());
                format!("{keep}[redacted:{kind}]")
            });
            if let Cow::Owned(s) = replaced {
                cur = Cow::Owned(s);
            }
        }
        cur
    }

    /// How many values of each kind were redacted, kinds in table order, none left at 0.
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for (rule, &n) in self.rules.iter().zip(&self.counts) {
            match out.iter_mut().find(|(k, _)| *k == rule.kind) {
                Some(e) => e.1 += n,
                None => out.push((rule.kind.clone(), n)),
            }
        }
        out.retain(|(_, n)| *n > 0);
        out
    }

    /// Whether any rule is in force.
    pub fn active(&self) -> bool {
        !self.rules.is_empty()
    }
}

#[cfg(test)]
mod tests;
