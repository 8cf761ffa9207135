//! What an uploaded file means for this studio, checked without writing:
//! names resolved to ids, the domain's own input rules
//! ([`pt_actors::domain::validate`], the same functions the commands run),
//! and for pencil and confirmed rows the availability check
//! ([`pt_actors::Tenant::check`], what `POST /bookings/check-availability`
//! asks) plus overlaps between rows of the file itself.

use super::csv_import::{self, ARTIST_FILE, BOOKING_FILE, BookingRow, Sheet};
use super::report::RowError;
use crate::auth::Permission;
use crate::auth::service::Authenticated;
use crate::error::ApiError;
use pt_actors::Tenant;
use pt_actors::domain::validate;
use pt_protocol::project::ProjectPlan;
use pt_protocol::{Artist, ArtistId, BookingStatus, NewArtist, NewBooking, ProjectStatus, TimeRange, Timestamp};

/// An artist row ready to create.
#[derive(Debug)]
pub struct PlannedArtist {
    pub line: u64,
    pub artist: NewArtist,
}

/// A booking row ready to create: `booking` as the create command takes it,
/// then, for a `cancelled` or `expired` row, that status change (the row is
/// created as a hold, which blocks nothing, and ended at once).
#[derive(Debug)]
pub struct PlannedBooking {
    pub line: u64,
    pub booking: NewBooking,
    pub then: Option<BookingStatus>,
}

/// Every artist row of `sheet`, checked; the problems in `errors`.
pub async fn artists(t: &Tenant, sheet: &Sheet, errors: &mut Vec<RowError>) -> Result<Vec<PlannedArtist>, ApiError> {
    let existing = t.list_artists().await?;
    let mut planned: Vec<PlannedArtist> = Vec::new();
    for row in &sheet.rows {
        let before = errors.len();
        let artist = csv_import::artist_row(row, errors);
        csv_import::field_errors(row.line, validate::new_artist(&artist), ARTIST_FILE.allowed, errors);
        let name = artist.name.trim();
        if existing.iter().any(|a| a.name == name) {
            let reason = format!("the studio already has an artist named `{name}` (bookings name artists by name)");
            errors.push(RowError::cell(row.line, "name", reason));
        } else if let Some(other) = planned.iter().find(|p| p.artist.name.trim() == name) {
            errors.push(RowError::cell(row.line, "name", format!("line {} has the same name", other.line)));
        }
        if errors.len() == before {
            planned.push(PlannedArtist { line: row.line, artist });
        }
    }
    Ok(planned)
}

/// What booking rows are checked against: the studio as it is now.
struct Studio {
    artists: Vec<Artist>,
    plans: Vec<ProjectPlan>,
}

/// Every booking row of `sheet`, checked; the problems in `errors`.
pub async fn bookings(
    who: &Authenticated,
    t: &Tenant,
    sheet: &Sheet,
    errors: &mut Vec<RowError>,
) -> Result<Vec<PlannedBooking>, ApiError> {
    let studio = Studio { artists: t.list_artists().await?, plans: t.project_plans().await? };
    let may_end = who.require(Permission::BookingsUpdate).is_ok();
    let now = Timestamp::now();
    let mut planned: Vec<PlannedBooking> = Vec::new();
    for row in &sheet.rows {
        let before = errors.len();
        let Some(r) = csv_import::booking_row(row, errors) else { continue };
        let Some(booking) = resolve(&studio, &r, errors) else { continue };
        let then = (!r.status.is_active()).then_some(r.status);
        if then.is_some() {
            if !may_end {
                errors.push(RowError::cell(r.line, "status", "a cancelled or expired row needs bookings:update"));
            }
            if r.expires_at.is_some() {
                errors.push(RowError::cell(r.line, "expires_at", "only a hold has an expiry"));
            }
        }
        let rules = validate::new_booking(&booking, now);
        csv_import::field_errors(r.line, rules, BOOKING_FILE.allowed, errors);
        if errors.len() == before && r.status.is_exclusive() {
            conflicts(t, &studio, &planned, &r, &booking, errors).await?;
        }
        if errors.len() == before {
            planned.push(PlannedBooking { line: r.line, booking, then });
        }
    }
    Ok(planned)
}

