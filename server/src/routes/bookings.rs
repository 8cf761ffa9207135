//! `/api/v1/bookings`: holds, pencils and confirmed bookings.

use crate::auth::Permission;
use crate::auth::service::Authenticated;
use crate::commands::Command;
use crate::commands::access::{readable_booking, visible};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, CmdKey};
use crate::routes::{Data, Page, command, paginate};
use crate::transfer::csv_export::bookings_csv;
use crate::transfer::{csv_response, wants_csv};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pt_actors::CommandError;
use pt_actors::Tenant;
use pt_actors::artist_actor::BookingFilter;
use pt_actors::error::DomainError;
use pt_protocol::booking::BookingView;
use pt_protocol::command::{CheckAvailability, Transition};
use pt_protocol::time::{MAX_TIMESTAMP, MIN_TIMESTAMP};
use pt_protocol::{
    ArtistId, BookingAnswer, BookingId, BookingPatch, BookingStatus, EventEnvelope, NewBooking, ProjectId, TimeRange,
    Timestamp,
};
use serde::{Deserialize, Serialize};

/// A period `[from, to)`; either end may be open.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RangeQuery {
    /// RFC 3339 with an offset, e.g. `2026-03-02T00:00:00Z`, between 1970 and 9999
    /// (in a URL, write a `+` offset as `%2B`).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<Timestamp>,
    /// RFC 3339, after `from`.
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<Timestamp>,
}

pub fn list_range(from: Option<Timestamp>, to: Option<Timestamp>) -> Result<Option<TimeRange>, ApiError> {
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let range = TimeRange::new(from.unwrap_or(MIN_TIMESTAMP), to.unwrap_or(MAX_TIMESTAMP));
    range.map(Some).ok_or_else(|| ApiError::invalid("to", "must be after from"))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BookingListQuery {
    /// Only this artist's bookings.
    #[param(value_type = Option<String>, format = Uuid)]
    pub artist: Option<ArtistId>,
    /// Only this project's bookings.
    #[param(value_type = Option<String>, format = Uuid)]
    pub project: Option<ProjectId>,
    /// Only bookings with this status.
    #[param(value_type = Option<BookingStatus>)]
    pub status: Option<BookingStatus>,
    /// Bookings overlapping `[from, to)`: RFC 3339, between 1970 and 9999.
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<Timestamp>,
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<Timestamp>,
    /// From 1 (to 2^31 − 1); 1 by default.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<usize>,
    /// 1 to 1000; 100 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// Bookings of the studio, by start time, filtered and paginated. With
/// `Accept: text/csv`: every matching booking (no paging) as a CSV download
/// whose columns are those `POST /import/bookings` reads.
#[utoipa::path(get, path = "/bookings", operation_id = "listBookings", tag = "bookings", params(BookingListQuery),
    responses((status = 200, description = "A page of bookings; with `Accept: text/csv`, every matching booking as CSV \
            (`Content-Disposition: attachment; filename=\"bookings.csv\"`; columns: id, artist_id, artist_name, project_id, \
            project_name, phase_id, phase_name, title, status, start_time, end_time, expires_at, notes, allow_overtime)",
            content((Page<BookingView> = "application/json"), (String = "text/csv"))),
        (status = 400, body = ErrorBody),
        (status = 404, description = "`artist` names no artist of this studio (or, to a freelancer, another artist)", body = ErrorBody)))]
pub async fn list(
    Auth { who, tenant: t }: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<BookingListQuery>,
) -> Result<Response, ApiError> {
    let all = matching(&who, &t, &q).await?;
    if wants_csv(&headers) {
        let artists = t.list_artists().await?;
        let plans = t.project_plans().await?;
        return Ok(csv_response(bookings_csv(&all, &artists, &plans), "bookings"));
    }
    Ok(Json(paginate(all, q.page, q.limit)?).into_response())
}

/// The bookings a list query names, as the caller may see them: a
/// freelancer's are their own artist's, whatever the filter.
async fn matching(who: &Authenticated, t: &Tenant, q: &BookingListQuery) -> Result<Vec<BookingView>, ApiError> {
    if let Some(a) = q.artist {
        t.live_artist(a).await?;
        visible(who, a, Permission::BookingsRead, Permission::BookingsReadOwn, "artist")?;
    }
    let filter = BookingFilter { range: list_range(q.from, q.to)?, project: q.project, status: q.status };
    let artist = match who.scope(Permission::BookingsRead, Permission::BookingsReadOwn)? {
        Some(own) => match t.live_artist(own).await {
            Ok(_) => Some(own),
            Err(_) => return Ok(Vec::new()),
        },
        None => q.artist,
    };
    Ok(t.list_bookings(artist, filter).await?)
}

