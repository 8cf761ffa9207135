//! Unit tests of the availability layers: working spans over real time
//! ([`Week::spans`]), the reasons a range is not workable
//! ([`rules::unavailability`]) and free windows ([`free::windows`]).

use super::*;
use pt_protocol::time::MICROS_PER_HOUR;
use pt_protocol::{TimeRange, Timestamp, UnavailableReason};

const H: i64 = MICROS_PER_HOUR;
const M: i64 = MICROS_PER_MINUTE;

fn iv(day: u8, start: &str, end: &str) -> WorkingInterval {
    WorkingInterval { day, start: start.into(), end: end.into() }
}

/// `HH:MM` UTC on a date, as microseconds.
fn utc(y: i32, m: u32, d: u32, hh: i64, mm: i64) -> i64 {
    Day::from_ymd(y, m, d).expect("a date").start_micros() + hh * H + mm * M
}

fn day(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).expect("a date")
}

fn range(start: i64, end: i64) -> TimeRange {
    TimeRange { start: Timestamp(start), end: Timestamp(end) }
}

fn london() -> Tz {
    "Europe/London".parse().expect("a zone")
}

/// Monday to Friday, 09:00–18:00.
fn office(tz: Tz, holidays: Vec<Holiday>) -> Week {
    let hours: Vec<_> = (1..=5).map(|d| iv(d, "09:00", "18:00")).collect();
    Week::new(tz, &hours, holidays)
}

fn starts_ends(spans: &[WorkSpan]) -> Vec<(i64, i64)> {
    spans.iter().map(|w| (w.start, w.end)).collect()
}

// ---- Week::spans ----

#[test]
fn london_keeps_nine_to_six_local_across_both_changes_of_the_clocks() {
    let every_day: Vec<_> = (1..=7).map(|d| iv(d, "09:00", "18:00")).collect();
    let week = Week::new(london(), &every_day, Vec::new());
    // Spring: Sunday 2026-03-29 is the change day (01:00 GMT → 02:00 BST).
    let spring = week.spans(utc(2026, 3, 28, 0, 0), utc(2026, 3, 31, 0, 0));
    assert_eq!(
        starts_ends(&spring),
        [
            (utc(2026, 3, 28, 9, 0), utc(2026, 3, 28, 18, 0)),
            (utc(2026, 3, 29, 8, 0), utc(2026, 3, 29, 17, 0)),
            (utc(2026, 3, 30, 8, 0), utc(2026, 3, 30, 17, 0)),
        ]
    );
    assert_eq!(
        spring.iter().map(|w| w.day).collect::<Vec<_>>(),
        [day(2026, 3, 28), day(2026, 3, 29), day(2026, 3, 30)]
    );
    // Autumn: Sunday 2026-10-25 (02:00 BST → 01:00 GMT).
    let autumn = week.spans(utc(2026, 10, 24, 0, 0), utc(2026, 10, 26, 0, 0));
    assert_eq!(
        starts_ends(&autumn),
        [(utc(2026, 10, 24, 8, 0), utc(2026, 10, 24, 17, 0)), (utc(2026, 10, 25, 9, 0), utc(2026, 10, 25, 18, 0))]
    );
    assert!(spring.iter().chain(&autumn).all(|w| w.end - w.start == 9 * H && w.holiday.is_none()));
}

#[test]
fn a_span_across_the_change_is_as_long_as_the_clock_says() {
    // 00:00–04:00 local on the change days: three hours in spring, five in autumn.
    let week = Week::new(london(), &[iv(7, "00:00", "04:00")], Vec::new());
    let spring = week.spans(utc(2026, 3, 29, 0, 0), utc(2026, 3, 30, 0, 0));
    assert_eq!(starts_ends(&spring), [(utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 3, 0))]);
    let autumn = week.spans(utc(2026, 10, 25, 0, 0), utc(2026, 10, 26, 0, 0));
    assert_eq!(starts_ends(&autumn), [(utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 4, 0))]);
    assert_eq!(autumn[0].day, day(2026, 10, 25));
}

#[test]
fn a_local_day_far_from_utc_lies_on_its_own_utc_hours() {
    // Auckland in January is UTC+13: Monday 09:00 there is Sunday 20:00 UTC.
    let week = office("Pacific/Auckland".parse().unwrap(), Vec::new());
    let spans = week.spans(utc(2026, 1, 4, 0, 0), utc(2026, 1, 5, 0, 0));
    assert_eq!(starts_ends(&spans), [(utc(2026, 1, 4, 20, 0), utc(2026, 1, 5, 5, 0))]);
    assert_eq!(spans[0].day, day(2026, 1, 5));
    assert_eq!(week.day_of(utc(2026, 1, 4, 20, 0)), day(2026, 1, 5));
}

