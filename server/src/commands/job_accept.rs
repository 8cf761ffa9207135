//! Accepting an offer: the one marketplace command that crosses aggregates.
//! It becomes a pencil booking for the listing's dates on the applicant's
//! artist in the listing's studio, through the same command path as any
//! booking — or is refused with the booking's conflict (and its free
//! windows), changing nothing.
//!
//! 1. The move is checked first (an application that cannot be accepted,
//!    or a listing already filled, makes no artist and no booking).
//! 2. The applicant's artist there: the one their membership links, or a
//!    new artist linked to them by a new freelancer membership.
//! 3. The pencil, from the start of their first working day in the
//!    listing's dates to the end of their last; refused like any booking
//!    (`409 conflict` with `freeWindows`, `422 unavailable`). Waited for
//!    until durable.
//! 4. The application's `accepted`, naming the booking. Refused (someone
//!    rejected it meanwhile, or another accept took the last position), the
//!    booking is cancelled again.
//!
//! Each step's command id derives from the accept's, so a retry of the
//! accept repeats none of them.

use super::jobs::{JobDone, application_of, tell_applicant};
use super::{Ctx, Decision};
use crate::auth::service::store_error;
use crate::error::ApiError;
use pt_actors::error::DomainError;
use pt_actors::jobs_actor::JobCommand;
use pt_actors::store::auth::MembershipRow;
use pt_actors::{CmdInput, CommandError, Tenant};
use pt_protocol::job::{ApplicationId, ApplicationStatus, JobApplication, JobSide};
use pt_protocol::{Artist, BookingStatus, CmdId, NewArtist, NewBooking, Timestamp};
use std::sync::Arc;

/// A step's input: its own command id, derived from the accept's.
fn step(input: &CmdInput, what: &str) -> CmdInput {
    CmdInput {
        cmd_id: CmdId(uuid::Uuid::new_v5(&input.cmd_id.0, what.as_bytes())),
        request_hash: input.request_hash,
        by: input.by.clone(),
        client_chosen: input.client_chosen,
    }
}

pub async fn accept(
    cx: Ctx<'_>,
    studio: Arc<Tenant>,
    id: ApplicationId,
    version: Option<u64>,
    input: CmdInput,
) -> Result<JobDone, ApiError> {
    let app = studio.job_application(id).await?;
    let job = studio.job(app.job_id).await?;
    // A retry (same key) of an accept that went through repeats nothing: each
    // step answers what it answered the first time.
    let retry = app.status == ApplicationStatus::Accepted && input.client_chosen;
    if !retry {
        if let Some(v) = version
            && v != app.version
        {
            return Err(CommandError::from(DomainError::VersionMismatch { expected: v, current: app.version }).into());
        }
        pt_actors::domain::jobs::application::transition(JobSide::Applicant, app.status, ApplicationStatus::Accepted)
            .map_err(|r| ApiError::unprocessable(r.to_string()))?;
        pt_actors::domain::jobs::decide::listing_allows(&job, ApplicationStatus::Accepted)
            .map_err(CommandError::from)?;
    }
    let joined = artist_of(cx, &studio, &app, &input).await?;
    let pencil = match pencil(&studio, &joined.artist, &job, id, &input).await {
        Ok(b) => b,
        Err(e) => {
            unjoin(cx, &studio, app.applicant, joined, &input).await;
            return Err(e);
        }
    };
    let by = input.by.clone();
    let command = JobCommand::Transition {
        id,
        side: JobSide::Applicant,
        to: ApplicationStatus::Accepted,
        version,
        booking: Some((joined.artist.id, pencil.id)),
    };
    match studio.job_command(command, input.clone()).await {
        Ok(acc) => {
            let decision = Decision::Accepted(acc);
            if let Some(app) = application_of(&decision) {
                tell_applicant(cx, &studio, &app, &format!("system:jobs/{by}")).await;
            }
            Ok(JobDone { tenant: studio, decision })
        }
        Err(e) => {
            let undo = studio
                .transition_booking(pencil.id, pencil.version, BookingStatus::Cancelled, None, step(&input, "undo"))
                .await;
            if let Err(u) = undo {
                tracing::error!(booking = %pencil.id, error = %u, "an accept was refused and its pencil could not be cancelled");
            }
            unjoin(cx, &studio, app.applicant, joined, &input).await;
            Err(e.into())
        }
    }
}

