//! The validators in the inspector: their configuration, the latest verdicts, and the job that
//! recomputes them. A job owns a copy of the view's session (sharing its chunks) and of the
//! name table, so the runner can run it on a worker thread: input is never behind the rules.
//! Each rule runs behind a panic guard: one that panics is shown as crashed.

use crate::core::carries::Carries;
use crate::core::intern::Interner;
use crate::core::session::Session;
use crate::core::validate::{self, Config, Finding, RuleResult};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Least time between two recomputations that follow the view (ms).
const DEBOUNCE_MS: f64 = 250.0;

/// Which session a set of verdicts is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The session at the position shown (the header, the Rules tab).
    View,
    /// The whole log (replay: where `]` and `[` find failures ahead of the position).
    Log,
}

/// The validators' configuration and latest verdicts.
#[derive(Debug, Clone)]
pub struct Rules {
    pub scope: Scope,
    pub config: Config,
    pub results: Vec<RuleResult>,
    /// The view or the configuration changed since the verdicts were computed.
    pub dirty: bool,
    pub last_run_ms: f64,
    /// Changes each time new verdicts are taken.
    pub version: u64,
    /// The generation of the job running, if any.
    running: Option<u64>,
    generation: u64,
    /// Live: the rules judge with the app clock as "now" (silence, open calls, pending).
    pub live: bool,
    /// Live: when the clock alone changes the verdicts, so they are judged again then.
    deadline: Option<f64>,
}

/// One recomputation, self-contained.
#[derive(Debug, Clone)]
pub struct Job {
    scope: Scope,
    generation: u64,
    session: Session,
    interner: Arc<Interner>,
    carries: Carries,
    config: Config,
    /// Live: the clock the rules judge silence and open calls by (receive clock, ms).
    now: Option<f64>,
}

impl PartialEq for Job {
    /// The same request: the same verdicts asked for.
    fn eq(&self, other: &Job) -> bool {
        (self.scope, self.generation) == (other.scope, other.generation)
    }
}

/// A finding named by its rule and its id (`Finding::id`: code, run, agent, evidence), so a
/// selection survives a recomputation that lists the findings in another order; the id is
/// kept hashed so a selection stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FindingKey {
    pub rule: &'static str,
    hash: u64,
}

impl FindingKey {
    pub fn of(rule: &'static str, f: &Finding) -> FindingKey {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        f.id().hash(&mut h);
        FindingKey {
            rule,
            hash: h.finish(),
        }
    }
}

/// What a job found, for the app to take.
#[derive(Debug, Clone)]
pub struct Verdicts {
    pub scope: Scope,
    generation: u64,
    results: Vec<RuleResult>,
    /// Live: when the clock alone would change them (a run silent or a call open too long).
    deadline: Option<f64>,
}

impl Job {
    /// Runs every validator (on whatever thread).
    pub fn run(self) -> Verdicts {
        let input = validate::Input {
            session: &self.session,
            interner: &self.interner,
            carries: self.carries,
            now: self.now,
        };
        Verdicts {
            scope: self.scope,
            generation: self.generation,
            results: crate::crash::rules(&input, &self.config),
            deadline: validate::live::deadline(&input, &self.config.thresholds),
        }
    }
}

impl Verdicts {
    /// The verdicts with their results rearranged (tests of selections that must survive it).
    #[cfg(test)]
    pub fn rearranged(mut self, f: impl FnOnce(&mut Vec<RuleResult>)) -> Verdicts {
        f(&mut self.results);
        self
    }
}

impl Rules {
    pub fn new(scope: Scope, config: Config) -> Rules {
        Rules {
            scope,
            config,
            results: Vec::new(),
            dirty: true,
            last_run_ms: f64::NEG_INFINITY,
            version: 0,
            running: None,
            generation: 0,
            live: false,
            deadline: None,
        }
    }

    /// The verdicts are out of date and should be recomputed as soon as possible (the
    /// configuration changed).
    pub fn invalidate(&mut self) {
        self.dirty = true;
        self.last_run_ms = f64::NEG_INFINITY;
    }

    /// A recomputation is under way.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The verdicts are out of date, none is running and the last one is not too recent.
    pub fn due(&self, now_ms: f64) -> bool {
        let passed = self.deadline.is_some_and(|d| now_ms >= d);
        (self.dirty || passed) && self.running.is_none() && now_ms - self.last_run_ms >= DEBOUNCE_MS
    }

    /// A job, when one is [due](Rules::due).
    pub fn schedule(
        &mut self,
        session: &Session,
        interner: &Arc<Interner>,
        carries: Carries,
        now_ms: f64,
    ) -> Option<Job> {
        if !self.due(now_ms) {
            return None;
        }
        self.generation += 1;
        self.running = Some(self.generation);
        self.dirty = false;
        self.last_run_ms = now_ms;
        Some(Job {
            scope: self.scope,
            generation: self.generation,
            session: session.clone(),
            interner: Arc::clone(interner),
            carries,
            config: self.config.clone(),
            now: self.live.then_some(now_ms),
        })
    }

    /// Takes a finished job's verdicts (those of an abandoned job are dropped).
    pub fn finished(&mut self, v: Verdicts) {
        if self.running == Some(v.generation) {
            self.results = v.results;
            self.deadline = v.deadline;
            self.running = None;
            self.version += 1;
        }
    }

    /// Recomputes now, on this thread (tests, benchmarks).
    pub fn recompute(
        &mut self,
        session: &Session,
        interner: &Arc<Interner>,
        carries: Carries,
        now_ms: f64,
    ) {
        self.invalidate();
        self.running = None;
        if let Some(job) = self.schedule(session, interner, carries, now_ms) {
            let v = job.run();
            self.finished(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Dir;
    use crate::core::log::{Keep, Log};

    #[test]
    fn jobs_are_debounced_one_at_a_time_and_late_ones_dropped() {
        let mut log = Log::new(Keep::Summary);
        log.push_frame(
            None,
            Dir::In,
            r#"{"type":"agent_started","payload":{"run_id":"r"}}"#,
        );
        let interner = Arc::new(log.interner.clone());
        let mut rules = Rules::new(Scope::View, Config::default());
        let first = (rules.schedule(log.session(), &interner, Carries::ALL, 0.0)).expect("a job");
        assert!(rules.is_running());
        // Dirty again while running: nothing new until it is back.
        rules.dirty = true;
        assert!(rules
            .schedule(log.session(), &interner, Carries::ALL, 1000.0)
            .is_none());
        rules.finished(first.run());
        assert!(!rules.is_running() && !rules.results.is_empty());
        // Too soon after the last start: waits for the debounce.
        assert!(rules
            .schedule(log.session(), &interner, Carries::ALL, 100.0)
            .is_none());
        let second =
            (rules.schedule(log.session(), &interner, Carries::ALL, 2000.0)).expect("a job");
        // The configuration changes: the running job's verdicts are of the old one.
        rules.invalidate();
        rules.recompute(log.session(), &interner, Carries::ALL, 2001.0);
        let kept = rules.results.clone();
        rules.finished(second.run());
        assert_eq!(format!("{:?}", rules.results), format!("{kept:?}"));
    }
}
