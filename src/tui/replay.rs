//! The replay clock: which position of a loaded log is shown, whether it plays, how fast, and
//! how long idle gaps may last. Pure and driven by the `now` passed in (ms on any monotonic
//! clock), so tests inject time. Knows nothing of the log beyond each frame's effective time.

/// The speeds `+`/`-` step through; `None` is "as fast as possible".
pub const SPEEDS: [Option<f64>; 10] = [
    Some(0.25),
    Some(0.5),
    Some(1.0),
    Some(2.0),
    Some(4.0),
    Some(8.0),
    Some(16.0),
    Some(32.0),
    Some(64.0),
    None,
];

/// Frames advanced per tick at "max" speed.
const MAX_BATCH: usize = 2000;

/// Each frame's time on the replay axis (ms from the first frame), with any gap longer than
/// `idle_limit_ms` cut to it; frames without a time keep the previous one's.
pub fn effective_times(
    times: impl Iterator<Item = Option<f64>>,
    idle_limit_ms: Option<f64>,
) -> Vec<f64> {
    let mut out = Vec::new();
    let mut last_raw: Option<f64> = None;
    let mut acc = 0.0;
    for t in times {
        if let Some(t) = t {
            if let Some(prev) = last_raw {
                let mut gap = (t - prev).max(0.0);
                if let Some(limit) = idle_limit_ms {
                    gap = gap.min(limit);
                }
                acc += gap;
            }
            last_raw = Some(t);
        }
        out.push(acc);
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplayClock {
    /// Frames shown (0 = none).
    pub pos: usize,
    pub playing: bool,
    speed: usize,
    /// A speed given that is not a step (`--speed 3`), honoured until `+`/`-` moves off it.
    exact: Option<f64>,
    anchor_wall: f64,
    anchor_media: f64,
}

impl ReplayClock {
    /// A clock at the start, at `speed` (kept within the steps' range, ¼× to 64×); `+`/`-`
    /// go from it to the next step.
    pub fn new(speed: f64, playing: bool, now: f64) -> ReplayClock {
        let lowest = SPEEDS[0].unwrap_or(0.25);
        let highest = SPEEDS[SPEEDS.len() - 2].unwrap_or(64.0);
        let speed = speed.clamp(lowest, highest);
        let exact = (!SPEEDS.contains(&Some(speed))).then_some(speed);
        let speed = SPEEDS
            .iter()
            .enumerate()
            .min_by(|a, b| {
                let d = |s: &Option<f64>| s.map_or(f64::MAX, |v| (v - speed).abs());
                d(a.1).total_cmp(&d(b.1))
            })
            .map_or(2, |(i, _)| i);
        ReplayClock {
            pos: 0,
            playing,
            speed,
            exact,
            anchor_wall: now,
            anchor_media: 0.0,
        }
    }

    pub fn speed(&self) -> Option<f64> {
        self.exact.or(SPEEDS[self.speed])
    }

    /// `2.0×`, `0.25×` or `max`.
    pub fn speed_label(&self) -> String {
        match self.speed() {
            Some(s) => format!("{s}×"),
            None => "max".to_string(),
        }
    }

    /// The replay time shown (ms).
    pub fn media_ms(&self, times: &[f64]) -> f64 {
        if self.pos == 0 {
            0.0
        } else {
            times[(self.pos - 1).min(times.len().saturating_sub(1))]
        }
    }

    fn reanchor(&mut self, now: f64, times: &[f64]) {
        self.anchor_wall = now;
        self.anchor_media = self.media_ms(times);
    }

    /// Advances a playing clock to `now`; true when the position changed.
    pub fn tick(&mut self, now: f64, times: &[f64]) -> bool {
        if !self.playing {
            return false;
        }
        let before = self.pos;
        match self.speed() {
            None => self.pos = (self.pos + MAX_BATCH).min(times.len()),
            Some(speed) => {
                let media = self.anchor_media + (now - self.anchor_wall).max(0.0) * speed;
                let target = times.partition_point(|&t| t <= media);
                self.pos = self.pos.max(target).min(times.len());
            }
        }
        if self.pos >= times.len() {
            self.playing = false;
        }
        self.pos != before
    }

    pub fn toggle(&mut self, now: f64, times: &[f64]) {
        if !self.playing && self.pos >= times.len() {
            self.pos = 0;
        }
        self.playing = !self.playing;
        self.reanchor(now, times);
    }

    /// One frame forward (`delta` 1) or back (-1); pauses.
    pub fn step(&mut self, delta: isize, times: &[f64], now: f64) {
        self.playing = false;
        self.pos = self.pos.saturating_add_signed(delta).min(times.len());
        self.reanchor(now, times);
    }

    /// Moves to `pos` (clamped) keeping the play state.
    pub fn seek(&mut self, pos: usize, times: &[f64], now: f64) {
        self.pos = pos.min(times.len());
        self.reanchor(now, times);
    }

    /// Moves to the last frame at or before replay time `ms`.
    pub fn seek_time(&mut self, ms: f64, times: &[f64], now: f64) {
        let pos = times.partition_point(|&t| t <= ms);
        self.seek(pos, times, now);
    }

    /// One speed step up (`true`) or down.
    pub fn change_speed(&mut self, faster: bool, now: f64, times: &[f64]) {
        let from = self.exact.take();
        self.speed = if let Some(v) = from {
            // The step beyond the given speed in that direction.
            let above = SPEEDS.iter().position(|s| s.is_none_or(|s| s > v));
            let below = SPEEDS.iter().rposition(|s| s.is_some_and(|s| s < v));
            if faster { above } else { below }.unwrap_or(self.speed)
        } else if faster {
            (self.speed + 1).min(SPEEDS.len() - 1)
        } else {
            self.speed.saturating_sub(1)
        };
        self.reanchor(now, times);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_gaps_are_cut_and_missing_times_repeat() {
        let t = effective_times(
            [Some(1000.0), None, Some(1500.0), Some(60_000.0)].into_iter(),
            Some(2000.0),
        );
        assert_eq!(t, vec![0.0, 0.0, 500.0, 2500.0]);
        let t = effective_times([Some(0.0), Some(10_000.0)].into_iter(), None);
        assert_eq!(t, vec![0.0, 10_000.0]);
    }

    #[test]
    fn plays_with_the_injected_clock_at_its_speed() {
        let times = [0.0, 100.0, 200.0, 1000.0];
        let mut c = ReplayClock::new(2.0, true, 0.0);
        assert_eq!(c.speed_label(), "2×");
        assert!(c.tick(0.0, &times));
        assert_eq!(c.pos, 1);
        c.tick(50.0, &times);
        assert_eq!(c.pos, 2);
        c.tick(100.0, &times);
        assert_eq!(c.pos, 3);
        c.tick(499.0, &times);
        assert_eq!(c.pos, 3);
        c.tick(500.0, &times);
        assert_eq!(c.pos, 4);
        assert!(!c.playing, "stops at the end");
    }

    #[test]
    fn steps_pause_and_go_back() {
        let times = [0.0, 100.0, 200.0];
        let mut c = ReplayClock::new(1.0, true, 0.0);
        c.tick(150.0, &times);
        assert_eq!(c.pos, 2);
        c.step(-1, &times, 150.0);
        assert_eq!(c.pos, 1);
        assert!(!c.playing);
        c.step(-5, &times, 0.0);
        assert_eq!(c.pos, 0);
        c.step(9, &times, 0.0);
        assert_eq!(c.pos, 3);
        c.toggle(10.0, &times);
        assert!(c.playing);
        assert_eq!(c.pos, 0, "play at the end restarts");
        c.seek_time(150.0, &times, 10.0);
        assert_eq!(c.pos, 2);
    }

    #[test]
    fn a_speed_between_steps_is_honoured_and_steps_go_on_from_it() {
        let times: Vec<f64> = (0..100).map(|i| f64::from(i) * 100.0).collect();
        let mut c = ReplayClock::new(3.0, true, 0.0);
        assert_eq!(c.speed_label(), "3×");
        c.tick(1000.0, &times);
        // 1 s of wall time at 3× is 3 s of replay: frames up to 3000 ms.
        assert_eq!(c.pos, 31);
        c.change_speed(true, 1000.0, &times);
        assert_eq!(c.speed(), Some(4.0));
        let mut slower = ReplayClock::new(3.0, true, 0.0);
        slower.change_speed(false, 0.0, &times);
        assert_eq!(slower.speed(), Some(2.0));
        assert_eq!(ReplayClock::new(2.0, true, 0.0).speed_label(), "2×");
        assert_eq!(ReplayClock::new(500.0, true, 0.0).speed_label(), "64×");
    }

    #[test]
    fn speed_steps_clamp_and_max_batches() {
        let mut c = ReplayClock::new(64.0, false, 0.0);
        c.change_speed(true, 0.0, &[]);
        assert_eq!(c.speed_label(), "max");
        c.change_speed(true, 0.0, &[]);
        assert_eq!(c.speed(), None);
        let times = vec![0.0; 5000];
        c.toggle(0.0, &times);
        c.tick(1.0, &times);
        assert_eq!(c.pos, MAX_BATCH);
        let mut c = ReplayClock::new(0.1, false, 0.0);
        assert_eq!(c.speed(), Some(0.25));
        c.change_speed(false, 0.0, &[]);
        assert_eq!(c.speed(), Some(0.25));
    }
}