/// The pencil for the listing's working days on `artist`, once durable; the
/// booking's own refusal (conflict, unavailable) when they are not free.
async fn pencil(
    studio: &Tenant,
    artist: &Artist,
    job: &pt_protocol::job::JobListing,
    id: ApplicationId,
    input: &CmdInput,
) -> Result<pt_protocol::Booking, ApiError> {
    let Some(range) = studio.work_range(artist, job.start_date, job.end_date) else {
        return Err(ApiError::unprocessable(format!("{} works none of the listing's days", artist.name)));
    };
    let new = NewBooking {
        artist_id: artist.id,
        project_id: job.project_id,
        phase_id: None,
        title: job.title.clone(),
        notes: Some(format!("From the job listing \"{}\" (application {id}).", job.title)),
        start_time: range.start,
        end_time: range.end,
        status: Some(BookingStatus::Pencil),
        expires_at: None,
        allow_overtime: None,
        queue_if_busy: None,
    };
    let mut booking = studio.create_booking(new, step(input, "booking")).await?;
    studio.wait_durable(&mut booking).await?;
    Ok(booking.value.booking)
}

/// The applicant's artist, and — when this accept made it — the membership
/// they had before (`Some(None)`: none), to put back if the accept is refused.
struct Joined {
    artist: Artist,
    made: Option<Option<MembershipRow>>,
}

/// Takes back what [`artist_of`] made for a refused accept: the new artist
/// is archived and the membership is as it was, so a refused accept leaves
/// the studio as it found it.
async fn unjoin(cx: Ctx<'_>, studio: &Tenant, user: pt_protocol::UserId, joined: Joined, input: &CmdInput) {
    let Some(before) = joined.made else { return };
    if let Err(e) = studio.archive_artist(joined.artist.id, step(input, "unjoin")).await {
        tracing::error!(artist = %joined.artist.id, error = %e, "a refused accept's new artist could not be archived");
    }
    let store = &cx.state.store;
    let restored = match before {
        Some(m) => store.save_membership(&m).await,
        None => store.remove_membership(studio.id, user).await.map(|_| ()),
    };
    if let Err(e) = restored {
        tracing::error!(tenant = %studio.id, error = %e, "a refused accept's membership could not be put back");
    }
    cx.state.auth.memberships_changed(studio.id);
    let _ = studio.reload_links().await;
}

/// The applicant's artist in the listing's studio: the one their membership
/// links, or a new one, linked to them by a freelancer membership.
async fn artist_of(cx: Ctx<'_>, studio: &Tenant, app: &JobApplication, input: &CmdInput) -> Result<Joined, ApiError> {
    let store = &cx.state.store;
    let member = store.membership(studio.id, app.applicant).await.map_err(store_error)?;
    if let Some(artist) = member.as_ref().and_then(|m| m.artist_id)
        && let Ok(a) = studio.live_artist(artist).await
    {
        return Ok(Joined { artist: a, made: None });
    }
    let user = store.user(app.applicant).await.map_err(store_error)?;
    let new = NewArtist {
        name: app.applicant_name.clone(),
        email: user.map(|u| u.email),
        skills: Vec::new(),
        timezone: None,
        active: None,
    };
    let mut acc = studio.create_artist(new, step(input, "artist")).await?;
    studio.wait_durable(&mut acc).await?;
    let artist = acc.value;
    let row = MembershipRow {
        tenant_id: studio.id,
        user_id: app.applicant,
        role: member.as_ref().map_or_else(|| "freelancer".to_owned(), |m| m.role.clone()),
        artist_id: Some(artist.id),
        created_at: member.as_ref().map_or_else(Timestamp::now, |m| m.created_at),
    };
    store.save_membership(&row).await.map_err(store_error)?;
    cx.state.auth.memberships_changed(studio.id);
    studio.reload_links().await?;
    tracing::info!(tenant = %studio.id, user = %app.applicant, artist = %artist.id, "an accepted applicant joined the studio as a freelancer");
    Ok(Joined { artist, made: Some(member) })
}
