//! Broadcast fan-out: for every event, when it reached its last subscriber.
//!
//! Each subscriber notes `(studio, seq)` with its receive time; the event's
//! `at` is the instant the artist's actor decided it (the server's wall clock,
//! the same clock as ours: one machine). Fan-out latency of an event is
//! `last receive − at`. Sharded by `seq` so 1,000 subscribers of one studio
//! rarely meet on one lock.

use hdrhistogram::Histogram;
use std::collections::HashMap;
use std::sync::Mutex;

const SHARDS: usize = 64;

#[derive(Clone, Copy, Debug)]
struct Entry {
    at: i64,
    last: i64,
    reached: u32,
}

pub struct Fanout {
    shards: Vec<Mutex<HashMap<(u32, u64), Entry>>>,
}

impl Default for Fanout {
    fn default() -> Self {
        Self { shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect() }
    }
}

/// What [`Fanout::summarize`] found.
pub struct FanoutSummary {
    /// `last receive − at` per event, in microseconds.
    pub last_subscriber: Histogram<u64>,
    pub events: u64,
    /// Deliveries per event, on average.
    pub mean_reached: f64,
}

impl Fanout {
    /// Subscriber of studio `tenant` received event `seq` (decided at `at`) at `now` (µs).
    pub fn record(&self, tenant: u32, seq: u64, at: i64, now: i64) {
        let mut shard = self.shards[seq as usize % SHARDS].lock().unwrap_or_else(|e| e.into_inner());
        let e = shard.entry((tenant, seq)).or_insert(Entry { at, last: now, reached: 0 });
        e.last = e.last.max(now);
        e.reached += 1;
    }

    pub fn summarize(&self) -> FanoutSummary {
        let mut h = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3).expect("valid bounds");
        let (mut events, mut reached) = (0u64, 0u64);
        for shard in &self.shards {
            let shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            for e in shard.values() {
                events += 1;
                reached += u64::from(e.reached);
                h.saturating_record((e.last - e.at).max(1) as u64);
            }
        }
        FanoutSummary {
            last_subscriber: h,
            events,
            mean_reached: if events == 0 { 0.0 } else { reached as f64 / events as f64 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_subscriber_counts() {
        let f = Fanout::default();
        f.record(0, 1, 1_000, 1_500);
        f.record(0, 1, 1_000, 3_000);
        f.record(1, 1, 1_000, 1_100);
        let s = f.summarize();
        assert_eq!(s.events, 2);
        assert_eq!(s.last_subscriber.max(), 2_000);
        assert!((s.mean_reached - 1.5).abs() < 1e-9);
    }
}
