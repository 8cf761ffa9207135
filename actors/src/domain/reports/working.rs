//! The studio's working time as UTC instants, and the one sweep every report
//! uses: "how much of this range falls in working time, minus time off".
//!
//! Working time is computed once per report: one `[start, end)` span of UTC
//! microseconds per working day, in day order. The local start and end of
//! each day go through the studio's time zone separately, so a day on which
//! the clocks change still spans its full wall-clock hours (09:00–18:00 is
//! 9 hours on the Sunday of a DST change as on any other day).

use crate::domain::settings::{StudioSettings, WorkingWeek, minutes_of_day};
use chrono::{Duration, NaiveDateTime};
use chrono_tz::Tz;
use pt_protocol::time::MICROS_PER_MINUTE;
use pt_protocol::{Day, TimeRange};

/// A `[start, end)` range in UTC microseconds.
pub(super) type Span = (i64, i64);

/// The studio's working week in a form ready to lay over a calendar.
pub(super) struct WorkingTime {
    tz: Tz,
    /// Indexed by ISO weekday (index 0 unused).
    works: [bool; 8],
    start_min: u32,
    end_min: u32,
}

/// The working spans of a run of local days, and the local day of each.
pub(super) struct WorkingSpans {
    /// Sorted and non-overlapping.
    pub spans: Vec<Span>,
    /// `days[i]` is the studio's local day of `spans[i]`.
    pub days: Vec<Day>,
}

impl WorkingTime {
    /// The working time of `settings`. Settings are validated when they are
    /// changed; a store row edited by hand with a broken week or zone reads
    /// as the default week or UTC here — the same policy as
    /// [`StudioSettings::from_row`] — rather than failing every report.
    pub fn of(settings: &StudioSettings) -> Self {
        let week = if settings.working_week.check().is_empty() {
            settings.working_week.clone()
        } else {
            WorkingWeek::default()
        };
        let mut works = [false; 8];
        for &d in &week.days {
            works[usize::from(d)] = true;
        }
        Self {
            tz: settings.timezone.parse().unwrap_or(Tz::UTC),
            works,
            // `check` passed, so both parse; the defaults only satisfy the types.
            start_min: minutes_of_day(&week.start).unwrap_or(9 * 60),
            end_min: minutes_of_day(&week.end).unwrap_or(18 * 60),
        }
    }

    /// Length of a nominal working day (`end − start`), in microseconds.
    pub fn day_micros(&self) -> i64 {
        i64::from(self.end_min - self.start_min) * MICROS_PER_MINUTE
    }

    /// The working spans of the local days `[from, to)`.
    pub fn spans(&self, from: Day, to: Day) -> WorkingSpans {
        let cap = usize::try_from(from.until(to)).unwrap_or(0);
        let mut out = WorkingSpans { spans: Vec::with_capacity(cap), days: Vec::with_capacity(cap) };
        let mut prev_end = i64::MIN;
        let mut weekday = from.weekday();
        for n in from.0..to.0 {
            let day = Day(n);
            if self.works[usize::from(weekday)] {
                let date = day.to_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
                let start = self.utc_micros(date + Duration::minutes(i64::from(self.start_min)));
                let end = self.utc_micros(date + Duration::minutes(i64::from(self.end_min)));
                // Only a zone that skips a whole day (Pacific/Apia, 2011) can
                // make two days' spans meet; clipping keeps the sweep's order.
                let start = start.max(prev_end);
                let end = end.max(start);
                out.spans.push((start, end));
                out.days.push(day);
                prev_end = end;
            }
            weekday = weekday % 7 + 1;
        }
        out
    }

    /// A local wall-clock time as UTC microseconds (the availability rules' one conversion).
    fn utc_micros(&self, local: NaiveDateTime) -> i64 {
        crate::domain::availability::utc_micros(self.tz, local)
    }
}

/// `ranges` sorted by start with overlaps merged, as spans. Artists' time off
/// is kept that way already; normalising costs little and keeps a broken
/// list from counting an hour off twice.
pub(super) fn merged(ranges: &[TimeRange], out: &mut Vec<Span>) {
    out.clear();
    out.extend(ranges.iter().map(|r| (r.start.0, r.end.0)).filter(|(s, e)| s < e));
    out.sort_unstable();
    let mut w = 0;
    for r in 0..out.len() {
        if w > 0 && out[r].0 <= out[w - 1].1 {
            out[w - 1].1 = out[w - 1].1.max(out[r].1);
        } else {
            out[w] = out[r];
            w += 1;
        }
    }
    out.truncate(w);
}

/// Calls `f(i, micros)` for every working span `i` that `[start, end)`
/// overlaps, with the microseconds of the overlap not covered by `off`
/// (sorted, merged). Spans and time off are found by binary search, so the
/// cost follows the length of the range, not the length of the calendar.
pub(super) fn for_each_worked(spans: &[Span], off: &[Span], start: i64, end: i64, mut f: impl FnMut(usize, i64)) {
    let first = spans.partition_point(|s| s.1 <= start);
    for (i, &(ss, se)) in spans.iter().enumerate().skip(first) {
        if ss >= end {
            break;
        }
        let (s, e) = (ss.max(start), se.min(end));
        let worked = (e - s) - covered(off, s, e);
        if worked > 0 {
            f(i, worked);
        }
    }
}

/// Microseconds of `[start, end)` inside the merged spans `off`.
fn covered(off: &[Span], start: i64, end: i64) -> i64 {
    let first = off.partition_point(|o| o.1 <= start);
    off[first..].iter().take_while(|o| o.0 < end).map(|&(os, oe)| oe.min(end) - os.max(start)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pt_protocol::Timestamp;

    #[test]
    fn merging_sorts_and_joins_overlapping_and_touching_ranges() {
        let r = |s, e| TimeRange { start: Timestamp(s), end: Timestamp(e) };
        let mut out = Vec::new();
        merged(&[r(50, 60), r(0, 10), r(5, 20), r(20, 30), r(40, 40)], &mut out);
        assert_eq!(out, [(0, 30), (50, 60)]);
    }

    #[test]
    fn the_sweep_clips_to_spans_and_subtracts_time_off() {
        let spans = [(0, 10), (20, 30), (40, 50)];
        let mut seen = Vec::new();
        for_each_worked(&spans, &[(22, 24), (45, 100)], 5, 47, |i, m| seen.push((i, m)));
        assert_eq!(seen, [(0, 5), (1, 8), (2, 5)]);
    }
}