/// Book an artist. `status` is `pencil` unless given; a `hold` lapses at
/// `expiresAt` (default: 48 hours). Pencils and confirmed bookings of one
/// artist never overlap: an overlap is a 409 `conflict` naming the bookings in
/// the way and the nearest free windows of the same length. Answers once the
/// booking is durable.
#[utoipa::path(post, path = "/bookings", operation_id = "createBooking", params(("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")), tag = "bookings", request_body = NewBooking,
    responses((status = 201, body = Data<BookingView>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "conflict (details: ConflictDetails) or reverted", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, description = "overloaded", body = ErrorBody)))]
pub async fn create(
    State(state): State<crate::AppState>,
    auth: Auth,
    key: CmdKey,
    ApiJson(body): ApiJson<NewBooking>,
) -> Result<Response, ApiError> {
    let input = key.input("POST /bookings", &body, &auth.who);
    command(&state, auth, input, Command::CreateBooking { booking: body }, StatusCode::CREATED).await
}

/// One booking (with its hold rank when it is a hold).
#[utoipa::path(get, path = "/bookings/{id}", operation_id = "getBooking", tag = "bookings", params(("id" = BookingId, Path)),
    responses((status = 200, body = Data<BookingView>), (status = 404, body = ErrorBody)))]
pub async fn get(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<BookingId>,
) -> Result<Json<Data<BookingView>>, ApiError> {
    Ok(Json(Data { data: readable_booking(&who, &t, id).await? }))
}

/// Change title, notes, project, times, hold expiry — or `artistId`, which
/// moves the booking to another artist atomically. `version` must be the
/// current version (409 `version_mismatch` otherwise).
#[utoipa::path(patch, path = "/bookings/{id}", operation_id = "updateBooking", tag = "bookings", params(("id" = BookingId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")), request_body = BookingPatch,
    responses((status = 200, body = Data<BookingView>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<BookingId>,
    key: CmdKey,
    ApiJson(body): ApiJson<BookingPatch>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("PATCH /bookings/{id}"), &body, &auth.who);
    command(&state, auth, input, Command::UpdateBooking { id, patch: body }, StatusCode::OK).await
}

/// Change the status: `hold → pencil → confirmed`, any active status →
/// `cancelled`, `hold → expired`. Promoting into pencil/confirmed checks for
/// conflicts at that moment.
#[utoipa::path(post, path = "/bookings/{id}/transition", operation_id = "transitionBooking", tag = "bookings", params(("id" = BookingId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    request_body = Transition,
    responses((status = 200, body = Data<BookingView>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn transition(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<BookingId>,
    key: CmdKey,
    ApiJson(body): ApiJson<Transition>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /bookings/{id}/transition"), &body, &auth.who);
    let cmd =
        Command::TransitionBooking { id, version: body.version, to: body.to, allow_overtime: body.allow_overtime };
    command(&state, auth, input, cmd, StatusCode::OK).await
}

#[derive(Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeleteQuery {
    /// The version you saw; omitted, the current booking is cancelled.
    pub version: Option<u64>,
}

/// Cancel a booking. Bookings are never erased: the booking stays, with status
/// `cancelled`, and its audit trail. Cancelling a cancelled or expired booking
/// answers its current state.
#[utoipa::path(delete, path = "/bookings/{id}", operation_id = "cancelBooking", tag = "bookings", params(("id" = BookingId, Path), DeleteQuery, ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<BookingView>), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<BookingId>,
    key: CmdKey,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("DELETE /bookings/{id}"), &q, &auth.who);
    command(&state, auth, input, Command::CancelBooking { id, version: q.version }, StatusCode::OK).await
}

/// What stands in the way of a booking.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckResponse {
    /// No pencil or confirmed booking in the way, and the artist works all
    /// of the range (no approved time off, holiday or non-working hours).
    pub available: bool,
    /// Where the range meets time the artist does not work, with the reason.
    pub unavailable: Vec<pt_protocol::Unavailability>,
    /// Pencil/confirmed bookings overlapping the range.
    pub conflicts: Vec<pt_protocol::Booking>,
    /// Holds overlapping the range (they do not block; a new hold queues behind them).
    pub holds: Vec<BookingView>,
    /// When not available: the nearest free windows holding the same working
    /// time (never in the past, inside working hours, clear of time off,
    /// holidays and pencil/confirmed bookings).
    pub free_windows: Vec<TimeRange>,
}

