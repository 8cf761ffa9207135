//! Unit tests of the reports with real calendars: March 2026 (the 2nd is a
//! Monday; Europe/London moves to BST on Sunday the 29th at 01:00 UTC), a
//! 09:00–18:00 Monday-to-Friday studio unless a test says otherwise.

use super::working::WorkingTime;
use super::*;
use crate::domain::settings::{StudioSettings, WorkingWeek};
use crate::error::DomainError;
use BookingStatus::{Cancelled, Confirmed, Expired, Hold, Pencil};
use pt_protocol::project::SkillEffort;
use pt_protocol::report::{AllocationStatus, Granularity, Utilization};
use pt_protocol::time::MICROS_PER_MINUTE;
use pt_protocol::{
    Artist, ArtistId, Booking, BookingId, BookingStatus, Day, Phase, PhaseId, Project, ProjectId, ProjectPlan,
    ProjectStatus, TenantId, TimeRange, Timestamp,
};

const ADA: ArtistId = ArtistId::from_u128(0xA);
const BO: ArtistId = ArtistId::from_u128(0xB);
const CY: ArtistId = ArtistId::from_u128(0xC);
const DEE: ArtistId = ArtistId::from_u128(0xD);
const PROJECT: ProjectId = ProjectId::from_u128(0x100);
const LAYOUT: PhaseId = PhaseId::from_u128(0x201);
const LIGHTING: PhaseId = PhaseId::from_u128(0x202);

fn day(m: u32, d: u32) -> Day {
    Day::from_ymd(2026, m, d).unwrap()
}

/// `h` hours (and `min` minutes) after midnight UTC of 2026-`m`-`d`.
fn at(m: u32, d: u32, h: i64, min: i64) -> Timestamp {
    Timestamp(day(m, d).start_micros() + (h * 60 + min) * MICROS_PER_MINUTE)
}

fn studio(tz: &str, days: &[u8]) -> StudioSettings {
    StudioSettings {
        id: TenantId::from_u128(1),
        name: "Northlight".into(),
        timezone: tz.into(),
        default_hold_minutes: 60,
        working_week: WorkingWeek { days: days.to_vec(), start: "09:00".into(), end: "18:00".into() },
        holidays: Vec::new(),
        created_at: Timestamp(0),
        challenge_hours: 24,
    }
}

fn utc() -> StudioSettings {
    studio("UTC", &[1, 2, 3, 4, 5])
}

fn artist(id: ArtistId, name: &str, skills: &[&str]) -> Artist {
    Artist {
        id,
        name: name.into(),
        email: None,
        skills: skills.iter().map(|s| s.to_string()).collect(),
        timezone: "UTC".into(),
        active: true,
        time_off: Vec::new(),
        working_hours: None,
        profile: Default::default(),
        rate: None,
        archived_at: None,
        version: 1,
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
    }
}

fn booking(n: u128, artist_id: ArtistId, status: BookingStatus, start: Timestamp, end: Timestamp) -> Booking {
    Booking {
        id: BookingId::from_u128(n),
        artist_id,
        project_id: None,
        phase_id: None,
        title: format!("booking {n}"),
        notes: None,
        start_time: start,
        end_time: end,
        status,
        expires_at: None,
        version: 1,
        created_at: Timestamp(0),
        created_by: "test".into(),
        updated_at: Timestamp(0),
        updated_by: "test".into(),
        allow_overtime: false,
        challenged_by: None,
        queued_for: None,
    }
}

fn weekly(artists: &[Artist], bookings: &[Booking], settings: &StudioSettings, from: Day, to: Day) -> Utilization {
    utilization(artists, bookings, settings, from, to, Granularity::Week, &UtilizationFilter::default()).unwrap()
}

/// `(available, hold, pencil, confirmed)` hours of each cell of row `r`.
fn hours(u: &Utilization, r: usize) -> Vec<(f64, f64, f64, f64)> {
    u.rows[r].cells.iter().map(|c| (c.available_hours, c.hold_hours, c.pencil_hours, c.confirmed_hours)).collect()
}

