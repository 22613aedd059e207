//! The timeline filter: a query such as `agent:data type:tool_* status:error tool:query*
//! dur:>500ms run:run-2 timeout !heartbeat /err(or)?s/` parsed into terms that must all hold.
//! A bare word matches the frame text (case-insensitive); `/…/` is a regex over it; `!`
//! negates any term. Pure: it sees one frame through [`Subject`], never the session.

use regex::Regex;

/// What a term can look at of one frame.
#[derive(Debug, Default, Clone)]
pub struct Subject<'a> {
    pub text: &'a str,
    pub kind: &'a str,
    pub agent: Option<&'a str>,
    pub tool: Option<&'a str>,
    pub run: Option<&'a str>,
    /// Statuses that apply: the call's, the agent's, `error` for error events.
    pub status: &'a [&'a str],
    /// The duration of the call or agent the frame belongs to (ms).
    pub dur_ms: Option<f64>,
}

#[derive(Debug, Clone)]
enum Test {
    Text(String),
    Regex(Regex),
    Agent(String),
    Kind(String),
    Status(String),
    Tool(String),
    Run(String),
    Dur(Cmp, f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
}

#[derive(Debug, Clone)]
struct Term {
    negate: bool,
    test: Test,
}

/// A parsed filter; the empty filter matches everything.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    source: String,
    terms: Vec<Term>,
}