/// Is the artist free for this range? Reads only; books nothing.
#[utoipa::path(post, path = "/bookings/check-availability", operation_id = "checkAvailability", tag = "bookings", request_body = CheckAvailability,
    responses((status = 200, body = Data<CheckResponse>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn check(
    Auth { who, tenant: t }: Auth,
    ApiJson(body): ApiJson<CheckAvailability>,
) -> Result<Json<Data<CheckResponse>>, ApiError> {
    t.live_artist(body.artist_id).await?;
    visible(&who, body.artist_id, Permission::BookingsRead, Permission::BookingsReadOwn, "artist")?;
    let range = TimeRange::new(body.start_time, body.end_time)
        .ok_or_else(|| ApiError::invalid("endTime", "endTime must be after startTime"))?;
    if range.duration_micros() > pt_actors::domain::validate::MAX_BOOKING_MICROS {
        return Err(ApiError::invalid("endTime", "a booking may last at most 366 days"));
    }
    let r = t.check(body.artist_id, range, body.exclude_booking_id).await?;
    Ok(Json(Data {
        data: CheckResponse {
            available: r.available,
            unavailable: r.unavailable,
            conflicts: r.conflicts,
            holds: r.holds,
            free_windows: r.free_windows,
        },
    }))
}

/// The audit trail: every event of this booking, oldest first.
#[utoipa::path(get, path = "/bookings/{id}/events", operation_id = "listBookingEvents", tag = "bookings", params(("id" = BookingId, Path)),
    responses((status = 200, body = Data<Vec<EventEnvelope>>), (status = 404, body = ErrorBody)))]
pub async fn events(
    Auth { who, tenant: t }: Auth,
    ApiPath(id): ApiPath<BookingId>,
) -> Result<Json<Data<Vec<EventEnvelope>>>, ApiError> {
    readable_booking(&who, &t, id).await?;
    match t.booking_events(id).await {
        Ok(ev) => Ok(Json(Data { data: ev })),
        Err(CommandError::Domain(DomainError::NotFound { .. })) => Err(ApiError::not_found(&format!("booking {id}"))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RespondBody {
    pub response: BookingAnswer,
    /// The version you saw; omitted, the current one.
    pub version: Option<u64>,
}

/// Respond to a booking offered to you (a hold or pencil of your own artist
/// record): `accept` confirms it, `decline` cancels it. Needs
/// `bookings:respond`; a freelancer may respond only to their own bookings
/// (others are `404`).
#[utoipa::path(post, path = "/bookings/{id}/respond", operation_id = "respondToBooking", tag = "bookings", params(("id" = BookingId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    request_body = RespondBody,
    responses((status = 200, body = Data<BookingView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn respond(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<BookingId>,
    key: CmdKey,
    ApiJson(body): ApiJson<RespondBody>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /bookings/{id}/respond"), &body, &auth.who);
    let cmd = Command::RespondToBooking { id, response: body.response, version: body.version };
    command(&state, auth, input, cmd, StatusCode::OK).await
}

#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChallengeBody {
    /// The challenger: a later hold of another project on the same artist and slot.
    pub by: BookingId,
    /// The version of the 1st hold you saw; omitted, the current one.
    pub version: Option<u64>,
}

/// Challenge the 1st hold on a slot with a later hold of another project
/// behind it. The 1st hold's holder has until the deadline (24 hours, or
/// the hold's own expiry if sooner; the answer's `expiresAt`) to confirm or
/// release it; otherwise it lapses and every hold behind it moves up.
/// Needs `bookings:update`. `422` when `{id}` is not the 1st hold, is already
/// challenged, or `by` is not a hold of another project on its slot.
#[utoipa::path(post, path = "/bookings/{id}/challenge", operation_id = "challengeHold", tag = "bookings", params(("id" = BookingId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    request_body = ChallengeBody,
    responses((status = 200, body = Data<BookingView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn challenge(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<BookingId>,
    key: CmdKey,
    ApiJson(body): ApiJson<ChallengeBody>,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /bookings/{id}/challenge"), &body, &auth.who);
    let cmd = Command::ChallengeHold { id, by: body.by, version: body.version };
    command(&state, auth, input, cmd, StatusCode::OK).await
}
