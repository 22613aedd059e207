//! Small helpers the rules share: building findings and naming runs, agents and calls in
//! messages.

use super::{Finding, Input, Severity};
use crate::core::session::{AgentIx, CallIx, Pos, RunIx};

impl Finding {
    /// A finding with no run, agent or evidence yet.
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            code: code.to_string(),
            severity,
            message: message.into(),
            run: None,
            agent: None,
            frames: Vec::new(),
        }
    }

    /// Sets the run.
    pub fn in_run(mut self, run: RunIx) -> Finding {
        self.run = Some(run);
        self
    }

    /// Sets the agent (and its run).
    pub fn of_agent(mut self, input: &Input, agent: AgentIx) -> Finding {
        self.agent = Some(agent);
        self.run = Some(input.session.agents[agent].run);
        self
    }

    /// Sets the evidence: positions in the given order, without repeats.
    pub fn at(mut self, frames: impl IntoIterator<Item = Pos>) -> Finding {
        // A set beside the list: evidence can be every frame of a long run.
        let mut seen: rustc_hash::FxHashSet<Pos> = self.frames.iter().copied().collect();
        for p in frames {
            if seen.insert(p) {
                self.frames.push(p);
            }
        }
        self
    }
}

/// A finding's identity: its code, its run and agent, its evidence. The same finding found
/// again by a later recompute has the same id, so a view keeps it selected by id while the
/// list it sits in is replaced.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FindingId(String);

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Finding {
    /// The finding's identity (see [`FindingId`]).
    pub fn id(&self) -> FindingId {
        use std::fmt::Write as _;
        let mut id = self.code.clone();
        let frames: Vec<String> = self.frames.iter().map(|p| p.to_string()).collect();
        let _ = write!(id, "@{}", frames.join(","));
        if let Some(r) = self.run {
            let _ = write!(id, "/run{r}");
        }
        if let Some(a) = self.agent {
            let _ = write!(id, "/agent{a}");
        }
        FindingId(id)
    }
}

impl Input<'_> {
    /// A run's id.
    pub fn run_id(&self, run: RunIx) -> &str {
        self.interner.resolve(self.session.runs[run].id)
    }

    /// An agent as a person reads it: `name (id)`, or the id alone when it says the same.
    pub fn agent_label(&self, agent: AgentIx) -> String {
        let a = &self.session.agents[agent];
        let id = self.interner.resolve(a.id);
        match a.name.map(|n| self.interner.resolve(n)) {
            Some(name) if name != id && !id.ends_with(&format!("/{name}")) => {
                format!("{name} ({id})")
            }
            Some(_) => id.to_string(),
            None => id.to_string(),
        }
    }

    /// The agent's name, else its id.
    pub fn agent_name(&self, agent: AgentIx) -> &str {
        let a = &self.session.agents[agent];
        self.interner.resolve(a.name.unwrap_or(a.id))
    }

    /// A tool call as a person reads it: `tool (call-id, agent name)`.
    pub fn call_label(&self, call: CallIx) -> String {
        let c = &self.session.calls[call];
        let tool = self.name(c.tool);
        let mut inside = Vec::new();
        if let Some(id) = c.call_id {
            inside.push(self.interner.resolve(id).to_string());
        }
        match c.agent {
            Some(a) => inside.push(format!("agent {}", self.agent_name(a))),
            None => {
                if let Some(n) = c.reattributed_from {
                    inside.push(format!("agent {}", self.interner.resolve(n)));
                }
            }
        }
        if inside.is_empty() {
            tool.to_string()
        } else {
            format!("{tool} ({})", inside.join(", "))
        }
    }

    /// Whether a position holds a frame of the log.
    pub fn is_pos(&self, pos: Pos) -> bool {
        pos.index() < self.session.facts.len()
    }
}

/// Seconds, for messages: `12.3 s`.
pub fn secs(ms: f64) -> String {
    format!("{:.1} s", ms / 1000.0)
}

#[cfg(test)]
pub mod testing {
    //! Running a rule on a bare JSONL session.

    use super::super::{verdict, Input, Judgement, RuleResult, Thresholds};
    use crate::core::carries::Carries;
    use crate::core::log::Log;
    use crate::core::session::testing::load;

    /// Loads `text` (one frame a line) and runs `check` with default thresholds.
    pub fn judge(text: &str, check: fn(&Input, &Thresholds) -> Judgement) -> RuleResult {
        let log = load(text);
        run_on(&log, Carries::ALL, check)
    }

    /// Runs `check` on a log.
    pub fn run_on(
        log: &Log,
        carries: Carries,
        check: fn(&Input, &Thresholds) -> Judgement,
    ) -> RuleResult {
        let input = Input {
            session: log.session(),
            interner: &log.interner,
            carries,
            now: None,
        };
        verdict("test", check(&input, &Thresholds::default()))
    }

    /// The codes of a result's findings.
    pub fn codes(r: &RuleResult) -> Vec<&str> {
        r.findings.iter().map(|f| f.code.as_str()).collect()
    }

    /// A Netra fixture.
    pub fn fixture(name: &str) -> Log {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/netra/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        load(&text)
    }
}
