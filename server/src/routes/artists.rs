//! `/api/v1/artists`: the people a studio books.

use crate::auth::Permission;
use crate::commands::Command;
use crate::commands::access::{visible, visible_artist};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, CmdKey};
use crate::routes::bookings::{RangeQuery, list_range};
use crate::routes::{Data, Page, command, paginate};
use crate::transfer::csv_export::artists_csv;
use crate::transfer::{csv_response, wants_csv};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pt_actors::artist_actor::BookingFilter;
use pt_protocol::booking::BookingView;
use pt_protocol::{Artist, ArtistId, ArtistPatch, NewArtist, TimeRange};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ArtistListQuery {
    /// Only artists with this skill (case-insensitive).
    pub skill: Option<String>,
    /// Only active (true) or inactive (false) artists.
    pub active: Option<bool>,
    /// From 1 (to 2^31 − 1); 1 by default.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<usize>,
    /// 1 to 1000; 100 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// A closed period `[from, to)` of at most 400 days.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// RFC 3339 with an offset, e.g. `2026-03-02T00:00:00Z`, between 1970 and 9999.
    #[param(value_type = String, format = DateTime)]
    pub from: pt_protocol::Timestamp,
    /// RFC 3339, after `from` and at most 400 days later.
    #[param(value_type = String, format = DateTime)]
    pub to: pt_protocol::Timestamp,
}

/// List the studio's artists, by name. With `Accept: text/csv`: every
/// matching artist (no paging) as a CSV download whose columns are those
/// `POST /import/artists` reads; that needs `artists:read`.
#[utoipa::path(get, path = "/artists", operation_id = "listArtists", tag = "artists", params(ArtistListQuery),
    responses((status = 200, description = "A page of artists; with `Accept: text/csv`, every matching artist as CSV \
            (`Content-Disposition: attachment; filename=\"artists.csv\"`; columns: id, name, email, skills (`;`-separated), \
            timezone, active)",
            content((Page<Artist> = "application/json"), (String = "text/csv"))),
        (status = 400, body = ErrorBody)))]
pub async fn list(
    Auth { who, tenant: t }: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ArtistListQuery>,
) -> Result<Response, ApiError> {
    let csv = wants_csv(&headers);
    if csv {
        who.require(Permission::ArtistsRead)?;
    }
    let own = who.scope(Permission::ArtistsRead, Permission::ProfileUpdate)?;
    let mut all = t.list_artists().await?;
    all.retain(|a| own.is_none_or(|own| a.id == own));
    let skill = q.skill.map(|s| s.trim().to_lowercase());
    all.retain(|a| skill.as_ref().is_none_or(|s| a.skills.contains(s)) && q.active.is_none_or(|on| a.active == on));
    all.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.id.cmp(&b.id)));
    let all: Vec<Artist> = all.into_iter().map(|a| crate::commands::access::redact_artist(&who, a)).collect();
    if csv {
        return Ok(csv_response(artists_csv(&all), "artists"));
    }
    Ok(Json(paginate(all, q.page, q.limit)?).into_response())
}

/// Add an artist.
#[utoipa::path(post, path = "/artists", operation_id = "createArtist", params(("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")), tag = "artists", request_body = NewArtist,
    responses((status = 201, body = Data<Artist>), (status = 400, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn create(
    State(state): State<crate::AppState>,
    auth: Auth,
    key: CmdKey,
    ApiJson(body): ApiJson<NewArtist>,
) -> Result<Response, ApiError> {
    let input = key.input("POST /artists", &body, &auth.who);
    command(&state, auth, input, Command::CreateArtist { artist: body }, StatusCode::CREATED).await
}

/// One artist.
#[utoipa::path(get, path = "/artists/{id}", operation_id = "getArtist", tag = "artists", params(("id" = ArtistId, Path)),
    responses((status = 200, body = Data<Artist>), (status = 404, body = ErrorBody)))]
pub async fn get(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ArtistId>,
) -> Result<Json<Data<Artist>>, ApiError> {
    let artist = visible_artist(&who, &t, id).await?;
    Ok(Json(Data { data: crate::commands::access::redact_artist(&who, artist) }))
}

/// Change an artist's profile. `version`, when given, must be the current one.
#[utoipa::path(patch, path = "/artists/{id}", operation_id = "updateArtist", tag = "artists", params(("id" = ArtistId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")), request_body = ArtistPatch,
    responses((status = 200, body = Data<Artist>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn update(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ArtistId>,
    key: CmdKey,
    ApiJson(body): ApiJson<ArtistPatch>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("PATCH /artists/{id}"), &body, &auth.who);
    command(&state, auth, input, Command::UpdateArtist { id, patch: body }, StatusCode::OK).await
}

/// Delete (archive) an artist. Refused while the artist has active bookings
/// that end in the future; the history stays in the audit trail.
#[utoipa::path(delete, path = "/artists/{id}", operation_id = "archiveArtist", tag = "artists", params(("id" = ArtistId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<Artist>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn archive(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<ArtistId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("DELETE /artists/{id}"), &(), &auth.who);
    command(&state, auth, input, Command::ArchiveArtist { id }, StatusCode::OK).await
}

/// An artist's bookings overlapping `[from, to)` (any status), by start.
#[utoipa::path(get, path = "/artists/{id}/bookings", operation_id = "listArtistBookings", tag = "artists", params(("id" = ArtistId, Path), RangeQuery),
    responses((status = 200, body = Data<Vec<BookingView>>), (status = 404, body = ErrorBody)))]
pub async fn bookings(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ArtistId>,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Json<Data<Vec<BookingView>>>, ApiError> {
    t.live_artist(id).await?;
    visible(&who, id, Permission::BookingsRead, Permission::BookingsReadOwn, "artist")?;
    let filter = BookingFilter { range: list_range(q.from, q.to)?, ..Default::default() };
    Ok(Json(Data { data: t.list_bookings(Some(id), filter).await? }))
}

/// Free time and active bookings of an artist over `[from, to)`.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityBody {
    pub artist_id: ArtistId,
    pub from: pt_protocol::Timestamp,
    pub to: pt_protocol::Timestamp,
    /// Free working time from now on: the artist's working hours minus
    /// holidays, approved time off and pencil/confirmed bookings.
    pub free: Vec<TimeRange>,
    /// Active bookings (holds included) overlapping the period.
    pub bookings: Vec<BookingView>,
}

/// Longest period one availability request may cover.
const MAX_AVAILABILITY_DAYS: i64 = 400;

/// When an artist is free between `from` and `to` (both required).
#[utoipa::path(get, path = "/artists/{id}/availability", operation_id = "getArtistAvailability", tag = "artists", params(("id" = ArtistId, Path), PeriodQuery),
    responses((status = 200, body = Data<AvailabilityBody>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn availability(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<ArtistId>,
    ApiQuery(PeriodQuery { from, to }): ApiQuery<PeriodQuery>,
) -> Result<Json<Data<AvailabilityBody>>, ApiError> {
    t.live_artist(id).await?;
    visible(&who, id, Permission::BookingsRead, Permission::BookingsReadOwn, "artist")?;
    let range = TimeRange::new(from, to).ok_or_else(|| ApiError::invalid("to", "must be after from"))?;
    if range.duration_micros() > MAX_AVAILABILITY_DAYS * pt_protocol::time::MICROS_PER_DAY {
        return Err(ApiError::invalid("to", format!("a period may span at most {MAX_AVAILABILITY_DAYS} days")));
    }
    let a = t.availability(id, range).await?;
    Ok(Json(Data { data: AvailabilityBody { artist_id: id, from, to, free: a.free, bookings: a.bookings } }))
}
