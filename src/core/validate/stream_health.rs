//! Rule `stream-health`: every frame is a JSON object with a known `type`, no `seq` number is skipped, no frame repeats, is oversized or cut short or not UTF-8, no run was open across a reconnect or at the end of the input, the recording's own lines (header, padding) were whole, and a live receiver dropped no span (nor got one after its trace was shown).

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::session::StreamIssue;

pub fn check(input: &Input, _t: &Thresholds) -> Judgement {
    let mut j = Judgement {
        judged: true,
        ..Judgement::default()
    };
    if !input.carries.seq {
        j.not_judged
            .push("the format carries no seq numbers, seq gaps not judged".into());
    }
    for issue in &input.session.stream {
        j.findings.push(finding(input, issue));
    }
    j
}

/// The finding about an issue of the frames, the link or the input's own lines.
fn finding(input: &Input, issue: &StreamIssue) -> Finding {
    let valid = |pos| Some(pos).filter(|&p| input.is_pos(p));
    match issue {
        StreamIssue::Malformed { pos, reason } => Finding::new(
            "stream-health/malformed",
            Severity::Error,
            format!("frame {pos} is malformed: {}", reason.describe()),
        )
        .at([*pos]),
        StreamIssue::UnknownType { pos, name } => Finding::new(
            "stream-health/unknown-type",
            Severity::Info,
            format!("frame {pos} has the unknown type {:?}", input.interner.resolve(*name)),
        )
        .at([*pos]),
        StreamIssue::SeqGap { pos, expected, got } => seq_gap(*pos, *expected, *got),
        StreamIssue::Duplicate { pos } => Finding::new(
            "stream-health/duplicate-frame",
            Severity::Warn,
            format!("frame {pos} repeats the previous frame exactly"),
        )
        .at(pos.prev().into_iter().chain([*pos])),
        StreamIssue::Reconnect { pos, open_runs } if open_runs.is_empty() => Finding::new(
            "stream-health/reconnect",
            Severity::Warn,
            "the connection dropped and was re-established (no run was open)",
        )
        .at(valid(*pos)),
        StreamIssue::Reconnect { pos, open_runs } => open_run_finding(
            input,
            "stream-health/reconnect-open-run",
            Severity::Error,
            |runs| format!("the connection dropped while {runs} open: frames may have been lost"),
            open_runs,
        )
        .at(valid(*pos)),
        StreamIssue::Oversize { pos, size } => oversize(*size).at(valid(*pos)),
        StreamIssue::InvalidUtf8 { pos, valid_up_to } => Finding::new(
            "stream-health/invalid-utf8",
            Severity::Error,
            format!("frame {pos} was a text frame that is not UTF-8 (from byte {valid_up_to} on): its bytes are kept as a binary frame"),
        )
        .at(valid(*pos)),
        StreamIssue::EndedMidRun { pos, open_runs } => open_run_finding(
            input,
            "stream-health/ended-mid-run",
            Severity::Warn,
            |runs| format!("the input ends while {runs} still open: it was cut off or stopped early, so what followed is missing"),
            open_runs,
        )
        .at(valid(*pos)),
        StreamIssue::TruncatedTail { line } => Finding::new(
            "stream-health/truncated-tail",
            Severity::Warn,
            format!("the last line ({line}) of the input was cut short"),
        ),
        StreamIssue::BadLine { line, error } => Finding::new(
            "stream-health/bad-line",
            Severity::Error,
            format!("recording line {line} could not be read: {error}"),
        ),
        StreamIssue::Header { line, problem } => Finding::new(
            "stream-health/header",
            Severity::Warn,
            format!("recording line {line}: {problem}"),
        ),
        StreamIssue::Padding { line, bytes } => Finding::new(
            "stream-health/padding",
            Severity::Warn,
            format!("recording line {line} began with {bytes} NUL bytes of padding (a crash?); they were skipped and its record read"),
        ),
        StreamIssue::Import { line, message } => import(*line, message),
        StreamIssue::Dropped { spans, reason } => dropped(*spans, reason),
        StreamIssue::Late { spans } => late(*spans),
    }
}

