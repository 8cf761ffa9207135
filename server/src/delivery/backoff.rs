//! When to try a failed delivery again: exponential backoff with jitter.
//! Try `n` (1-based) that failed waits `base × 2^(n−1)` plus a random part
//! below half of that, capped — so each wait is longer than the one before
//! (the smallest next wait, 2·d, exceeds the largest this one, 1.5·d) until
//! the cap.

use std::time::Duration;

/// How deliveries are retried.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    /// Tries in all; after the last failure the delivery is dead.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { base: Duration::from_secs(10), cap: Duration::from_secs(3_600), max_attempts: 10 }
    }
}

impl Backoff {
    /// The wait after failed try `attempt` (1-based), `None` when it was the
    /// last. `jitter` in `[0, 1)`.
    pub fn after(&self, attempt: u32, jitter: f64) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let exp = self.base.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(20));
        let spread = exp.mul_f64(0.5 * jitter.clamp(0.0, 0.999_999));
        Some((exp + spread).min(self.cap))
    }
}

/// A jitter in `[0, 1)` from the OS's randomness.
pub fn jitter() -> f64 {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_until_the_cap_then_the_delivery_is_dead() {
        let b = Backoff { base: Duration::from_millis(100), cap: Duration::from_secs(1), max_attempts: 6 };
        // Worst case for growth: this wait at its longest, the next at its shortest.
        for n in 1..4 {
            let longest = b.after(n, 0.999).unwrap();
            let next_shortest = b.after(n + 1, 0.0).unwrap();
            assert!(next_shortest > longest, "try {n}: {next_shortest:?} > {longest:?}");
        }
        assert_eq!(b.after(5, 0.5), Some(Duration::from_secs(1)), "capped");
        assert_eq!(b.after(6, 0.5), None, "the 6th failure is the last");
        assert_eq!(b.after(1, 0.0), Some(Duration::from_millis(100)));
    }
}
