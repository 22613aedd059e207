//! How long running work has been going, as of a given now (receive clock, ms): a running
//! agent is `running 12s` (since it started) or, once nothing has come from it for
//! [`IDLE_AFTER_MS`], `idle 8s` (since its last frame); an open tool call's age. Pure: the
//! caller passes now (the inspector's clock, live only), nothing here reads a clock.

use super::session::{AgentIx, CallIx, CallStatus, Session};

/// Quiet this long, a running agent reads `idle` instead of `running`.
pub const IDLE_AFTER_MS: f64 = 5_000.0;

/// What a running agent is doing, with for how long (ms).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activity {
    Running(f64),
    Idle(f64),
}

impl Activity {
    /// `running 12s`, `idle 8s`.
    pub fn label(self) -> String {
        match self {
            Activity::Running(ms) => format!("running {}", age(ms)),
            Activity::Idle(ms) => format!("idle {}", age(ms)),
        }
    }

    /// For a narrow column beside the running glyph: `12s`, `idle 8s`.
    pub fn short_label(self) -> String {
        match self {
            Activity::Running(ms) => age(ms),
            Activity::Idle(_) => self.label(),
        }
    }
}

/// Whole seconds, then minutes: `8s`, `59s`, `1m05s`, `75m00s`.
pub fn age(ms: f64) -> String {
    let s = (ms.max(0.0) / 1000.0).floor() as u64;
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

/// A running agent's activity at `now`; `None` when it is not running or has no receive time.
pub fn agent_activity(s: &Session, a: AgentIx, now: f64) -> Option<Activity> {
    let agent = s.agents.get(a.index())?;
    if !agent.is_running() {
        return None;
    }
    let started = agent.started.and_then(|t| t.recv);
    let last = s
        .facts
        .get(agent.last_pos.index())
        .and_then(|f| f.at.recv())
        .or(started)?;
    let quiet = now - last;
    Some(if quiet >= IDLE_AFTER_MS {
        Activity::Idle(quiet)
    } else {
        Activity::Running(now - started.unwrap_or(last))
    })
}

/// How long an open call has waited for its result at `now`.
pub fn call_age(s: &Session, c: CallIx, now: f64) -> Option<f64> {
    let call = s.calls.get(c.index())?;
    if call.status != CallStatus::Open {
        return None;
    }
    Some(now - call.exec()?.recv?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::link::Dir;
    use crate::core::log::{Keep, Log};

    #[test]
    fn a_running_agent_runs_then_idles_and_an_open_call_ages() {
        let mut log = Log::new(Keep::All);
        let frames = [
            (
                0.0,
                r#"{"type":"agent_started","payload":{"run_id":"r","agent_name":"a"}}"#,
            ),
            (
                2.0,
                r#"{"type":"tool_executing","payload":{"run_id":"r","agent_name":"a","tool_name":"q","tool_call_id":"c"}}"#,
            ),
        ];
        for (t, text) in frames {
            log.push_frame(Some(t), Dir::In, text);
        }
        let s = log.session();
        let a = AgentIx::new(0);
        // 3 s after its last frame: still running, 5 s since it started.
        assert_eq!(
            agent_activity(s, a, 5_000.0),
            Some(Activity::Running(5_000.0))
        );
        assert_eq!(
            agent_activity(s, a, 5_000.0)
                .map(Activity::label)
                .as_deref(),
            Some("running 5s")
        );
        // 8 s of quiet: idle, counted from the last frame.
        assert_eq!(
            agent_activity(s, a, 10_000.0),
            Some(Activity::Idle(8_000.0))
        );
        assert_eq!(call_age(s, CallIx::new(0), 10_000.0), Some(8_000.0));
        log.push_frame(
            Some(11.0),
            Dir::In,
            r#"{"type":"agent_completed","payload":{"run_id":"r","agent_name":"a","result":{"status":"success"}}}"#,
        );
        // Completed: no activity (its duration is shown instead).
        assert_eq!(agent_activity(log.session(), a, 20_000.0), None);
        assert_eq!(age(65_000.0), "1m05s");
        assert_eq!(age(-5.0), "0s");
    }
}
