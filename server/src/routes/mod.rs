//! Route handlers, one file per resource, and the response envelope.

pub mod artists;
pub mod auth;
pub mod bookings;
pub mod health;
pub mod studio;

use crate::auth::Permission;
use crate::auth::service::Authenticated;
use crate::error::ApiError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pt_actors::{Accepted, CommandError, Tenant};
use pt_protocol::ArtistId;
use serde::{Deserialize, Serialize};

/// `{ "data": … }`
#[derive(Serialize, utoipa::ToSchema)]
pub struct Data<T> {
    pub data: T,
}

/// `{ "data": [...], "meta": { total, page, limit } }`
#[derive(Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub meta: PageMeta,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PageMeta {
    pub total: usize,
    pub page: usize,
    pub limit: usize,
}

/// Page numbers start at 1.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<usize>,
    /// 1 to 1000; 100 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1_000;
/// The highest page number: what the OpenAPI document can say (`int32`), far
/// beyond any real list.
pub const MAX_PAGE: usize = i32::MAX as usize;

pub fn paginate<T>(all: Vec<T>, page: Option<usize>, limit: Option<usize>) -> Result<Page<T>, ApiError> {
    let page = page.unwrap_or(1);
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if page == 0 || page > MAX_PAGE {
        return Err(ApiError::invalid("page", format!("pages go from 1 to {MAX_PAGE}")));
    }
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::invalid("limit", format!("must be between 1 and {MAX_LIMIT}")));
    }
    let total = all.len();
    let data = all.into_iter().skip((page - 1).saturating_mul(limit)).take(limit).collect();
    Ok(Page { data, meta: PageMeta { total, page, limit } })
}

/// Answers a write once it is durable: `status` with `{ "data": … }` and the
/// `seq` it got in `X-Seq`. A retried command gets its original answer.
pub async fn durable<T: Serialize>(
    tenant: &Tenant,
    accepted: Result<Accepted<T>, CommandError>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let mut acc = accepted?;
    let seq = tenant.wait_durable(&mut acc).await?;
    let mut res = (status, Json(Data { data: acc.value })).into_response();
    res.headers_mut().insert("x-seq", HeaderValue::from(seq));
    if acc.duplicate {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(res)
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("route")
}

/// May the caller apply `patch` to artist `id`? Anyone's profile is
/// `artists:write`. A freelancer's own record: name, skills and time zone are
/// `profile:update`; time off is `availability:manage`; whether they can be
/// booked (`active`) and the studio's address for them (`email`) stay the
/// studio's (`artists:write`). Other artists are `404` to a freelancer.
pub fn may_patch_artist(who: &Authenticated, id: ArtistId, patch: &pt_protocol::ArtistPatch) -> Result<(), ApiError> {
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
    if patch.time_off.is_some() {
        who.require(Permission::AvailabilityManage)?;
    }
    Ok(())
}

/// Whether the caller may see `artist`'s `all`/`own` data: with only the
/// "own" permission, any other artist is `404` — to a freelancer, other
/// artists' things do not exist (the same answer another studio's ids get).
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
