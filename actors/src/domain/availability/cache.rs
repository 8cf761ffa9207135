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
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Spans of the weeks one query meets; use one per query (it only grows).
/// Shareable: the artist actors of one search consult it at once.
#[derive(Debug, Default)]
pub struct SpanCache {
    /// By a hash of the key; each entry checked in full.
    entries: Mutex<HashMap<u64, Vec<Entry>>>,
}

#[derive(Debug)]
struct Entry {
    from: i64,
    to: i64,
    tz: Tz,
    days: [Vec<(u32, u32)>; 8],
    spans: Vec<WorkSpan>,
}

impl Entry {
    fn is(&self, week: &Week, from: i64, to: i64) -> bool {
        (self.from, self.to, self.tz, &self.days) == (from, to, week.tz, &week.days)
    }
}

impl SpanCache {
    /// `week.spans(from, to)`, laid out at most once per zone, pattern and
    /// range (twice at worst when two callers miss at the same time).
    pub fn spans(&self, week: &Week, from: i64, to: i64) -> Vec<WorkSpan> {
        let mut h = DefaultHasher::new();
        (from, to, week.tz, &week.days).hash(&mut h);
        let key = h.finish();
        let cached =
            self.lock().get(&key).and_then(|b| b.iter().find(|e| e.is(week, from, to)).map(|e| e.spans.clone()));
        let mut spans = cached.unwrap_or_else(|| {
            // Laid out outside the lock: other callers go on meanwhile.
            let spans = week.pattern_spans(from, to);
            let entry = Entry { from, to, tz: week.tz, days: week.days.clone(), spans: spans.clone() };
            self.lock().entry(key).or_default().push(entry);
            spans
        });
        week.mark_holidays(&mut spans);
        spans
    }

    /// How many zones, patterns and ranges it has laid out.
    pub fn len(&self) -> usize {
        self.lock().values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Vec<Entry>>> {
        // Entries are whole once pushed, so a panic elsewhere leaves them usable.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
