//! The scenario clock: what a clock would read at `--speed 1`. In wall mode it is the
//! server's start (wall clock) plus real time elapsed × speed, not counting time during which
//! no client was connected (the scenario pauses); with a fixed start it is virtual: it starts
//! at the given epoch ms and advances only as plans are played, so output is reproducible.

use std::time::{Duration, Instant};

enum Mode {
    Wall {
        origin: Instant,
        base_ms: i64,
        paused_total: Duration,
        paused_since: Option<Instant>,
    },
    Fixed {
        now_ms: i64,
    },
}

pub struct Clock {
    mode: Mode,
    speed: f64,
    clients: usize,
}

impl Clock {
    pub fn new(speed: f64, fixed_start: Option<i64>) -> Clock {
        let mode = match fixed_start {
            Some(now_ms) => Mode::Fixed { now_ms },
            None => Mode::Wall {
                origin: Instant::now(),
                base_ms: chrono::Utc::now().timestamp_millis(),
                paused_total: Duration::ZERO,
                // Nobody is connected yet.
                paused_since: Some(Instant::now()),
            },
        };
        Clock {
            mode,
            speed,
            clients: 0,
        }
    }

    pub fn is_fixed(&self) -> bool {
        matches!(self.mode, Mode::Fixed { .. })
    }

    /// Scenario time now, epoch ms.
    pub fn now_ms(&self) -> i64 {
        match &self.mode {
            Mode::Fixed { now_ms } => *now_ms,
            Mode::Wall {
                origin,
                base_ms,
                paused_total,
                paused_since,
            } => {
                let end = paused_since.unwrap_or_else(Instant::now);
                let real = end
                    .saturating_duration_since(*origin)
                    .saturating_sub(*paused_total);
                base_ms + (real.as_secs_f64() * 1000.0 * self.speed) as i64
            }
        }
    }

    /// Real time that `scenario_ms` of scenario time takes.
    pub fn real(&self, scenario_ms: i64) -> Duration {
        // A day at most: never a duration the platform cannot hold, whatever the speed.
        let secs = (scenario_ms.max(0) as f64 / 1000.0) / self.speed;
        Duration::try_from_secs_f64(secs.min(86_400.0)).unwrap_or(Duration::from_secs(86_400))
    }

    /// Fixed mode: move the virtual clock forward to `t`.
    pub fn reach(&mut self, t: i64) {
        if let Mode::Fixed { now_ms } = &mut self.mode {
            *now_ms = (*now_ms).max(t);
        }
    }

    /// A client connected: the scenario goes on.
    pub fn client_connected(&mut self) {
        self.clients += 1;
        self.resume();
    }

    /// A client left: with nobody left, the scenario pauses.
    pub fn client_left(&mut self) {
        self.clients = self.clients.saturating_sub(1);
        if self.clients == 0 {
            self.pause();
        }
    }

    fn pause(&mut self) {
        if let Mode::Wall { paused_since, .. } = &mut self.mode {
            paused_since.get_or_insert_with(Instant::now);
        }
    }

    fn resume(&mut self) {
        if let Mode::Wall {
            paused_total,
            paused_since,
            ..
        } = &mut self.mode
        {
            if let Some(since) = paused_since.take() {
                *paused_total += since.elapsed();
            }
        }
    }
}
