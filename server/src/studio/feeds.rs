//! `/studio/calendar-feeds`: secret iCalendar URLs of the studio or of one
//! artist, for calendar apps (Google, Apple, Outlook) — created with the
//! secret shown once, listed without it, revoked at once. The document itself
//! is [`crate::calendar`]'s; the public route is `GET /calendar/{file}`.
//!
//! A feed URL is a bearer secret like an API token: 32 random bytes, only
//! its SHA-256 stored (kind `feed` in the token index). It grants reading
//! that calendar and nothing else.

use crate::auth::Permission;
use crate::auth::opaque::{TokenHash, generate_secret, is_secret};
use crate::auth::service::{AuthService, Authenticated, store_error, ts};
use crate::auth::signup::validate_name;
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use pt_actors::store::feeds::CalendarFeedRow;
use pt_protocol::ids::UserId;
use pt_protocol::{ArtistId, Timestamp};
use serde::{Deserialize, Serialize};

/// The prefix of a feed secret, so a leaked one is recognisable.
const PREFIX: &str = "cal_";

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCalendarFeed {
    /// What it is for ("Ben's phone", "Studio wall calendar").
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
    )]
    pub name: String,
    /// One artist's calendar; absent or `null`, the whole studio's.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub artist_id: Option<ArtistId>,
}

/// A calendar feed (never its secret).
#[derive(Serialize, Debug, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CalendarFeedView {
    #[schema(value_type = String, format = Uuid)]
    #[ts(type = "string")]
    pub id: uuid::Uuid,
    pub name: String,
    /// `null`: the whole studio.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub artist_id: Option<ArtistId>,
    /// The secret's first characters, to recognise the URL.
    pub hint: String,
    #[schema(value_type = String, format = Uuid)]
    pub created_by: UserId,
    /// RFC 3339.
    #[schema(value_type = String)]
    #[ts(type = "string")]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>)]
    #[ts(type = "string | null")]
    pub revoked_at: Option<Timestamp>,
}

impl From<&CalendarFeedRow> for CalendarFeedView {
    fn from(r: &CalendarFeedRow) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            artist_id: r.artist_id,
            hint: r.hint.clone(),
            created_by: r.created_by,
            created_at: r.created_at,
            revoked_at: r.revoked_at,
        }
    }
}

/// A new feed and its URL path, which holds the secret: shown once.
#[derive(Serialize, Debug, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreatedCalendarFeed {
    pub feed: CalendarFeedView,
    /// `/api/v1/calendar/cal_….ics`: prefix it with this server's origin and
    /// subscribe to it in a calendar app.
    pub path: String,
}

/// Creates a feed of the studio or one of its artists (`artist_exists`: the
/// studio's actor knows that artist, unarchived). Needs `calendar_feeds:manage`.
pub async fn create(
    auth: &AuthService,
    who: &Authenticated,
    req: NewCalendarFeed,
    artist_exists: bool,
    now: DateTime<Utc>,
) -> Result<CreatedCalendarFeed, ApiError> {
    who.require(Permission::CalendarFeedsManage)?;
    let name = validate_name("name", &req.name)?;
    if req.artist_id.is_some() && !artist_exists {
        return Err(ApiError::not_found("artist"));
    }
    let secret = generate_secret();
    let row = CalendarFeedRow {
        id: uuid::Uuid::now_v7(),
        tenant_id: who.principal.tenant_id,
        artist_id: req.artist_id,
        name,
        hash: *TokenHash::of(&secret).as_bytes(),
        hint: format!("{PREFIX}{}…", &secret[..6]),
        created_by: who.principal.user_id,
        created_at: ts(now),
        revoked_at: None,
    };
    auth.store().insert_calendar_feed(&row).await.map_err(store_error)?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), feed = %row.id, artist = ?row.artist_id,
        "calendar feed created");
    let path = format!("{}/calendar/{PREFIX}{secret}.ics", crate::openapi::BASE_PATH);
    Ok(CreatedCalendarFeed { feed: CalendarFeedView::from(&row), path })
}

/// The studio's feeds, revoked ones included. Needs `calendar_feeds:manage`.
pub async fn list(auth: &AuthService, who: &Authenticated) -> Result<Vec<CalendarFeedView>, ApiError> {
    who.require(Permission::CalendarFeedsManage)?;
    let rows = auth.store().calendar_feeds(who.principal.tenant_id).await.map_err(store_error)?;
    Ok(rows.iter().map(CalendarFeedView::from).collect())
}

/// Revokes a feed: its URL answers `404` from now on. Another studio's feed
/// id is `404`, before the permission check.
pub async fn revoke(
    auth: &AuthService,
    who: &Authenticated,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<CalendarFeedView, ApiError> {
    let (store, tenant) = (auth.store(), who.principal.tenant_id);
    if !store.calendar_feeds(tenant).await.map_err(store_error)?.iter().any(|f| f.id == id) {
        return Err(ApiError::not_found("calendar feed"));
    }
    who.require(Permission::CalendarFeedsManage)?;
    let row = store
        .revoke_calendar_feed(tenant, id, ts(now))
        .await
        .map_err(store_error)?
        .ok_or_else(|| ApiError::not_found("calendar feed"))?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), feed = %id, "calendar feed revoked");
    Ok(CalendarFeedView::from(&row))
}

/// The live feed a URL's last segment (`cal_<secret>.ics`) names, or
/// `None`: malformed, unknown and revoked look the same from outside.
pub async fn resolve(auth: &AuthService, file: &str) -> Result<Option<CalendarFeedRow>, ApiError> {
    let Some(secret) = file.strip_prefix(PREFIX).and_then(|s| s.strip_suffix(".ics")) else { return Ok(None) };
    if !is_secret(secret) {
        return Ok(None);
    }
    let row = auth.store().calendar_feed_by_hash(TokenHash::of(secret).as_bytes()).await.map_err(store_error)?;
    Ok(row.filter(|f| f.revoked_at.is_none()))
}
