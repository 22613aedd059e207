//! The model usage the demo's scripted agents report with each thought: a root (supervisor)
//! thinks with Claude Sonnet 4, a sub-agent with Claude Haiku 3.5 (both fully priced in the
//! table), and the token counts are
//! derived from the agent and the thought (not drawn from the scenario's random numbers, so
//! adding usage moved no time of the seeded scenarios): a few thousand input tokens, a few
//! hundred output, part of the input read from the prompt cache.

use serde_json::{json, Value};

fn spread(text: &str, salt: u64) -> u64 {
    // FNV-1a: stable across runs and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The native `usage` of one thought.
pub fn of_thought(agent: &str, thought: &str, root: bool) -> Value {
    let key = format!("{agent}\u{0}{thought}");
    let input = 1_200 + spread(&key, 1) % 3_600;
    let output = 80 + spread(&key, 2) % 420;
    let cached = input * (spread(&key, 3) % 60) / 100;
    let model = if root {
        "claude-sonnet-4-20250514"
    } else {
        "claude-3-5-haiku-20241022"
    };
    json!({"model": model, "input_tokens": input, "output_tokens": output,
           "cache_read_tokens": cached})
}
