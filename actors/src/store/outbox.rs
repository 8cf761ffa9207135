//! What leaves the server: notification preferences, webhook subscriptions
//! and the outbox of deliveries (emails and webhook calls) with their tries.
//!
//! An email delivery is queued by [`super::Store::append`] in the same
//! transaction as its notification (when the notification says `email`); a
//! webhook delivery is queued by the server's delivery task from the event
//! log, in one transaction with the subscription's cursor. Either way a
//! message is queued exactly once; the delivery task sends each until it is
//! accepted or dead, and its id is the idempotency key the receiver sees.
//! Schema: `migrations/0013_notifications.sql`, `migrations/sqlite/0007_notifications.sql`.

use async_trait::async_trait;
use pt_protocol::notification::{NotificationId, NotificationPreferences};
use pt_protocol::{TenantId, Timestamp, UserId};
use uuid::Uuid;

use super::StoreError;

/// A webhook subscription.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookRow {
    pub tenant_id: TenantId,
    pub id: Uuid,
    pub url: String,
    /// Event kinds (`bookingCreated` …), as stored in the log's `kind`.
    pub events: Vec<String>,
    /// The HMAC key deliveries are signed with.
    pub secret: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    /// The last `seq` whose deliveries are queued.
    pub cursor: u64,
}

/// `email` or `webhook`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Self::Email),
            "webhook" => Some(Self::Webhook),
            _ => None,
        }
    }
}

/// One message to send.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryRow {
    pub tenant_id: TenantId,
    /// The idempotency key the receiver sees.
    pub id: Uuid,
    pub channel: Channel,
    /// An email's notification.
    pub notification_id: Option<NotificationId>,
    /// A webhook call's subscription and event.
    pub webhook_id: Option<Uuid>,
    pub seq: Option<u64>,
    /// A webhook call's body (the event as JSON).
    pub payload: Option<serde_json::Value>,
    /// `pending`, `sent`, `dead` (gave up) or `skipped` (nothing to send it with).
    pub status: String,
    pub attempts: u32,
    pub next_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

/// One try of a delivery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptRow {
    pub attempt: u32,
    pub at: Timestamp,
    /// The HTTP status (webhooks) or SMTP reply code (email), when there was one.
    pub status_code: Option<u16>,
    pub error: Option<String>,
}

/// What a try came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Try again at this time.
    Retry(Timestamp),
    /// Gave up after the last allowed try.
    Dead,
    /// Not sent and never will be (no email configured, the user has no address …).
    Skipped,
    /// Not tried: wait until then (quiet hours).
    Postponed(Timestamp),
}

#[async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    /// A member's preferences in a studio (`None`: never set, everything on).
    async fn preferences(&self, tenant: TenantId, user: UserId) -> Result<Option<NotificationPreferences>, StoreError>;
    /// Every member's preferences that were ever set (for activation).
    async fn all_preferences(&self, tenant: TenantId) -> Result<Vec<(UserId, NotificationPreferences)>, StoreError>;
    async fn save_preferences(
        &self,
        tenant: TenantId,
        user: UserId,
        prefs: &NotificationPreferences,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// A new subscription (the studio joins the outbox's list).
    async fn insert_webhook(&self, webhook: &WebhookRow) -> Result<(), StoreError>;
    /// The studio's subscriptions, deleted ones included, newest first.
    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<WebhookRow>, StoreError>;
    /// Marks a subscription deleted (the first time only); its queued deliveries are skipped.
    async fn delete_webhook(&self, tenant: TenantId, id: Uuid, at: Timestamp)
    -> Result<Option<WebhookRow>, StoreError>;
    /// Queues `deliveries` of webhook `id` and moves its cursor from `from`
    /// to `through`, in one transaction. `false` (nothing queued) when the
    /// cursor is no longer `from` or the subscription is deleted.
    async fn queue_webhook_deliveries(
        &self,
        tenant: TenantId,
        id: Uuid,
        from: u64,
        through: u64,
        deliveries: &[DeliveryRow],
    ) -> Result<bool, StoreError>;

    /// The studios that have (or had) something to deliver.
    async fn outbox_tenants(&self) -> Result<Vec<TenantId>, StoreError>;
    /// Pending deliveries due by `now`, oldest first.
    async fn due_deliveries(
        &self,
        tenant: TenantId,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, StoreError>;
    /// Records a try (none for `Skipped`/`Postponed`) and what it came to.
    async fn record_attempt(
        &self,
        tenant: TenantId,
        delivery: Uuid,
        attempt: Option<&AttemptRow>,
        outcome: Outcome,
    ) -> Result<(), StoreError>;
    /// A subscription's deliveries, newest first, each with its tries.
    async fn webhook_deliveries(
        &self,
        tenant: TenantId,
        webhook: Uuid,
        limit: u32,
    ) -> Result<Vec<(DeliveryRow, Vec<AttemptRow>)>, StoreError>;
    /// One delivery and its tries.
    async fn delivery(&self, tenant: TenantId, id: Uuid) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError>;
    /// Sends a delivery again (`pending`, due now): a dead letter or a sent one.
    async fn redeliver(&self, tenant: TenantId, id: Uuid, now: Timestamp) -> Result<Option<DeliveryRow>, StoreError>;
}
