//! Marketplace commands: listings, applications and their moves.
//!
//! | command | needs |
//! |---|---|
//! | `createJob`, `updateJob`, `deleteJob` | `jobs:manage` |
//! | `applyToJob` | `jobs:apply`; a listing of the caller's studio, or a public open listing of any studio |
//! | `transitionApplication` | the studio's moves (shortlist, offer, reject): `jobs:manage` in the listing's studio; the applicant's (withdraw, accept, decline): the applicant |
//!
//! Applying and an applicant's moves cross studios: the listing's studio is
//! found on the board (`public_jobs`) or in the application index, and the
//! command runs there, answered with that studio's [`Tenant`]. Anything the
//! caller may not see is `404`, never `403`: a studio's drafts and
//! applications do not exist for others. Accepting an offer is in
//! [`super::job_accept`].

use super::{Command, Ctx, Decision};
use crate::auth::Permission;
use crate::error::ApiError;
use pt_actors::domain::jobs::decide::Applicant;
use pt_actors::jobs_actor::JobCommand;
use pt_actors::store::jobs::on_board;
use pt_actors::{CmdInput, CommandError, Tenant};
use pt_protocol::job::{ApplicationId, ApplicationStatus, JobApplication, JobId, JobSide, JobStatus};
use pt_protocol::ws::CommandResult;
use pt_protocol::{NotificationKind, TenantId};
use std::sync::Arc;

/// A marketplace command's answer, with the studio it ran in (the caller's
/// own, or the listing's when they applied to another studio).
pub struct JobDone {
    pub tenant: Arc<Tenant>,
    pub decision: Decision<CommandResult>,
}

impl std::fmt::Debug for JobDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobDone").field("tenant", &self.tenant.id).field("decision", &self.decision).finish()
    }
}

pub async fn execute(cx: Ctx<'_>, command: Command, input: CmdInput) -> Result<JobDone, ApiError> {
    let (who, t) = (cx.who, cx.tenant);
    let here = cx.state.registry.tenant(t.id).await?;
    let run = |tenant: Arc<Tenant>, command: JobCommand, input: CmdInput| async move {
        let acc = tenant.job_command(command, input).await?;
        Ok::<_, ApiError>(JobDone { tenant, decision: Decision::Accepted(acc) })
    };
    match command {
        Command::CreateJob { job } => {
            who.require(Permission::JobsManage)?;
            if let Some(project) = job.project_id {
                t.project_plan(project)
                    .await
                    .map_err(|_| ApiError::invalid("projectId", "not a project of the studio"))?;
            }
            let done = run(here, JobCommand::Create { id: JobId::new(), new: job }, input).await?;
            announce_if_new(cx, &done, false);
            Ok(done)
        }
        Command::UpdateJob { id, patch } => {
            who.require(Permission::JobsManage)?;
            if let Some(Some(project)) = patch.project_id {
                t.project_plan(project)
                    .await
                    .map_err(|_| ApiError::invalid("projectId", "not a project of the studio"))?;
            }
            let was_on_board = t.job(id).await.is_ok_and(|j| on_board(&j));
            let done = run(here, JobCommand::Update { id, patch }, input).await?;
            announce_if_new(cx, &done, was_on_board);
            Ok(done)
        }
        Command::DeleteJob { id } => {
            who.require(Permission::JobsManage)?;
            run(here, JobCommand::Delete { id }, input).await
        }
        Command::ApplyToJob { job_id, application } => {
            who.require(Permission::JobsApply)?;
            let studio = listing_studio(cx, job_id).await?;
            let applicant = applicant(cx, studio.id).await?;
            let done = run(
                studio,
                JobCommand::Apply { id: ApplicationId::new(), job: job_id, who: applicant, new: application },
                input,
            )
            .await?;
            if let Some(app) = application_of(&done.decision) {
                tell_applicant(cx, &done.tenant, &app, "system:jobs").await;
            }
            Ok(done)
        }
        Command::TransitionApplication { id, to, version } => {
            let (studio, side) = application_side(cx, id, to).await?;
            if to == ApplicationStatus::Accepted {
                return super::job_accept::accept(cx, studio, id, version, input).await;
            }
            let by = input.by.clone();
            let done = run(studio, JobCommand::Transition { id, side, to, version, booking: None }, input).await?;
            if side == JobSide::Studio
                && let Some(app) = application_of(&done.decision)
            {
                tell_applicant(cx, &done.tenant, &app, &by).await;
            }
            Ok(done)
        }
        other => unreachable!("not a marketplace command: {}", super::kind(&other)),
    }
}

/// A listing that just went on the public board is announced to alert holders.
fn announce_if_new(cx: Ctx<'_>, done: &JobDone, was_on_board: bool) {
    let Decision::Accepted(acc) = &done.decision else { return };
    if acc.duplicate || was_on_board {
        return;
    }
    if let CommandResult::Job { job } = &acc.value
        && on_board(job)
    {
        super::job_alerts::announce(cx.state.clone(), done.tenant.settings().name.clone(), job.clone());
    }
}

