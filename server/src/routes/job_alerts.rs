//! `/api/v1/me/job-alerts`: whether I am told (`jobMatched`) when a new
//! public listing asks for skills I have. Turning alerts on takes the skills
//! of my own artist in the studio I am signed in to, and I am told there;
//! turning them on again (after changing my profile) takes them afresh.
//! A person's own setting, like notification preferences: written directly.

use crate::auth::Permission;
use crate::auth::service::store_error;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, Auth};
use crate::routes::Data;
use axum::Json;
use axum::extract::State;
use pt_protocol::SkillLevel;
use serde::{Deserialize, Serialize};

/// My job alerts.
#[derive(Serialize, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobAlerts {
    pub enabled: bool,
    /// The skills new listings are matched against (every skill a listing
    /// asks for, at its level or above); empty when off.
    pub skills: Vec<SkillLevel>,
    /// Alerts arrive in this studio's inbox (`null` when off).
    #[schema(value_type = Option<String>, format = Uuid)]
    #[ts(type = "string | null")]
    pub studio_id: Option<pt_protocol::TenantId>,
}

/// Turn my job alerts on or off.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobAlertsPatch {
    pub enabled: bool,
}

/// My job alerts.
#[utoipa::path(get, path = "/me/job-alerts", operation_id = "getJobAlerts", tag = "jobs",
    responses((status = 200, body = Data<JobAlerts>)))]
pub async fn get(State(state): State<crate::AppState>, auth: Auth) -> Result<Json<Data<JobAlerts>>, ApiError> {
    let alert = state.store.job_alert(auth.who.principal.user_id).await.map_err(store_error)?;
    Ok(Json(Data { data: shape(alert) }))
}

fn shape(alert: Option<(pt_protocol::TenantId, Vec<SkillLevel>)>) -> JobAlerts {
    match alert {
        Some((studio, skills)) => JobAlerts { enabled: true, skills, studio_id: Some(studio) },
        None => JobAlerts { enabled: false, skills: Vec::new(), studio_id: None },
    }
}

/// Turn my job alerts on (with my own artist's skills in this studio; `422`
/// when I have no artist here or it lists no skills) or off. `jobs:apply`.
#[utoipa::path(put, path = "/me/job-alerts", operation_id = "setJobAlerts", tag = "jobs", request_body = JobAlertsPatch,
    responses((status = 200, body = Data<JobAlerts>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<JobAlertsPatch>,
) -> Result<Json<Data<JobAlerts>>, ApiError> {
    auth.who.require(Permission::JobsApply)?;
    let user = auth.who.principal.user_id;
    let alert = if body.enabled {
        let skills = match auth.who.own_artist {
            Some(a) => auth.tenant.live_artist(a).await.map(|a| a.profile.skills).unwrap_or_default(),
            None => Vec::new(),
        };
        if skills.is_empty() {
            return Err(ApiError::unprocessable(
                "job alerts match your profile's skills: you have no artist with skills in this studio",
            ));
        }
        Some((auth.tenant.id, skills))
    } else {
        None
    };
    state.store.set_job_alert(user, alert.clone(), pt_protocol::Timestamp::now()).await.map_err(store_error)?;
    tracing::info!(%user, enabled = body.enabled, "job alerts changed");
    Ok(Json(Data { data: shape(alert) }))
}
