//! Allocation: a project's planned artist-days per phase and skill against
//! the days its bookings cover.
//!
//! A booking counts for one skill: the first of its phase's planned skills
//! that its artist has, so an artist with several skills fills the plan in
//! the order the producer wrote it. When the artist has none of them (or the
//! booking has no phase) it counts for the artist's first skill, as a row
//! the plan did not foresee.

use super::utilization::same_text;
use super::working::{Span, WorkingTime, for_each_worked, merged};
use crate::domain::settings::StudioSettings;
use pt_protocol::day::{MAX_DAY, MIN_DAY};
use pt_protocol::report::{Allocation, AllocationRow, AllocationStatus};
use pt_protocol::{Artist, ArtistId, Booking, BookingStatus, Day, Phase, PhaseId, ProjectPlan};
use std::collections::{BTreeMap, HashMap};

/// Within this many days of the plan, a row is on plan: rounding of partial
/// hours should not flag a phase.
pub const ON_PLAN_TOLERANCE_DAYS: f64 = 0.05;

/// The skill a booking counts for when its artist has no skill at all (or is
/// not among the artists given).
pub const NO_SKILL: &str = "";

/// One row while it is summed.
#[derive(Default)]
struct Sums {
    planned: u64,
    /// Working microseconds of pencil and confirmed bookings.
    booked: i64,
    held: i64,
}

/// Planned vs booked days of `plan`'s phases. Days are working days: the
/// working hours a booking covers (in the studio's time zone, less the
/// artist's time off) over the length of the studio's working day. Holds are
/// counted apart; cancelled and expired bookings not at all. A booking whose
/// phase is not in the plan counts with the bookings that have no phase.
pub fn allocation(
    plan: &ProjectPlan,
    bookings: &[Booking],
    artists: &[Artist],
    settings: &StudioSettings,
) -> Allocation {
    let project_id = plan.project.id;
    let work = WorkingTime::of(settings);
    // Phases by start date, then by their place in the plan; `None` (no
    // phase) after them all.
    let mut order: Vec<usize> = (0..plan.phases.len()).collect();
    order.sort_by_key(|&i| (plan.phases[i].start_date, i));
    let rank_of: HashMap<PhaseId, usize> = order.iter().enumerate().map(|(r, &i)| (plan.phases[i].id, r)).collect();
    let unphased = order.len();

    let mut rows: BTreeMap<(usize, String), Sums> = BTreeMap::new();
    for (rank, &i) in order.iter().enumerate() {
        for effort in &plan.phases[i].effort {
            rows.entry((rank, effort.skill.clone())).or_default().planned += u64::from(effort.days);
        }
    }

    let ours: Vec<&Booking> =
        bookings.iter().filter(|b| b.project_id == Some(project_id) && b.status.is_active()).collect();
    let spans = working_spans_covering(&work, &ours);
    let artist_of: HashMap<ArtistId, &Artist> = artists.iter().map(|a| (a.id, a)).collect();
    let mut off_of: HashMap<ArtistId, Vec<Span>> = HashMap::new();
    for b in ours {
        let artist = artist_of.get(&b.artist_id).copied();
        let off = off_of.entry(b.artist_id).or_insert_with(|| {
            let mut off = Vec::new();
            let ranges: Vec<_> = artist.map(|a| a.approved_time_off().collect()).unwrap_or_default();
            merged(&ranges, &mut off);
            off
        });
        let mut worked = 0;
        for_each_worked(&spans, off, b.start_time.0, b.end_time.0, |_, m| worked += m);
        let rank = b.phase_id.and_then(|p| rank_of.get(&p).copied());
        let phase = rank.map(|r| &plan.phases[order[r]]);
        let skill = skill_for(phase, artist);
        let sums = rows.entry((rank.unwrap_or(unphased), skill.to_string())).or_default();
        if b.status == BookingStatus::Hold {
            sums.held += worked;
        } else {
            sums.booked += worked;
        }
    }

    let day = work.day_micros() as f64;
    let rows: Vec<AllocationRow> = rows
        .into_iter()
        .map(|((rank, skill), s)| {
            let phase = (rank < unphased).then(|| &plan.phases[order[rank]]);
            let planned_days = s.planned as f64;
            let booked_days = s.booked as f64 / day;
            AllocationRow {
                phase_id: phase.map(|p| p.id),
                phase_name: phase.map(|p| p.name.clone()),
                skill,
                planned_days,
                booked_days,
                held_days: s.held as f64 / day,
                delta_days: booked_days - planned_days,
                status: status(booked_days, planned_days),
            }
        })
        .collect();
    Allocation {
        project_id,
        planned_days: rows.iter().map(|r| r.planned_days).sum(),
        booked_days: rows.iter().map(|r| r.booked_days).sum(),
        held_days: rows.iter().map(|r| r.held_days).sum(),
        rows,
    }
}

/// The skill a booking in `phase` by `artist` counts for.
fn skill_for<'a>(phase: Option<&'a Phase>, artist: Option<&'a Artist>) -> &'a str {
    let Some(artist) = artist else { return NO_SKILL };
    let planned = phase.and_then(|p| {
        p.effort.iter().map(|e| e.skill.as_str()).find(|want| artist.skills.iter().any(|s| same_text(s, want)))
    });
    planned.or(artist.skills.first().map(String::as_str)).unwrap_or(NO_SKILL)
}

fn status(booked: f64, planned: f64) -> AllocationStatus {
    if booked > planned + ON_PLAN_TOLERANCE_DAYS {
        AllocationStatus::Over
    } else if booked < planned - ON_PLAN_TOLERANCE_DAYS {
        AllocationStatus::Under
    } else {
        AllocationStatus::OnPlan
    }
}

/// Working spans over every day `bookings` touch, with a day's margin either
/// side for the studio's offset from UTC. Days no booking touches are left
/// out, so two bookings years apart cost two short runs, not every day between.
fn working_spans_covering(work: &WorkingTime, bookings: &[&Booking]) -> Vec<Span> {
    let mut days: Vec<(Day, Day)> = bookings
        .iter()
        .filter(|b| b.start_time < b.end_time)
        .map(|b| {
            let from = Day::of_micros(b.start_time.0).plus(-1).clamp(MIN_DAY, MAX_DAY);
            (from, Day::of_micros(b.end_time.0).plus(2).clamp(MIN_DAY, MAX_DAY))
        })
        .collect();
    days.sort_unstable();
    let mut runs: Vec<(Day, Day)> = Vec::new();
    for (from, to) in days {
        match runs.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => runs.push((from, to)),
        }
    }
    runs.into_iter().flat_map(|(from, to)| work.spans(from, to).spans).collect()
}