#[test]
fn split_shifts_are_two_spans_of_one_day() {
    let hours = [iv(1, "14:00", "18:00"), iv(1, "09:00", "13:00")];
    let week = Week::new(Tz::UTC, &hours, Vec::new());
    // 2026-01-05 is a Monday; a query inside the morning still returns it whole.
    let spans = week.spans(utc(2026, 1, 5, 10, 0), utc(2026, 1, 5, 15, 0));
    assert_eq!(
        starts_ends(&spans),
        [(utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 13, 0)), (utc(2026, 1, 5, 14, 0), utc(2026, 1, 5, 18, 0))]
    );
    assert!(spans.iter().all(|w| w.day == day(2026, 1, 5)));
    assert_eq!(week.spans(utc(2026, 1, 5, 13, 0), utc(2026, 1, 5, 14, 0)), []);
    assert_eq!(week.longest_day_micros(), 8 * H);
}

#[test]
fn a_shift_ending_at_twenty_four_ends_at_the_next_midnight() {
    let hours = [iv(5, "18:00", "24:00"), iv(6, "00:00", "02:00")];
    let week = Week::new(london(), &hours, Vec::new());
    // Friday 2026-07-03 in BST: 18:00 local is 17:00 UTC, 24:00 is 23:00 UTC.
    let spans = week.spans(utc(2026, 7, 3, 0, 0), utc(2026, 7, 5, 0, 0));
    assert_eq!(
        spans,
        [
            WorkSpan {
                start: utc(2026, 7, 3, 17, 0),
                end: utc(2026, 7, 3, 23, 0),
                day: day(2026, 7, 3),
                holiday: None
            },
            WorkSpan { start: utc(2026, 7, 3, 23, 0), end: utc(2026, 7, 4, 1, 0), day: day(2026, 7, 4), holiday: None },
        ]
    );
}

#[test]
fn holidays_mark_their_spans_and_empty_ranges_have_none() {
    let hol = Holiday { date: day(2026, 1, 6), name: "Epiphany".into() };
    let week = office(Tz::UTC, vec![hol]);
    let spans = week.spans(utc(2026, 1, 5, 0, 0), utc(2026, 1, 8, 0, 0));
    assert_eq!(spans.iter().map(|w| w.holiday).collect::<Vec<_>>(), [None, Some(0), None]);
    assert_eq!(week.spans(utc(2026, 1, 5, 12, 0), utc(2026, 1, 5, 12, 0)), []);
    assert_eq!(week.spans(utc(2026, 1, 10, 0, 0), utc(2026, 1, 12, 0, 0)), [], "a weekend");
}

#[test]
fn the_span_cache_lays_out_each_pattern_once_and_marks_each_weeks_holidays() {
    let plain = office(london(), Vec::new());
    let easter = office(london(), vec![Holiday { date: day(2026, 4, 6), name: "Easter Monday".into() }]);
    let utc_week = office(Tz::UTC, Vec::new());
    let (from, to) = (utc(2026, 3, 20, 0, 0), utc(2026, 4, 20, 0, 0));
    let cache = SpanCache::default();
    assert!(cache.is_empty());
    for w in [&plain, &easter, &utc_week, &plain, &easter] {
        assert_eq!(cache.spans(w, from, to), w.spans(from, to));
    }
    assert_eq!(cache.len(), 2, "one per zone and pattern");
    assert_eq!(cache.spans(&easter, from, to).iter().filter(|w| w.holiday == Some(0)).count(), 1);
    assert_eq!(cache.spans(&plain, from, to + H), plain.spans(from, to + H));
    assert_eq!(cache.len(), 3, "and per range");
}

// ---- rules::unavailability ----

/// 2026-01-05 … 09 is Monday to Friday; Wednesday the 7th is a holiday in [`holiday_week`].
fn holiday_week() -> Week {
    office(Tz::UTC, vec![Holiday { date: day(2026, 1, 7), name: "Studio day".into() }])
}

fn reasons(u: &[pt_protocol::Unavailability]) -> Vec<(UnavailableReason, i64, i64)> {
    u.iter().map(|u| (u.reason, u.start.0, u.end.0)).collect()
}

#[test]
fn a_working_day_and_a_working_week_are_workable() {
    let week = office(Tz::UTC, Vec::new());
    let day = range(utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 18, 0));
    assert_eq!(rules::unavailability(&week, &[], day), []);
    // Nights and the weekend inside a booking are fine: Thursday to Tuesday.
    let across = range(utc(2026, 1, 8, 9, 0), utc(2026, 1, 13, 18, 0));
    assert_eq!(rules::unavailability(&week, &[], across), []);
}

