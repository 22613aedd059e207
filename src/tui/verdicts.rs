//! The validators in the inspector: their configuration, the latest verdicts, and the job that
//! recomputes them. A job owns a copy of the view's session (sharing its chunks) and of the
//! name table, so the runner can run it on a worker thread: input is never behind the rules.

use crate::core::carries::Carries;
use crate::core::intern::Interner;
use crate::core::session::Session;
use crate::core::validate::{self, Config, RuleResult};
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
    /// A job ready for the runner to start.
    pub job: Option<Job>,
    /// The generation of the job running, if any.
    running: Option<u64>,
    generation: u64,
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
}

/// What a job found, for the app to take.
#[derive(Debug, Clone)]
pub struct Verdicts {
    pub scope: Scope,
    generation: u64,
    results: Vec<RuleResult>,
}

impl Job {
    /// Runs every validator (on whatever thread).
    pub fn run(self) -> Verdicts {
        let input = validate::Input {
            session: &self.session,
            interner: &self.interner,
            carries: self.carries,
        };
        Verdicts {
            scope: self.scope,
            generation: self.generation,
            results: validate::run(&input, &self.config),
        }
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
            job: None,
            running: None,
            generation: 0,
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
        self.dirty && self.running.is_none() && now_ms - self.last_run_ms >= DEBOUNCE_MS
    }

    /// Prepares a job when one is [due](Rules::due).
    pub fn schedule(
        &mut self,
        session: &Session,
        interner: &Arc<Interner>,
        carries: Carries,
        now_ms: f64,
    ) {
        if !self.due(now_ms) {
            return;
        }
        self.generation += 1;
        self.running = Some(self.generation);
        self.dirty = false;
        self.last_run_ms = now_ms;
        self.job = Some(Job {
            scope: self.scope,
            generation: self.generation,
            session: session.clone(),
            interner: Arc::clone(interner),
            carries,
            config: self.config.clone(),
        });
    }

    /// Takes a finished job's verdicts (those of an abandoned job are dropped).
    pub fn finished(&mut self, v: Verdicts) {
        if self.running == Some(v.generation) {
            self.results = v.results;
            self.running = None;
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
        self.schedule(session, interner, carries, now_ms);
        if let Some(job) = self.job.take() {
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
        rules.schedule(log.session(), &interner, Carries::ALL, 0.0);
        let first = rules.job.take().expect("a job");
        assert!(rules.is_running());
        // Dirty again while running: nothing new until it is back.
        rules.dirty = true;
        rules.schedule(log.session(), &interner, Carries::ALL, 1000.0);
        assert!(rules.job.is_none());
        rules.finished(first.run());
        assert!(!rules.is_running() && !rules.results.is_empty());
        // Too soon after the last start: waits for the debounce.
        rules.schedule(log.session(), &interner, Carries::ALL, 100.0);
        assert!(rules.job.is_none());
        rules.schedule(log.session(), &interner, Carries::ALL, 2000.0);
        let second = rules.job.take().expect("a job");
        // The configuration changes: the running job's verdicts are of the old one.
        rules.invalidate();
        rules.recompute(log.session(), &interner, Carries::ALL, 2001.0);
        let kept = rules.results.clone();
        rules.finished(second.run());
        assert_eq!(format!("{:?}", rules.results), format!("{kept:?}"));
    }
}