/// The studio whose listing `job` is, as far as the caller may apply to it:
/// their own studio's open listing, or any studio's open public one.
pub async fn listing_studio(cx: Ctx<'_>, job: JobId) -> Result<Arc<Tenant>, ApiError> {
    match cx.tenant.job(job).await {
        Ok(j) if j.status == JobStatus::Open => return Ok(cx.state.registry.tenant(cx.tenant.id).await?),
        Ok(_) if cx.who.require(Permission::JobsManage).is_ok() => {
            return Err(ApiError::unprocessable("this listing is not open: it takes no applications"));
        }
        _ => {}
    }
    let studio = cx.state.store.board_studio(job).await.map_err(crate::auth::service::store_error)?;
    match studio {
        Some(id) if id != cx.tenant.id => Ok(cx.state.registry.tenant(id).await?),
        _ => Err(CommandError::not_found("job", job.0).into()),
    }
}

/// Who applies: the caller, their name, the studio they apply from, and
/// their artist in the listing's studio if they have one.
async fn applicant(cx: Ctx<'_>, listing_studio: TenantId) -> Result<Applicant, ApiError> {
    let user = cx.who.principal.user_id;
    let store = &cx.state.store;
    let row = store.user(user).await.map_err(crate::auth::service::store_error)?;
    let name = row.map(|u| u.display_name).unwrap_or_else(|| "Someone".into());
    let artist_id = if listing_studio == cx.tenant.id {
        cx.who.own_artist
    } else {
        store
            .membership(listing_studio, user)
            .await
            .map_err(crate::auth::service::store_error)?
            .and_then(|m| m.artist_id)
    };
    let skills = match cx.who.own_artist {
        Some(own) => cx
            .tenant
            .live_artist(own)
            .await
            .map(|a| pt_actors::domain::jobs::matching::Candidate::with_tags(&a.profile.skills, &a.skills))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(Applicant { user, name, from_studio: cx.tenant.id, artist_id, skills })
}

/// The studio holding application `id`, and the side the caller moves it as:
/// the studio's moves need `jobs:manage` there; the others, being the applicant.
async fn application_side(
    cx: Ctx<'_>,
    id: ApplicationId,
    to: ApplicationStatus,
) -> Result<(Arc<Tenant>, JobSide), ApiError> {
    let home = cx.state.store.application_home(id).await.map_err(crate::auth::service::store_error)?;
    let Some((studio, applicant)) = home else { return Err(CommandError::not_found("application", id.0).into()) };
    let me = cx.who.principal.user_id;
    let manages = studio == cx.tenant.id && cx.who.require(Permission::JobsManage).is_ok();
    let studio_move =
        matches!(to, ApplicationStatus::Shortlisted | ApplicationStatus::Offered | ApplicationStatus::Rejected);
    // A move is made as the side it belongs to when the caller is on it;
    // else as the caller's own side, which the rules then refuse (`422`:
    // "only the applicant can …"). A caller on neither side does not see it.
    let mine = applicant == me;
    let side = match (studio_move, manages, mine) {
        (true, true, _) | (false, true, false) => JobSide::Studio,
        (_, _, true) => JobSide::Applicant,
        (_, false, false) => return Err(CommandError::not_found("application", id.0).into()),
    };
    if side == JobSide::Applicant {
        cx.who.require(Permission::JobsApply)?;
    }
    Ok((cx.state.registry.tenant(studio).await?, side))
}

pub(super) fn application_of(d: &Decision<CommandResult>) -> Option<JobApplication> {
    let r = match d {
        Decision::Accepted(acc) => &acc.value,
        Decision::Unchanged(r) => r,
    };
    match r {
        CommandResult::Application { application } => Some(application.clone()),
        _ => None,
    }
}

/// Tells the applicant, in the studio they applied from, where their
/// application stands (`by`: who moved it).
pub(super) async fn tell_applicant(cx: Ctx<'_>, listing: &Tenant, app: &JobApplication, by: &str) {
    let Ok(job) = listing.job(app.job_id).await else { return };
    let (title, dates) = (job.title, pt_actors::domain::jobs::listing::dates_text(job.start_date, job.end_date));
    let studio = listing.settings().name.clone();
    let (head, body) = match app.status {
        ApplicationStatus::Applied => (format!("You applied for {title}"), format!("{studio} has your application.")),
        ApplicationStatus::Shortlisted => (format!("Shortlisted for {title}"), format!("{studio} shortlisted you.")),
        ApplicationStatus::Offered => {
            (format!("Offer: {title}"), format!("{studio} offers you the job: accept or decline."))
        }
        ApplicationStatus::Rejected => (format!("Not this time: {title}"), format!("{studio} went with someone else.")),
        ApplicationStatus::Accepted => {
            (format!("Pencilled in: {title}"), format!("Your pencil booking is on {studio}'s board."))
        }
        _ => return,
    };
    let body = format!("{body} {dates}.");
    match cx.state.registry.tenant(app.from_studio).await {
        Ok(home) => home.notify(app.applicant, NotificationKind::ApplicationChanged, head, body, by),
        Err(e) => tracing::warn!(error = %e, "cannot tell an applicant in their studio"),
    }
}
