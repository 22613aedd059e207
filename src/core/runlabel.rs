//! How a run is named where space is short: `R1`, `R2`… by its place in the session, and the
//! first words of its request (the root agent's `context.user_request`, else the text of the
//! message that started it). Pure functions over text and JSON; the TUI keeps what they make
//! per run, once.

use super::session::RunIx;
use serde_json::Value;

/// The short label of a run: `R` and its 1-based place in the session.
pub fn short(run: RunIx) -> String {
    format!("R{}", run.index() + 1)
}

/// The request a run's root agent was started with: `context.user_request` of its
/// `agent_started` frame (looked up like every field: payload, data, top level).
pub fn request_of_start(frame: &Value) -> Option<&str> {
    let context = super::frame::layers::field(frame, "context")?;
    context.get("user_request")?.as_str()
}

/// The text of the message that asked for a run (`content`).
pub fn request_of_message(frame: &Value) -> Option<&str> {
    super::frame::layers::field(frame, "content")?.as_str()
}

/// The first words of `text`, whitespace runs made one space, at most `max` characters: cut
/// at a word's end with `…` when it goes on (a single long word is cut inside).
pub fn first_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        let sep = usize::from(!out.is_empty());
        if len + sep + n > max {
            if out.is_empty() {
                out.extend(word.chars().take(max.saturating_sub(1)));
            }
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        len += sep + n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn runs_are_numbered_from_one() {
        assert_eq!(short(RunIx::new(0)), "R1");
        assert_eq!(short(RunIx::new(11)), "R12");
    }

    #[test]
    fn first_words_cut_at_a_word_end() {
        let t = "Analyze our  ML\ttraining infrastructure costs";
        assert_eq!(
            first_words(t, 100),
            "Analyze our ML training infrastructure costs"
        );
        assert_eq!(first_words(t, 20), "Analyze our ML…");
        assert_eq!(first_words("Supercalifragilistic", 6), "Super…");
        assert_eq!(first_words("", 6), "");
        assert_eq!(first_words("   ", 6), "");
    }

    #[test]
    fn the_request_is_read_from_the_context_or_the_message() {
        let start = json!({"type": "agent_started",
            "payload": {"context": {"user_request": "Forecast GPU spend", "history": []}}});
        assert_eq!(request_of_start(&start), Some("Forecast GPU spend"));
        let enveloped = json!({"type": "agent_started",
            "data": {"context": {"user_request": "Q3?"}}});
        assert_eq!(request_of_start(&enveloped), Some("Q3?"));
        let no_request = json!({"type": "agent_started", "payload": {"context": {"n": 1}}});
        assert_eq!(request_of_start(&no_request), None);
        let not_text = json!({"payload": {"context": {"user_request": 3}}});
        assert_eq!(request_of_start(&not_text), None);
        let msg = json!({"type": "user_message", "payload": {"content": "hello"}});
        assert_eq!(request_of_message(&msg), Some("hello"));
        assert_eq!(request_of_message(&start), None);
    }
}