fn invalid_fields(r: Result<Utilization, DomainError>) -> Vec<String> {
    match r {
        Err(DomainError::Invalid(f)) => f.into_iter().map(|f| f.field).collect(),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn a_booking_over_a_weekend_or_a_night_counts_only_working_hours() {
    let bookings = [
        // Friday 12:00 → Monday 12:00: 6 h in week one, 3 h in week two.
        booking(1, ADA, Confirmed, at(3, 6, 12, 0), at(3, 9, 12, 0)),
        // Tuesday 17:00 → Wednesday 10:00: one hour each side of the night.
        booking(2, ADA, Pencil, at(3, 3, 17, 0), at(3, 4, 10, 0)),
        // Saturday only: nothing.
        booking(3, ADA, Pencil, at(3, 7, 9, 0), at(3, 7, 18, 0)),
        booking(4, ADA, Hold, at(3, 10, 9, 0), at(3, 10, 13, 30)),
        booking(5, ADA, Cancelled, at(3, 11, 9, 0), at(3, 11, 18, 0)),
        booking(6, ADA, Expired, at(3, 12, 9, 0), at(3, 12, 18, 0)),
        // Another artist's booking does not leak into Ada's row.
        booking(7, BO, Confirmed, at(3, 2, 9, 0), at(3, 2, 18, 0)),
    ];
    let u = weekly(&[artist(ADA, "Ada", &["comp"])], &bookings, &utc(), day(3, 2), day(3, 16));
    assert_eq!(u.periods, [day(3, 2), day(3, 9)]);
    assert_eq!(u.rows.len(), 1);
    assert_eq!(hours(&u, 0), [(45.0, 0.0, 2.0, 6.0), (45.0, 4.5, 0.0, 3.0)]);
    let ratios: Vec<_> = u.rows[0].cells.iter().map(|c| c.utilization).collect();
    assert_eq!(ratios, [Some(8.0 / 45.0), Some(3.0 / 45.0)]);
}

#[test]
fn time_off_reduces_available_hours_and_hides_bookings_over_it() {
    let mut ada = artist(ADA, "Ada", &[]);
    // All Wednesday and Thursday morning until 12:00: 9 + 3 working hours off.
    ada.time_off = vec![pt_protocol::TimeOff::approved(TimeRange { start: at(3, 4, 0, 0), end: at(3, 5, 12, 0) })];
    let bookings = [
        booking(1, ADA, Confirmed, at(3, 4, 9, 0), at(3, 4, 18, 0)),
        booking(2, ADA, Pencil, at(3, 5, 10, 0), at(3, 5, 14, 0)),
    ];
    let u = weekly(&[ada], &bookings, &utc(), day(3, 2), day(3, 9));
    assert_eq!(hours(&u, 0), [(33.0, 0.0, 2.0, 0.0)]);
    assert_eq!(u.rows[0].cells[0].utilization, Some(2.0 / 33.0));
}

#[test]
fn a_dst_week_in_london_keeps_nine_hour_days() {
    let london = studio("Europe/London", &[1, 2, 3, 4, 5, 6, 7]);
    let spans = WorkingTime::of(&london).spans(day(3, 27), day(3, 31)).spans;
    // Friday and Saturday are on GMT; Sunday the 29th and Monday on BST (UTC+1).
    let expected: Vec<_> = [(27, 9), (28, 9), (29, 8), (30, 8)]
        .into_iter()
        .map(|(d, h)| (at(3, d, h, 0).0, at(3, d, h + 9, 0).0))
        .collect();
    assert_eq!(spans, expected);

    let bookings = [
        // 07:00–12:00 UTC on Monday the 30th is 08:00–13:00 BST: 4 working hours, not 3.
        booking(1, ADA, Confirmed, at(3, 30, 7, 0), at(3, 30, 12, 0)),
        // Friday 17:00 UTC → Monday 09:00 UTC: 1 + 9 + 9 + 1 hours.
        booking(2, ADA, Pencil, at(3, 27, 17, 0), at(3, 30, 9, 0)),
    ];
    let u = weekly(&[artist(ADA, "Ada", &[])], &bookings, &london, day(3, 23), day(4, 6));
    assert_eq!(hours(&u, 0), [(63.0, 0.0, 19.0, 0.0), (63.0, 0.0, 1.0, 4.0)]);

    // The Monday-to-Friday week of the change: 5 × 9 hours either side of it.
    let weekdays = studio("Europe/London", &[1, 2, 3, 4, 5]);
    let u = weekly(&[artist(ADA, "Ada", &[])], &bookings, &weekdays, day(3, 23), day(4, 6));
    assert_eq!(hours(&u, 0), [(45.0, 0.0, 1.0, 0.0), (45.0, 0.0, 1.0, 4.0)]);
}

#[test]
fn a_working_day_that_starts_in_the_skipped_hour_starts_when_the_clocks_resume() {
    let mut early = studio("Europe/London", &[7]);
    early.working_week.start = "01:30".into();
    early.working_week.end = "10:00".into();
    // 01:30 does not exist on 2026-03-29; read as GMT it is 01:30 UTC (02:30 BST).
    // 10:00 BST is 09:00 UTC: 7.5 hours instead of 8.5.
    let spans = WorkingTime::of(&early).spans(day(3, 29), day(3, 30)).spans;
    assert_eq!(spans, [(at(3, 29, 1, 30).0, at(3, 29, 9, 0).0)]);
}

#[test]
fn day_periods_cover_each_day_and_weekends_have_no_ratio() {
    let bookings = [booking(1, ADA, Confirmed, at(3, 6, 9, 0), at(3, 9, 13, 30))];
    let u = utilization(
        &[artist(ADA, "Ada", &[])],
        &bookings,
        &utc(),
        day(3, 6),
        day(3, 10),
        Granularity::Day,
        &UtilizationFilter::default(),
    )
    .unwrap();
    assert_eq!(u.periods, [day(3, 6), day(3, 7), day(3, 8), day(3, 9)]);
    assert_eq!(hours(&u, 0), [(9.0, 0.0, 0.0, 9.0), (0.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0), (9.0, 0.0, 0.0, 4.5)]);
    let ratios: Vec<_> = u.rows[0].cells.iter().map(|c| c.utilization).collect();
    assert_eq!(ratios, [Some(1.0), None, None, Some(0.5)]);
}

#[test]
fn weeks_start_on_mondays_and_are_clipped_to_the_range() {
    // Wednesday the 4th to Wednesday the 18th: Wed–Fri, a full week, Mon–Tue.
    let u = weekly(&[artist(ADA, "Ada", &[])], &[], &utc(), day(3, 4), day(3, 18));
    assert_eq!(u.periods, [day(3, 4), day(3, 9), day(3, 16)]);
    let periods: Vec<_> = u.rows[0].cells.iter().map(|c| c.period_start).collect();
    assert_eq!(periods, u.periods);
    assert_eq!(hours(&u, 0), [(27.0, 0.0, 0.0, 0.0), (45.0, 0.0, 0.0, 0.0), (18.0, 0.0, 0.0, 0.0)]);
}

#[test]
fn filters_pick_artists_and_rows_come_by_name() {
    let mut gone = artist(DEE, "Archie", &["comp"]);
    gone.archived_at = Some(Timestamp(1));
    let artists =
        [artist(ADA, "zoë", &["comp", "fx"]), artist(BO, "Bo", &["Rigging"]), artist(CY, "ayo", &["COMP"]), gone];
    let run = |filter: UtilizationFilter| {
        let u = utilization(&artists, &[], &utc(), day(3, 2), day(3, 9), Granularity::Week, &filter).unwrap();
        u.rows.iter().map(|r| r.artist_name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(run(UtilizationFilter::default()), ["ayo", "Bo", "zoë"]);
    assert_eq!(run(UtilizationFilter { skill: Some("Comp".into()), ..Default::default() }), ["ayo", "zoë"]);
    assert_eq!(run(UtilizationFilter { skill: Some("rigging".into()), ..Default::default() }), ["Bo"]);
    assert_eq!(run(UtilizationFilter { skill: Some("  ".into()), ..Default::default() }), ["ayo", "Bo", "zoë"]);
    assert_eq!(run(UtilizationFilter { artist_id: Some(BO), ..Default::default() }), ["Bo"]);
    assert_eq!(run(UtilizationFilter { artist_id: Some(BO), skill: Some("comp".into()) }), Vec::<String>::new());
    assert_eq!(run(UtilizationFilter { artist_id: Some(DEE), ..Default::default() }), Vec::<String>::new());
}

#[test]
fn nothing_available_means_no_ratio() {
    let mut ada = artist(ADA, "Ada", &[]);
    ada.time_off = vec![pt_protocol::TimeOff::approved(TimeRange { start: at(3, 1, 0, 0), end: at(3, 9, 0, 0) })];
    let bookings = [booking(1, ADA, Confirmed, at(3, 2, 9, 0), at(3, 2, 18, 0))];
    let u = weekly(&[ada], &bookings, &utc(), day(3, 2), day(3, 9));
    assert_eq!(hours(&u, 0), [(0.0, 0.0, 0.0, 0.0)]);
    assert_eq!(u.rows[0].cells[0].utilization, None);
    // A weekend-only range has no working hours at all.
    let u = weekly(&[artist(ADA, "Ada", &[])], &bookings, &utc(), day(3, 7), day(3, 9));
    assert_eq!((hours(&u, 0), u.rows[0].cells[0].utilization), (vec![(0.0, 0.0, 0.0, 0.0)], None));
}

#[test]
fn ranges_are_checked() {
    let run =
        |from: Day, to: Day, g: Granularity| utilization(&[], &[], &utc(), from, to, g, &UtilizationFilter::default());
    assert_eq!(invalid_fields(run(day(3, 9), day(3, 9), Granularity::Week)), ["to"]);
    assert_eq!(invalid_fields(run(day(3, 9), day(3, 2), Granularity::Day)), ["to"]);
    assert!(run(day(1, 1), day(1, 1).plus(366), Granularity::Day).is_ok());
    assert_eq!(invalid_fields(run(day(1, 1), day(1, 1).plus(367), Granularity::Day)), ["granularity"]);
    assert!(run(day(1, 1), day(1, 1).plus(731), Granularity::Week).is_ok());
    assert_eq!(invalid_fields(run(day(1, 1), day(1, 1).plus(732), Granularity::Week)), ["to"]);
    assert_eq!(invalid_fields(run(Day(-1), Day(3_000_000), Granularity::Week)), ["from", "to"]);
}

#[test]
fn broken_settings_read_as_the_default_week_in_utc() {
    let mut broken = studio("Mars/Olympus", &[9]);
    broken.working_week.start = "late".into();
    let u = weekly(&[artist(ADA, "Ada", &[])], &[], &broken, day(3, 2), day(3, 9));
    assert_eq!(hours(&u, 0), [(45.0, 0.0, 0.0, 0.0)]);
}

fn phase(id: PhaseId, name: &str, start: Day, effort: &[(&str, u32)]) -> Phase {
    Phase {
        id,
        project_id: PROJECT,
        name: name.into(),
        start_date: start,
        end_date: start.plus(14),
        progress: 0,
        color: None,
        effort: effort.iter().map(|&(skill, days)| SkillEffort { skill: skill.into(), days }).collect(),
        version: 1,
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
    }
}

fn plan(phases: Vec<Phase>) -> ProjectPlan {
    let project = Project {
        id: PROJECT,
        name: "Nova".into(),
        code: "NOVA".into(),
        client: None,
        color: "#336699".into(),
        status: ProjectStatus::Active,
        start_date: day(2, 1),
        end_date: day(6, 1),
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

fn on(mut b: Booking, phase: Option<PhaseId>) -> Booking {
    b.project_id = Some(PROJECT);
    b.phase_id = phase;
    b
}

#[test]
fn allocation_compares_booked_working_days_with_the_plan() {
    // Listed first but starts later than Lighting.
    let layout = phase(LAYOUT, "Layout", day(3, 2), &[("anim", 2), ("comp", 1)]);
    let lighting = phase(LIGHTING, "Lighting", day(2, 23), &[("light", 3)]);
    let mut bo = artist(BO, "Bo", &["light"]);
    bo.time_off = vec![pt_protocol::TimeOff::approved(TimeRange { start: at(2, 26, 0, 0), end: at(2, 27, 0, 0) })];
    let artists = [artist(ADA, "Ada", &["comp", "anim"]), bo, artist(CY, "Cy", &["fx"]), artist(DEE, "Dee", &[])];
    let bookings = [
        // Ada has comp first, but the plan lists anim first: anim, Monday to Tuesday.
        on(booking(1, ADA, Confirmed, at(3, 2, 9, 0), at(3, 3, 18, 0)), Some(LAYOUT)),
        // 21 minutes more: 0.039 days over, within the tolerance.
        on(booking(2, ADA, Pencil, at(3, 4, 17, 39), at(3, 4, 18, 0)), Some(LAYOUT)),
        on(booking(3, ADA, Hold, at(3, 5, 9, 0), at(3, 5, 13, 30)), Some(LAYOUT)),
        on(booking(4, ADA, Cancelled, at(3, 6, 9, 0), at(3, 6, 18, 0)), Some(LAYOUT)),
        // Monday to Friday over a day off: 4 days against 3.
        on(booking(5, BO, Pencil, at(2, 23, 9, 0), at(2, 27, 18, 0)), Some(LIGHTING)),
        // No planned skill of Layout: counts for Cy's first skill.
        on(booking(6, CY, Confirmed, at(3, 5, 9, 0), at(3, 5, 18, 0)), Some(LAYOUT)),
        // No phase, and a phase not in the plan: the unphased row, Dee has no skill.
        on(booking(7, DEE, Pencil, at(3, 6, 9, 0), at(3, 6, 18, 0)), None),
        on(booking(8, DEE, Pencil, at(3, 9, 9, 0), at(3, 9, 13, 30)), Some(PhaseId::from_u128(0x999))),
        // Another project's booking.
        booking(9, ADA, Confirmed, at(3, 10, 9, 0), at(3, 10, 18, 0)),
    ];
    let a = allocation(&plan(vec![layout, lighting]), &bookings, &artists, &utc());
    assert_eq!(a.project_id, PROJECT);
    let rows: Vec<_> = a
        .rows
        .iter()
        .map(|r| (r.phase_id, r.phase_name.as_deref(), r.skill.as_str(), r.planned_days, r.booked_days, r.held_days))
        .collect();
    let anim = 1101.0 / 540.0;
    assert_eq!(
        rows,
        [
            (Some(LIGHTING), Some("Lighting"), "light", 3.0, 4.0, 0.0),
            (Some(LAYOUT), Some("Layout"), "anim", 2.0, anim, 0.5),
            (Some(LAYOUT), Some("Layout"), "comp", 1.0, 0.0, 0.0),
            (Some(LAYOUT), Some("Layout"), "fx", 0.0, 1.0, 0.0),
            (None, None, NO_SKILL, 0.0, 1.5, 0.0),
        ]
    );
    let status: Vec<_> = a.rows.iter().map(|r| (r.delta_days, r.status)).collect();
    use AllocationStatus::{OnPlan, Over, Under};
    assert_eq!(status, [(1.0, Over), (anim - 2.0, OnPlan), (-1.0, Under), (1.0, Over), (1.5, Over)]);
    assert_eq!((a.planned_days, a.booked_days, a.held_days), (6.0, 4.0 + anim + 1.0 + 1.5, 0.5));
}

#[test]
fn allocation_with_no_bookings_lists_the_plan_under_booked() {
    let a = allocation(&plan(vec![phase(LAYOUT, "Layout", day(3, 2), &[("comp", 1)])]), &[], &[], &utc());
    assert_eq!(a.rows.len(), 1);
    assert_eq!((a.rows[0].booked_days, a.rows[0].status), (0.0, AllocationStatus::Under));
    // An unknown artist's booking counts, for no skill.
    let b = [on(booking(1, ADA, Confirmed, at(3, 2, 9, 0), at(3, 2, 18, 0)), Some(LAYOUT))];
    let a = allocation(&plan(vec![phase(LAYOUT, "Layout", day(3, 2), &[])]), &b, &[], &utc());
    let rows: Vec<_> = a.rows.iter().map(|r| (r.skill.as_str(), r.booked_days)).collect();
    assert_eq!(rows, [(NO_SKILL, 1.0)]);
}

#[test]
fn utilization_csv_has_a_line_per_cell() {
    let mut ada = artist(ADA, "=cmd|' /C calc'!A0", &[]);
    ada.time_off = vec![pt_protocol::TimeOff::approved(TimeRange { start: at(3, 7, 0, 0), end: at(3, 10, 0, 0) })];
    let bookings = [booking(1, ADA, Confirmed, at(3, 6, 9, 0), at(3, 6, 12, 20))];
    let artists = [ada, artist(BO, "Smith, \"Bo\"", &[])];
    let u = utilization(&artists, &bookings, &utc(), day(3, 6), day(3, 10), Granularity::Week, &Default::default())
        .unwrap();
    let csv = utilization_csv(&u);
    let a = "00000000-0000-0000-0000-00000000000a";
    let b = "00000000-0000-0000-0000-00000000000b";
    assert_eq!(
        csv,
        format!(
            "{UTILIZATION_HEADER}\r\n\
             {a},'=cmd|' /C calc'!A0,2026-03-06,9.00,0.00,0.00,3.33,0.37\r\n\
             {a},'=cmd|' /C calc'!A0,2026-03-09,0.00,0.00,0.00,0.00,\r\n\
             {b},\"Smith, \"\"Bo\"\"\",2026-03-06,9.00,0.00,0.00,0.00,0.00\r\n\
             {b},\"Smith, \"\"Bo\"\"\",2026-03-09,9.00,0.00,0.00,0.00,0.00\r\n"
        )
    );
}

#[test]
fn allocation_csv_has_a_line_per_row() {
    let layout = phase(LAYOUT, "-Layout, v2", day(3, 2), &[("comp", 2)]);
    let bookings = [
        on(booking(1, ADA, Confirmed, at(3, 2, 9, 0), at(3, 2, 18, 0)), Some(LAYOUT)),
        on(booking(2, BO, Hold, at(3, 2, 9, 0), at(3, 2, 13, 30)), None),
    ];
    let artists = [artist(ADA, "Ada", &["comp"]), artist(BO, "Bo", &["@fx"])];
    let csv = allocation_csv(&allocation(&plan(vec![layout]), &bookings, &artists, &utc()));
    assert_eq!(
        csv,
        format!(
            "{ALLOCATION_HEADER}\r\n\
             00000000-0000-0000-0000-000000000201,\"'-Layout, v2\",comp,2.00,1.00,0.00,-1.00,under\r\n\
             ,,'@fx,0.00,0.00,0.50,0.00,on_plan\r\n"
        )
    );
}