impl Filter {
    /// Parses a query; an error names the term at fault.
    pub fn parse(query: &str) -> Result<Filter, String> {
        let mut terms = Vec::new();
        for word in split(query) {
            let (negate, body) = match word.strip_prefix('!') {
                Some(rest) if !rest.is_empty() => (true, rest),
                _ => (false, word.as_str()),
            };
            terms.push(Term {
                negate,
                test: parse_term(body)?,
            });
        }
        Ok(Filter {
            source: query.trim().to_string(),
            terms,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The query as typed (for the pane title).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the filter reads statuses or durations, which change as the log grows.
    pub fn is_volatile(&self) -> bool {
        self.terms
            .iter()
            .any(|t| matches!(t.test, Test::Status(_) | Test::Dur(..)))
    }

    pub fn matches(&self, s: &Subject) -> bool {
        self.terms.iter().all(|t| t.test.holds(s) != t.negate)
    }
}

/// Splits on whitespace, keeping `/…/` regexes (which may contain spaces) whole.
fn split(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_re = false;
    for c in query.chars() {
        if c == '/' && (cur.is_empty() || cur == "!") && !in_re {
            in_re = true;
            cur.push(c);
        } else if c == '/' && in_re {
            in_re = false;
            cur.push(c);
        } else if c.is_whitespace() && !in_re {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn parse_term(body: &str) -> Result<Test, String> {
    if body.len() >= 2 && body.starts_with('/') && body.ends_with('/') {
        let re = &body[1..body.len() - 1];
        return Regex::new(&format!("(?i){re}"))
            .map(Test::Regex)
            .map_err(|e| {
                format!(
                    "bad regex /{re}/: {}",
                    e.to_string().lines().last().unwrap_or("")
                )
            });
    }
    let Some((field, value)) = body.split_once(':') else {
        return Ok(Test::Text(body.to_lowercase()));
    };
    let v = value.to_lowercase();
    Ok(match field {
        "agent" => Test::Agent(v),
        "type" => Test::Kind(v),
        "status" => Test::Status(v),
        "tool" => Test::Tool(v),
        "run" => Test::Run(v),
        "dur" => parse_dur(value)?,
        _ => Test::Text(body.to_lowercase()),
    })
}

fn parse_dur(value: &str) -> Result<Test, String> {
    let (cmp, rest) = if let Some(r) = value.strip_prefix(">=") {
        (Cmp::Ge, r)
    } else if let Some(r) = value.strip_prefix("<=") {
        (Cmp::Le, r)
    } else if let Some(r) = value.strip_prefix('>') {
        (Cmp::Gt, r)
    } else if let Some(r) = value.strip_prefix('<') {
        (Cmp::Lt, r)
    } else {
        (Cmp::Eq, value.strip_prefix('=').unwrap_or(value))
    };
    let bad = || format!("dur:{value}: use e.g. dur:>500ms or dur:<2s");
    let (num, scale) = if let Some(n) = rest.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = rest.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (rest, 1.0)
    };
    let n: f64 = num.parse().map_err(|_| bad())?;
    Ok(Test::Dur(cmp, n * scale))
}

/// `*` matches any run of characters; case-insensitive (`pat` is lower case already).
pub fn glob(pat: &str, text: &str) -> bool {
    let text = text.to_lowercase();
    let parts: Vec<&str> = pat.split('*').collect();
    if parts.len() == 1 {
        return text == pat;
    }
    let mut rest = text.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

impl Test {
    fn holds(&self, s: &Subject) -> bool {
        let opt = |v: Option<&str>, pat: &str| v.is_some_and(|v| glob(pat, v));
        match self {
            Test::Text(t) => s.text.to_lowercase().contains(t.as_str()),
            Test::Regex(re) => re.is_match(s.text),
            Test::Agent(p) => opt(s.agent, p),
            Test::Kind(p) => glob(p, s.kind),
            Test::Status(p) => s.status.iter().any(|st| glob(p, st)),
            Test::Tool(p) => opt(s.tool, p),
            Test::Run(p) => opt(s.run, p),
            Test::Dur(cmp, n) => s.dur_ms.is_some_and(|d| match cmp {
                Cmp::Gt => d > *n,
                Cmp::Lt => d < *n,
                Cmp::Ge => d >= *n,
                Cmp::Le => d <= *n,
                Cmp::Eq => (d - n).abs() < 0.5,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(status: &'a [&'a str]) -> Subject<'a> {
        Subject {
            text: r#"{"type":"tool_completed","payload":{"tool_name":"query_costs"}}"#,
            kind: "tool_completed",
            agent: Some("data"),
            tool: Some("query_costs"),
            run: Some("run-2"),
            status,
            dur_ms: Some(812.0),
        }
    }

    #[test]
    fn fields_combine_and_negate() {
        let s = subject(&["error"]);
        let ok = |q: &str| Filter::parse(q).unwrap().matches(&s);
        assert!(ok(""));
        assert!(ok(
            "agent:data type:tool_* status:error tool:query* dur:>500ms run:run-2"
        ));
        assert!(!ok("agent:supervisor"));
        assert!(ok("!agent:supervisor"));
        assert!(ok("QUERY_costs"));
        assert!(!ok("!query_costs"));
        assert!(ok("/tool_(completed|executing)/"));
        assert!(!ok("/^nothing$/"));
        assert!(!ok("dur:<500ms"));
        assert!(ok("dur:<1s"));
        assert!(ok("type:*completed"));
        assert!(!ok("type:tool"));
        assert!(Filter::parse("/a b/ x").unwrap().terms.len() == 2);
    }

    #[test]
    fn bad_terms_are_errors_and_volatility_is_known() {
        assert!(Filter::parse("/(/").is_err());
        assert!(Filter::parse("dur:>fast").is_err());
        assert!(Filter::parse("status:ok").unwrap().is_volatile());
        assert!(!Filter::parse("agent:x").unwrap().is_volatile());
        assert_eq!(Filter::parse("  agent:x ").unwrap().source(), "agent:x");
    }

    #[test]
    fn glob_matches_stars_anywhere() {
        assert!(glob("tool_*", "TOOL_EXECUTING"));
        assert!(glob("*ing", "thinking"));
        assert!(glob("a*c*e", "abcde"));
        assert!(!glob("a*c*e", "abcdf"));
        assert!(glob("*", ""));
    }
}
