//! Reconnection back-off: a pure function from the attempt number and a random number to a
//! delay. Exponential from 0.5 s, doubling, capped at 30 s, with "equal jitter" (half the step
//! fixed, half random) so retries never collapse to zero and clients spread out. The caller
//! supplies the random number, which keeps this deterministic in tests; no clock, no tokio.

use std::time::Duration;

/// The delay before the first retry (attempt 0), before jitter.
pub const BASE: Duration = Duration::from_millis(500);
/// The longest delay ever returned.
pub const CAP: Duration = Duration::from_secs(30);

/// The delay before retry number `attempt` (0 for the first retry).
///
/// The step is `min(0.5 s × 2^attempt, 30 s)`; the result is `step/2 + jitter01 × step/2`, so
/// it lies in `[step/2, step)`. `jitter01` is clamped into `[0, 1)`; NaN counts as 0.
pub fn delay(attempt: u32, jitter01: f64) -> Duration {
    // 0.5 s × 2^6 = 32 s is already past the cap, so larger exponents change nothing and
    // clamping here keeps the arithmetic far from overflow. Whole nanoseconds throughout, so
    // rounding can never push a delay up to the next step.
    let exponent = attempt.min(16);
    let cap = CAP.as_nanos() as u64;
    let step = (BASE.as_nanos() as u64)
        .saturating_mul(1 << exponent)
        .min(cap);
    let half = step / 2;
    let jitter = if jitter01.is_nan() {
        0.0
    } else {
        jitter01.clamp(0.0, 1.0)
    };
    // `as` saturates, and the `min` keeps the result strictly below the step.
    let extra = ((jitter * half as f64) as u64).min(half.saturating_sub(1));
    Duration::from_nanos(half + extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JITTERS: [f64; 7] = [0.0, 0.1, 0.25, 0.5, 0.75, 0.999, 0.999_999_999];

    #[test]
    fn attempt_zero_is_around_half_a_second() {
        for j in JITTERS {
            let d = delay(0, j);
            assert!(d >= Duration::from_millis(250), "{d:?} at jitter {j}");
            assert!(d < Duration::from_millis(500), "{d:?} at jitter {j}");
        }
        assert_eq!(delay(0, 0.0), Duration::from_millis(250));
    }

    #[test]
    fn doubles_until_the_cap() {
        assert_eq!(delay(1, 0.0), Duration::from_millis(500));
        assert_eq!(delay(2, 0.0), Duration::from_millis(1000));
        assert_eq!(delay(3, 0.0), Duration::from_millis(2000));
        assert_eq!(delay(5, 0.0), Duration::from_millis(8000));
        // 0.5 × 2^6 = 32 s, capped to 30 s, half of it fixed.
        assert_eq!(delay(6, 0.0), Duration::from_secs(15));
        assert_eq!(delay(60, 0.0), Duration::from_secs(15));
    }

    #[test]
    fn never_exceeds_the_cap() {
        for attempt in (0..200).chain([u32::MAX - 1, u32::MAX]) {
            for j in JITTERS.into_iter().chain([1.0, 2.0, f64::INFINITY]) {
                assert!(delay(attempt, j) <= CAP, "attempt {attempt}, jitter {j}");
            }
        }
    }

    #[test]
    fn monotone_in_attempt_for_a_fixed_jitter() {
        for j in JITTERS {
            let mut previous = Duration::ZERO;
            for attempt in 0..100 {
                let d = delay(attempt, j);
                assert!(
                    d >= previous,
                    "attempt {attempt}, jitter {j}: {d:?} < {previous:?}"
                );
                previous = d;
            }
        }
    }

    #[test]
    fn monotone_in_jitter_for_a_fixed_attempt() {
        for attempt in 0..20 {
            let mut previous = Duration::ZERO;
            for j in JITTERS {
                let d = delay(attempt, j);
                assert!(d >= previous);
                previous = d;
            }
        }
    }

    #[test]
    fn no_overflow_at_the_extremes() {
        let d = delay(u32::MAX, 0.5);
        assert!(d >= Duration::from_secs(15) && d <= CAP);
        assert_eq!(delay(u32::MAX, 0.0), Duration::from_secs(15));
    }

    #[test]
    fn odd_jitter_values_are_clamped() {
        assert_eq!(delay(2, f64::NAN), delay(2, 0.0));
        assert_eq!(delay(2, -3.0), delay(2, 0.0));
        assert!(delay(2, 7.0) < Duration::from_secs(2));
        assert!(delay(2, f64::NEG_INFINITY) == delay(2, 0.0));
    }

    #[test]
    fn capped_range_is_fifteen_to_thirty_seconds() {
        for j in JITTERS {
            let d = delay(1000, j);
            assert!(d >= Duration::from_secs(15) && d < CAP);
        }
    }
}
