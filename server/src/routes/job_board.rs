//! The job marketplace's reads that rank or cross studios: the public board
//! (the one deliberate crossing: an open public listing and its studio's
//! name, nothing else), saved listings, applications (a listing's, ranked,
//! for its studio; or the caller's own, in every studio), the studio's
//! candidates for a listing, and inviting one to apply.

use crate::auth::Permission;
use crate::auth::service::store_error;
use crate::commands::jobs::listing_studio;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::routes::Data;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pt_actors::domain::jobs::matching::{Candidate, score};
use pt_actors::store::jobs::ApplicationFilter;
use pt_protocol::job::{
    ApplicationView, JobApplication, JobBoardItem, JobCandidate, JobId, JobListing, JobMatch, JobStatus,
};
use pt_protocol::{ArtistId, Day, NotificationKind};
use serde::{Deserialize, Serialize};

/// Which public listings.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BoardQuery {
    /// Asks for this skill (case-insensitive).
    #[param(max_length = 64)]
    pub skill: Option<String>,
    /// Its dates reach this day or later.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Day>,
    /// Its dates start before this day.
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<Day>,
    /// Only remote (`true`) or only on-site (`false`) work.
    pub remote: Option<bool>,
    /// Its range reaches at least this day rate.
    #[param(value_type = Option<i64>, minimum = 0, maximum = 1000000)]
    pub min_rate: Option<u32>,
    /// Its range is in this currency (ISO 4217).
    #[param(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
}

impl BoardQuery {
    fn admits(&self, j: &JobListing) -> bool {
        let skill = self.skill.as_ref().map(|s| s.trim().to_lowercase());
        skill.is_none_or(|s| j.skills.iter().any(|r| r.skill == s))
            && self.from.is_none_or(|d| j.end_date > d)
            && self.to.is_none_or(|d| j.start_date < d)
            && self.remote.is_none_or(|r| j.remote == r)
            && self.min_rate.is_none_or(|m| j.rate.as_ref().is_some_and(|r| r.max >= m))
            && self.currency.as_ref().is_none_or(|c| j.rate.as_ref().is_some_and(|r| r.currency == *c))
    }
}

/// How well the caller's own artist (in the studio they are signed in to) fits each listing.
async fn my_fits(auth: &Auth, jobs: &[&JobListing]) -> Vec<Option<JobMatch>> {
    let artist = match auth.who.own_artist {
        Some(a) => auth.tenant.live_artist(a).await.ok(),
        None => None,
    };
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        out.push(match &artist {
            Some(a) => auth.tenant.job_fits(job, std::slice::from_ref(a)).await.pop().map(|(_, m)| m),
            None => None,
        });
    }
    out
}

async fn board_items(
    state: &crate::AppState,
    auth: &Auth,
    keep: impl Fn(&JobListing) -> bool,
) -> Result<Vec<JobBoardItem>, ApiError> {
    let saved = state.store.saved_jobs(auth.tenant.id, auth.who.principal.user_id).await.map_err(store_error)?;
    let board = state.store.board().await.map_err(store_error)?;
    let rows: Vec<(String, JobListing)> =
        board.into_iter().filter(|(_, _, j)| keep(j)).map(|(_, n, j)| (n, j)).collect();
    let fits = my_fits(auth, &rows.iter().map(|(_, j)| j).collect::<Vec<_>>()).await;
    Ok(rows
        .into_iter()
        .zip(fits)
        .map(|((studio_name, job), fit)| JobBoardItem { saved: saved.contains(&job.id), job, studio_name, fit })
        .collect())
}

/// The cross-studio job board: every studio's open public listings, newest
/// first, each with its studio's name, whether you saved it, and how well
/// your own artist fits it. Any signed-in member.
#[utoipa::path(get, path = "/jobs/board", operation_id = "jobBoard", tag = "jobs", params(BoardQuery),
    responses((status = 200, body = Data<Vec<JobBoardItem>>), (status = 400, body = ErrorBody)))]
pub async fn board(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> Result<Json<Data<Vec<JobBoardItem>>>, ApiError> {
    if q.skill.as_ref().is_some_and(|s| s.chars().count() > 64) {
        return Err(ApiError::invalid("skill", "at most 64 characters"));
    }
    if q.min_rate.is_some_and(|m| m > 1_000_000) {
        return Err(ApiError::invalid("minRate", "0 to 1,000,000"));
    }
    if q.currency.as_ref().is_some_and(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase())) {
        return Err(ApiError::invalid("currency", "an ISO 4217 code such as GBP"));
    }
    Ok(Json(Data { data: board_items(&state, &auth, |j| q.admits(j)).await? }))
}

