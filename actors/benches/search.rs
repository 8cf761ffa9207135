//! Criterion benchmark of artist search at studio scale: 1,000 artists with
//! 200 bookings each, working the studio's default week (Monday to Friday,
//! 09:00–18:00, Europe/London), searched over one month from a fixed `now`:
//! every artist's [`ArtistBook::fit_with`], then [`rank`]. Target: ≤ 5 ms
//! per query (p99).
//!
//! `cargo bench -p pt-actors --bench search`
//!
//! Three variants: the query as specified (every artist's fit, spans from one
//! [`SpanCache`] per query), the same without the cache (each artist lays
//! out its own spans), and the same fitting only the artists [`may_match`]
//! lets through. All three must give the same answer. Besides criterion's
//! estimate of the mean, the run prints the 50th, 99th and largest of 500
//! timed queries of each.

use criterion::{Criterion, criterion_group, criterion_main};
use pt_actors::domain::availability::SpanCache;
use pt_actors::domain::availability::search::{SkillWant, may_match, parse_skills, rank};
use pt_actors::domain::{ArtistBook, StudioSettings, WorkingWeek};
use pt_protocol::profile::{DayRate, SkillLevel};
use pt_protocol::{
    Artist, ArtistId, ArtistMatch, Booking, BookingId, BookingStatus, Day, Event, Holiday, TenantId, TimeOff,
    TimeRange, Timestamp,
};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ARTISTS: usize = 1_000;
const BOOKINGS_PER_ARTIST: usize = 200;
const HOUR: i64 = 3_600_000_000;
const DAY: i64 = 24 * HOUR;
const SKILLS: [&str; 8] = ["comp", "nuke", "fx", "houdini", "light", "rigging", "anim", "layout"];
const LANGUAGES: [&str; 4] = ["en", "fr", "de", "es"];

/// A tiny deterministic generator (the bench must not depend on a seed crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn year_start() -> i64 {
    Day::from_ymd(2026, 1, 1).expect("a date").start_micros()
}

/// The searching scheduler's clock: Monday 2026-03-09, 10:17 UTC.
fn now() -> Timestamp {
    Timestamp(Day::from_ymd(2026, 3, 9).expect("a date").start_micros() + 10 * HOUR + 17 * 60_000_000)
}

fn studio() -> Arc<StudioSettings> {
    let holiday = |m, d, name: &str| Holiday { date: Day::from_ymd(2026, m, d).expect("a date"), name: name.into() };
    Arc::new(StudioSettings {
        id: TenantId::from_u128(1),
        name: "Bench".into(),
        timezone: "Europe/London".into(),
        default_hold_minutes: 48 * 60,
        working_week: WorkingWeek::default(),
        holidays: vec![holiday(1, 1, "New Year"), holiday(4, 3, "Good Friday"), holiday(4, 6, "Easter Monday")],
        created_at: Timestamp(0),
        challenge_hours: 24,
    })
}

fn artist(i: usize, rng: &mut Lcg) -> Artist {
    let skills: Vec<String> = (0..3).map(|k| SKILLS[(i + k * 3) % SKILLS.len()].to_owned()).collect();
    let mut a = Artist {
        id: ArtistId::from_u128(i as u128 + 1),
        name: format!("Artist {:04}", rng.next(10_000)),
        email: None,
        skills: skills.clone(),
        timezone: "Europe/London".into(),
        active: !i.is_multiple_of(50),
        time_off: Vec::new(),
        working_hours: None,
        profile: Default::default(),
        rate: (!i.is_multiple_of(10)).then(|| DayRate { amount: 300 + rng.next(500) as u32, currency: "GBP".into() }),
        archived_at: None,
        version: 1,
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
    };
    // Levels for two of the three skills; the third has none (level 1).
    a.profile.skills =
        skills[..2].iter().map(|s| SkillLevel { name: s.clone(), level: 1 + rng.next(5) as u8, years: None }).collect();
    a.profile.languages = vec!["en".into(), LANGUAGES[i % LANGUAGES.len()].into()];
    // Two weeks of approved time off somewhere in the year.
    let off = year_start() + rng.next(350) as i64 * DAY;
    a.time_off = vec![TimeOff::approved(TimeRange { start: Timestamp(off), end: Timestamp(off + 14 * DAY) })];
    a
}

