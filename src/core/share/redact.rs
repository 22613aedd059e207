//! Redaction of secrets from text that is shared: one table of rules (API keys and tokens of
//! the common providers, `Authorization` values, bearer tokens, emails), patterns a user adds,
//! and counts of what was redacted per kind (never the values). Pure.

use regex::{Captures, Regex};
use std::borrow::Cow;

/// The rules on by default: a kind (shown in counts and in the replacement) and its pattern.
/// A `keep` group is kept in front of the replacement (the header's name, not its value).
/// Order matters: the more specific prefix first (`sk-ant-` before `sk-`).
pub const RULES: [(&str, &str); 10] = [
    (
        "authorization",
        r#"(?i)(?P<keep>\bauthorization\\?["']?\s*[:=]\s*\\?["']?)[^"'\\\r\n,;}]+"#,
    ),
    ("anthropic key", r"\bsk-ant-[A-Za-z0-9_\-]{16,}"),
    (
        "openai key",
        r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}",
    ),
    (
        "github token",
        r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}",
    ),
    ("github token", r"\bgithub_pat_[A-Za-z0-9_]{22,}"),
    ("aws key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("google key", r"\bAIza[0-9A-Za-z_\-]{35}"),
    ("slack token", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"),
    (
        "bearer token",
        r"(?i)(?P<keep>\bbearer\s+)[A-Za-z0-9\-._~+/]{8,}=*",
    ),
    (
        "email",
        r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b",
    ),
];

struct Rule {
    kind: String,
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
        for &(kind, pattern) in defaults {
            let re = Regex::new(pattern).map_err(|e| format!("redaction rule {kind}: {e}"))?;
            rules.push(Rule {
                kind: kind.to_string(),
                re,
            });
        }
        for (n, pattern) in extra.iter().enumerate() {
            let re = Regex::new(pattern).map_err(|e| format!("--redact {pattern:?}: {e}"))?;
            rules.push(Rule {
                kind: format!("pattern {}", n + 1),
                re,
            });
        }
        let counts = vec![0; rules.len()];
        Ok(Redactor { rules, counts })
    }

    /// `text` with every match of every rule replaced by `[redacted:KIND]`.
    pub fn redact<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let mut cur = Cow::Borrowed(text);
        for (rule, count) in self.rules.iter().zip(self.counts.iter_mut()) {
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
