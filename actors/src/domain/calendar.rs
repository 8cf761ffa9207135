//! The interval index of one artist: which active bookings cover which time.
//!
//! Two ordered maps keyed by `(start, id)` hold the end of every entry:
//!
//! * **exclusive** — pencil and confirmed bookings, plus reservations for
//!   incoming moves. The domain never lets two of them overlap, so they are
//!   sorted by end as well as by start; "what overlaps `[a, b)`" walks back
//!   from `b` and stops at the first entry ending at or before `a`:
//!   O(log n + k).
//! * **holds** — they overlap freely, so a query scans the starts in
//!   `[a - longest hold, b)`. The lengths of the holds present are counted in a
//!   third map, so "longest hold" shrinks again when a long hold goes away and
//!   the index stays a pure function of its entries (two calendars with the
//!   same entries compare equal, whatever their history).
//!
//! Free windows are found by walking the gaps between exclusive entries outward
//! from the requested instant, never the whole calendar.

use pt_protocol::{BookingId, TimeRange, Timestamp};
use std::collections::BTreeMap;
use std::collections::btree_map;
use std::iter::Peekable;

/// The smallest id, so `(t, MIN_ID)` sorts before every key starting at `t`.
const MIN_ID: BookingId = BookingId::from_u128(0);

type Key = (Timestamp, BookingId);

/// Interval index over one artist's active bookings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// `(start, id) → end` of pencil/confirmed bookings and reservations; never overlapping.
    exclusive: BTreeMap<Key, Timestamp>,
    /// `(start, id) → end` of active holds; may overlap.
    holds: BTreeMap<Key, Timestamp>,
    /// How many holds have each length (micros); the last key bounds hold scans.
    hold_lengths: BTreeMap<i64, usize>,
}

impl Calendar {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an entry. `exclusive` = pencil/confirmed (or a reservation for an incoming move).
    pub fn insert(&mut self, id: BookingId, range: TimeRange, exclusive: bool) {
        if exclusive {
            self.exclusive.insert((range.start, id), range.end);
        } else {
            if let Some(old_end) = self.holds.insert((range.start, id), range.end) {
                // Same key inserted twice: the old length is no longer present.
                self.forget_hold_length(span(range.start, old_end));
            }
            self.remember_hold_length(span(range.start, range.end));
        }
    }

    /// Removes an entry (no-op when absent).
    pub fn remove(&mut self, id: BookingId, range: TimeRange, exclusive: bool) {
        if exclusive {
            self.exclusive.remove(&(range.start, id));
        } else if let Some(end) = self.holds.remove(&(range.start, id)) {
            self.forget_hold_length(span(range.start, end));
        }
    }

    /// Exclusive entries overlapping `range`, by start.
    pub fn overlapping_exclusive(&self, range: TimeRange) -> Vec<(BookingId, TimeRange)> {
        // Entries never overlap, so walking back by start is also walking back by end.
        let mut out: Vec<_> = self
            .exclusive
            .range(..(range.end, MIN_ID))
            .rev()
            .take_while(|(_, end)| **end > range.start)
            .map(|(&(start, id), &end)| (id, TimeRange { start, end }))
            .collect();
        out.reverse();
        out
    }

    /// Hold entries overlapping `range`, by start.
    pub fn overlapping_holds(&self, range: TimeRange) -> Vec<(BookingId, TimeRange)> {
        let Some((&longest, _)) = self.hold_lengths.last_key_value() else {
            return Vec::new();
        };
        // A hold starting before `range.start - longest` ends before `range.start`.
        let from = range.start.plus_micros(-longest.max(0));
        if from >= range.end {
            return Vec::new(); // an inverted query overlaps nothing (and BTreeMap::range would panic)
        }
        self.holds
            .range((from, MIN_ID)..(range.end, MIN_ID))
            .filter(|(_, end)| **end > range.start)
            .map(|(&(start, id), &end)| (id, TimeRange { start, end }))
            .collect()
    }

