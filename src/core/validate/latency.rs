//! Rule `latency`: each run finishes within the limit of its class (simple or complex) and the hard cap, the first frame of a message's work arrives promptly, and an active run never goes silent longer than the progress limit.

use super::util::secs;
use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::session::{Clock, FactKind, Pos, RunIx};

pub fn check(input: &Input, t: &Thresholds) -> Judgement {
    let mut j = Judgement::default();
    durations(input, t, &mut j);
    first_responses(input, t, &mut j);
    silent_gaps(input, t, &mut j);
    j
}

/// Durations by class, and the hard cap.
fn durations(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let mut untimed = Vec::new();
    for (rix, run) in s.runs.iter().enumerate() {
        let rix = RunIx::new(rix);
        let clock = run.clock();
        let root = run.root.map(|r| &s.agents[r]);
        let start = root
            .and_then(|r| r.started.as_ref())
            .and_then(|at| clock.of(at))
            .or_else(|| clock.of(&run.first));
        let end = root
            .and_then(|r| r.ended.as_ref())
            .and_then(|at| clock.of(at))
            .or_else(|| clock.of(&run.last));
        let (Some(start), Some(end)) = (start, end) else {
            untimed.push(input.run_id(rix).to_string());
            continue;
        };
        j.judged = true;
        let took = end - start;
        let subs = run.agents.len().saturating_sub(1);
        let (class, limit) = if subs <= 1 {
            ("simple", t.simple_max_s)
        } else {
            ("complex", t.complex_max_s)
        };
        let from = root.and_then(|r| r.start_pos).unwrap_or(run.first_pos);
        let to = root.and_then(|r| r.end_pos).unwrap_or(run.last_pos);
        let so_far = if root.is_some_and(|r| r.end_pos.is_some()) {
            ""
        } else {
            " so far"
        };
        if took > limit * 1000.0 {
            j.findings.push(
                Finding::new(
                    "latency/slow-run",
                    Severity::Error,
                    format!(
                        "run {} ({class}, {subs} sub-agent{}) took {}{so_far}, over the {} limit",
                        input.run_id(rix),
                        if subs == 1 { "" } else { "s" },
                        secs(took),
                        secs(limit * 1000.0)
                    ),
                )
                .in_run(rix)
                .at([from, to]),
            );
        }
        if took > t.run_max_s * 1000.0 {
            j.findings.push(
                Finding::new(
                    "latency/run-cap",
                    Severity::Error,
                    format!(
                        "run {} took {}{so_far}, over the {} cap for any run",
                        input.run_id(rix),
                        secs(took),
                        secs(t.run_max_s * 1000.0)
                    ),
                )
                .in_run(rix)
                .at([from, to]),
            );
        }
    }
    if !untimed.is_empty() {
        j.not_judged.push(format!(
            "run{} {} carr{} no timestamps, duration not judged",
            if untimed.len() == 1 { "" } else { "s" },
            untimed.join(", "),
            if untimed.len() == 1 { "ies" } else { "y" }
        ));
    }
}

/// First response after each message (receive times, else producer times).
fn first_responses(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let mut messages = 0;
    for m in &s.messages {
        let Some(&first) = m.runs.iter().min_by_key(|&&r| s.runs[r].first_pos) else {
            continue;
        };
        messages += 1;
        let run = &s.runs[first];
        let (Some(sent), Some(answered)) =
            (Clock::Receive.of(&m.at), Clock::Receive.of(&run.first))
        else {
            j.not_judged.push(format!(
                "message at frame {} has no time, first response not judged",
                m.pos
            ));
            continue;
        };
        j.judged = true;
        let took = answered - sent;
        if took > t.first_event_max_s * 1000.0 {
            j.findings.push(
                Finding::new(
                    "latency/slow-first-response",
                    Severity::Error,
                    format!(
                        "the first frame of run {} came {} after its message, over the {} limit",
                        input.run_id(first),
                        secs(took),
                        secs(t.first_event_max_s * 1000.0)
                    ),
                )
                .in_run(first)
                .at([m.pos, run.first_pos]),
            );
        }
    }
    if messages == 0 {
        j.not_judged
            .push("no message was sent, first-response latency not judged".into());
    }
}

