//! Rule `context-integrity`: each reported context hash matches the recomputed one, every agent of a turn received the turn's context, each turn's `prev_context_hash` is the previous turn's hash, history is only appended to, and `user_request` is preserved within a turn.

use super::{Finding, Input, Judgement, Severity, Thresholds};
use crate::core::event::Reported;
use crate::core::session::turns::{HashValue, History};
use crate::core::session::TurnIx;

/// Why the rule is not judged on a foreign format whose importer attached contexts.
const PER_AGENT_INPUTS: &str = "the format's contexts are each agent's own model input, not contexts handed from agent to agent; hand-off, chain and history not judged";

fn short(h: &HashValue) -> String {
    let text = h.text();
    match text.strip_prefix("sha256:") {
        Some(hex) => format!("sha256:{}", &hex[..hex.len().min(12)]),
        None => text,
    }
}

pub fn check(input: &Input, _t: &Thresholds) -> Judgement {
    let s = input.session;
    let mut j = Judgement::default();
    let any = s
        .agents
        .iter()
        .any(|a| a.context.is_some() || a.reported_hash.is_some() || a.prev_hash.is_some());
    if !input.carries.contexts {
        j.not_judged.push(if any {
            PER_AGENT_INPUTS.into()
        } else {
            "the format carries no agent contexts".into()
        });
        return j;
    }
    if !any {
        j.not_judged
            .push("no contexts or context hashes (e.g. Netra era A)".into());
        return j;
    }
    j.judged = true;
    let mut no_hash = 0usize;
    let mut no_prev = 0usize;
    let mut no_history = 0usize;
    let mut other_reported = 0usize;
    for (tix, turn) in s.turns.iter().enumerate() {
        let tix = tix as TurnIx;
        let turn_hash = s.turn_hash(tix);
        let root = s.turn_root(tix);
        let mut request: Option<(u32, u64)> = None;
        for &a in &turn.agents {
            let ag = &s.agents[a as usize];
            let label = input.agent_label(a);
            let start = ag.start_pos.unwrap_or(ag.last_pos);
            // Reported vs recomputed.
            match (
                ag.reported_hash.as_deref(),
                ag.context.as_ref().and_then(|c| c.digest),
            ) {
                (Some(Reported::Digest(rep)), Some(real)) if *rep != real => {
                    j.findings.push(
                        Finding::new(
                            "context-integrity/hash-mismatch",
                            Severity::Error,
                            format!(
                                "agent {label} reported context hash {} but its context hashes to {}",
                                short(&HashValue::Digest(*rep)),
                                short(&HashValue::Digest(real))
                            ),
                        )
                        .of_agent(input, a)
                        .at([start]),
                    );
                }
                (Some(Reported::Other(_)), Some(_)) => other_reported += 1,
                _ => {}
            }
            // Drift across a hand-off.
            match (s.agent_hash(a), &turn_hash) {
                (Some(mine), Some(theirs)) if Some(a) != root && mine != *theirs => {
                    let root_start = root
                        .and_then(|r| s.agents[r as usize].start_pos)
                        .into_iter();
                    j.findings.push(
                        Finding::new(
                            "context-integrity/drift",
                            Severity::Error,
                            format!(
                                "agent {label} received context {} but turn {} of its thread has {}",
                                short(&mine),
                                turn.index,
                                short(theirs)
                            ),
                        )
                        .of_agent(input, a)
                        .at([start])
                        .at(root_start),
                    );
                }
                (None, _) => no_hash += 1,
                _ => {}
            }
            // The user's request, unchanged within the turn.
            if let Some(req) = ag.context.as_ref().and_then(|c| c.user_request) {
                match request {
                    None => request = Some((start, req)),
                    Some((first, r)) if r != req => {
                        j.findings.push(
                            Finding::new(
                                "context-integrity/user-request-changed",
                                Severity::Error,
                                format!(
                                    "agent {label} received a different user_request than the turn's first agent"
                                ),
                            )
                            .of_agent(input, a)
                            .at([start, first]),
                        );
                    }
                    _ => {}
                }
            }
        }
        let Some(prev) = turn.prev else { continue };
        let root_pos = root.and_then(|r| s.agents[r as usize].start_pos);
        let prev_root_pos = s
            .turn_root(prev)
            .and_then(|r| s.agents[r as usize].start_pos);
        // The chain of hashes.
        match (s.turn_prev_hash(tix), s.turn_hash(prev)) {
            (Some(claimed), Some(actual)) => {
                if claimed != actual {
                    let mut f = Finding::new(
                        "context-integrity/broken-chain",
                        Severity::Error,
                        format!(
                            "turn {} says the previous context was {}, but turn {} had {}",
                            turn.index,
                            short(&claimed),
                            s.turns[prev as usize].index,
                            short(&actual)
                        ),
                    )
                    .at(root_pos)
                    .at(prev_root_pos);
                    if let Some(r) = root {
                        f = f.of_agent(input, r);
                    }
                    j.findings.push(f);
                }
            }
            _ => no_prev += 1,
        }
        // History: appended, never rewritten or truncated.
        let (code, what) = match s.history(tix) {
            History::Rewritten => ("context-integrity/history-rewritten", "rewrote"),
            History::Truncated => ("context-integrity/history-truncated", "truncated"),
            History::Unknown => {
                no_history += 1;
                continue;
            }
            History::First | History::Appended => continue,
        };
        let mut f = Finding::new(
            code,
            Severity::Error,
            format!(
                "turn {} {what} the history of earlier turns instead of appending to it",
                turn.index
            ),
        )
        .at(root_pos)
        .at(prev_root_pos);
        if let Some(r) = root {
            f = f.of_agent(input, r);
        }
        j.findings.push(f);
    }
    if no_hash > 0 {
        j.not_judged.push(format!(
            "{no_hash} agent{} received no context or hash, drift not judged for {}",
            if no_hash == 1 { "" } else { "s" },
            if no_hash == 1 { "it" } else { "them" }
        ));
    }
    if no_prev > 0 {
        j.not_judged.push(format!(
            "{no_prev} turn{} without prev_context_hash or a previous hash, chain not judged",
            if no_prev == 1 { "" } else { "s" }
        ));
    }
    if no_history > 0 {
        j.not_judged.push(format!(
            "{no_history} turn{} without both contexts, history not judged",
            if no_history == 1 { "" } else { "s" }
        ));
    }
    if other_reported > 0 {
        j.not_judged.push(format!(
            "{other_reported} reported hash{} not a SHA-256, not compared",
            if other_reported == 1 { " is" } else { "es are" }
        ));
    }
    j
}

