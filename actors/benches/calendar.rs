//! Criterion micro-benchmarks of the calendar index at 10,000 bookings per
//! artist: the conflict check every exclusive booking command runs, and the
//! free-window search a conflict answer runs.
//!
//! `cargo bench -p pt-actors --bench calendar`
//!
//! The calendar: 10,000 one-to-eight-hour pencils/confirmed bookings with gaps
//! of up to a day between them (about 5 years), plus 1,000 holds laid over
//! them. "Packed" is a second calendar of 10,000 back-to-back bookings with no
//! gap at all, the worst case for the free-window walk.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use pt_actors::domain::artist_book::search_horizon;
use pt_actors::domain::{ArtistBook, Calendar};
use pt_protocol::{Artist, ArtistId, Booking, BookingId, BookingStatus, Event, TimeRange, Timestamp};
use std::hint::black_box;

const BOOKINGS: usize = 10_000;
const HOLDS: usize = 1_000;
const HOUR: i64 = 3_600_000_000;
const T0: i64 = 1_893_456_000_000_000; // 2030-01-01T00:00:00Z

/// A tiny deterministic generator (the bench must not depend on a seed crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn range(start: i64, end: i64) -> TimeRange {
    TimeRange { start: Timestamp::from_micros(start), end: Timestamp::from_micros(end) }
}

/// `(id, range, exclusive)` entries: spaced exclusive bookings plus overlapping holds.
fn spaced_entries() -> Vec<(BookingId, TimeRange, bool)> {
    let mut rng = Lcg(42);
    let mut out = Vec::with_capacity(BOOKINGS + HOLDS);
    let mut t = T0;
    for i in 0..BOOKINGS {
        let len = (1 + rng.next(8) as i64) * HOUR;
        out.push((BookingId::from_u128(i as u128 + 1), range(t, t + len), true));
        t += len + rng.next(24) as i64 * HOUR;
    }
    let end = t;
    for i in 0..HOLDS {
        let s = T0 + rng.next(((end - T0) / HOUR) as u64) as i64 * HOUR;
        out.push((BookingId::from_u128((BOOKINGS + i) as u128 + 1), range(s, s + 4 * HOUR), false));
    }
    out
}

fn packed_calendar() -> Calendar {
    let mut c = Calendar::new();
    for i in 0..BOOKINGS as i64 {
        c.insert(BookingId::from_u128(i as u128 + 1), range(T0 + i * HOUR, T0 + (i + 1) * HOUR), true);
    }
    c
}

fn artist_book(entries: &[(BookingId, TimeRange, bool)]) -> ArtistBook {
    let now = Timestamp::from_micros(T0);
    let artist = Artist {
        id: ArtistId::from_u128(7),
        name: "Bench".into(),
        email: None,
        skills: vec![],
        timezone: "UTC".into(),
        active: true,
        time_off: Vec::new(),
        working_hours: None,
        profile: Default::default(),
        rate: None,
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let mut book = ArtistBook::new(artist);
    for (id, r, exclusive) in entries {
        let status = if *exclusive { BookingStatus::Confirmed } else { BookingStatus::Hold };
        let booking = Booking {
            id: *id,
            artist_id: ArtistId::from_u128(7),
            project_id: None,
            phase_id: None,
            title: "b".into(),
            notes: None,
            start_time: r.start,
            end_time: r.end,
            status,
            expires_at: (!*exclusive).then_some(Timestamp::from_micros(i64::MAX / 2)),
            version: 1,
            created_at: now,
            created_by: "bench".into(),
            updated_at: now,
            updated_by: "bench".into(),
            allow_overtime: false,
            challenged_by: None,
            queued_for: None,
        };
        book.apply(&Event::BookingCreated { booking: booking.into() });
    }
    book
}

/// Query ranges spread over the calendar's span (same for every benchmark).
fn queries(span_end: i64, n: usize) -> Vec<TimeRange> {
    let mut rng = Lcg(7);
    (0..n)
        .map(|_| {
            let s = T0 + rng.next(((span_end - T0) / HOUR) as u64) as i64 * HOUR;
            range(s, s + 2 * HOUR)
        })
        .collect()
}

fn bench_calendar(c: &mut Criterion) {
    let entries = spaced_entries();
    let mut cal = Calendar::new();
    for (id, r, ex) in &entries {
        cal.insert(*id, *r, *ex);
    }
    assert_eq!(cal.len(), BOOKINGS + HOLDS);
    let span_end = entries.iter().map(|(_, r, _)| r.end.micros()).max().unwrap_or(T0);
    let qs = queries(span_end, 1024);
    let packed = packed_calendar();
    let packed_qs = queries(T0 + BOOKINGS as i64 * HOUR, 1024);

    let mut g = c.benchmark_group("calendar_10k");
    let mut i = 0;
    g.bench_function("conflict_check/overlapping_exclusive", |b| {
        b.iter(|| {
            i = (i + 1) % qs.len();
            black_box(cal.overlapping_exclusive(black_box(qs[i])))
        })
    });
    g.bench_function("conflict_check/overlapping_holds", |b| {
        b.iter(|| {
            i = (i + 1) % qs.len();
            black_box(cal.overlapping_holds(black_box(qs[i])))
        })
    });
    for (name, calendar, qs) in [("spaced", &cal, &qs), ("packed", &packed, &packed_qs)] {
        g.bench_with_input(BenchmarkId::new("free_windows_3", name), calendar, |b, calendar| {
            b.iter(|| {
                i = (i + 1) % qs.len();
                let q = qs[i];
                black_box(calendar.free_windows(q.start, q.duration_micros(), 3, search_horizon(q), None))
            })
        });
    }
    g.finish();

    // The whole domain check a booking command runs (conflicts, holds, and on
    // a conflict the free windows), on an artist with 10,000 bookings.
    let book = artist_book(&entries);
    let mut g = c.benchmark_group("artist_book_10k");
    g.bench_function("check", |b| {
        b.iter(|| {
            i = (i + 1) % qs.len();
            black_box(book.check(black_box(qs[i]), None, pt_protocol::time::MIN_TIMESTAMP))
        })
    });
    g.finish();
}

criterion_group!(benches, bench_calendar);
criterion_main!(benches);