    /// Up to `count` free windows of exactly `len_micros`, nearest to `around` first
    /// (distance = |window.start - around|), not overlapping any exclusive entry except
    /// `ignore`, within `horizon`.
    ///
    /// One window per free gap: the placement in that gap closest to `around`.
    /// Ties go to the earlier window.
    pub fn free_windows(
        &self,
        around: Timestamp,
        len_micros: i64,
        count: usize,
        horizon: TimeRange,
        ignore: Option<BookingId>,
    ) -> Vec<TimeRange> {
        let mut out = Vec::new();
        if count == 0 || len_micros <= 0 || span(horizon.start, horizon.end) < len_micros {
            return out;
        }
        let pivot = around.clamp(horizon.start, horizon.end);
        let mut right = GapsForward::new(&self.exclusive, pivot, horizon.end, ignore).peekable();
        let mut left = GapsBackward::new(&self.exclusive, pivot, horizon.start, ignore).peekable();

        // When `pivot` lies strictly inside a gap, the two walks each see half of
        // it; join the halves so that gap offers its best placement once.
        let mut middle = None;
        if let (Some(r), Some(l)) = (right.peek(), left.peek())
            && r.start == pivot
            && l.end == pivot
        {
            let gap = TimeRange { start: l.start, end: r.end };
            right.next();
            left.next();
            middle = best_in_gap(gap, around, len_micros);
        }
        // Gaps right of the pivot get nearer by their start, gaps left of it by
        // their end; both streams are thus sorted by distance and merge cleanly.
        let mut right = right.filter_map(|g| best_in_gap(g, around, len_micros)).peekable();
        let mut left = left.filter_map(|g| best_in_gap(g, around, len_micros)).peekable();

        while out.len() < count {
            let rank = |w: &TimeRange| (w.start.0.abs_diff(around.0), w.start);
            let best = [middle.as_ref(), left.peek(), right.peek()]
                .into_iter()
                .enumerate()
                .filter_map(|(i, w)| w.map(|w| (rank(w), i)))
                .min();
            let Some((_, best)) = best else { break };
            let w = match best {
                0 => middle.take(),
                1 => left.next(),
                _ => right.next(),
            };
            out.extend(w);
        }
        out
    }

    /// The maximal free gaps (no exclusive entry) inside `range`, in order.
    pub fn free_gaps(&self, range: TimeRange) -> Vec<TimeRange> {
        GapsForward::new(&self.exclusive, range.start, range.end, None).collect()
    }

    /// Number of entries, exclusive and holds together.
    pub fn len(&self) -> usize {
        self.exclusive.len() + self.holds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn remember_hold_length(&mut self, len: i64) {
        *self.hold_lengths.entry(len).or_default() += 1;
    }

    fn forget_hold_length(&mut self, len: i64) {
        if let btree_map::Entry::Occupied(mut e) = self.hold_lengths.entry(len) {
            *e.get_mut() -= 1;
            if *e.get() == 0 {
                e.remove();
            }
        }
    }
}

/// Micros from `start` to `end`; saturating, so odd input never panics.
fn span(start: Timestamp, end: Timestamp) -> i64 {
    end.0.saturating_sub(start.0)
}

/// The placement of a `len`-long window inside `gap` closest to `around`, if it fits.
fn best_in_gap(gap: TimeRange, around: Timestamp, len: i64) -> Option<TimeRange> {
    let last_start = gap.end.0.checked_sub(len)?;
    if last_start < gap.start.0 {
        return None;
    }
    let start = Timestamp(around.0.clamp(gap.start.0, last_start));
    Some(TimeRange { start, end: start.plus_micros(len) })
}

/// Free gaps inside `[from, until)`, earliest first (the first may start at `from`).
struct GapsForward<'a> {
    entries: Peekable<btree_map::Range<'a, Key, Timestamp>>,
    ignore: Option<BookingId>,
    /// Everything before this instant has been accounted for.
    cursor: Timestamp,
    until: Timestamp,
    done: bool,
}

