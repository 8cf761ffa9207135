//! `/api/v1/notifications`: the signed-in user's own notifications — what
//! they were told about changes that concern them — and marking them read.
//! Nobody sees or marks another's; there is no parameter naming a user.
//! Marking read runs through the command path (`readNotifications`), so
//! the reader's other tabs hear of it live.

use crate::auth::service::store_error;
use crate::commands::Command;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, CmdKey};
use crate::routes::{Data, command};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pt_actors::store::notifications::InboxQuery;
use pt_protocol::notification::{
    NotificationId, NotificationPage, NotificationPreferences, PreferencesPatch, ReadReceipt,
};
use serde::Deserialize;

/// Which of my notifications.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NotificationQuery {
    /// Only unread ones; `false` by default.
    pub unread: Option<bool>,
    /// Only those older than this one: the previous page's `nextBefore`.
    #[param(value_type = Option<String>, format = Uuid)]
    pub before: Option<NotificationId>,
    /// 1 to 200; 50 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// My notifications, newest first, a page at a time (`nextBefore` names
/// the next, older page), with my unread count. Every notification sent
/// live before this request is in it.
#[utoipa::path(get, path = "/notifications", operation_id = "listNotifications", tag = "notifications",
    params(NotificationQuery),
    responses((status = 200, body = Data<NotificationPage>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(_state): State<crate::AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=pt_actors::MAX_NOTIFICATION_PAGE).contains(&limit) {
        return Err(ApiError::invalid("limit", format!("1 to {}", pt_actors::MAX_NOTIFICATION_PAGE)));
    }
    let query = InboxQuery { unread_only: q.unread.unwrap_or(false), before: q.before, limit };
    let page = auth.tenant.notifications(auth.who.principal.user_id, query).await?;
    Ok(Json(Data { data: page }).into_response())
}

/// Mark one of my notifications read. Reading one already read changes
/// nothing (`200`, no ids listed). `404` for an id that is not mine.
#[utoipa::path(post, path = "/notifications/{id}/read", operation_id = "readNotification", tag = "notifications",
    params(("id" = NotificationId, Path), ("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    responses((status = 200, body = Data<ReadReceipt>), (status = 404, body = ErrorBody)))]
pub async fn read(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<NotificationId>,
    key: CmdKey,
) -> Result<Response, ApiError> {
    let input = key.input(&format!("POST /notifications/{id}/read"), &(), &auth.who);
    command(&state, auth, input, Command::ReadNotifications { ids: Some(vec![id]) }, StatusCode::OK).await
}

/// What to mark read at once.
#[derive(Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReadAllBody {
    /// These of mine (1 to 500); absent, every unread one.
    #[schema(min_items = 1, max_items = 500)]
    pub ids: Option<Vec<NotificationId>>,
}

/// Mark all my unread notifications read, or the ones named. `200` with
/// the ids it marked and the unread count left.
#[utoipa::path(post, path = "/notifications/read-all", operation_id = "readAllNotifications", tag = "notifications",
    params(("Idempotency-Key" = Option<String>, Header, pattern = r"^[ \t]*[!-~]([ -~]{0,253}[!-~])?[ \t]*$", description = "Makes retries safe: a retry with the same key and the same request gets the original answer; another request with it is `422 idempotency_key_reused`")),
    request_body(content = Option<ReadAllBody>, description = "Optional; without a body, every unread notification"),
    responses((status = 200, body = Data<ReadReceipt>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read_all(
    State(state): State<crate::AppState>,
    auth: Auth,
    key: CmdKey,
    body: Option<ApiJson<ReadAllBody>>,
) -> Result<Response, ApiError> {
    let body = body.map_or(ReadAllBody { ids: None }, |ApiJson(b)| b);
    let input = key.input("POST /notifications/read-all", &body, &auth.who);
    command(&state, auth, input, Command::ReadNotifications { ids: body.ids }, StatusCode::OK).await
}

/// My notification preferences in this studio: for every kind, whether it
/// shows in my inbox (`inApp`) and goes by email (`email`), and my quiet
/// hours for email. Everything is on until changed.
#[utoipa::path(get, path = "/me/notification-preferences", operation_id = "getNotificationPreferences",
    tag = "notifications", responses((status = 200, body = Data<NotificationPreferences>)))]
pub async fn preferences(State(state): State<crate::AppState>, auth: Auth) -> Result<Response, ApiError> {
    let (tenant, user) = (auth.who.principal.tenant_id, auth.who.principal.user_id);
    let prefs = state.store.preferences(tenant, user).await.map_err(store_error)?.unwrap_or_default();
    Ok(Json(Data { data: prefs.complete() }).into_response())
}

/// Change my notification preferences: some kinds' channels, and/or quiet
/// hours (`null` turns them off). What is left out stays. A kind off in both
/// channels is not sent at all; off in the inbox but on by email, it is
/// emailed and kept in the inbox as read. The next notification follows.
#[utoipa::path(patch, path = "/me/notification-preferences", operation_id = "updateNotificationPreferences",
    tag = "notifications", request_body = PreferencesPatch,
    responses((status = 200, body = Data<NotificationPreferences>), (status = 400, body = ErrorBody)))]
pub async fn update_preferences(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiJson(patch): ApiJson<PreferencesPatch>,
) -> Result<Response, ApiError> {
    if let Some(Some(q)) = &patch.quiet_hours {
        let errs = pt_actors::domain::quiet_hours::validate(q);
        if !errs.is_empty() {
            return Err(pt_actors::CommandError::Domain(pt_actors::error::DomainError::Invalid(errs)).into());
        }
    }
    let (tenant, user) = (auth.who.principal.tenant_id, auth.who.principal.user_id);
    let current = state.store.preferences(tenant, user).await.map_err(store_error)?.unwrap_or_default();
    let prefs = current.patched(&patch);
    state.store.save_preferences(tenant, user, &prefs, pt_protocol::Timestamp::now()).await.map_err(store_error)?;
    auth.tenant.set_preferences(user, prefs.clone());
    tracing::info!(user = %user, "notification preferences changed");
    Ok(Json(Data { data: prefs.complete() }).into_response())
}
