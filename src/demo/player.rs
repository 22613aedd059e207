//! The player: plays jobs for one connection on the scenario clock. It turns each request
//! into a job (scenarios + faults), waits for each step's scenario time, renders it and hands
//! the text to the connection. When the `disconnect` fault drops the connection mid-job, the
//! rest of the job is parked in the server and the next connection's player (the client
//! reconnecting) resumes it, with that connection's own `seq`, if it comes within
//! [`PARKED_FOR`]. What is left when a client leaves on its own is dropped: it is never played
//! to another client. Also the flood bench mode.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::clock::Clock;
use super::dialect::{iso_ms, Renderer};
use super::fault;
use super::plan::{Action, Job, Step};
use super::world::World;
use super::{DemoConfig, Fault};

/// State shared by every connection of one server.
pub struct Shared {
    pub config: DemoConfig,
    pub clock: Mutex<Clock>,
    pub world: Mutex<World>,
    /// Rests of jobs whose connection the `disconnect` fault dropped, oldest first, with when.
    pub parked: Mutex<VecDeque<(Instant, Vec<Step>)>>,
    /// Text frames written to clients and flushed, over every connection.
    pub sent: Arc<std::sync::atomic::AtomicU64>,
}

impl Shared {
    pub fn new(config: DemoConfig) -> Shared {
        let clock = Clock::new(config.speed, config.fixed_start);
        let world = World::new(config.seed);
        Shared {
            config,
            clock: Mutex::new(clock),
            world: Mutex::new(world),
            parked: Mutex::new(VecDeque::new()),
            sent: Arc::default(),
        }
    }

    pub fn clock(&self) -> MutexGuard<'_, Clock> {
        self.clock.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn parked(&self) -> MutexGuard<'_, VecDeque<(Instant, Vec<Step>)>> {
        self.parked.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A client's request to start a run or add a turn.
pub struct Request {
    pub thread_id: Option<String>,
}

/// What the player asks of its connection.
pub enum Out {
    Text(String),
    /// Drop the connection without a closing handshake.
    Drop,
}

enum Played {
    Done(i64),
    Gone,
}

/// Play for one connection until it goes away.
pub async fn play(
    shared: Arc<Shared>,
    mut requests: mpsc::Receiver<Request>,
    out: mpsc::Sender<Out>,
) {
    let mut renderer = Renderer::new(shared.config.dialect);
    let mut last_end = i64::MIN;
    loop {
        let rest = shared.parked().pop_front();
        let Some((when, steps)) = rest else { break };
        if when.elapsed() > PARKED_FOR {
            continue;
        }
        match play_steps(&shared, &mut renderer, steps, &out).await {
            Played::Done(end) => last_end = end,
            Played::Gone => return,
        }
    }
    let mut flood = shared.config.flood;
    while let Some(request) = requests.recv().await {
        if let Some(n) = flood.take() {
            if flood_frames(&shared, n, &out).await.is_err() {
                return;
            }
            continue;
        }
        let job = build_job(&shared, request, last_end);
        match play_steps(&shared, &mut renderer, job.steps, &out).await {
            Played::Done(end) => last_end = end,
            Played::Gone => return,
        }
    }
}

fn build_job(shared: &Shared, request: Request, last_end: i64) -> Job {
    let now = shared.clock().now_ms();
    let config = &shared.config;
    let mut world = shared.world();
    let start = now.max(last_end) + world.jitter(150, 400);
    let no_recovery = config.faults.contains(&Fault::NoRecovery);
    let mut blocks = world.build(config.scenario, request.thread_id, no_recovery);
    fault::apply(&mut blocks, &config.faults);
    Job::assemble(start, blocks, || world.jitter(1000, 2000))
}

async fn play_steps(
    shared: &Shared,
    renderer: &mut Renderer,
    steps: Vec<Step>,
    out: &mpsc::Sender<Out>,
) -> Played {
    let mut end = i64::MIN;
    let mut steps = steps.into_iter();
    while let Some(step) = steps.next() {
        if !wait_until(shared, step.at, out).await {
            return Played::Gone;
        }
        end = step.at;
        if let Action::Disconnect = step.action {
            park(shared, steps.collect());
            let _ = out.send(Out::Drop).await;
            return Played::Gone;
        }
        for text in renderer.render(step.at, &step.action) {
            if out.send(Out::Text(text)).await.is_err() {
                return Played::Gone;
            }
        }
    }
    Played::Done(end)
}

/// How long the rest of a job dropped by the `disconnect` fault waits for the client to
/// come back.
pub const PARKED_FOR: Duration = Duration::from_secs(30);

fn park(shared: &Shared, rest: Vec<Step>) {
    if !rest.is_empty() {
        shared.parked().push_back((Instant::now(), rest));
    }
}

/// Wait until the scenario clock reads `t`; false if the connection went away meanwhile.
async fn wait_until(shared: &Shared, t: i64, out: &mpsc::Sender<Out>) -> bool {
    loop {
        let (now, fixed, real) = {
            let clock = shared.clock();
            let now = clock.now_ms();
            (now, clock.is_fixed(), clock.real(t - now))
        };
        if now >= t {
            return true;
        }
        if !fixed && real < std::time::Duration::from_millis(1) {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(real) => {}
            _ = out.closed() => return false,
        }
        if fixed {
            shared.clock().reach(t);
            return true;
        }
    }
}

/// Flood mode: `n` small native frames, runs of the simple shape, as fast as possible.
async fn flood_frames(shared: &Shared, n: u64, out: &mpsc::Sender<Out>) -> Result<(), ()> {
    let base = shared.clock().now_ms();
    let mut seq = 0u64;
    let mut run = 0u64;
    while seq < n {
        run += 1;
        let left = n - seq;
        // Runs of five frames; the last run takes the remainder as extra thoughts.
        let size = if left < 10 { left } else { 5 };
        let thoughts = size.saturating_sub(4).max(1);
        let mut kinds: Vec<&str> = vec!["agent_started"];
        kinds.extend(std::iter::repeat_n("agent_thinking", thoughts as usize));
        kinds.extend(["tool_executing", "tool_completed", "agent_completed"]);
        kinds.truncate(size as usize);
        for kind in kinds {
            seq += 1;
            let extra = match kind {
                "agent_thinking" => r#","thought":"working","step_number":1,"total_steps":1"#,
                "tool_executing" => r#","tool_name":"lookup","tool_call_id":"call-1""#,
                "tool_completed" => {
                    r#","tool_name":"lookup","tool_call_id":"call-1","result":{"status":"success"}"#
                }
                "agent_completed" => r#","result":{"status":"completed","final_answer":"done"}"#,
                _ => "",
            };
            let text = format!(
                r#"{{"type":"{kind}","timestamp":"{ts}","payload":{{"run_id":"flood-{run}","user_id":"u-1","agent_name":"assistant","agent_id":"flood-{run}/assistant","seq":{seq}{extra}}}}}"#,
                ts = iso_ms(base + seq as i64),
            );
            out.send(Out::Text(text)).await.map_err(|_| ())?;
        }
    }
    Ok(())
}