/// The listings you saved that are still open: public ones of any studio
/// and your own studio's.
#[utoipa::path(get, path = "/jobs/saved", operation_id = "savedJobs", tag = "jobs",
    responses((status = 200, body = Data<Vec<JobBoardItem>>)))]
pub async fn saved(
    State(state): State<crate::AppState>,
    auth: Auth,
) -> Result<Json<Data<Vec<JobBoardItem>>>, ApiError> {
    let ids = state.store.saved_jobs(auth.tenant.id, auth.who.principal.user_id).await.map_err(store_error)?;
    let mut items = board_items(&state, &auth, |j| ids.contains(&j.id)).await?;
    let studio_name = auth.tenant.settings().name.clone();
    let own: Vec<JobListing> = auth
        .tenant
        .jobs()
        .await?
        .into_iter()
        .filter(|j| ids.contains(&j.id) && j.status == JobStatus::Open && !items.iter().any(|i| i.job.id == j.id))
        .collect();
    let fits = my_fits(&auth, &own.iter().collect::<Vec<_>>()).await;
    for (job, fit) in own.into_iter().zip(fits) {
        items.push(JobBoardItem { job, studio_name: studio_name.clone(), saved: true, fit });
    }
    Ok(Json(Data { data: items }))
}

async fn set_saved(state: &crate::AppState, auth: &Auth, id: JobId, save: bool) -> Result<Response, ApiError> {
    auth.who.require(Permission::JobsApply)?;
    let at = save.then(pt_protocol::Timestamp::now);
    if save {
        let cx = crate::commands::Ctx { state, who: &auth.who, tenant: &auth.tenant };
        listing_studio(cx, id).await?;
    }
    state.store.set_saved(auth.tenant.id, auth.who.principal.user_id, id, at).await.map_err(store_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Save an open listing you may apply to. Saving it again changes nothing. `jobs:apply`.
#[utoipa::path(post, path = "/jobs/{id}/save", operation_id = "saveJob", tag = "jobs", params(("id" = JobId, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<JobId>,
) -> Result<Response, ApiError> {
    set_saved(&state, &auth, id, true).await
}

/// Forget a saved listing (forgetting one not saved changes nothing). `jobs:apply`.
#[utoipa::path(delete, path = "/jobs/{id}/save", operation_id = "unsaveJob", tag = "jobs", params(("id" = JobId, Path)),
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn unsave(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<JobId>,
) -> Result<Response, ApiError> {
    set_saved(&state, &auth, id, false).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ApplicationQuery {
    /// This listing's applications (`jobs:manage`), best fit first; absent: your own, in every studio.
    #[param(value_type = Option<String>, format = Uuid)]
    pub job_id: Option<JobId>,
}

/// Applications. With `jobId`: that listing's (`jobs:manage`), ranked by
/// how well each applicant fits (their artist in the studio if they have
/// one, else the skills and rate they applied with), reasons included.
/// Without: your own applications in every studio, newest first.
#[utoipa::path(get, path = "/job-applications", operation_id = "listApplications", tag = "jobs", params(ApplicationQuery),
    responses((status = 200, body = Data<Vec<ApplicationView>>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn applications(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ApplicationQuery>,
) -> Result<Json<Data<Vec<ApplicationView>>>, ApiError> {
    let Some(job_id) = q.job_id else { return Ok(Json(Data { data: mine(&state, &auth).await? })) };
    auth.who.require(Permission::JobsManage)?;
    let t = &auth.tenant;
    let job = t.job(job_id).await?;
    let apps = t.job_applications(ApplicationFilter { job: Some(job_id), applicant: None }).await?;
    let studio_name = t.settings().name.clone();
    let fits = applicant_fits(t, &job, &apps).await;
    let mut out: Vec<ApplicationView> =
        apps.into_iter().zip(fits).map(|(app, fit)| view(app, &job, studio_name.clone(), Some(fit))).collect();
    out.sort_by(|a, b| {
        let score = |v: &ApplicationView| v.fit.as_ref().map_or(0, |f| f.score);
        score(b).cmp(&score(a)).then_with(|| a.application.created_at.cmp(&b.application.created_at))
    });
    Ok(Json(Data { data: out }))
}

fn view(application: JobApplication, job: &JobListing, studio_name: String, fit: Option<JobMatch>) -> ApplicationView {
    ApplicationView {
        application,
        job_title: job.title.clone(),
        start_date: job.start_date,
        end_date: job.end_date,
        studio_name,
        fit,
    }
}

/// How well each applicant fits: from their artist in the studio (the
/// studio's artists asked at once), else from the skills and rate they applied with.
async fn applicant_fits(t: &pt_actors::Tenant, job: &JobListing, apps: &[JobApplication]) -> Vec<JobMatch> {
    let mut artists = Vec::new();
    for id in apps.iter().filter_map(|a| a.artist_id) {
        if let Ok(a) = t.live_artist(id).await {
            artists.push(a);
        }
    }
    let fits = t.job_fits(job, &artists).await;
    let currency = job.rate.as_ref().map_or("", |r| r.currency.as_str());
    apps.iter()
        .map(|app| {
            let theirs = app.artist_id.and_then(|id| fits.iter().find(|(a, _)| *a == id));
            match theirs {
                Some((_, m)) => m.clone(),
                None => {
                    score(job, &Candidate { skills: &app.skills, free: None, rate: app.rate.map(|r| (r, currency)) })
                }
            }
        })
        .collect()
}

/// The caller's own applications, from every studio that holds one.
async fn mine(state: &crate::AppState, auth: &Auth) -> Result<Vec<ApplicationView>, ApiError> {
    let me = auth.who.principal.user_id;
    let studios = state.store.application_studios(me).await.map_err(store_error)?;
    let mut out = Vec::new();
    for id in studios {
        let t = state.registry.tenant(id).await?;
        let studio_name = t.settings().name.clone();
        for app in t.job_applications(ApplicationFilter { job: None, applicant: Some(me) }).await? {
            let Ok(job) = t.job(app.job_id).await else { continue };
            out.push(view(app, &job, studio_name.clone(), None));
        }
    }
    out.sort_by_key(|v| std::cmp::Reverse(v.application.created_at));
    Ok(out)
}

/// The studio's active artists ranked against a listing, best first, with
/// the reasons. `jobs:manage`.
#[utoipa::path(get, path = "/jobs/{id}/candidates", operation_id = "jobCandidates", tag = "jobs", params(("id" = JobId, Path)),
    responses((status = 200, body = Data<Vec<JobCandidate>>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn candidates(auth: Auth, ApiPath(id): ApiPath<JobId>) -> Result<Json<Data<Vec<JobCandidate>>>, ApiError> {
    auth.who.require(Permission::JobsManage)?;
    let job = auth.tenant.job(id).await?;
    Ok(Json(Data { data: auth.tenant.job_candidates(&job).await? }))
}

/// Whom to invite.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobInvite {
    pub artist_id: ArtistId,
}

/// Ask an artist of the studio to apply for an open listing: the freelancer
/// linked to the artist is told (`jobInvited`). `422` when no freelancer is
/// linked to the artist. `jobs:manage`.
#[utoipa::path(post, path = "/jobs/{id}/invite", operation_id = "inviteToJob", tag = "jobs", request_body = JobInvite,
    params(("id" = JobId, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn invite(
    auth: Auth,
    ApiPath(id): ApiPath<JobId>,
    ApiJson(body): ApiJson<JobInvite>,
) -> Result<Response, ApiError> {
    auth.who.require(Permission::JobsManage)?;
    let t = &auth.tenant;
    let job = t.job(id).await?;
    if job.status != JobStatus::Open {
        return Err(ApiError::unprocessable("only an open listing takes applications"));
    }
    let artist = t.live_artist(body.artist_id).await?;
    let Some(user) = t.linked_user(artist.id) else {
        return Err(ApiError::unprocessable(format!(
            "no freelancer is linked to {}: invite them to the studio first",
            artist.name
        )));
    };
    let title = format!("Apply for {}?", job.title);
    let body = format!("{} invites you to apply: Jobs → {}.", t.settings().name, job.title);
    t.notify(user, NotificationKind::JobInvited, title, body, &auth.who.actor());
    Ok(StatusCode::NO_CONTENT.into_response())
}