#[test]
fn starting_early_ending_late_or_not_working_at_all_is_outside_working_hours() {
    use UnavailableReason::OutsideWorkingHours as Out;
    let week = office(Tz::UTC, Vec::new());
    let early_late = range(utc(2026, 1, 5, 8, 0), utc(2026, 1, 6, 19, 0));
    assert_eq!(
        reasons(&rules::unavailability(&week, &[], early_late)),
        [(Out, utc(2026, 1, 5, 8, 0), utc(2026, 1, 5, 9, 0)), (Out, utc(2026, 1, 6, 18, 0), utc(2026, 1, 6, 19, 0))]
    );
    let saturday = range(utc(2026, 1, 10, 9, 0), utc(2026, 1, 10, 18, 0));
    assert_eq!(reasons(&rules::unavailability(&week, &[], saturday)), [(Out, saturday.start.0, saturday.end.0)]);
    let evening = range(utc(2026, 1, 5, 19, 0), utc(2026, 1, 5, 21, 0));
    assert_eq!(reasons(&rules::unavailability(&week, &[], evening)), [(Out, evening.start.0, evening.end.0)]);
}

#[test]
fn a_holiday_inside_a_booking_is_named_over_its_working_hours() {
    let week = holiday_week();
    let mon_fri = range(utc(2026, 1, 5, 9, 0), utc(2026, 1, 9, 18, 0));
    let got = rules::unavailability(&week, &[], mon_fri);
    assert_eq!(reasons(&got), [(UnavailableReason::Holiday, utc(2026, 1, 7, 9, 0), utc(2026, 1, 7, 18, 0))]);
    assert_eq!(got[0].holiday.as_deref(), Some("Studio day"));
    assert_eq!(got[0].time_off_id, None);
    // Part of the holiday only: clipped to the range.
    let afternoon = range(utc(2026, 1, 7, 14, 0), utc(2026, 1, 8, 18, 0));
    assert_eq!(
        reasons(&rules::unavailability(&week, &[], afternoon)),
        [(UnavailableReason::Holiday, utc(2026, 1, 7, 14, 0), utc(2026, 1, 7, 18, 0))]
    );
}

#[test]
fn approved_time_off_over_working_time_is_named_with_its_id() {
    let week = office(Tz::UTC, Vec::new());
    let id = TimeOffId::from_u128(7);
    // Tuesday, the whole calendar day.
    let off = [(utc(2026, 1, 6, 0, 0), utc(2026, 1, 7, 0, 0), id)];
    let mon_fri = range(utc(2026, 1, 5, 9, 0), utc(2026, 1, 9, 18, 0));
    let got = rules::unavailability(&week, &off, mon_fri);
    assert_eq!(reasons(&got), [(UnavailableReason::TimeOff, utc(2026, 1, 6, 0, 0), utc(2026, 1, 7, 0, 0))]);
    assert_eq!((got[0].time_off_id, got[0].holiday.as_deref()), (Some(id), None));
    // Time off outside the range does not count.
    let wednesday = range(utc(2026, 1, 7, 9, 0), utc(2026, 1, 7, 18, 0));
    assert_eq!(rules::unavailability(&week, &off, wednesday), []);
}

#[test]
fn time_off_over_a_weekend_the_booking_only_spans_does_not_count() {
    let week = office(Tz::UTC, Vec::new());
    let weekend = [(utc(2026, 1, 10, 0, 0), utc(2026, 1, 12, 0, 0), TimeOffId::from_u128(1))];
    let fri_mon = range(utc(2026, 1, 9, 9, 0), utc(2026, 1, 12, 18, 0));
    assert_eq!(rules::unavailability(&week, &weekend, fri_mon), []);
    // Friday evening to Monday 10:00 off: Monday's first working hour counts.
    let long = [(utc(2026, 1, 9, 18, 0), utc(2026, 1, 12, 10, 0), TimeOffId::from_u128(2))];
    assert_eq!(
        reasons(&rules::unavailability(&week, &long, fri_mon)),
        [(UnavailableReason::TimeOff, utc(2026, 1, 9, 18, 0), utc(2026, 1, 12, 10, 0))]
    );
}

#[test]
fn every_reason_at_once_comes_by_start() {
    use UnavailableReason::*;
    let week = holiday_week();
    let off = [(utc(2026, 1, 8, 12, 0), utc(2026, 1, 8, 14, 0), TimeOffId::from_u128(3))];
    let sun_fri = range(utc(2026, 1, 4, 12, 0), utc(2026, 1, 9, 20, 0));
    assert_eq!(
        reasons(&rules::unavailability(&week, &off, sun_fri)),
        [
            (OutsideWorkingHours, utc(2026, 1, 4, 12, 0), utc(2026, 1, 5, 9, 0)),
            (Holiday, utc(2026, 1, 7, 9, 0), utc(2026, 1, 7, 18, 0)),
            (TimeOff, utc(2026, 1, 8, 12, 0), utc(2026, 1, 8, 14, 0)),
            (OutsideWorkingHours, utc(2026, 1, 9, 18, 0), utc(2026, 1, 9, 20, 0)),
        ]
    );
}

