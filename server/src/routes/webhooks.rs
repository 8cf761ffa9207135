//! `/api/v1/webhooks`: the studio's webhook subscriptions (owners only,
//! `webhooks:manage`): a URL called with each event of the kinds it names,
//! signed (README "Webhooks"), retried with backoff, dead-lettered after the
//! last try, with a delivery log and manual redelivery. Subscriptions start
//! at the studio's current `seq`: no history is replayed.

use crate::auth::Permission;
use crate::auth::service::store_error;
use crate::delivery::ssrf;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth};
use crate::routes::Data;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pt_actors::store::outbox::{AttemptRow, DeliveryRow, WebhookRow};
use pt_protocol::{Timestamp, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An event kind one can subscribe to (the log's `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    ArtistCreated,
    ArtistUpdated,
    ArtistArchived,
    TimeOffRequested,
    TimeOffDecided,
    TimeOffCancelled,
    BookingCreated,
    BookingUpdated,
    BookingMoved,
    BookingStatusChanged,
    BookingRestored,
    ProjectCreated,
    ProjectUpdated,
    ProjectArchived,
    PhaseCreated,
    PhaseUpdated,
    PhaseDeleted,
    DependencyAdded,
    DependencyRemoved,
    MilestoneCreated,
    MilestoneUpdated,
    MilestoneDeleted,
    NotificationCreated,
    NotificationsRead,
    JobCreated,
    JobUpdated,
    JobDeleted,
    ApplicationCreated,
    ApplicationUpdated,
}

impl EventKind {
    /// As stored in the log's `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ArtistCreated => "artistCreated",
            Self::ArtistUpdated => "artistUpdated",
            Self::ArtistArchived => "artistArchived",
            Self::TimeOffRequested => "timeOffRequested",
            Self::TimeOffDecided => "timeOffDecided",
            Self::TimeOffCancelled => "timeOffCancelled",
            Self::BookingCreated => "bookingCreated",
            Self::BookingUpdated => "bookingUpdated",
            Self::BookingMoved => "bookingMoved",
            Self::BookingStatusChanged => "bookingStatusChanged",
            Self::BookingRestored => "bookingRestored",
            Self::ProjectCreated => "projectCreated",
            Self::ProjectUpdated => "projectUpdated",
            Self::ProjectArchived => "projectArchived",
            Self::PhaseCreated => "phaseCreated",
            Self::PhaseUpdated => "phaseUpdated",
            Self::PhaseDeleted => "phaseDeleted",
            Self::DependencyAdded => "dependencyAdded",
            Self::DependencyRemoved => "dependencyRemoved",
            Self::MilestoneCreated => "milestoneCreated",
            Self::MilestoneUpdated => "milestoneUpdated",
            Self::MilestoneDeleted => "milestoneDeleted",
            Self::NotificationCreated => "notificationCreated",
            Self::NotificationsRead => "notificationsRead",
            Self::JobCreated => "jobCreated",
            Self::JobUpdated => "jobUpdated",
            Self::JobDeleted => "jobDeleted",
            Self::ApplicationCreated => "applicationCreated",
            Self::ApplicationUpdated => "applicationUpdated",
        }
    }
}

/// A new subscription.
#[derive(Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewWebhook {
    /// `https://…` (or `http://`), no credentials; at most 2,000 characters.
    #[schema(max_length = 2000, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s]+$")]
    pub url: String,
    /// The event kinds to send (at least one).
    #[schema(min_items = 1, max_items = 29)]
    pub events: Vec<EventKind>,
}

/// A subscription as listed.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    #[schema(value_type = String, format = Uuid)]
    pub created_by: UserId,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub deleted_at: Option<Timestamp>,
    /// The last `seq` whose deliveries are queued.
    pub cursor: u64,
}

impl From<WebhookRow> for Webhook {
    fn from(w: WebhookRow) -> Self {
        Self {
            id: w.id,
            url: w.url,
            events: w.events,
            created_by: w.created_by,
            created_at: w.created_at,
            deleted_at: w.deleted_at,
            cursor: w.cursor,
        }
    }
}

/// A new subscription, with its signing secret (shown this once).
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// The HMAC-SHA256 key of `X-PT-Signature`. Store it now: it is not shown again.
    pub secret: String,
}

