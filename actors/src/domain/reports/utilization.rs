//! Utilization: per artist and per period, the working hours available and
//! the hours booked within them, by status.
//!
//! The working spans of the whole range are laid out once; each artist's
//! time off and each booking is then swept against them by binary search, so
//! a report costs about (artists × periods) + (bookings in range × the
//! working days each one covers), independent of how long the calendar is.

use super::working::{Span, WorkingTime, for_each_worked, merged};
use crate::domain::settings::StudioSettings;
use crate::error::DomainError;
use pt_protocol::day::{MAX_DAY, MIN_DAY};
use pt_protocol::report::{Granularity, Utilization, UtilizationCell, UtilizationRow};
use pt_protocol::time::MICROS_PER_HOUR;
use pt_protocol::{Artist, ArtistId, Booking, BookingStatus, Day, FieldError};
use std::collections::HashMap;

/// Longest range with day periods: a year (a leap year included).
pub const MAX_DAYS_BY_DAY: i32 = 366;
/// Longest range with week periods: two years, one of them a leap year.
pub const MAX_DAYS_BY_WEEK: i32 = 731;

/// Which artists a utilization report covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UtilizationFilter {
    /// Only this artist.
    pub artist_id: Option<ArtistId>,
    /// Only artists with this skill (case-insensitive). Blank means no filter.
    pub skill: Option<String>,
}

impl UtilizationFilter {
    fn admits(&self, a: &Artist) -> bool {
        let skill = self.skill.as_deref().map(str::trim).filter(|s| !s.is_empty());
        a.archived_at.is_none()
            && self.artist_id.is_none_or(|id| id == a.id)
            && skill.is_none_or(|want| a.skills.iter().any(|s| same_text(s, want)))
    }
}

/// Case-insensitive equality without allocating.
pub(super) fn same_text(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Micro-seconds of one cell while it is summed: available, hold, pencil, confirmed.
type Sums = [i64; 4];

/// One artist's row while it is summed.
struct Acc<'a> {
    artist: &'a Artist,
    /// Time off, merged.
    off: Vec<Span>,
    cells: Vec<Sums>,
}

/// The utilization of the artists `filter` admits (archived artists never)
/// over the days `[from, to)`, by day or by ISO week (the first and last
/// weeks clipped to the range). Hours are the studio's working hours, in its
/// time zone; a booking over a night or a weekend counts only its working
/// hours, and neither available nor booked hours count the artist's time off.
/// Cancelled and expired bookings do not count; holds are reported apart and
/// left out of the ratio.
pub fn utilization(
    artists: &[Artist],
    bookings: &[Booking],
    settings: &StudioSettings,
    from: Day,
    to: Day,
    granularity: Granularity,
    filter: &UtilizationFilter,
) -> Result<Utilization, DomainError> {
    check_range(from, to, granularity)?;
    let periods = periods(from, to, granularity);
    let work = WorkingTime::of(settings);
    let ws = work.spans(from, to);
    // The period of each working span: both lists are in day order.
    let period_of: Vec<usize> = ws.days.iter().map(|d| periods.partition_point(|p| p <= d) - 1).collect();
    let mut base_cells: Vec<Sums> = vec![[0; 4]; periods.len()];
    for (i, &(s, e)) in ws.spans.iter().enumerate() {
        base_cells[period_of[i]][0] += e - s;
    }

    let mut chosen: Vec<&Artist> = artists.iter().filter(|a| filter.admits(a)).collect();
    chosen.sort_by_cached_key(|a| (a.name.to_lowercase(), a.id));
    let mut rows: Vec<Acc> = Vec::with_capacity(chosen.len());
    for artist in chosen {
        let mut off = Vec::new();
        merged(&artist.approved_time_off().collect::<Vec<_>>(), &mut off);
        let mut cells = base_cells.clone();
        for &(s, e) in &off {
            for_each_worked(&ws.spans, &[], s, e, |i, m| cells[period_of[i]][0] -= m);
        }
        rows.push(Acc { artist, off, cells });
    }
    let index: HashMap<ArtistId, usize> = rows.iter().enumerate().map(|(i, r)| (r.artist.id, i)).collect();

    let (lo, hi) = match (ws.spans.first(), ws.spans.last()) {
        (Some(f), Some(l)) => (f.0, l.1),
        _ => (0, 0),
    };
    for b in bookings {
        let slot = match b.status {
            BookingStatus::Hold => 1,
            BookingStatus::Pencil => 2,
            BookingStatus::Confirmed => 3,
            BookingStatus::Cancelled | BookingStatus::Expired => continue,
        };
        let (s, e) = (b.start_time.0, b.end_time.0);
        if e <= lo || s >= hi {
            continue;
        }
        let Some(&r) = index.get(&b.artist_id) else { continue };
        let Acc { off, cells, .. } = &mut rows[r];
        for_each_worked(&ws.spans, off, s, e, |i, m| cells[period_of[i]][slot] += m);
    }

    let rows = rows.into_iter().map(|acc| finish_row(acc, &periods)).collect();
    Ok(Utilization { from, to, granularity, periods, rows })
}

fn finish_row(acc: Acc, periods: &[Day]) -> UtilizationRow {
    let cells = acc
        .cells
        .iter()
        .zip(periods)
        .map(|(&[avail, hold, pencil, confirmed], &period_start)| UtilizationCell {
            period_start,
            available_hours: hours(avail),
            hold_hours: hours(hold),
            pencil_hours: hours(pencil),
            confirmed_hours: hours(confirmed),
            utilization: (avail > 0).then(|| (pencil + confirmed) as f64 / avail as f64),
        })
        .collect();
    UtilizationRow {
        artist_id: acc.artist.id,
        artist_name: acc.artist.name.clone(),
        skills: acc.artist.skills.clone(),
        cells,
    }
}

fn hours(micros: i64) -> f64 {
    micros as f64 / MICROS_PER_HOUR as f64
}

/// `from < to`, both plain days, and a span the granularity allows: a day
/// grid of more than a year, or a week grid of more than two, is more than
/// a screen or a spreadsheet can use and only costs the server.
fn check_range(from: Day, to: Day, granularity: Granularity) -> Result<(), DomainError> {
    let mut errs = Vec::new();
    for (field, d) in [("from", from), ("to", to)] {
        if d < MIN_DAY || d > MAX_DAY {
            errs.push(FieldError::new(field, "a day from 1970-01-01 to 9999-12-31"));
        }
    }
    if errs.is_empty() {
        let span = from.until(to);
        if span <= 0 {
            errs.push(FieldError::new("to", "must be after from"));
        } else if granularity == Granularity::Day && span > MAX_DAYS_BY_DAY {
            errs.push(FieldError::new(
                "granularity",
                format!("`day` covers at most {MAX_DAYS_BY_DAY} days; ask for `week` or a shorter range"),
            ));
        } else if granularity == Granularity::Week && span > MAX_DAYS_BY_WEEK {
            errs.push(FieldError::new("to", format!("at most {MAX_DAYS_BY_WEEK} days (two years) after from")));
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errs)) }
}

/// Each period's first day: every day, or `from` and then every Monday before `to`.
fn periods(from: Day, to: Day, granularity: Granularity) -> Vec<Day> {
    match granularity {
        Granularity::Day => (from.0..to.0).map(Day).collect(),
        Granularity::Week => {
            let first_monday = from.plus(8 - i32::from(from.weekday()));
            std::iter::once(from).chain((first_monday.0..to.0).step_by(7).map(Day)).collect()
        }
    }
}