/// The artist's book: 200 bookings of 2 to 40 hours with gaps of up to two
/// days (about a year), pencils, confirmed and holds.
fn book(i: usize, rng: &mut Lcg, studio: &Arc<StudioSettings>) -> ArtistBook {
    let artist = artist(i, rng);
    let id = artist.id;
    let mut book = ArtistBook::with_studio(artist, studio.clone());
    let statuses = [BookingStatus::Confirmed, BookingStatus::Pencil, BookingStatus::Hold];
    let mut t = year_start() + rng.next(48) as i64 * HOUR;
    for k in 0..BOOKINGS_PER_ARTIST {
        let len = (2 + rng.next(39) as i64) * HOUR;
        let status = statuses[rng.next(3) as usize];
        let booking = Booking {
            id: BookingId::from_u128((i * BOOKINGS_PER_ARTIST + k) as u128 + 1),
            artist_id: id,
            project_id: None,
            phase_id: None,
            title: "b".into(),
            notes: None,
            start_time: Timestamp(t),
            end_time: Timestamp(t + len),
            status,
            expires_at: (status == BookingStatus::Hold).then_some(Timestamp(i64::MAX / 2)),
            version: 1,
            created_at: Timestamp(0),
            created_by: "bench".into(),
            updated_at: Timestamp(0),
            updated_by: "bench".into(),
            allow_overtime: true,
            challenged_by: None,
            queued_for: None,
        };
        book.apply(&Event::BookingCreated { booking: booking.into() });
        t += len + rng.next(48) as i64 * HOUR;
    }
    book
}

/// One search: every artist's fit over `range` (spans laid out once per
/// distinct week), then the ranking.
fn query(books: &[ArtistBook], wants: &[SkillWant], range: TimeRange, now: Timestamp) -> Vec<ArtistMatch> {
    let cache = SpanCache::default();
    let candidates = books.iter().map(|b| (b.artist().clone(), b.fit_with(range, now, &cache))).collect();
    rank(wants, candidates, 3, Some("en"), Some(700), 50)
}

/// The same search fitting only the artists [`may_match`] lets through
/// (the same answer: the others fail a filter that needs no calendar).
fn query_prefiltered(books: &[ArtistBook], wants: &[SkillWant], range: TimeRange, now: Timestamp) -> Vec<ArtistMatch> {
    let cache = SpanCache::default();
    let candidates = books
        .iter()
        .filter(|b| may_match(wants, b.artist(), Some("en"), Some(700)))
        .map(|b| (b.artist().clone(), b.fit_with(range, now, &cache)))
        .collect();
    rank(wants, candidates, 3, Some("en"), Some(700), 50)
}

/// The same search with every artist's spans laid out anew ([`ArtistBook::fit`]).
fn query_uncached(books: &[ArtistBook], wants: &[SkillWant], range: TimeRange, now: Timestamp) -> Vec<ArtistMatch> {
    let candidates = books.iter().map(|b| (b.artist().clone(), b.fit(range, now))).collect();
    rank(wants, candidates, 3, Some("en"), Some(700), 50)
}

type Query = fn(&[ArtistBook], &[SkillWant], TimeRange, Timestamp) -> Vec<ArtistMatch>;

fn percentiles(name: &str, query: Query, books: &[ArtistBook], wants: &[SkillWant], range: TimeRange, now: Timestamp) {
    let mut times: Vec<Duration> = (0..500)
        .map(|_| {
            let t = Instant::now();
            black_box(query(books, wants, range, now));
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "search/{name}: 500 queries: p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        at(0.50),
        at(0.99),
        times[times.len() - 1]
    );
}

fn bench_search(c: &mut Criterion) {
    let studio = studio();
    let mut rng = Lcg(42);
    let books: Vec<ArtistBook> = (0..ARTISTS).map(|i| book(i, &mut rng, &studio)).collect();
    let wants = parse_skills("comp:2,nuke").expect("a query");
    let now = now();
    let range = TimeRange { start: now, end: now.plus_micros(30 * DAY) };

    let found = query(&books, &wants, range, now);
    assert_eq!(found.len(), 50);
    assert!(found.iter().all(|m| !m.matched_skills.is_empty() && m.free_days >= 3));
    let working = books[1].fit(range, now).working_days;
    // Tuesday 10 March to Tuesday 7 April: 21 whole weekdays, less Good Friday and Easter Monday.
    assert_eq!(working, 19);

    assert_eq!(query_uncached(&books, &wants, range, now), found);
    assert_eq!(query_prefiltered(&books, &wants, range, now), found);
    let fitted = books.iter().filter(|b| may_match(&wants, b.artist(), Some("en"), Some(700))).count();
    println!("search: {fitted} of {ARTISTS} artists pass the filters that need no calendar");

    percentiles("1000_artists_one_month", query, &books, &wants, range, now);
    percentiles("1000_artists_one_month_uncached", query_uncached, &books, &wants, range, now);
    percentiles("1000_artists_one_month_prefiltered", query_prefiltered, &books, &wants, range, now);
    let mut g = c.benchmark_group("search");
    g.bench_function("1000_artists_one_month", |b| b.iter(|| black_box(query(&books, &wants, range, now))));
    g.bench_function("1000_artists_one_month_uncached", |b| {
        b.iter(|| black_box(query_uncached(&books, &wants, range, now)))
    });
    g.bench_function("1000_artists_one_month_prefiltered", |b| {
        b.iter(|| black_box(query_prefiltered(&books, &wants, range, now)))
    });
    g.finish();
}

criterion_group!(benches, bench_search);
criterion_main!(benches);
