//! `/api/v1/artist-profiles/{artistId}` (the profile a scheduler reads before
//! booking someone) and `/api/v1/artists/search` (who is free, with the skills).

use crate::auth::Permission;
use crate::commands::{self, Command, Ctx, Done, access};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, CmdKey};
use crate::routes::{Data, answer, map_decision};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use pt_actors::domain::availability::search;
use pt_protocol::time::MICROS_PER_DAY;
use pt_protocol::{Artist, ArtistId, ArtistMatch, ProfilePatch, ProfileView, TimeRange, Timestamp};
use serde::Deserialize;

/// The profile of `a` as `who` may see it (no rate for a freelancer).
fn view(who: &crate::auth::service::Authenticated, a: Artist) -> ProfileView {
    let a = access::redact_artist(who, a);
    ProfileView {
        artist_id: a.id,
        name: a.name,
        timezone: a.timezone,
        bio: a.profile.bio,
        skills: a.profile.skills,
        portfolio: a.profile.portfolio,
        location: a.profile.location,
        languages: a.profile.languages,
        avatar_url: a.profile.avatar_url,
        day_rate: a.rate.as_ref().map(|r| r.amount),
        currency: a.rate.map(|r| r.currency),
        version: a.version,
    }
}

/// An artist's profile; `dayRate` and `currency` are `null` for a freelancer.
#[utoipa::path(get, path = "/artist-profiles/{artistId}", operation_id = "getArtistProfile", tag = "artists",
    params(("artistId" = ArtistId, Path)),
    responses((status = 200, body = Data<ProfileView>), (status = 404, body = ErrorBody)))]
pub async fn get(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ArtistId>,
) -> Result<Json<Data<ProfileView>>, ApiError> {
    let a = access::visible_artist(&who, &t, id).await?;
    Ok(Json(Data { data: view(&who, a) }))
}

/// Change a profile: `artists:write`, or a freelancer's own (not the rate).
#[utoipa::path(patch, path = "/artist-profiles/{artistId}", operation_id = "updateArtistProfile", tag = "artists",
    params(("artistId" = ArtistId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe")),
    request_body = ProfilePatch,
    responses((status = 200, body = Data<ProfileView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ArtistId>,
    key: CmdKey,
    ApiJson(body): ApiJson<ProfilePatch>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("PATCH /artist-profiles/{id}"), &body, &auth.who);
    let cx = Ctx { state: &state, who: &auth.who, tenant: &auth.tenant };
    match commands::execute(cx, Command::UpdateArtistProfile { artist_id: id, patch: body }, input).await? {
        // The same answer as every command's (durable, `X-Seq`, replays marked), shaped as a profile.
        Done::Artist(d) => answer(&auth.tenant, map_decision(d, |a| view(&auth.who, a)), StatusCode::OK).await,
        _ => unreachable!("updateArtistProfile answers with the artist"),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SearchQuery {
    /// Comma-separated skills, each optionally with a minimum level 1–5:
    /// `compositing:3,nuke` (at most 20).
    #[param(max_length = 2000)]
    pub skills: Option<String>,
    /// RFC 3339; the range searched for free time is `[from, to)` (at most 400 days).
    #[param(value_type = String, format = DateTime)]
    pub from: Timestamp,
    #[param(value_type = String, format = DateTime)]
    pub to: Timestamp,
    /// Only artists with at least this many entirely free working days in the range.
    #[param(value_type = Option<i32>, minimum = 0, maximum = 400)]
    pub min_free_days: Option<u32>,
    /// Only artists who speak this language (as in their profile).
    #[param(max_length = 35)]
    pub language: Option<String>,
    /// Only artists with a day rate at most this.
    #[param(value_type = Option<i32>, minimum = 0, maximum = 1000000)]
    pub max_day_rate: Option<u32>,
    /// 1 to 200; 50 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    pub limit: Option<usize>,
}

/// Artists ranked by skill match, then free time in `[from, to)`, each with
/// its free windows. Owners and managers (`artists:read` and `bookings:read`).
#[utoipa::path(get, path = "/artists/search", operation_id = "searchArtists", tag = "artists", params(SearchQuery),
    responses((status = 200, body = Data<Vec<ArtistMatch>>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn search(
    Auth { who, tenant: t }: Auth,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<Data<Vec<ArtistMatch>>>, ApiError> {
    who.require(Permission::ArtistsRead)?;
    who.require(Permission::BookingsRead)?;
    let range = TimeRange::new(q.from, q.to).ok_or_else(|| ApiError::invalid("to", "must be after from"))?;
    if range.duration_micros() > 400 * MICROS_PER_DAY {
        return Err(ApiError::invalid("to", "a search may span at most 400 days"));
    }
    let wants =
        search::parse_skills(q.skills.as_deref().unwrap_or("")).map_err(|e| ApiError::invalid(&e.field, e.reason))?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit", "1 to 200"));
    }
    if q.min_free_days.is_some_and(|d| d > 400) {
        return Err(ApiError::invalid("minFreeDays", "0 to 400"));
    }
    // Only the artists the filters that need no calendar let through are asked how they fit.
    let (language, max_rate) = (q.language.as_deref(), q.max_day_rate);
    let artists: Vec<Artist> =
        t.list_artists().await?.into_iter().filter(|a| search::may_match(&wants, a, language, max_rate)).collect();
    let ids: Vec<ArtistId> = artists.iter().map(|a| a.id).collect();
    let mut fits: std::collections::HashMap<ArtistId, _> = t.fits(&ids, range).await.into_iter().collect();
    let candidates = artists.into_iter().filter_map(|a| fits.remove(&a.id).map(|f| (a, f))).collect();
    let found =
        search::rank(&wants, candidates, q.min_free_days.unwrap_or(0), q.language.as_deref(), q.max_day_rate, limit);
    Ok(Json(Data { data: found }))
}