// ---- free::windows ----

/// Free windows as `ArtistBook::free_windows` finds them, from `now` to `to`.
fn windows_of(week: &Week, busy: &[Span], now: i64, to: i64, request: TimeRange, count: usize) -> Vec<TimeRange> {
    let spans = week.spans(now, to);
    let pieces = free::pieces(&spans, &[], busy, now, to);
    let runs = free::runs(&spans, &pieces, busy);
    let wanted = week.spans(request.start.0, request.end.0);
    let len = free::working_micros(&wanted, request.start.0, request.end.0);
    free::windows(&pieces, &runs, request.start.0, len, count)
}

fn working(week: &Week, w: TimeRange) -> i64 {
    free::working_micros(&week.spans(w.start.0, w.end.0), w.start.0, w.end.0)
}

#[test]
fn windows_come_nearest_first_and_ties_go_earlier() {
    let week = office(Tz::UTC, Vec::new());
    // Wednesday the 14th is taken, and Thursday morning.
    let busy = [(utc(2026, 1, 14, 9, 0), utc(2026, 1, 14, 18, 0)), (utc(2026, 1, 15, 9, 0), utc(2026, 1, 15, 12, 0))];
    let request = range(utc(2026, 1, 14, 9, 0), utc(2026, 1, 14, 18, 0));
    let now = utc(2026, 1, 5, 12, 0);
    let got = windows_of(&week, &busy, now, utc(2026, 2, 28, 0, 0), request, 3);
    // Tuesday 09:00 is 24 h before the request, Thursday 12:00 is 27 h after.
    assert_eq!(
        got,
        [
            range(utc(2026, 1, 13, 9, 0), utc(2026, 1, 13, 18, 0)),
            range(utc(2026, 1, 15, 12, 0), utc(2026, 1, 16, 12, 0))
        ]
    );
    assert!(got.iter().all(|w| working(&week, *w) == 9 * H));
    // A tie: with Thursday free, Tuesday (24 h before) comes before Thursday (24 h after).
    let got = windows_of(&week, &busy[..1], now, utc(2026, 2, 28, 0, 0), request, 3);
    assert_eq!(
        got,
        [
            range(utc(2026, 1, 13, 9, 0), utc(2026, 1, 13, 18, 0)),
            range(utc(2026, 1, 15, 9, 0), utc(2026, 1, 15, 18, 0))
        ]
    );
    assert_eq!(windows_of(&week, &busy[..1], now, utc(2026, 2, 28, 0, 0), request, 1).len(), 1);
}

#[test]
fn windows_never_start_before_now() {
    let week = office(Tz::UTC, Vec::new());
    // Asked on Tuesday 11:00 for last Monday.
    let request = range(utc(2026, 1, 5, 9, 0), utc(2026, 1, 5, 18, 0));
    let now = utc(2026, 1, 6, 11, 0);
    let got = windows_of(&week, &[], now, utc(2026, 2, 28, 0, 0), request, 3);
    assert_eq!(got, [range(now, utc(2026, 1, 7, 11, 0))]);
}

#[test]
fn a_window_holds_the_requests_working_time_not_its_length() {
    let week = office(Tz::UTC, Vec::new());
    // Friday 09:00 to Monday 18:00: 18 working hours over 81 hours.
    let request = range(utc(2026, 1, 9, 9, 0), utc(2026, 1, 12, 18, 0));
    let busy = [(utc(2026, 1, 9, 9, 0), utc(2026, 1, 9, 18, 0))];
    let got = windows_of(&week, &busy, utc(2026, 1, 5, 9, 0), utc(2026, 2, 28, 0, 0), request, 3);
    // Wednesday 09:00 (the latest start in Monday–Thursday) is 48 h before, Monday the 12th 72 h after.
    assert_eq!(
        got,
        [range(utc(2026, 1, 7, 9, 0), utc(2026, 1, 8, 18, 0)), range(utc(2026, 1, 12, 9, 0), utc(2026, 1, 13, 18, 0))]
    );
    assert!(got.iter().all(|w| working(&week, *w) == 18 * H));
}

#[test]
fn windows_do_not_cross_a_holiday_and_skip_runs_too_short() {
    let week = holiday_week();
    // Three working days wanted from Monday the 5th: Wednesday the 7th is a
    // holiday, so Monday–Tuesday (two days) is too short.
    let request = range(utc(2026, 1, 5, 9, 0), utc(2026, 1, 7, 18, 0));
    let got = windows_of(&week, &[], utc(2026, 1, 5, 0, 0), utc(2026, 1, 31, 0, 0), request, 3);
    assert_eq!(got, [range(utc(2026, 1, 8, 9, 0), utc(2026, 1, 12, 18, 0))]);
    assert!(rules::unavailability(&week, &[], got[0]).is_empty());
}
