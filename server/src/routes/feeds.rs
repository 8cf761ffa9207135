//! Calendar feeds: `/studio/calendar-feeds` to create, list and revoke them
//! ([`crate::studio::feeds`]), and the public `GET /calendar/{file}` a
//! calendar app subscribes to ([`crate::calendar`] writes the document).

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Auth};
use crate::routes::Data;
use crate::studio::feeds::{self, CalendarFeedView, CreatedCalendarFeed, NewCalendarFeed};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use pt_protocol::Timestamp;

/// Create a calendar feed of the whole studio or of one artist. The answer's
/// `path` holds the feed's secret and is shown only here. Needs
/// `calendar_feeds:manage` (owners and managers).
#[utoipa::path(post, path = "/studio/calendar-feeds", operation_id = "createCalendarFeed", tag = "studio", request_body = NewCalendarFeed,
    responses((status = 201, body = Data<CreatedCalendarFeed>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "`artistId` names no artist of this studio", body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    Auth { who, tenant }: Auth,
    ApiJson(body): ApiJson<NewCalendarFeed>,
) -> Result<(StatusCode, Json<Data<CreatedCalendarFeed>>), ApiError> {
    let exists = match body.artist_id {
        Some(a) => tenant.live_artist(a).await.is_ok(),
        None => true,
    };
    let data = feeds::create(&state.auth, &who, body, exists, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Data { data })))
}

/// The studio's calendar feeds (never their secrets), revoked ones included.
#[utoipa::path(get, path = "/studio/calendar-feeds", operation_id = "listCalendarFeeds", tag = "studio",
    responses((status = 200, body = Data<Vec<CalendarFeedView>>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Auth { who, .. }: Auth,
) -> Result<Json<Data<Vec<CalendarFeedView>>>, ApiError> {
    Ok(Json(Data { data: feeds::list(&state.auth, &who).await? }))
}

/// Revoke a calendar feed: its URL answers 404 from now on.
#[utoipa::path(delete, path = "/studio/calendar-feeds/{id}", operation_id = "revokeCalendarFeed", tag = "studio", params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Data<CalendarFeedView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    Auth { who, .. }: Auth,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> Result<Json<Data<CalendarFeedView>>, ApiError> {
    Ok(Json(Data { data: feeds::revoke(&state.auth, &who, id, Utc::now()).await? }))
}

/// A calendar feed, as iCalendar (RFC 5545), for calendar apps. No bearer
/// token: the secret in the URL is the credential. Holds and pencils are
/// `TENTATIVE` (holds with their rank), confirmed bookings `CONFIRMED`,
/// approved time off busy; from 60 days ago to 400 days ahead.
#[utoipa::path(get, path = "/calendar/{file}", operation_id = "getCalendarFeed", tag = "studio",
    params(("file" = String, Path, description = "`cal_<secret>.ics`, from the path `createCalendarFeed` answered",
        pattern = r"^cal_[A-Za-z0-9_-]{43}\.ics$")),
    responses((status = 200, description = "The feed", content_type = "text/calendar", body = String),
        (status = 404, description = "`not_found`: no such feed, or it was revoked", body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, ApiError> {
    let feed = feeds::resolve(&state.auth, &file).await?.ok_or_else(|| ApiError::not_found("calendar feed"))?;
    let tenant = state.registry.tenant(feed.tenant_id).await?;
    let body = crate::calendar::render(&tenant, &feed, Timestamp::now()).await?;
    let mut res = body.into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
    Ok(res)
}