/// The create command of row `r`, with its artist, project and phase named
/// by id when the id is this studio's, else by exact name.
fn resolve(studio: &Studio, r: &BookingRow, errors: &mut Vec<RowError>) -> Option<NewBooking> {
    let line = r.line;
    let artist =
        pick(&studio.artists, r.artist_id.map(|id| id.0), r.artist_name.as_deref(), ARTISTS, |a| (a.id.0, &a.name));
    let artist = match artist {
        Ok(a) if !a.active => Err(format!("{} is inactive and cannot be booked", a.name)),
        other => other,
    };
    let artist = artist.map_err(|reason| errors.push(RowError::cell(line, artist_column(r), reason))).ok();
    let live: Vec<&ProjectPlan> = studio.plans.iter().filter(|p| p.project.status != ProjectStatus::Archived).collect();
    let project = if r.project_id.is_none() && r.project_name.is_none() {
        None
    } else {
        let column = if r.project_name.is_some() { "project_name" } else { "project_id" };
        let found = pick(&live, r.project_id.map(|id| id.0), r.project_name.as_deref(), PROJECTS, |p| {
            (p.project.id.0, &p.project.name)
        });
        match found {
            Ok(p) => Some(*p),
            Err(reason) => {
                errors.push(RowError::cell(line, column, reason));
                return None;
            }
        }
    };
    let phase = match (r.phase_id.is_some() || r.phase_name.is_some(), project) {
        (false, _) => None,
        (true, None) => {
            errors.push(RowError::cell(line, "phase_name", "a phase needs its project (project_id or project_name)"));
            return None;
        }
        (true, Some(p)) => {
            match pick(&p.phases, r.phase_id.map(|id| id.0), r.phase_name.as_deref(), PHASES, |ph| (ph.id.0, &ph.name))
            {
                Ok(ph) => Some(ph.id),
                Err(reason) => {
                    let column = if r.phase_name.is_some() { "phase_name" } else { "phase_id" };
                    errors.push(RowError::cell(line, column, reason));
                    return None;
                }
            }
        }
    };
    Some(NewBooking {
        artist_id: artist?.id,
        project_id: project.map(|p| p.project.id),
        phase_id: phase,
        title: r.title.clone(),
        notes: r.notes.clone(),
        start_time: r.start_time,
        end_time: r.end_time,
        status: Some(if r.status.is_active() { r.status } else { BookingStatus::Hold }),
        expires_at: r.expires_at,
        allow_overtime: r.allow_overtime.then_some(true),
        queue_if_busy: None,
    })
}

const ARTISTS: (&str, &str) = ("artist", "this studio");
const PROJECTS: (&str, &str) = ("project", "this studio");
const PHASES: (&str, &str) = ("phase", "this project");

fn artist_column(r: &BookingRow) -> &'static str {
    if r.artist_name.is_some() { "artist_name" } else { "artist_id" }
}

/// The one item of `items` with this id, else the one with exactly this
/// name; the reason otherwise. `what` names the items: (`artist`, `this studio`).
fn pick<'a, T>(
    items: &'a [T],
    id: Option<uuid::Uuid>,
    name: Option<&str>,
    (kind, scope): (&str, &str),
    key: impl Fn(&T) -> (uuid::Uuid, &String),
) -> Result<&'a T, String> {
    if let Some(found) = id.and_then(|id| items.iter().find(|i| key(i).0 == id)) {
        return Ok(found);
    }
    let Some(name) = name else {
        return Err(format!("no {kind} of {scope} has this id; give {kind}_name to find one by name"));
    };
    let named: Vec<&T> = items.iter().filter(|i| key(i).1 == name).collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("no {kind} of {scope} is named `{name}`")),
        many => Err(format!("{} {kind}s of {scope} are named `{name}`; give {kind}_id", many.len())),
    }
}

/// A pencil or confirmed row against the artist's current calendar and the
/// exclusive rows before it in the file.
async fn conflicts(
    t: &Tenant,
    studio: &Studio,
    planned: &[PlannedBooking],
    r: &BookingRow,
    b: &NewBooking,
    errors: &mut Vec<RowError>,
) -> Result<(), ApiError> {
    let Some(range) = TimeRange::new(b.start_time, b.end_time) else { return Ok(()) };
    let name = |id: ArtistId| studio.artists.iter().find(|a| a.id == id).map_or(String::new(), |a| a.name.clone());
    for p in planned.iter().filter(|p| p.booking.artist_id == b.artist_id && p.then.is_none()) {
        let exclusive = p.booking.status.is_some_and(BookingStatus::is_exclusive);
        if exclusive && TimeRange::new(p.booking.start_time, p.booking.end_time).is_some_and(|o| o.overlaps(&range)) {
            let reason = format!(
                "overlaps line {} of this file: {}'s pencil and confirmed bookings may not overlap",
                p.line,
                name(b.artist_id)
            );
            errors.push(RowError::row(r.line, reason));
        }
    }
    let check = t.check(b.artist_id, range, None).await?;
    for c in &check.conflicts {
        let reason = format!(
            "overlaps {}'s {} booking `{}` ({} to {}, id {})",
            name(c.artist_id),
            c.status,
            c.title,
            c.start_time.to_rfc3339(),
            c.end_time.to_rfc3339(),
            c.id
        );
        errors.push(RowError::row(r.line, reason));
    }
    if !r.allow_overtime {
        for u in &check.unavailable {
            let what = serde_json::to_value(u.reason).ok().and_then(|v| v.as_str().map(str::to_string));
            let reason = format!(
                "{} does not work from {} to {} ({}); set allow_overtime to true to book anyway",
                name(b.artist_id),
                u.start.to_rfc3339(),
                u.end.to_rfc3339(),
                what.unwrap_or_default()
            );
            errors.push(RowError::row(r.line, reason));
        }
    }
    Ok(())
}