impl<'a> GapsForward<'a> {
    fn new(map: &'a BTreeMap<Key, Timestamp>, from: Timestamp, until: Timestamp, ignore: Option<BookingId>) -> Self {
        // Only the nearest entry starting before `from` can cover it (no overlaps),
        // unless that is the ignored one, which does not count.
        let cursor = map
            .range(..(from, MIN_ID))
            .rev()
            .filter(|((_, id), _)| Some(*id) != ignore)
            .take(1)
            .fold(from, |c, (_, &end)| c.max(end));
        Self { entries: map.range((from, MIN_ID)..).peekable(), ignore, cursor, until, done: false }
    }
}

impl Iterator for GapsForward<'_> {
    type Item = TimeRange;

    fn next(&mut self) -> Option<TimeRange> {
        while !self.done {
            if self.cursor >= self.until {
                self.done = true;
                break;
            }
            let Some((&(start, id), &end)) = self.entries.next() else {
                self.done = true;
                return Some(TimeRange { start: self.cursor, end: self.until });
            };
            if Some(id) == self.ignore {
                continue;
            }
            let gap_start = self.cursor;
            self.cursor = self.cursor.max(end);
            if start > gap_start {
                return Some(TimeRange { start: gap_start, end: start.min(self.until) });
            }
        }
        None
    }
}

/// Free gaps inside `[since, from)`, latest first (the first may end at `from`).
struct GapsBackward<'a> {
    entries: std::iter::Rev<btree_map::Range<'a, Key, Timestamp>>,
    ignore: Option<BookingId>,
    /// Everything after this instant has been accounted for.
    cursor: Timestamp,
    since: Timestamp,
    done: bool,
}

impl<'a> GapsBackward<'a> {
    fn new(map: &'a BTreeMap<Key, Timestamp>, from: Timestamp, since: Timestamp, ignore: Option<BookingId>) -> Self {
        Self { entries: map.range(..(from, MIN_ID)).rev(), ignore, cursor: from, since, done: false }
    }
}

