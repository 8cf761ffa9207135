//! A scheduler's figures: latency histograms and counts, merged over all
//! schedulers for the report.

use crate::workload::Op;
use hdrhistogram::Histogram;
use serde::Serialize;
use std::collections::BTreeMap;

/// Latency histograms hold 1 µs … 10 min with 3 significant digits.
pub const HIST_MAX_MICROS: u64 = 600_000_000;

pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIST_MAX_MICROS, 3).expect("valid bounds")
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct OpCounts {
    pub sent: u64,
    pub accepted: u64,
    pub rejected: u64,
}

/// A scheduler's figures (merged over all schedulers for the report).
pub struct Stats {
    /// command sent → `Accepted`, µs (measured commands only).
    pub accept: Histogram<u64>,
    /// command sent → `Durable` watermark covering it, µs.
    pub durable: Histogram<u64>,
    /// event decided → received by this subscriber, µs (every delivery).
    pub delivery: Histogram<u64>,
    pub sent: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub durable_count: u64,
    pub reverted: u64,
    /// Turns skipped because `max_outstanding` commands were unsettled.
    pub skipped: u64,
    pub aimed_conflicts: u64,
    pub by_op: BTreeMap<Op, OpCounts>,
    /// Refusals and protocol errors by code.
    pub errors: BTreeMap<String, u64>,
    /// Refusals by `op:code` (e.g. `move:conflict`).
    pub rejections_by_op: BTreeMap<String, u64>,
    pub presence_sent: u64,
    pub presence_diffs: u64,
    pub events: u64,
    /// Events that arrived out of `seq` order or twice (a protocol breach).
    pub out_of_order: u64,
}

impl Default for Stats {
    fn default() -> Self {
        Self::with_histograms(histogram)
    }
}

impl Stats {
    /// Figures whose histograms take no room until recorded into (see
    /// `client::record`). A full histogram (1 µs … 10 min, 3 significant
    /// digits) is ~160 KiB and a scheduler has three: 10,000 idle schedulers
    /// held 5.3 GB of harness memory, 100,000 would not fit. An empty
    /// histogram adds nothing when the run merges them.
    pub fn lean() -> Self {
        Self::with_histograms(|| Histogram::new_with_bounds(1, 2, 0).expect("valid bounds"))
    }

    fn with_histograms(h: impl Fn() -> Histogram<u64>) -> Self {
        Self {
            accept: h(),
            durable: h(),
            delivery: h(),
            sent: 0,
            accepted: 0,
            rejected: 0,
            durable_count: 0,
            reverted: 0,
            skipped: 0,
            aimed_conflicts: 0,
            by_op: BTreeMap::new(),
            errors: BTreeMap::new(),
            rejections_by_op: BTreeMap::new(),
            presence_sent: 0,
            presence_diffs: 0,
            events: 0,
            out_of_order: 0,
        }
    }

    pub fn merge(&mut self, o: &Stats) {
        let _ = self.accept.add(&o.accept);
        let _ = self.durable.add(&o.durable);
        let _ = self.delivery.add(&o.delivery);
        self.sent += o.sent;
        self.accepted += o.accepted;
        self.rejected += o.rejected;
        self.durable_count += o.durable_count;
        self.reverted += o.reverted;
        self.skipped += o.skipped;
        self.aimed_conflicts += o.aimed_conflicts;
        for (op, c) in &o.by_op {
            let m = self.by_op.entry(*op).or_default();
            m.sent += c.sent;
            m.accepted += c.accepted;
            m.rejected += c.rejected;
        }
        for (code, n) in &o.errors {
            *self.errors.entry(code.clone()).or_default() += n;
        }
        for (k, n) in &o.rejections_by_op {
            *self.rejections_by_op.entry(k.clone()).or_default() += n;
        }
        self.presence_sent += o.presence_sent;
        self.presence_diffs += o.presence_diffs;
        self.events += o.events;
        self.out_of_order += o.out_of_order;
    }

    pub(crate) fn error(&mut self, code: impl Into<String>) {
        *self.errors.entry(code.into()).or_default() += 1;
    }
}