/// Silent gaps between consecutive progress frames of an active run.
fn silent_gaps(input: &Input, t: &Thresholds, j: &mut Judgement) {
    let s = input.session;
    let mut last: Vec<Option<(Pos, f64)>> = vec![None; s.runs.len()];
    for (pos, f) in s.facts.iter().enumerate() {
        let pos = pos as Pos;
        let (Some(rix), FactKind::Event(kind)) = (f.run(), f.kind) else {
            continue;
        };
        if kind.is_keepalive() || kind.is_connection_level() {
            continue;
        }
        let run = &s.runs[rix];
        let root_end = run.root.and_then(|r| s.agents[r].end_pos);
        if root_end.is_some_and(|end| pos > end) {
            continue;
        }
        let Some(now) = run.clock().of(&f.at.times()) else {
            continue;
        };
        j.judged = true;
        if let Some((prev_pos, prev)) = last[rix.index()] {
            let gap = now - prev;
            if gap > t.max_gap_s * 1000.0 {
                j.findings.push(
                    Finding::new(
                        "latency/silent-gap",
                        Severity::Error,
                        format!(
                            "run {} sent nothing for {} (limit {})",
                            input.run_id(rix),
                            secs(gap),
                            secs(t.max_gap_s * 1000.0)
                        ),
                    )
                    .in_run(rix)
                    .at([prev_pos, pos]),
                );
            }
        }
        last[rix.index()] = Some((pos, now));
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{codes, fixture, judge, run_on};
    use super::super::Status;
    use super::check;
    use crate::core::carries::Carries;

    fn ev(ty: &str, t: f64, name: &str) -> String {
        format!(
            r#"{{"type":"{ty}","timestamp":{t},"payload":{{"run_id":"r1","agent_name":"{name}"}}}}"#
        )
    }

    #[test]
    fn quick_run_passes() {
        let text = [
            r#"{"type":"user_message","timestamp":999.5,"payload":{"content":"hi"}}"#.to_string(),
            ev("agent_started", 1000.0, "sup"),
            ev("agent_thinking", 1005.0, "sup"),
            ev("agent_completed", 1010.0, "sup"),
        ]
        .join("\n");
        let r = judge(&text, check);
        assert_eq!(r.status, Status::Pass, "{:?}", r.findings);
        assert_eq!(r.reason, None);
    }

    #[test]
    fn slow_simple_run_and_gap_fail() {
        let text = [
            ev("agent_started", 1000.0, "sup"),
            ev("agent_thinking", 1002.0, "sup"),
            r#"{"type":"ping","timestamp":1008,"payload":{}}"#.to_string(),
            ev("agent_thinking", 1014.0, "sup"),
            ev("agent_completed", 1016.0, "sup"),
        ]
        .join("\n");
        let r = judge(&text, check);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(codes(&r), ["latency/slow-run", "latency/silent-gap"]);
        assert_eq!(r.findings[0].frames, [0, 4]);
        assert_eq!(r.findings[1].frames, [1, 3]);
        assert!(r.reason.unwrap().contains("no message was sent"));
    }

    #[test]
    fn complex_class_and_cap() {
        // Three sub-agents: complex (45 s), 70 s is over both the class limit and the cap.
        let mut lines = vec![ev("agent_started", 1000.0, "sup")];
        let mut t = 1000.0;
        for name in ["a", "b", "c"] {
            lines.push(ev("agent_started", t + 1.0, name));
            lines.push(ev("agent_completed", t + 9.0, name));
            t += 9.0;
        }
        for _ in 0..5 {
            t += 9.0;
            lines.push(ev("agent_thinking", t, "sup"));
        }
        lines.push(ev("agent_completed", 1070.0, "sup"));
        let r = judge(&lines.join("\n"), check);
        assert_eq!(codes(&r), ["latency/slow-run", "latency/run-cap"]);
        assert!(
            r.findings[0].message.contains("complex"),
            "{}",
            r.findings[0].message
        );
        assert_eq!(r.findings[1].frames, [0, 12]);
    }

    #[test]
    fn slow_first_response_fails() {
        let text = [
            r#"{"type":"user_message","timestamp":990,"payload":{"content":"hi"}}"#.to_string(),
            ev("agent_started", 1000.0, "sup"),
            ev("agent_completed", 1001.0, "sup"),
        ]
        .join("\n");
        let r = judge(&text, check);
        assert_eq!(codes(&r), ["latency/slow-first-response"]);
        assert_eq!(r.findings[0].frames, [0, 1]);
    }

    #[test]
    fn netra_fixtures_pass() {
        for name in ["era-a-session.jsonl", "era-b-session.jsonl"] {
            let r = run_on(&fixture(name), Carries::ALL, check);
            assert_eq!(r.status, Status::Pass, "{name}: {:?}", r.findings);
        }
    }
}
