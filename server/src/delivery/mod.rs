//! The delivery task: what leaves the server, sent from the store's outbox.
//!
//! ```text
//! notification decided ─▶ appended with its email delivery (same transaction)
//! event in the log ──────▶ dispatch: queue a webhook delivery per matching
//!                          subscription, and move its cursor (one transaction)
//! outbox (pending, due) ─▶ send: email over SMTP / signed webhook call
//!                          ─▶ sent │ retry later (backoff) │ dead │ skipped
//! ```
//!
//! Everything it reads is durable, so nothing is sent for a change that
//! could still be undone; everything it does is recorded before it moves on,
//! so after a crash it resumes where the store says. A message is queued
//! exactly once; it is sent at least once, and the delivery id travels with
//! it (`Message-ID`, `X-PT-Delivery`) so a receiver that saw it before can
//! tell. One server sends; a second one on the same database would send
//! too (see the README).

pub mod backoff;
pub mod cli;
pub mod email;
pub mod signing;
pub mod ssrf;
pub mod webhook;

use backoff::Backoff;
use email::Mailer;
use pt_actors::domain::quiet_hours::quiet_until;
use pt_actors::store::Store;
use pt_actors::store::outbox::{AttemptRow, Channel, DeliveryRow, Outcome, WebhookRow};
use pt_protocol::{TenantId, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use webhook::WebhookSender;

/// Most events one round reads per subscription.
const DISPATCH_BATCH: usize = 500;
/// Most deliveries one round sends per studio.
const SEND_BATCH: u32 = 50;

/// What the task is started with.
pub struct Deliverer {
    pub store: Arc<dyn Store>,
    /// `None`: email is off (`--smtp-url` not given); emails are skipped.
    pub mailer: Option<Mailer>,
    pub webhooks: WebhookSender,
    pub backoff: Backoff,
    /// How often the outbox is looked at.
    pub tick: Duration,
}

impl Deliverer {
    /// Runs until `closing` turns true.
    pub fn spawn(self, mut closing: tokio::sync::watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            tracing::info!(email = self.mailer.is_some(), "delivery task started");
            loop {
                self.round().await;
                tokio::select! {
                    () = tokio::time::sleep(self.tick) => {}
                    _ = closing.changed() => {}
                }
                if *closing.borrow() {
                    return;
                }
            }
        })
    }

    /// One look at every studio with an outbox.
    pub async fn round(&self) {
        let tenants = match self.store.outbox_tenants().await {
            Ok(t) => t,
            Err(e) => return tracing::warn!(error = %e, "cannot list the studios to deliver for"),
        };
        for tenant in tenants {
            // Read once a round: dispatching and sending both need them.
            let hooks = match self.store.webhooks(tenant).await {
                Ok(h) => h,
                Err(e) => {
                    tracing::warn!(%tenant, error = %e, "cannot read the webhook subscriptions");
                    continue;
                }
            };
            if let Err(e) = self.dispatch(tenant, &hooks).await {
                tracing::warn!(%tenant, error = %e, "cannot queue webhook deliveries");
            }
            if let Err(e) = self.send_due(tenant, &hooks).await {
                tracing::warn!(%tenant, error = %e, "cannot send deliveries");
            }
        }
    }

    /// Queues a delivery for every durable event after each live
    /// subscription's cursor that it asked for.
    async fn dispatch(&self, tenant: TenantId, hooks: &[WebhookRow]) -> Result<(), pt_actors::store::StoreError> {
        for hook in hooks {
            if hook.deleted_at.is_some() {
                continue;
            }
            let events = self.store.events_since(tenant, hook.cursor, DISPATCH_BATCH).await?;
            let Some(through) = events.last().map(|e| e.seq) else { continue };
            let now = Timestamp::now();
            let rows: Vec<DeliveryRow> = events
                .iter()
                .filter(|e| hook.events.iter().any(|k| k == e.event.kind()))
                .map(|e| {
                    let id = uuid::Uuid::now_v7();
                    let payload = serde_json::json!({ "deliveryId": id, "webhookId": hook.id, "event": e });
                    DeliveryRow {
                        tenant_id: tenant,
                        id,
                        channel: Channel::Webhook,
                        notification_id: None,
                        webhook_id: Some(hook.id),
                        seq: Some(e.seq),
                        payload: Some(payload),
                        status: "pending".into(),
                        attempts: 0,
                        next_at: now,
                        last_error: None,
                        created_at: now,
                        sent_at: None,
                    }
                })
                .collect();
            self.store.queue_webhook_deliveries(tenant, hook.id, hook.cursor, through, &rows).await?;
        }
        Ok(())
    }

    async fn send_due(&self, tenant: TenantId, hooks: &[WebhookRow]) -> Result<(), pt_actors::store::StoreError> {
        for d in self.store.due_deliveries(tenant, Timestamp::now(), SEND_BATCH).await? {
            let (attempt, outcome) = match d.channel {
                Channel::Email => self.send_email(&d).await?,
                Channel::Webhook => self.call_webhook(&d, hooks).await,
            };
            tracing::info!(%tenant, delivery = %d.id, channel = d.channel.as_str(), ?outcome,
                error = attempt.as_ref().and_then(|a| a.error.as_deref()), "delivery");
            self.store.record_attempt(tenant, d.id, attempt.as_ref(), outcome).await?;
        }
        Ok(())
    }

    /// What a failed try `n` comes to.
    fn after_failure(&self, n: u32, permanent: bool) -> Outcome {
        match self.backoff.after(n, backoff::jitter()) {
            Some(wait) if !permanent => Outcome::Retry(Timestamp::now().plus_micros(wait.as_micros() as i64)),
            _ => Outcome::Dead,
        }
    }

    async fn send_email(&self, d: &DeliveryRow) -> Result<(Option<AttemptRow>, Outcome), pt_actors::store::StoreError> {
        let n = d.attempts + 1;
        let skip = |why: &str| {
            let a = AttemptRow { attempt: n, at: Timestamp::now(), status_code: None, error: Some(why.to_owned()) };
            Ok((Some(a), Outcome::Skipped))
        };
        let Some(mailer) = &self.mailer else { return skip("email is not configured on this server (--smtp-url)") };
        let Some(id) = d.notification_id else { return skip("no notification") };
        let Some(note) = self.store.notification(d.tenant_id, id).await? else { return skip("no notification") };
        let prefs = self.store.preferences(d.tenant_id, note.user_id).await?.unwrap_or_default();
        if let Some(until) = prefs.quiet_hours.as_ref().and_then(|q| quiet_until(q, Timestamp::now())) {
            return Ok((None, Outcome::Postponed(until)));
        }
        let Some(user) = self.store.user(note.user_id).await? else { return skip("the user is gone") };
        let studio = self.store.studio(d.tenant_id).await?.map(|s| s.name).unwrap_or_default();
        let to = match format!("{} <{}>", user.display_name.replace(['<', '>', '"'], ""), user.email).parse() {
            Ok(to) => to,
            Err(_) => return skip("the user's address cannot be mailed"),
        };
        let message = match mailer.compose(d.id, &note, to, &studio) {
            Ok(m) => m,
            Err(e) => return skip(&format!("cannot compose: {e}")),
        };
        let at = Timestamp::now();
        Ok(match mailer.send(message).await {
            Ok(code) => (Some(AttemptRow { attempt: n, at, status_code: code, error: None }), Outcome::Sent),
            Err(e) => {
                let outcome = self.after_failure(n, e.permanent);
                (Some(AttemptRow { attempt: n, at, status_code: e.code, error: Some(e.message) }), outcome)
            }
        })
    }

    async fn call_webhook(&self, d: &DeliveryRow, hooks: &[WebhookRow]) -> (Option<AttemptRow>, Outcome) {
        let n = d.attempts + 1;
        let at = Timestamp::now();
        let hook = hooks.iter().find(|h| Some(h.id) == d.webhook_id && h.deleted_at.is_none());
        let Some(hook) = hook else {
            let error = Some("the subscription was deleted".to_owned());
            return (Some(AttemptRow { attempt: n, at, status_code: None, error }), Outcome::Skipped);
        };
        let body = d.payload.as_ref().map(serde_json::Value::to_string).unwrap_or_default();
        match self.webhooks.call(&hook.url, &hook.secret, d.id, body.as_bytes()).await {
            Ok(status) => (Some(AttemptRow { attempt: n, at, status_code: Some(status), error: None }), Outcome::Sent),
            Err(e) => {
                let outcome = self.after_failure(n, e.permanent);
                (Some(AttemptRow { attempt: n, at, status_code: e.status, error: Some(e.message) }), outcome)
            }
        }
    }
}
