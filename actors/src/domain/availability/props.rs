//! Property tests of free time: a random working week (zone, intervals per
//! weekday, holidays), random time off and random exclusive bookings in an
//! [`ArtistBook`], a random `now` and request. Everything lies on a
//! quarter-hour grid (the zones' offsets are whole half hours), so the free
//! pieces can be checked slot by slot against brute force; the free windows
//! a conflict answer offers, and the stretches search ranks by, are checked
//! against the rules directly.

use super::{Span, SpanCache, Week, approved_off, free, rules};
use crate::domain::{ArtistBook, DecideCtx, StudioSettings, WorkingWeek};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use pt_protocol::time::MICROS_PER_MINUTE;
use pt_protocol::{
    Artist, ArtistId, BookingId, BookingStatus, Day, Holiday, NewBooking, TenantId, TimeOff, TimeOffId, TimeOffStatus,
    TimeRange, Timestamp, WorkingInterval,
};
use std::sync::Arc;

/// A quarter hour: the grid every generated instant lies on.
const Q: i64 = 15 * MICROS_PER_MINUTE;
const QUARTERS_PER_DAY: i64 = 96;
/// Four weeks of quarter hours after the base day.
const GRID: i64 = 28 * QUARTERS_PER_DAY;
const ZONES: [&str; 5] = ["Europe/London", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland", "UTC"];
/// Base days whose four weeks hold a change of the clocks in most of the zones.
const BASES: [(i32, u32, u32); 4] = [(2026, 3, 1), (2026, 3, 22), (2026, 9, 20), (2026, 10, 20)];
const ME: ArtistId = ArtistId::from_u128(0xA);

#[derive(Clone, Debug)]
struct Case {
    zone: &'static str,
    base: Day,
    /// `None`: the studio's working week.
    hours: Option<Vec<WorkingInterval>>,
    /// Days after the base day.
    holidays: Vec<i32>,
    /// `(start, length)` in quarters after the base day.
    off: Vec<(i64, i64, TimeOffStatus)>,
    bookings: Vec<(i64, i64, BookingStatus)>,
    /// Quarters after the base day: up to a week before the request's start, or three days into it.
    now: i64,
    request: (i64, i64),
}

fn hhmm(quarters: u32) -> String {
    let m = quarters * 15;
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn interval() -> impl Strategy<Value = WorkingInterval> {
    (1..=7u8, 0..96u32, 1..=48u32).prop_map(|(day, s, len)| WorkingInterval {
        day,
        start: hhmm(s),
        end: hhmm((s + len).min(96)),
    })
}

fn case() -> impl Strategy<Value = Case> {
    use BookingStatus::{Confirmed, Hold, Pencil};
    use TimeOffStatus::{Approved, Cancelled, Declined, Requested};
    let off_status = prop_oneof![4 => Just(Approved), 1 => prop::sample::select(vec![Requested, Declined, Cancelled])];
    (
        prop::sample::select(ZONES.to_vec()),
        prop::sample::select(BASES.to_vec()),
        prop::option::weighted(0.85, prop::collection::vec(interval(), 0..12)),
        prop::collection::vec(0..28i32, 0..4),
        prop::collection::vec((0..GRID, 1..5 * QUARTERS_PER_DAY, off_status), 0..4),
        prop::collection::vec(
            (0..GRID, 1..3 * QUARTERS_PER_DAY, prop::sample::select(vec![Pencil, Confirmed, Hold])),
            0..20,
        ),
        -7 * QUARTERS_PER_DAY..3 * QUARTERS_PER_DAY,
        (0..GRID, 1..5 * QUARTERS_PER_DAY),
    )
        .prop_map(|(zone, (y, m, d), hours, holidays, off, bookings, now, request)| Case {
            zone,
            base: Day::from_ymd(y, m, d).expect("a date"),
            hours,
            holidays,
            off,
            bookings,
            now: request.0 + now,
            request,
        })
}

impl Case {
    fn at(&self, quarters: i64) -> i64 {
        self.base.start_micros() + quarters * Q
    }

    fn range(&self, (start, len): (i64, i64)) -> TimeRange {
        TimeRange { start: Timestamp(self.at(start)), end: Timestamp(self.at(start + len)) }
    }

    /// The book: the artist, the studio's holidays, and every booking that
    /// does not collide with an earlier one (overtime allowed, so they may lie anywhere).
    fn book(&self) -> ArtistBook {
        let t0 = Timestamp(self.at(0));
        let time_off = self
            .off
            .iter()
            .enumerate()
            .map(|(i, &(s, len, status))| TimeOff {
                id: TimeOffId::from_u128(i as u128 + 1),
                status,
                ..TimeOff::approved(self.range((s, len)))
            })
            .collect();
        let artist = Artist {
            id: ME,
            name: "prop".into(),
            email: None,
            skills: vec![],
            timezone: self.zone.into(),
            active: true,
            time_off,
            working_hours: self.hours.clone(),
            profile: Default::default(),
            rate: None,
            archived_at: None,
            version: 1,
            created_at: t0,
            updated_at: t0,
        };
        let holidays = self.holidays.iter().map(|&d| Holiday { date: self.base.plus(d), name: format!("h{d}") });
        let studio = StudioSettings {
            id: TenantId::from_u128(1),
            name: "Props".into(),
            timezone: "UTC".into(),
            default_hold_minutes: 60,
            working_week: WorkingWeek::default(),
            holidays: holidays.collect(),
            created_at: t0,
            challenge_hours: 24,
        };
        let mut book = ArtistBook::with_studio(artist, Arc::new(studio));
        let ctx = DecideCtx { now: t0, by: "prop".into(), default_hold_micros: 6 * 60 * MICROS_PER_MINUTE };
        for (i, &(s, len, status)) in self.bookings.iter().enumerate() {
            let r = self.range((s, len));
            let new = NewBooking {
                artist_id: ME,
                project_id: None,
                phase_id: None,
                title: format!("b{i}"),
                notes: None,
                start_time: r.start,
                end_time: r.end,
                status: Some(status),
                expires_at: None,
                allow_overtime: Some(true),
                queue_if_busy: None,
            };
            if let Ok(ev) = book.decide_create(BookingId::from_u128(i as u128 + 1), &new, &ctx) {
                book.apply(&ev);
            }
        }
        book
    }
}

fn working(week: &Week, s: i64, e: i64) -> i64 {
    free::working_micros(&week.spans(s, e), s, e)
}

fn overlaps((a, b): Span, (c, d): Span) -> bool {
    a < d && c < b
}

/// Properties (a)–(d) of a stretch offered as free: from `now` on, touching
/// no exclusive booking, no working time under approved time off or on a
/// holiday, and starting and ending in working time the rules accept whole.
fn bookable(week: &Week, book: &ArtistBook, busy: &[Span], now: i64, w: TimeRange) -> Result<(), TestCaseError> {
    let (s, e) = (w.start.0, w.end.0);
    prop_assert!(s < e, "{w:?} is empty");
    prop_assert!(s >= now, "{w:?} starts before now");
    prop_assert!(busy.iter().all(|&b| !overlaps(b, (s, e))), "{w:?} meets a booking");
    let off = approved_off(book.artist());
    for &(os, oe, _) in &off {
        prop_assert_eq!(working(week, os.max(s), oe.min(e).max(os.max(s))), 0, "{:?} meets time off", w);
    }
    let spans = week.spans(s, e);
    prop_assert!(spans.iter().all(|x| x.holiday.is_none()), "{w:?} meets a holiday");
    prop_assert!(spans.first().is_some_and(|x| x.start <= s), "{w:?} starts outside working time");
    prop_assert!(spans.last().is_some_and(|x| x.end >= e), "{w:?} ends outside working time");
    prop_assert_eq!(rules::unavailability(week, &off, w), vec![]);
    Ok(())
}

/// Free quarter hours of `[from, to)` one by one: in a working span that is
/// not a holiday, under no approved time off and no exclusive booking.
fn brute_free(week: &Week, book: &ArtistBook, busy: &[Span], from: i64, to: i64) -> Vec<bool> {
    let spans = week.spans(from, to);
    let off = approved_off(book.artist());
    (0..(to - from) / Q)
        .map(|k| {
            let slot = (from + k * Q, from + (k + 1) * Q);
            spans.iter().any(|w| w.holiday.is_none() && w.start <= slot.0 && slot.1 <= w.end)
                && off.iter().all(|&(s, e, _)| !overlaps((s, e), slot))
                && busy.iter().all(|&b| !overlaps(b, slot))
        })
        .collect()
}

/// Working days wholly inside `[from, to)` (holidays excluded), and those
/// of them whose every working quarter hour is free (`brute` from `from`).
fn brute_days(week: &Week, brute: &[bool], from: i64, to: i64) -> (u32, u32) {
    let spans = if from < to { week.spans(from, to) } else { Vec::new() };
    let mut days: Vec<_> = spans.iter().map(|w| w.day).collect();
    days.dedup();
    let (mut working, mut free) = (0, 0);
    for day in days {
        let of_day: Vec<_> = spans.iter().filter(|w| w.day == day).collect();
        if of_day.iter().any(|w| w.holiday.is_some() || w.start < from || w.end > to) {
            continue;
        }
        working += 1;
        let slots = |w: &&super::WorkSpan| ((w.start - from) / Q..(w.end - from) / Q).map(|k| k as usize);
        if of_day.iter().all(|w| slots(w).all(|k| brute[k])) {
            free += 1;
        }
    }
    (working, free)
}

fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let book = case.book();
    let week = book.week();
    let busy: Vec<Span> =
        book.bookings().filter(|b| b.status.is_exclusive()).map(|b| (b.start_time.0, b.end_time.0)).collect();
    let now = case.at(case.now);
    let request = case.range(case.request);

    // Free windows of a conflict answer.
    let check = book.check(request, None, Timestamp(now));
    prop_assert_eq!(check.available, check.conflicts.is_empty() && check.unavailable.is_empty());
    prop_assert!(check.free_windows.len() <= 3);
    let wanted = match working(week, request.start.0, request.end.0) {
        0 => request.duration_micros(),
        n => n,
    };
    let mut nearest = 0;
    for w in &check.free_windows {
        bookable(week, &book, &busy, now, *w)?;
        // (e) exactly the request's working time.
        prop_assert_eq!(working(week, w.start.0, w.end.0), wanted, "{:?} for {:?}", w, request);
        let distance = w.start.0.abs_diff(request.start.0);
        prop_assert!(distance >= nearest, "nearest first");
        nearest = distance;
    }

    // Free pieces of the calendar: each bookable and all working time, and
    // together exactly the free quarter hours.
    let (from, to) = (request.start.0.max(now), request.end.0);
    let avail = book.availability(request, Timestamp(now));
    let mut covered = vec![false; usize::try_from((to - from).max(0) / Q).unwrap_or(0)];
    for p in &avail.free {
        bookable(week, &book, &busy, now, *p)?;
        prop_assert_eq!(working(week, p.start.0, p.end.0), p.duration_micros());
        prop_assert!(from <= p.start.0 && p.end.0 <= to);
        prop_assert!((p.start.0 - from) % Q == 0 && (p.end.0 - from) % Q == 0, "{:?} is off the grid", p);
        for k in (p.start.0 - from) / Q..(p.end.0 - from) / Q {
            let k = usize::try_from(k).unwrap_or(usize::MAX);
            prop_assert!(!covered[k], "pieces overlap");
            covered[k] = true;
        }
    }
    let brute = if from < to { brute_free(week, &book, &busy, from, to) } else { Vec::new() };
    prop_assert_eq!(&covered, &brute);

    // What search ranks by; through a cache that saw the same pattern
    // without the holidays first, the same.
    let fit = book.fit(request, Timestamp(now));
    let cache = SpanCache::default();
    let bare = Case { holidays: Vec::new(), ..case.clone() }.book();
    prop_assert_eq!(bare.fit_with(request, Timestamp(now), &cache), bare.fit(request, Timestamp(now)));
    prop_assert_eq!(&book.fit_with(request, Timestamp(now), &cache), &fit);
    prop_assert!(cache.len() <= 1);
    prop_assert!(fit.free_days <= fit.working_days);
    let free_quarters = brute.iter().filter(|f| **f).count() as u64;
    prop_assert_eq!(fit.free_minutes, free_quarters * 15);
    prop_assert_eq!((fit.working_days, fit.free_days), brute_days(week, &brute, from, to));
    for w in &fit.windows {
        bookable(week, &book, &busy, now, *w)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn free_time_keeps_every_rule(case in case()) {
        check_case(&case)?;
    }
}