impl Iterator for GapsBackward<'_> {
    type Item = TimeRange;

    fn next(&mut self) -> Option<TimeRange> {
        while !self.done {
            if self.cursor <= self.since {
                self.done = true;
                break;
            }
            let Some((&(start, id), &end)) = self.entries.next() else {
                self.done = true;
                return Some(TimeRange { start: self.since, end: self.cursor });
            };
            if Some(id) == self.ignore {
                continue;
            }
            let gap_end = self.cursor;
            self.cursor = self.cursor.min(start);
            if end < gap_end {
                return Some(TimeRange { start: end.max(self.since), end: gap_end });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: i64, b: i64) -> TimeRange {
        TimeRange::new(Timestamp(a), Timestamp(b)).unwrap()
    }

    fn id(n: u128) -> BookingId {
        BookingId::from_u128(n)
    }

    fn cal(exclusive: &[(i64, i64)]) -> Calendar {
        let mut c = Calendar::new();
        for (i, &(a, b)) in exclusive.iter().enumerate() {
            c.insert(id(i as u128 + 1), r(a, b), true);
        }
        c
    }

    #[test]
    fn touching_ranges_do_not_overlap() {
        let c = cal(&[(10, 20), (20, 30)]);
        assert_eq!(c.overlapping_exclusive(r(0, 10)), vec![]);
        assert_eq!(c.overlapping_exclusive(r(30, 40)), vec![]);
        assert_eq!(c.overlapping_exclusive(r(19, 21)), vec![(id(1), r(10, 20)), (id(2), r(20, 30))]);
        assert_eq!(c.overlapping_exclusive(r(5, 11)), vec![(id(1), r(10, 20))]);
    }

    #[test]
    fn holds_overlap_and_long_holds_are_found() {
        let mut c = Calendar::new();
        c.insert(id(1), r(0, 100), false);
        c.insert(id(2), r(50, 60), false);
        c.insert(id(3), r(90, 95), false);
        assert_eq!(c.overlapping_holds(r(70, 80)), vec![(id(1), r(0, 100))]);
        assert_eq!(c.overlapping_holds(r(55, 91)).len(), 3);
        assert_eq!(c.overlapping_holds(r(100, 200)), vec![]);
        assert_eq!(c.len(), 3);
        c.remove(id(1), r(0, 100), false);
        assert_eq!(c.overlapping_holds(r(70, 80)), vec![]);
        assert_eq!(c.hold_lengths.last_key_value(), Some((&10, &1)));
    }

    #[test]
    fn equal_entries_compare_equal_whatever_the_history() {
        let mut a = Calendar::new();
        a.insert(id(1), r(0, 1000), false);
        a.insert(id(2), r(0, 10), false);
        a.remove(id(1), r(0, 1000), false);
        a.remove(id(9), r(0, 1000), false);
        let mut b = Calendar::new();
        b.insert(id(2), r(0, 10), false);
        assert_eq!(a, b);
    }

    #[test]
    fn remove_is_a_no_op_when_absent() {
        let mut c = cal(&[(10, 20)]);
        c.remove(id(1), r(11, 20), true);
        c.remove(id(2), r(10, 20), true);
        assert_eq!(c.len(), 1);
        c.remove(id(1), r(10, 20), true);
        assert!(c.is_empty());
    }

    #[test]
    fn free_gaps_are_maximal() {
        let c = cal(&[(10, 20), (20, 30), (40, 50)]);
        assert_eq!(c.free_gaps(r(0, 60)), vec![r(0, 10), r(30, 40), r(50, 60)]);
        assert_eq!(c.free_gaps(r(15, 45)), vec![r(30, 40)]);
        assert_eq!(c.free_gaps(r(12, 18)), vec![]);
        assert_eq!(Calendar::new().free_gaps(r(5, 6)), vec![r(5, 6)]);
    }

    #[test]
    fn free_windows_nearest_first_one_per_gap() {
        let c = cal(&[(100, 200), (210, 300), (400, 500)]);
        let h = r(0, 1000);
        // Around 150 (busy): [200,210) is too small; 300.. is 150 away, ..100 is 110 away.
        assert_eq!(c.free_windows(Timestamp(150), 60, 3, h, None), vec![r(40, 100), r(300, 360), r(500, 560)]);
        // Around a free instant inside a big gap: the window starts right there.
        assert_eq!(c.free_windows(Timestamp(320), 50, 1, h, None), vec![r(320, 370)]);
        // Clamped to the end of the gap when the window would run into the next booking.
        assert_eq!(c.free_windows(Timestamp(380), 50, 1, h, None), vec![r(350, 400)]);
        assert_eq!(c.free_windows(Timestamp(380), 50, 0, h, None), vec![]);
    }

    #[test]
    fn free_windows_respect_horizon_and_ignore() {
        let c = cal(&[(100, 200)]);
        assert_eq!(c.free_windows(Timestamp(100), 100, 2, r(50, 250), None), vec![]);
        assert_eq!(c.free_windows(Timestamp(100), 100, 2, r(50, 250), Some(id(1))), vec![r(100, 200)]);
        assert_eq!(c.free_windows(Timestamp(100), 50, 5, r(50, 250), None), vec![r(50, 100), r(200, 250)]);
        // `around` outside the horizon still measures distance from `around`.
        assert_eq!(c.free_windows(Timestamp(0), 50, 5, r(50, 250), None), vec![r(50, 100), r(200, 250)]);
        assert_eq!(c.free_windows(Timestamp(900), 10, 1, r(50, 250), None), vec![r(240, 250)]);
    }

    #[test]
    fn free_windows_at_ten_thousand_bookings_are_local() {
        // 10,000 back-to-back hour bookings with one free hour in the middle.
        let hour = 3_600_000_000;
        let mut c = Calendar::new();
        for i in 0..10_000i64 {
            if i != 5_000 {
                c.insert(id(i as u128 + 1), r(i * hour, (i + 1) * hour), true);
            }
        }
        let h = r(0, 20_000 * hour);
        let w = c.free_windows(Timestamp(5_000 * hour + 5), hour, 2, h, None);
        assert_eq!(w, vec![r(5_000 * hour, 5_001 * hour), r(10_000 * hour, 10_001 * hour)]);
        assert_eq!(c.overlapping_exclusive(r(4_999 * hour + 1, 5_001 * hour + 1)).len(), 2);
    }
}
