//! `/api/v1/reports/utilization` and `/api/v1/projects/{id}/allocation`:
//! reports computed from memory (`pt_actors::domain::reports`), as JSON or,
//! with `Accept: text/csv`, as CSV.

use crate::auth::Permission;
use crate::commands::access::visible_project;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::routes::Data;
use crate::transfer::{csv_response as csv, wants_csv};
use axum::Json;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use pt_actors::artist_actor::BookingFilter;
use pt_actors::domain::reports::{self, UtilizationFilter};
use pt_protocol::report::{Allocation, Granularity, Utilization};
use pt_protocol::{ArtistId, Day, ProjectId, TimeRange, Timestamp};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UtilizationQuery {
    /// First day, `YYYY-MM-DD`.
    #[param(value_type = String, format = Date)]
    pub from: Day,
    /// The day after the last, `YYYY-MM-DD` (exclusive): at most 366 days
    /// after `from` by day, 2 years by week.
    #[param(value_type = String, format = Date)]
    pub to: Day,
    /// `week` (ISO weeks, the default) or `day`.
    #[param(value_type = Option<Granularity>)]
    pub granularity: Option<Granularity>,
    /// Only this artist.
    #[param(value_type = Option<String>, format = Uuid)]
    pub artist_id: Option<ArtistId>,
    /// Only artists with this skill (case-insensitive).
    #[param(max_length = 64)]
    pub skill: Option<String>,
}

/// Per artist and period: available hours (the working week minus time
/// off), booked hours by status (hold, pencil, confirmed; within working
/// hours), and utilization = (pencil + confirmed) ÷ available. Owners and
/// managers (`bookings:read`).
#[utoipa::path(get, path = "/reports/utilization", operation_id = "getUtilizationReport", tag = "reports",
    params(UtilizationQuery),
    responses((status = 200, description = "The report; CSV with `Accept: text/csv`",
        content((Data<Utilization> = "application/json"), (String = "text/csv"))),
        (status = 400, body = ErrorBody)))]
pub async fn utilization(
    Auth { who, tenant: t }: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<UtilizationQuery>,
) -> Result<Response, ApiError> {
    who.require(Permission::BookingsRead)?;
    if q.skill.as_ref().is_some_and(|s| s.chars().count() > 64) {
        return Err(ApiError::invalid("skill", "at most 64 characters"));
    }
    let granularity = q.granularity.unwrap_or_default();
    if q.from >= q.to {
        return Err(ApiError::invalid("to", "must be after from"));
    }
    let artists = t.list_artists().await?;
    let range = TimeRange {
        start: Timestamp::from_micros(q.from.plus(-1).start_micros()),
        end: Timestamp::from_micros(q.to.plus(1).start_micros()),
    };
    let bookings: Vec<_> = t
        .list_bookings(None, BookingFilter { range: Some(range), ..BookingFilter::default() })
        .await?
        .into_iter()
        .map(|v| v.booking)
        .collect();
    let filter = UtilizationFilter { artist_id: q.artist_id, skill: q.skill };
    let report = reports::utilization(&artists, &bookings, &t.settings(), q.from, q.to, granularity, &filter)
        .map_err(pt_actors::CommandError::from)?;
    if wants_csv(&headers) {
        return Ok(csv(reports::utilization_csv(&report), "utilization"));
    }
    Ok(Json(Data { data: report }).into_response())
}

/// Planned vs booked artist-days per phase and skill, with over- and
/// under-allocation; holds apart. `projects:read`.
#[utoipa::path(get, path = "/projects/{id}/allocation", operation_id = "getProjectAllocation", tag = "reports",
    params(("id" = ProjectId, Path)),
    responses((status = 200, description = "The report; CSV with `Accept: text/csv`",
        content((Data<Allocation> = "application/json"), (String = "text/csv"))),
        (status = 404, body = ErrorBody)))]
pub async fn allocation(
    Auth { who, tenant: t }: Auth,
    headers: HeaderMap,
    ApiPath(id): ApiPath<ProjectId>,
) -> Result<Response, ApiError> {
    let plan = visible_project(&who, &t, id).await?;
    who.require(Permission::ProjectsRead)?;
    let filter = BookingFilter { project: Some(id), ..BookingFilter::default() };
    let bookings: Vec<_> = t.list_bookings(None, filter).await?.into_iter().map(|v| v.booking).collect();
    let artists = t.list_artists().await?;
    let report = reports::allocation(&plan, &bookings, &artists, &t.settings());
    if wants_csv(&headers) {
        return Ok(csv(reports::allocation_csv(&report), "allocation"));
    }
    Ok(Json(Data { data: report }).into_response())
}