fn dropped(spans: u64, reason: &str) -> Finding {
    Finding::new(
        "stream-health/dropped",
        Severity::Error,
        format!(
            "the receiver dropped {spans} span{}: {reason}",
            plural(spans)
        ),
    )
}

fn late(spans: u64) -> Finding {
    Finding::new(
        "stream-health/late-spans",
        Severity::Warn,
        format!("{spans} span{} arrived after their trace was shown, and are shown on their own (a longer --straggler window keeps them with it)", plural(spans)),
    )
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn seq_gap(pos: crate::core::session::Pos, expected: u64, got: u64) -> Finding {
    let lost = got - expected;
    Finding::new(
        "stream-health/seq-gap",
        Severity::Error,
        format!(
            "seq jumped from {} to {got} at frame {pos}: {lost} frame{} lost",
            expected - 1,
            if lost == 1 { "" } else { "s" }
        ),
    )
    .at([pos])
}

fn oversize(size: Option<u64>) -> Finding {
    let message = match size {
        Some(n) => {
            format!("a frame of {n} bytes exceeded the size limit and dropped the connection")
        }
        None => "a frame exceeded the size limit and dropped the connection".into(),
    };
    Finding::new("stream-health/oversize", Severity::Error, message)
}

fn import(line: usize, message: &str) -> Finding {
    let message = match line {
        0 => format!("import: {message}"),
        _ => format!("import, line {line}: {message}"),
    };
    Finding::new("stream-health/import", Severity::Warn, message)
}

/// A finding about runs left open: `message` gets "run r1 was" or "runs r1, r2 were"; one run
/// is also the finding's run.
fn open_run_finding(
    input: &Input,
    code: &'static str,
    severity: Severity,
    message: impl Fn(&str) -> String,
    open_runs: &[crate::core::session::RunIx],
) -> Finding {
    let ids: Vec<&str> = open_runs.iter().map(|&r| input.run_id(r)).collect();
    let runs = match ids[..] {
        [one] => format!("run {one} was"),
        _ => format!("runs {} were", ids.join(", ")),
    };
    let f = Finding::new(code, severity, message(&runs));
    match open_runs {
        [run] => f.in_run(*run),
        _ => f,
    }
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{codes, fixture, run_on};
    use super::super::Status;
    use super::check;
    use crate::core::carries::Carries;
    use crate::core::link::{Dir, LinkState};
    use crate::core::log::{Keep, Log};
    use crate::core::session::{Pos, RunIx};

    #[test]
    fn reconnect_with_open_run_fails() {
        let mut log = Log::new(Keep::All);
        log.push_frame(
            None,
            Dir::In,
            r#"{"type":"agent_started","payload":{"run_id":"r1","agent_name":"sup","seq":1}}"#,
        );
        log.push_link(None, LinkState::Disconnected, None, None);
        log.push_link(None, LinkState::Connected, None, None);
        log.push_frame(
            None,
            Dir::In,
            r#"{"type":"agent_completed","payload":{"run_id":"r1","agent_name":"sup","seq":1}}"#,
        );
        log.push_link(None, LinkState::Disconnected, None, None);
        log.push_link(None, LinkState::Connected, None, None);
        log.finish();
        let r = run_on(&log, Carries::ALL, check);
        assert_eq!(r.status, Status::Fail);
        assert_eq!(
            codes(&r),
            [
                "stream-health/reconnect-open-run",
                "stream-health/reconnect"
            ]
        );
        assert_eq!(r.findings[0].frames, [Pos(1)]);
        assert_eq!(r.findings[0].run, Some(RunIx(0)));
        assert!(r.findings[1].frames.is_empty());
    }

    #[test]
    fn no_seq_is_named() {
        let log = fixture("era-b-session.jsonl");
        let carries = Carries {
            seq: false,
            ..Carries::ALL
        };
        let r = run_on(&log, carries, check);
        assert_eq!(r.status, Status::Pass);
        assert!(r.reason.unwrap().contains("seq"));
    }
}
