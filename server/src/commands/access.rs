//! Who may see what: the visibility rules every read and every command
//! shares. Another studio's ids never reach here (the tenant comes from the
//! token); within a studio, a caller with only an "own" permission (a
//! freelancer) finds every other artist's things `not_found` — the same
//! answer made-up ids get.

use crate::auth::Permission;
use crate::auth::service::Authenticated;
use crate::error::ApiError;
use pt_actors::Tenant;
use pt_actors::artist_actor::BookingFilter;
use pt_actors::project_actor::ProjectPart;
use pt_protocol::booking::BookingView;
use pt_protocol::{ArtistId, ArtistPatch, BookingId, ErrorCode, Project, ProjectId, ProjectPlan};

/// Whether the caller may see `artist`'s `all`/`own` data: with only the
/// "own" permission, any other artist is `404`.
pub fn visible(
    who: &Authenticated,
    artist: ArtistId,
    all: Permission,
    own: Permission,
    what: &str,
) -> Result<(), ApiError> {
    match who.scope(all, own)? {
        Some(mine) if mine != artist => Err(ApiError::not_found(what)),
        _ => Ok(()),
    }
}

/// The booking, if the caller may see it: `404` when it does not exist in the
/// caller's studio, and also when a freelancer asks for a booking that is not
/// their own artist's.
pub async fn readable_booking(who: &Authenticated, t: &Tenant, id: BookingId) -> Result<BookingView, ApiError> {
    let view = t.get_booking(id).await?;
    visible(who, view.booking.artist_id, Permission::BookingsRead, Permission::BookingsReadOwn, "booking")?;
    Ok(view)
}

/// The artist's profile is visible to the caller (`artists:read`, or a
/// freelancer's own record) and not archived; else `404`.
pub async fn visible_artist(who: &Authenticated, t: &Tenant, id: ArtistId) -> Result<pt_protocol::Artist, ApiError> {
    let artist = t.live_artist(id).await?;
    visible(who, id, Permission::ArtistsRead, Permission::ProfileUpdate, "artist")?;
    Ok(artist)
}

/// May the caller apply `patch` to artist `id`? Anyone's profile is
/// `artists:write`. A freelancer's own record: name, skills and time zone are
/// `profile:update`; whether they can be booked (`active`), their working
/// hours and the studio's address for them (`email`) stay the studio's
/// (`artists:write`). Other artists are `404` to a freelancer.
pub fn may_patch_artist(who: &Authenticated, id: ArtistId, patch: &ArtistPatch) -> Result<(), ApiError> {
    if !who.owns(id) {
        visible(who, id, Permission::ArtistsRead, Permission::ProfileUpdate, "artist")?;
        return who.require(Permission::ArtistsWrite);
    }
    if patch.active.is_some() || patch.email.is_some() {
        who.require(Permission::ArtistsWrite)?;
    }
    if patch.name.is_some() || patch.skills.is_some() || patch.timezone.is_some() {
        who.require(Permission::ProfileUpdate)?;
    }
    if patch.working_hours.is_some() {
        who.require(Permission::ArtistsWrite)?;
    }
    Ok(())
}

/// The project's plan (as stored: budgets included), if the caller may see it: `projects:read`, or — for a
/// freelancer — a project their own artist has a booking in (active or not;
/// they worked on it). Anything else is `404`, like a made-up id.
pub async fn visible_project(who: &Authenticated, t: &Tenant, id: ProjectId) -> Result<ProjectPlan, ApiError> {
    let plan = t.project_plan(id).await?;
    if let Some(mine) = who.scope(Permission::ProjectsRead, Permission::BookingsReadOwn)? {
        let filter = BookingFilter { project: Some(id), ..BookingFilter::default() };
        if t.list_bookings(Some(mine), filter).await.map_or(true, |b| b.is_empty()) {
            return Err(ApiError::not_found("project"));
        }
    }
    Ok(plan)
}

/// Which projects the caller may see: every one with `projects:read`; for a
/// freelancer, those their artist has bookings in.
pub async fn visible_project_ids(who: &Authenticated, t: &Tenant) -> Result<Option<Vec<ProjectId>>, ApiError> {
    let Some(mine) = who.scope(Permission::ProjectsRead, Permission::BookingsReadOwn)? else { return Ok(None) };
    let mut ids: Vec<ProjectId> = match t.list_bookings(Some(mine), BookingFilter::default()).await {
        Ok(b) => b.iter().filter_map(|v| v.booking.project_id).collect(),
        Err(_) => Vec::new(),
    };
    ids.sort();
    ids.dedup();
    Ok(Some(ids))
}

/// An artist as the caller may see it: without the day rate unless they
/// hold `artists:read` (owners and managers).
pub fn redact_artist(who: &Authenticated, a: pt_protocol::Artist) -> pt_protocol::Artist {
    if who.require(Permission::ArtistsRead).is_ok() { a } else { a.redacted() }
}

/// A project as the caller may see it: without budgets unless they hold `projects:read`.
pub fn redact_project(who: &Authenticated, mut p: Project) -> Project {
    if who.require(Permission::ProjectsRead).is_err() {
        p.budget_days = None;
        p.budget_amount = None;
        p.currency = None;
    }
    p
}

/// The project a phase, dependency or milestone belongs to, if the caller
/// may see that project; else `404` naming the part.
pub async fn visible_part(who: &Authenticated, t: &Tenant, part: ProjectPart) -> Result<Project, ApiError> {
    let what = match part {
        ProjectPart::Phase(_) => "phase",
        ProjectPart::Dependency(_) => "dependency",
        ProjectPart::Milestone(_) => "milestone",
    };
    let project = t.project_of(part).await?.ok_or_else(|| ApiError::not_found(what))?;
    visible_project(who, t, project)
        .await
        .map(|plan| plan.project)
        .map_err(|e| if e.code == ErrorCode::NotFound { ApiError::not_found(what) } else { e })
}
