//! Criterion benchmarks of the reports at studio scale: a 26-week utilization
//! report over 500 artists with 200 bookings each spread over a year (about
//! 100 of them in the range), and the allocation of a 20-phase project with
//! 2,000 bookings among those 100,000. Target: well under 20 ms each.
//!
//! `cargo bench -p pt-actors --bench reports -- --warm-up-time 1 --measurement-time 3`
//!
//! The studio works 09:00–18:00 Monday to Friday in Europe/London, so the
//! range crosses the March change to summer time.

use criterion::{Criterion, criterion_group, criterion_main};
use pt_actors::domain::reports::{UtilizationFilter, allocation, utilization};
use pt_actors::domain::{StudioSettings, WorkingWeek};
use pt_protocol::project::SkillEffort;
use pt_protocol::report::Granularity;
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, BookingStatus, Day, Phase, PhaseId, Project, ProjectId, ProjectPlan,
    ProjectStatus, TenantId, TimeRange, Timestamp,
};
use std::hint::black_box;

const ARTISTS: usize = 500;
const BOOKINGS_PER_ARTIST: usize = 200;
const PHASES: usize = 20;
/// Every 50th booking belongs to the project: 2,000 of 100,000.
const PROJECT_EVERY: usize = 50;
const HOUR: i64 = 3_600_000_000;
const SKILLS: [&str; 6] = ["anim", "comp", "fx", "light", "rigging", "layout"];
const PROJECT: ProjectId = ProjectId::from_u128(0x100);

/// A tiny deterministic generator (the bench must not depend on a seed crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn year_start() -> Day {
    Day::from_ymd(2026, 1, 1).expect("a date")
}

fn studio() -> StudioSettings {
    StudioSettings {
        id: TenantId::from_u128(1),
        name: "Bench".into(),
        timezone: "Europe/London".into(),
        default_hold_minutes: 60,
        working_week: WorkingWeek::default(),
        holidays: Vec::new(),
        created_at: Timestamp(0),
        challenge_hours: 24,
    }
}

fn artists(rng: &mut Lcg) -> Vec<Artist> {
    let t0 = year_start().start_micros();
    (0..ARTISTS)
        .map(|i| {
            // Two weeks off somewhere in the year.
            let off = t0 + rng.next(350) as i64 * 24 * HOUR;
            Artist {
                id: ArtistId::from_u128(i as u128 + 1),
                name: format!("Artist {:03}", rng.next(1000)),
                email: None,
                skills: vec![SKILLS[i % 6].into(), SKILLS[(i + 1) % 6].into()],
                timezone: "UTC".into(),
                active: true,
                time_off: vec![pt_protocol::TimeOff::approved(TimeRange {
                    start: Timestamp(off),
                    end: Timestamp(off + 14 * 24 * HOUR),
                })],
                working_hours: None,
                profile: Default::default(),
                rate: None,
                archived_at: None,
                version: 1,
                created_at: Timestamp(0),
                updated_at: Timestamp(0),
            }
        })
        .collect()
}

/// 200 bookings per artist of 2 to 40 hours, anywhere in the year; statuses mixed.
fn bookings(rng: &mut Lcg) -> Vec<Booking> {
    let t0 = year_start().start_micros();
    let statuses = [BookingStatus::Confirmed, BookingStatus::Pencil, BookingStatus::Hold, BookingStatus::Cancelled];
    let mut out = Vec::with_capacity(ARTISTS * BOOKINGS_PER_ARTIST);
    for a in 0..ARTISTS {
        for _ in 0..BOOKINGS_PER_ARTIST {
            let n = out.len();
            let start = t0 + rng.next(364 * 24) as i64 * HOUR;
            let ours = n % PROJECT_EVERY == 0;
            out.push(Booking {
                id: BookingId::from_u128(n as u128 + 1),
                artist_id: ArtistId::from_u128(a as u128 + 1),
                project_id: ours.then_some(PROJECT),
                phase_id: ours.then(|| PhaseId::from_u128(rng.next(PHASES as u64 + 1) as u128 + 1)),
                title: "b".into(),
                notes: None,
                start_time: Timestamp(start),
                end_time: Timestamp(start + (2 + rng.next(39) as i64) * HOUR),
                status: statuses[rng.next(4) as usize],
                expires_at: None,
                version: 1,
                created_at: Timestamp(0),
                created_by: "bench".into(),
                updated_at: Timestamp(0),
                updated_by: "bench".into(),
                allow_overtime: false,
                challenged_by: None,
                queued_for: None,
            });
        }
    }
    out
}

/// 20 phases of two to three weeks, two planned skills each. Phase id 21
/// (which bookings also use) is not in the plan: those count as unphased.
fn plan() -> ProjectPlan {
    let start = year_start();
    let phases = (0..PHASES)
        .map(|i| Phase {
            id: PhaseId::from_u128(i as u128 + 1),
            project_id: PROJECT,
            name: format!("Phase {i}"),
            start_date: start.plus(i as i32 * 17),
            end_date: start.plus(i as i32 * 17 + 21),
            progress: 0,
            color: None,
            effort: vec![
                SkillEffort { skill: SKILLS[i % 6].into(), days: 20 },
                SkillEffort { skill: SKILLS[(i + 3) % 6].into(), days: 10 },
            ],
            version: 1,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        })
        .collect();
    let project = Project {
        id: PROJECT,
        name: "Nova".into(),
        code: "NOVA".into(),
        client: None,
        color: "#336699".into(),
        status: ProjectStatus::Active,
        start_date: start,
        end_date: start.plus(365),
        budget_days: None,
        budget_amount: None,
        currency: None,
        description: None,
        version: 1,
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
    };
    ProjectPlan { project, phases, dependencies: Vec::new(), milestones: Vec::new() }
}

fn bench_reports(c: &mut Criterion) {
    let mut rng = Lcg(42);
    let artists = artists(&mut rng);
    let bookings = bookings(&mut rng);
    let settings = studio();
    let plan = plan();
    let from = Day::from_ymd(2026, 1, 5).expect("a Monday");
    let to = from.plus(26 * 7);
    let filter = UtilizationFilter::default();

    let u = utilization(&artists, &bookings, &settings, from, to, Granularity::Week, &filter).expect("a valid range");
    assert_eq!((u.rows.len(), u.periods.len()), (ARTISTS, 26));
    let a = allocation(&plan, &bookings, &artists, &settings);
    assert!(a.rows.len() >= 2 * PHASES && a.booked_days > 0.0);

    let mut g = c.benchmark_group("reports");
    g.bench_function("utilization/500_artists_26_weeks", |b| {
        b.iter(|| black_box(utilization(&artists, &bookings, &settings, from, to, Granularity::Week, &filter)))
    });
    g.bench_function("allocation/20_phases_2000_bookings", |b| {
        b.iter(|| black_box(allocation(&plan, &bookings, &artists, &settings)))
    });
    g.finish();
}

criterion_group!(benches, bench_reports);
criterion_main!(benches);