fn validate(body: &NewWebhook) -> Result<(), ApiError> {
    if body.url.len() > 2000 {
        return Err(ApiError::invalid("url", "at most 2,000 characters"));
    }
    let url = reqwest::Url::parse(&body.url).map_err(|e| ApiError::invalid("url", format!("not a URL: {e}")))?;
    ssrf::target(&url).map_err(|e| ApiError::invalid("url", e))?;
    let most = pt_protocol::Event::KINDS.len();
    if body.events.is_empty() || body.events.len() > most {
        return Err(ApiError::invalid("events", format!("1 to {most} event kinds")));
    }
    Ok(())
}

fn secret() -> String {
    let mut b = [0u8; 24];
    getrandom::fill(&mut b).expect("OS randomness");
    format!("whsec_{}", b.iter().map(|x| format!("{x:02x}")).collect::<String>())
}

/// Subscribe a URL to some event kinds. Deliveries start with the next
/// event. The answer holds the signing secret, once. `webhooks:manage`.
#[utoipa::path(post, path = "/webhooks", operation_id = "createWebhook", tag = "webhooks", request_body = NewWebhook,
    responses((status = 201, body = Data<CreatedWebhook>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiJson(body): ApiJson<NewWebhook>,
) -> Result<Response, ApiError> {
    auth.who.require(Permission::WebhooksManage)?;
    validate(&body)?;
    let mut events = body.events;
    events.sort();
    events.dedup();
    let events: Vec<String> = events.into_iter().map(|e| e.as_str().to_owned()).collect();
    let row = WebhookRow {
        tenant_id: auth.tenant.id,
        id: Uuid::now_v7(),
        url: body.url,
        events,
        secret: secret(),
        created_by: auth.who.principal.user_id,
        created_at: Timestamp::now(),
        deleted_at: None,
        // From now on: what is sequenced already is not sent.
        cursor: auth.tenant.last_seq().await?,
    };
    state.store.insert_webhook(&row).await.map_err(store_error)?;
    tracing::info!(target: "pt_server::audit", actor = %auth.who.actor(), webhook = %row.id, url = %row.url, "webhook created");
    let secret = row.secret.clone();
    let data = CreatedWebhook { webhook: row.into(), secret };
    Ok((StatusCode::CREATED, Json(Data { data })).into_response())
}

/// The studio's subscriptions, deleted ones included, newest first. `webhooks:manage`.
#[utoipa::path(get, path = "/webhooks", operation_id = "listWebhooks", tag = "webhooks",
    responses((status = 200, body = Data<Vec<Webhook>>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<crate::AppState>, auth: Auth) -> Result<Response, ApiError> {
    auth.who.require(Permission::WebhooksManage)?;
    let rows = state.store.webhooks(auth.tenant.id).await.map_err(store_error)?;
    let data: Vec<Webhook> = rows.into_iter().map(Webhook::from).collect();
    Ok(Json(Data { data }).into_response())
}

/// Delete a subscription: nothing more is sent to it (queued deliveries are
/// skipped); its delivery log stays. Deleting it again changes nothing. `webhooks:manage`.
#[utoipa::path(delete, path = "/webhooks/{id}", operation_id = "deleteWebhook", tag = "webhooks",
    params(("id" = String, Path, format = Uuid)),
    responses((status = 200, body = Data<Webhook>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    auth.who.require(Permission::WebhooksManage)?;
    let row = state.store.delete_webhook(auth.tenant.id, id, Timestamp::now()).await.map_err(store_error)?;
    let row = row.ok_or_else(|| ApiError::not_found("webhook"))?;
    tracing::info!(target: "pt_server::audit", actor = %auth.who.actor(), webhook = %id, "webhook deleted");
    Ok(Json(Data { data: Webhook::from(row) }).into_response())
}

/// One try of a delivery.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub attempt: u32,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<u16>,
    pub error: Option<String>,
}

/// A delivery and its tries.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// Also the `X-PT-Delivery` header: the receiver's idempotency key.
    #[schema(value_type = String, format = Uuid)]
    pub id: Uuid,
    /// The event's `seq`.
    pub seq: Option<u64>,
    /// `pending`, `sent`, `dead` (gave up; redeliver it) or `skipped`.
    pub status: String,
    pub attempts: u32,
    /// When the next try is due (pending ones).
    #[schema(value_type = String, format = DateTime)]
    pub next_at: Timestamp,
    pub last_error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<Timestamp>,
    /// The body sent (`{deliveryId, webhookId, event}`).
    #[schema(value_type = Object)]
    pub payload: Option<serde_json::Value>,
    pub tries: Vec<Attempt>,
}

fn delivery((d, tries): (DeliveryRow, Vec<AttemptRow>)) -> Delivery {
    Delivery {
        id: d.id,
        seq: d.seq,
        status: d.status,
        attempts: d.attempts,
        next_at: d.next_at,
        last_error: d.last_error,
        created_at: d.created_at,
        sent_at: d.sent_at,
        payload: d.payload,
        tries: tries
            .into_iter()
            .map(|a| Attempt { attempt: a.attempt, at: a.at, status_code: a.status_code, error: a.error })
            .collect(),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// 1 to 200; 50 by default.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// A subscription's delivery log, newest first, each with its tries. `webhooks:manage`.
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", operation_id = "listWebhookDeliveries", tag = "webhooks",
    params(("id" = String, Path, format = Uuid), DeliveryQuery),
    responses((status = 200, body = Data<Vec<Delivery>>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<DeliveryQuery>,
) -> Result<Response, ApiError> {
    auth.who.require(Permission::WebhooksManage)?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::invalid("limit", "1 to 200"));
    }
    let hooks = state.store.webhooks(auth.tenant.id).await.map_err(store_error)?;
    if !hooks.iter().any(|h| h.id == id) {
        return Err(ApiError::not_found("webhook"));
    }
    let rows = state.store.webhook_deliveries(auth.tenant.id, id, limit).await.map_err(store_error)?;
    let data: Vec<Delivery> = rows.into_iter().map(delivery).collect();
    Ok(Json(Data { data }).into_response())
}

/// Send a delivery again, now: a dead letter, or one the receiver lost. It
/// keeps its id (the receiver's idempotency key) and its tries. `webhooks:manage`.
#[utoipa::path(post, path = "/webhooks/{id}/deliveries/{delivery}/redeliver", operation_id = "redeliverWebhook",
    tag = "webhooks", params(("id" = String, Path, format = Uuid), ("delivery" = String, Path, format = Uuid)),
    responses((status = 200, body = Data<Delivery>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn redeliver(
    State(state): State<crate::AppState>,
    auth: Auth,
    ApiPath((id, delivery_id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Response, ApiError> {
    auth.who.require(Permission::WebhooksManage)?;
    let tenant = auth.tenant.id;
    let found = state.store.delivery(tenant, delivery_id).await.map_err(store_error)?;
    let Some((d, _)) = found.filter(|(d, _)| d.webhook_id == Some(id)) else {
        return Err(ApiError::not_found("delivery"));
    };
    let hooks = state.store.webhooks(tenant).await.map_err(store_error)?;
    if hooks.iter().any(|h| h.id == id && h.deleted_at.is_some()) {
        return Err(ApiError::unprocessable("the subscription was deleted"));
    }
    if d.status == "pending" {
        return Err(ApiError::unprocessable("this delivery is still being tried"));
    }
    state.store.redeliver(tenant, delivery_id, Timestamp::now()).await.map_err(store_error)?;
    tracing::info!(target: "pt_server::audit", actor = %auth.who.actor(), webhook = %id, delivery = %delivery_id, "redelivery");
    let row = state.store.delivery(tenant, delivery_id).await.map_err(store_error)?;
    let row = row.ok_or_else(|| ApiError::not_found("delivery"))?;
    Ok(Json(Data { data: delivery(row) }).into_response())
}

#[cfg(test)]
mod tests {
    use super::EventKind;

    /// Every event the log holds can be subscribed to, under its log name.
    #[test]
    fn every_event_kind_can_be_subscribed_to() {
        for name in pt_protocol::Event::KINDS {
            let kind: EventKind = serde_json::from_value(serde_json::json!(name)).expect(name);
            assert_eq!(kind.as_str(), name);
        }
    }
}
