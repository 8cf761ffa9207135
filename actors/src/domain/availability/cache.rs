//! [`SpanCache`]: working spans laid out once per zone and weekly pattern.
//!
//! Laying a week over real time costs two zone conversions per working
//! interval; a search over a month for a thousand artists would pay them a
//! thousand times for the same few patterns (most artists work the studio's
//! week on the studio's clock). The cache keeps the spans of each distinct
//! zone, pattern and range, and marks each artist's holidays on a copy, so
//! what it hands out is exactly [`Week::spans`].

use super::{Week, WorkSpan};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Spans of the weeks one query meets; use one per query (it only grows).
#[derive(Debug, Default)]
pub struct SpanCache {
    /// By a hash of the key; each entry checked in full.
    entries: HashMap<u64, Vec<Entry>>,
}

#[derive(Debug)]
struct Entry {
    from: i64,
    to: i64,
    tz: Tz,
    days: [Vec<(u32, u32)>; 8],
    spans: Vec<WorkSpan>,
}

impl SpanCache {
    /// `week.spans(from, to)`, laid out at most once per zone, pattern and range.
    pub fn spans(&mut self, week: &Week, from: i64, to: i64) -> Vec<WorkSpan> {
        let mut h = DefaultHasher::new();
        (from, to, week.tz, &week.days).hash(&mut h);
        let bucket = self.entries.entry(h.finish()).or_default();
        let found = bucket.iter().find(|e| (e.from, e.to, e.tz, &e.days) == (from, to, week.tz, &week.days));
        let mut spans = match found {
            Some(e) => e.spans.clone(),
            None => {
                let spans = week.pattern_spans(from, to);
                bucket.push(Entry { from, to, tz: week.tz, days: week.days.clone(), spans: spans.clone() });
                spans
            }
        };
        week.mark_holidays(&mut spans);
        spans
    }

    /// How many distinct zones, patterns and ranges it has laid out.
    pub fn len(&self) -> usize {
        self.entries.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
