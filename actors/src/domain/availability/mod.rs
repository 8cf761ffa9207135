//! When an artist works, and what of a range they can be booked for.
//!
//! Three layers, each a pure function of the one before ([`Week`], [`rules`],
//! [`free`]), and artist search on top of them:
//!
//! * [`Week`] — an artist's working pattern in their own zone (their
//!   `workingHours`, or the studio's working week) plus the studio's
//!   holidays. [`Week::spans`] lays it over real time: one [`WorkSpan`] per
//!   working interval, in UTC microseconds, DST-correct (each local start and
//!   end goes through the zone on its own day).
//! * [`rules`] — why a range is not workable: the reasons a pencil or
//!   confirmed booking is refused with (`time_off`, `holiday`,
//!   `outside_working_hours`).
//! * [`free`] — what is bookable: working time minus holidays, approved time
//!   off and exclusive bookings, never before `now`; free windows for a
//!   request, and the free days search ranks by.
//! * [`SpanCache`] — the spans of one range laid out once per zone and
//!   weekly pattern, for a search over many artists.
//! * [`search`] — which artists a search finds (skills at a level, language,
//!   day rate, free days) and in what order.
//!
//! Vocabulary: *working time* is the pattern's spans; *available time* is
//! working time minus holidays and approved time off; *free time* is
//! available time minus exclusive bookings.

mod cache;
pub mod free;
#[cfg(test)]
mod props;
pub mod rules;
pub mod search;
#[cfg(test)]
mod tests;

pub use cache::SpanCache;

use crate::domain::settings::{StudioSettings, WorkingWeek, minutes_of_day};
use crate::domain::validate::end_minutes;
use chrono::{Datelike, Duration, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;
use pt_protocol::time::{MICROS_PER_DAY, MICROS_PER_MINUTE};
use pt_protocol::{Artist, Day, Holiday, TimeOffId, WorkingInterval};

/// A `[start, end)` range in UTC microseconds.
pub type Span = (i64, i64);

/// One working interval laid over real time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkSpan {
    pub start: i64,
    pub end: i64,
    /// The artist's local day it belongs to.
    pub day: Day,
    /// Index into [`Week::holidays`] when that day is a holiday.
    pub holiday: Option<usize>,
}

/// An artist's working pattern, zone and the studio's holidays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Week {
    tz: Tz,
    /// `(start, end)` minutes after local midnight, per ISO weekday (index 0 unused), sorted.
    days: [Vec<(u32, u32)>; 8],
    /// Sorted by date, each date once.
    pub holidays: Vec<Holiday>,
}

impl Week {
    /// The week `artist` works: their own hours, or the studio's working
    /// week, on the artist's clock. A zone or pattern that does not parse
    /// (a row edited by hand) reads as UTC or the default week rather than
    /// failing every booking — the same policy as the studio's settings.
    pub fn of(artist: &Artist, studio: &StudioSettings) -> Self {
        let tz = artist.timezone.parse().unwrap_or(Tz::UTC);
        let mut days: [Vec<(u32, u32)>; 8] = Default::default();
        match &artist.working_hours {
            Some(hours) => add_intervals(&mut days, hours),
            None => add_studio_week(&mut days, &studio.working_week),
        }
        let mut holidays = studio.holidays.clone();
        holidays.sort_by_key(|h| h.date);
        holidays.dedup_by_key(|h| h.date);
        Self { tz, days, holidays }
    }

    /// Every hour of every day is working time, in UTC, no holidays: the
    /// booking rules on their own (unit tests of the calendar).
    pub fn always() -> Self {
        let mut days: [Vec<(u32, u32)>; 8] = Default::default();
        for d in days.iter_mut().skip(1) {
            d.push((0, 24 * 60));
        }
        Self { tz: Tz::UTC, days, holidays: Vec::new() }
    }

