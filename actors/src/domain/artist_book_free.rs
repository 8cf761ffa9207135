//! What of an artist's time is bookable: the availability rules as they
//! meet one artist's bookings (see [`crate::domain::availability`]).

use super::{ArtistBook, Availability, CheckResult, DecideCtx, FREE_WINDOW_COUNT, search_horizon};
use crate::domain::availability::{Span, SpanCache, WorkSpan, approved_off, free, rules};
use crate::error::{DomainError, UnavailableInfo};
use pt_protocol::{Booking, BookingId, BookingStatus, TimeRange, Timestamp, Unavailability};

/// How one artist's free time fits a search range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    /// Working days (holidays excluded) in the range, from today on.
    pub working_days: u32,
    /// Those of them with no booking, time off or holiday in their hours.
    pub free_days: u32,
    /// Free working time in the range, in minutes.
    pub free_minutes: u64,
    /// Free stretches (runs of free working time), by start.
    pub windows: Vec<TimeRange>,
}

impl ArtistBook {
    /// Is the artist free for `range` (ignoring booking `exclude`)?
    pub fn check(&self, range: TimeRange, exclude: Option<BookingId>, now: Timestamp) -> CheckResult {
        let conflicts = self.conflicts(range, exclude);
        let holds = self
            .calendar
            .overlapping_holds(range)
            .into_iter()
            .filter(|(id, _)| Some(*id) != exclude)
            .filter_map(|(id, _)| self.view(id))
            .collect();
        let unavailable = self.unavailable(range);
        let available = conflicts.is_empty() && unavailable.is_empty();
        let free_windows = if available { Vec::new() } else { self.free_windows(range, exclude, now) };
        CheckResult { available, unavailable, conflicts, holds, free_windows }
    }

    /// [`Self::check`]'s `available` alone: no holds, no free windows (the
    /// conflict answer's alternatives ask this of every candidate artist).
    pub fn is_free(&self, range: TimeRange) -> bool {
        self.conflicts(range, None).is_empty() && self.unavailable(range).is_empty()
    }

    /// Free working time and active bookings over `range`.
    pub fn availability(&self, range: TimeRange, now: Timestamp) -> Availability {
        let (from, to) = (range.start.0.max(now.0), range.end.0);
        let free = if from < to {
            let spans = self.week.spans(from, to);
            let busy = self.busy(TimeRange { start: Timestamp(from), end: range.end }, None);
            free::pieces(&spans, &approved_off(&self.artist), &busy, from, to)
                .into_iter()
                .map(|p| TimeRange { start: Timestamp(p.start), end: Timestamp(p.end) })
                .collect()
        } else {
            Vec::new()
        };
        let mut ids = self.calendar.overlapping_exclusive(range);
        ids.extend(self.calendar.overlapping_holds(range));
        let mut bookings: Vec<_> = ids.into_iter().filter_map(|(id, _)| self.view(id)).collect();
        bookings.sort_by_key(|v| (v.booking.start_time, v.booking.id));
        Availability { range, free, bookings }
    }

    /// How the artist's free time fits `[from, to)` (never before `now`).
    pub fn fit(&self, range: TimeRange, now: Timestamp) -> Fit {
        let from = range.start.0.max(now.0);
        self.fit_over(range, now, &self.week.spans(from, range.end.0))
    }

    /// [`ArtistBook::fit`], with the working spans from `cache` (a search
    /// over many artists lays out each distinct week once).
    pub fn fit_with(&self, range: TimeRange, now: Timestamp, cache: &SpanCache) -> Fit {
        let from = range.start.0.max(now.0);
        self.fit_over(range, now, &cache.spans(&self.week, from, range.end.0))
    }

    /// The fit, given `spans` = the week's spans of `[max(start, now), end)`.
    fn fit_over(&self, range: TimeRange, now: Timestamp, spans: &[WorkSpan]) -> Fit {
        let (from, to) = (range.start.0.max(now.0), range.end.0);
        if from >= to {
            return Fit { working_days: 0, free_days: 0, free_minutes: 0, windows: Vec::new() };
        }
        let busy = self.busy(TimeRange { start: Timestamp(from), end: range.end }, None);
        let pieces = free::pieces(spans, &approved_off(&self.artist), &busy, from, to);
        let (working_days, free_days) = free::day_counts(spans, &pieces, from, to);
        let micros: i64 = pieces.iter().map(|p| p.end - p.start).sum();
        let windows = free::runs(spans, &pieces, &busy)
            .into_iter()
            .map(|r| TimeRange { start: Timestamp(pieces[r.start].start), end: Timestamp(pieces[r.end - 1].end) })
            .collect();
        Fit { working_days, free_days, free_minutes: u64::try_from(micros / 60_000_000).unwrap_or(0), windows }
    }

    /// Where `range` meets time the artist does not work.
    pub fn unavailable(&self, range: TimeRange) -> Vec<Unavailability> {
        rules::unavailability(&self.week, &approved_off(&self.artist), range)
    }

    /// Up to three windows holding the working time of `range`, nearest to
    /// its start, free of holidays, approved time off and exclusive bookings
    /// (except `ignore`), within 90 days either side and never before `now`.
    pub(super) fn free_windows(&self, range: TimeRange, ignore: Option<BookingId>, now: Timestamp) -> Vec<TimeRange> {
        let h = search_horizon(range);
        let (from, to) = (h.start.0.max(now.0), h.end.0);
        if from >= to {
            return Vec::new();
        }
        let spans = self.week.spans(from, to);
        let busy = self.busy(TimeRange { start: Timestamp(from), end: h.end }, ignore);
        let pieces = free::pieces(&spans, &approved_off(&self.artist), &busy, from, to);
        let runs = free::runs(&spans, &pieces, &busy);
        let wanted = self.week.spans(range.start.0, range.end.0);
        let len = match free::working_micros(&wanted, range.start.0, range.end.0) {
            0 => range.end.0.saturating_sub(range.start.0),
            n => n,
        };
        free::windows(&pieces, &runs, range.start.0, len, FREE_WINDOW_COUNT)
    }

    /// Refuses an exclusive booking the artist does not work, unless it
    /// says `allowOvertime`.
    pub(super) fn ensure_workable(
        &self,
        booking: &Booking,
        ignore: Option<BookingId>,
        ctx: &DecideCtx,
    ) -> Result<(), DomainError> {
        if booking.allow_overtime {
            return Ok(());
        }
        let unavailable = self.unavailable(booking.range());
        if unavailable.is_empty() {
            return Ok(());
        }
        let free_windows = self.free_windows(booking.range(), ignore, ctx.now);
        Err(DomainError::Unavailable(Box::new(UnavailableInfo { unavailable, free_windows })))
    }

    /// What a hold (or an overtime booking) overlaps of non-working time.
    pub(super) fn warnings(&self, b: &Booking) -> Vec<Unavailability> {
        let warn = b.status == BookingStatus::Hold || (b.status.is_exclusive() && b.allow_overtime);
        if warn { self.unavailable(b.range()) } else { Vec::new() }
    }

    /// Exclusive bookings (and reservations) over `range` except `ignore`, as spans by start.
    fn busy(&self, range: TimeRange, ignore: Option<BookingId>) -> Vec<Span> {
        self.calendar
            .overlapping_exclusive(range)
            .into_iter()
            .filter(|(id, _)| Some(*id) != ignore)
            .map(|(_, r)| (r.start.0, r.end.0))
            .collect()
    }
}
