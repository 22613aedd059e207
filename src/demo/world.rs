//! The world the scenarios play in: threads with their turns, histories and last context
//! hashes, seeded run and thread ids, and how one request becomes blocks of run plans (runs
//! of a block overlap; blocks follow each other).

use std::collections::HashMap;

use fastrand::Rng;
use serde_json::{json, Value};

use super::plan::{RunMeta, RunPlan};
use super::scenario::{
    self, CONCURRENT_PROMPTS, ML_COST_PROMPT, MULTI_TURN_PROMPTS, RECOVERY_PROMPT, SIMPLE_PROMPT,
};
use super::script::Script;
use super::Scenario;

/// One conversation: its owner, how many turns it had, their history and last hash.
struct Thread {
    user_id: String,
    turns: u32,
    history: Vec<Value>,
    last_hash: Option<String>,
}

/// The server's scenario state: the seeded generator, run counter and threads.
pub struct World {
    rng: Rng,
    runs: u32,
    threads: HashMap<String, Thread>,
}

impl World {
    pub fn new(seed: u64) -> World {
        World {
            rng: Rng::with_seed(seed),
            runs: 0,
            threads: HashMap::new(),
        }
    }

    /// A seeded jitter in `[lo, hi]`.
    pub fn jitter(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.i64(lo..=hi)
    }

    fn new_thread(&mut self, user: &str) -> String {
        loop {
            let id = format!("thread-{:08x}", self.rng.u32(..));
            if !self.threads.contains_key(&id) {
                self.threads.insert(id.clone(), fresh(user));
                return id;
            }
        }
    }

    /// The request's thread: the one it names (created if unknown), else a new one.
    fn thread_for(&mut self, requested: Option<String>) -> String {
        match requested {
            Some(t) => {
                self.threads
                    .entry(t.clone())
                    .or_insert_with(|| fresh("u-1"));
                t
            }
            None => self.new_thread("u-1"),
        }
    }

    /// Script the next turn of `thread`; the body returns the answer recorded in the history.
    fn run(
        &mut self,
        thread: &str,
        scenario: Scenario,
        request: &str,
        user_context: Value,
        body: impl FnOnce(&mut Script) -> String,
    ) -> RunPlan {
        self.runs += 1;
        let run_id = format!("run-{:03}-{:04x}", self.runs, self.rng.u16(..));
        let state = self
            .threads
            .entry(thread.to_string())
            .or_insert_with(|| fresh("u-1"));
        state.turns += 1;
        let meta = RunMeta {
            run_id,
            thread_id: thread.to_string(),
            user_id: state.user_id.clone(),
            turn: state.turns,
            scenario,
            overlapping: false,
            history_len: state.history.len(),
        };
        let context = json!({"user_request": request, "user_context": user_context,
                             "history": state.history});
        let prev = state.last_hash.clone();
        let mut script = Script::new(&mut self.rng, meta, context, prev);
        let answer = body(&mut script);
        let hash = script.context_hash().to_string();
        let plan = script.finish();
        if let Some(state) = self.threads.get_mut(thread) {
            state
                .history
                .push(json!({"request": request, "response": answer}));
            state.last_hash = Some(hash);
        }
        plan
    }

    /// The blocks of runs one request plays: runs of a block overlap, blocks follow each other.
    pub fn build(
        &mut self,
        scenario: Scenario,
        thread: Option<String>,
        no_recovery: bool,
    ) -> Vec<Vec<RunPlan>> {
        let thread = self.thread_for(thread);
        match scenario {
            Scenario::Simple => vec![vec![self.simple(&thread)]],
            Scenario::MlCost => vec![vec![self.ml_cost(&thread)]],
            Scenario::Recovery => vec![vec![self.recovery(&thread, !no_recovery)]],
            Scenario::Concurrent => vec![self.concurrent(&thread)],
            Scenario::MultiTurn => {
                let index = self
                    .threads
                    .get(&thread)
                    .map_or(0, |t| t.turns as usize % 3);
                vec![vec![self.multi_turn(&thread, index)]]
            }
            Scenario::All => vec![
                vec![self.ml_cost(&thread)],
                vec![self.multi_turn(&thread, 0)],
                vec![self.multi_turn(&thread, 1)],
                vec![self.multi_turn(&thread, 2)],
                vec![self.recovery(&thread, !no_recovery)],
                self.concurrent(&thread),
                vec![self.simple(&thread)],
            ],
        }
    }

    fn simple(&mut self, thread: &str) -> RunPlan {
        let ctx = json!({"account": "acme-prod", "currency": "USD"});
        self.run(thread, Scenario::Simple, SIMPLE_PROMPT, ctx, |s| {
            scenario::simple(s)
        })
    }

    fn ml_cost(&mut self, thread: &str) -> RunPlan {
        let ctx = json!({"current_spend": "$50K/month", "gpu_instances": 20, "training_jobs": 150});
        self.run(thread, Scenario::MlCost, ML_COST_PROMPT, ctx, |s| {
            scenario::ml_cost(s)
        })
    }

    fn multi_turn(&mut self, thread: &str, index: usize) -> RunPlan {
        let prompt = MULTI_TURN_PROMPTS[index % 3];
        let ctx = json!({"cluster": "prod-eks", "monthly_spend": "$32K/month", "namespaces": 41});
        let (first, second) = match index % 3 {
            0 => (
                ("data", "kubecost_query"),
                ("optimization", "nodepool_simulator"),
            ),
            1 => (
                ("compliance", "pci_scope_scan"),
                ("optimization", "nodepool_simulator"),
            ),
            _ => (
                ("planner", "migration_planner"),
                ("compliance", "control_mapping"),
            ),
        };
        self.run(thread, Scenario::MultiTurn, prompt, ctx, |s| {
            scenario::multi_turn(s, prompt, first, second)
        })
    }

    fn recovery(&mut self, thread: &str, recover: bool) -> RunPlan {
        let ctx = json!({"sources": ["clickhouse", "billing_export"], "window": "30d"});
        self.run(thread, Scenario::Recovery, RECOVERY_PROMPT, ctx, |s| {
            scenario::recovery(s, recover)
        })
    }

    /// Three users' runs, staggered by under two seconds so they overlap.
    fn concurrent(&mut self, thread: &str) -> Vec<RunPlan> {
        let mut runs = Vec::new();
        let mut start = 0;
        for (i, prompt) in CONCURRENT_PROMPTS.iter().enumerate() {
            let t = if i == 0 {
                thread.to_string()
            } else {
                self.new_thread(&format!("u-{}", i + 1))
            };
            let mut run = self.run(
                &t,
                Scenario::Concurrent,
                prompt,
                json!({"team": i + 1}),
                |s| scenario::concurrent_member(s, prompt, i),
            );
            run.meta.overlapping = true;
            run.start = start;
            start += self.rng.i64(300..=900);
            runs.push(run);
        }
        runs
    }
}

fn fresh(user: &str) -> Thread {
    Thread {
        user_id: user.to_string(),
        turns: 0,
        history: Vec::new(),
        last_hash: None,
    }
}