    /// A week from its parts (tests, benchmarks).
    pub fn new(tz: Tz, hours: &[WorkingInterval], holidays: Vec<Holiday>) -> Self {
        let mut days: [Vec<(u32, u32)>; 8] = Default::default();
        add_intervals(&mut days, hours);
        Self { tz, days, holidays }
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The local day an instant falls on.
    pub fn day_of(&self, micros: i64) -> Day {
        let utc = chrono::DateTime::from_timestamp_micros(micros).unwrap_or_default();
        Day::from_naive(utc.with_timezone(&self.tz).date_naive())
    }

    /// Every working span overlapping `[from, to)`, in order (unclipped).
    pub fn spans(&self, from: i64, to: i64) -> Vec<WorkSpan> {
        let mut out = self.pattern_spans(from, to);
        self.mark_holidays(&mut out);
        out
    }

    /// [`Week::spans`] without the holiday marks: all that depends on the
    /// zone and the weekly pattern alone (what [`SpanCache`] keeps).
    fn pattern_spans(&self, from: i64, to: i64) -> Vec<WorkSpan> {
        let mut out = Vec::new();
        if from >= to {
            return out;
        }
        // A local day may start up to 14 hours either side of UTC midnight.
        let first = self.day_of(from.saturating_sub(MICROS_PER_DAY));
        let last = self.day_of(to.saturating_add(MICROS_PER_DAY));
        let mut prev_end = i64::MIN;
        let mut date = first.to_naive();
        for n in first.0..=last.0 {
            let day = Day(n);
            let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
            let weekday = date.weekday().number_from_monday() as usize;
            for &(s, e) in &self.days[weekday] {
                let start = utc_micros(self.tz, midnight + Duration::minutes(i64::from(s))).max(prev_end);
                let end = utc_micros(self.tz, midnight + Duration::minutes(i64::from(e))).max(start);
                prev_end = end;
                if end > from && start < to && start < end {
                    out.push(WorkSpan { start, end, day, holiday: None });
                }
            }
            date = date.succ_opt().unwrap_or(date);
        }
        out
    }

    /// Marks the spans (in order) that fall on one of the holidays.
    fn mark_holidays(&self, spans: &mut [WorkSpan]) {
        let Some(first) = spans.first() else { return };
        let mut h = self.holidays.partition_point(|x| x.date < first.day);
        for w in spans {
            while h < self.holidays.len() && self.holidays[h].date < w.day {
                h += 1;
            }
            w.holiday = (h < self.holidays.len() && self.holidays[h].date == w.day).then_some(h);
        }
    }

    /// Length of the longest working day of the pattern, in microseconds
    /// (what "a day" of work means when counting free days).
    pub fn longest_day_micros(&self) -> i64 {
        let per_day = self.days.iter().map(|d| d.iter().map(|&(s, e)| i64::from(e - s)).sum::<i64>());
        per_day.max().unwrap_or(0) * MICROS_PER_MINUTE
    }
}

fn add_intervals(days: &mut [Vec<(u32, u32)>; 8], hours: &[WorkingInterval]) {
    for w in hours {
        if let (Some(s), Some(e)) = (minutes_of_day(&w.start), end_minutes(&w.end))
            && (1..=7).contains(&w.day)
            && s < e
        {
            days[usize::from(w.day)].push((s, e));
        }
    }
    for d in days.iter_mut() {
        d.sort_unstable();
        // Overlaps are refused at the edge; merging keeps a hand-edited row sane.
        d.dedup_by(|b, a| {
            if b.0 <= a.1 {
                a.1 = a.1.max(b.1);
                true
            } else {
                false
            }
        });
    }
}

fn add_studio_week(days: &mut [Vec<(u32, u32)>; 8], week: &WorkingWeek) {
    let week = if week.check().is_empty() { week.clone() } else { WorkingWeek::default() };
    let (s, e) = (minutes_of_day(&week.start).unwrap_or(9 * 60), minutes_of_day(&week.end).unwrap_or(18 * 60));
    for &d in &week.days {
        days[usize::from(d)].push((s, e));
    }
}

/// A local wall-clock time as UTC microseconds. An ambiguous time (the hour
/// repeated when clocks go back) is its first occurrence; a time the clocks
/// skipped is read with the offset in force before the jump.
pub(crate) fn utc_micros(tz: Tz, local: NaiveDateTime) -> i64 {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.timestamp_micros(),
        LocalResult::None => {
            let before = tz.offset_from_utc_datetime(&(local - Duration::days(1))).fix();
            (local - before).and_utc().timestamp_micros()
        }
    }
}

/// Approved time off of an artist as `(start, end, id)`, by start.
pub fn approved_off(artist: &Artist) -> Vec<(i64, i64, TimeOffId)> {
    let mut off: Vec<_> = artist
        .time_off
        .iter()
        .filter(|t| t.status == pt_protocol::TimeOffStatus::Approved && t.start < t.end)
        .map(|t| (t.start.0, t.end.0, t.id))
        .collect();
    off.sort_unstable_by_key(|o| (o.0, o.1));
    off
}