#[cfg(test)]
mod tests {
    use super::super::util::testing::{codes, run_on};
    use super::super::Status;
    use super::check;
    use crate::core::carries::Carries;

    use serde_json::json;

    fn ctx(req: &str, history: serde_json::Value) -> serde_json::Value {
        json!({"user_request": req, "history": history})
    }

    fn started(run: &str, name: &str, c: &serde_json::Value, extra: &str) -> String {
        format!(
            r#"{{"type":"agent_started","payload":{{"run_id":"{run}","thread_id":"t1","agent_name":"{name}","context":{c}{extra}}}}}"#
        )
    }

    fn done(run: &str, name: &str) -> String {
        format!(
            r#"{{"type":"agent_completed","payload":{{"run_id":"{run}","thread_id":"t1","agent_name":"{name}"}}}}"#
        )
    }

    #[test]
    fn per_agent_model_inputs_are_not_judged_as_hand_offs() {
        // Two agents with different contexts in one turn: drift for a native stream, but a
        // foreign format's contexts are each agent's own model input.
        let text = [
            started("r1", "sup", &ctx("costs", json!([])), ""),
            started("r1", "data", &ctx("costs", json!(["x"])), ""),
            done("r1", "data"),
            done("r1", "sup"),
        ]
        .join("\n");
        let log = crate::core::session::testing::load(&text);
        assert_eq!(
            codes(&run_on(&log, Carries::ALL, check)),
            ["context-integrity/drift"]
        );
        let foreign = Carries {
            contexts: false,
            ..Carries::ALL
        };
        let r = run_on(&log, foreign, check);
        assert_eq!(r.status, Status::Skip);
        assert!(r.findings.is_empty());
        assert!(r.reason.unwrap().contains("each agent's own model input"));
    }
}
