//! The outbox in PostgreSQL ([`OutboxStore`]): preferences, webhook
//! subscriptions, deliveries and their tries, each under the tenant's
//! row-level security; `outbox_tenants` (ids only) lists the studios to look
//! at. Schema: `migrations/0013_notifications.sql`.

use super::*;
use crate::store::outbox::{AttemptRow, Channel, DeliveryRow, OutboxStore, Outcome, WebhookRow};
use pt_protocol::notification::{NotificationId, NotificationPreferences};

const WEBHOOK_COLUMNS: &str = "tenant_id, id, url, events, secret, created_by, created_at, deleted_at, cursor";
const DELIVERY_COLUMNS: &str = "tenant_id, id, channel, notification_id, webhook_id, seq, payload, status, attempts, \
                                next_at, last_error, created_at, sent_at";

fn webhook_from_row(row: &Row) -> Result<WebhookRow, StoreError> {
    Ok(WebhookRow {
        tenant_id: TenantId(get(row, 0)?),
        id: get(row, 1)?,
        url: get(row, 2)?,
        events: get(row, 3)?,
        secret: get(row, 4)?,
        created_by: UserId(get(row, 5)?),
        created_at: ts(row, 6)?,
        deleted_at: opt_ts(row, 7)?,
        cursor: to_u64(get(row, 8)?, "cursor")?,
    })
}

fn delivery_from_row(row: &Row) -> Result<DeliveryRow, StoreError> {
    let channel: String = get(row, 2)?;
    Ok(DeliveryRow {
        tenant_id: TenantId(get(row, 0)?),
        id: get(row, 1)?,
        channel: Channel::parse(&channel).ok_or_else(|| StoreError::Other(format!("channel `{channel}`")))?,
        notification_id: get::<Option<Uuid>>(row, 3)?.map(NotificationId),
        webhook_id: get(row, 4)?,
        seq: get::<Option<i64>>(row, 5)?.map(|s| to_u64(s, "seq")).transpose()?,
        payload: get(row, 6)?,
        status: get(row, 7)?,
        attempts: u32::try_from(get::<i32>(row, 8)?).unwrap_or(0),
        next_at: ts(row, 9)?,
        last_error: get(row, 10)?,
        created_at: ts(row, 11)?,
        sent_at: opt_ts(row, 12)?,
    })
}

fn attempt_from_row(row: &Row) -> Result<AttemptRow, StoreError> {
    Ok(AttemptRow {
        attempt: u32::try_from(get::<i32>(row, 0)?).unwrap_or(0),
        at: ts(row, 1)?,
        status_code: get::<Option<i32>>(row, 2)?.and_then(|c| u16::try_from(c).ok()),
        error: get(row, 3)?,
    })
}

fn prefs_from(v: serde_json::Value) -> Result<NotificationPreferences, StoreError> {
    serde_json::from_value(v).map_err(|e| StoreError::Other(format!("stored preferences: {e}")))
}

/// Queues the email of each notification in `created` that wants one, in
/// the append's transaction (their ids are the notifications').
pub(in crate::store::postgres) async fn queue_emails(
    tx: &Transaction<'_>,
    tenant: Uuid,
    created: &[(u64, pt_protocol::Notification)],
) -> Result<(), StoreError> {
    let emails: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> =
        created.iter().filter(|(_, n)| n.email).map(|(_, n)| (n.id.0, n.created_at.to_chrono())).collect();
    if emails.is_empty() {
        return Ok(());
    }
    let (ids, ats): (Vec<Uuid>, Vec<_>) = emails.into_iter().unzip();
    tx.execute(
        "INSERT INTO deliveries (tenant_id, id, channel, notification_id, status, next_at, created_at)
         SELECT $1, u.id, 'email', u.id, 'pending', u.at, u.at FROM UNNEST($2::uuid[], $3::timestamptz[]) AS u(id, at)
         ON CONFLICT DO NOTHING",
        &[&tenant, &ids, &ats],
    )
    .await
    .map_err(map_pg)?;
    tx.execute("INSERT INTO outbox_tenants (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING", &[&tenant])
        .await
        .map_err(map_pg)?;
    Ok(())
}

async fn insert_delivery(tx: &Transaction<'_>, d: &DeliveryRow) -> Result<u64, StoreError> {
    tx.execute(
        &format!(
            "INSERT INTO deliveries ({DELIVERY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             ON CONFLICT DO NOTHING"
        ),
        &[
            &d.tenant_id.0,
            &d.id,
            &d.channel.as_str(),
            &d.notification_id.map(|n| n.0),
            &d.webhook_id,
            &d.seq.map(|s| to_i64(s, "seq")).transpose()?,
            &d.payload,
            &d.status,
            &i32::try_from(d.attempts).unwrap_or(i32::MAX),
            &d.next_at.to_chrono(),
            &d.last_error,
            &d.created_at.to_chrono(),
            &opt_chrono(d.sent_at),
        ],
    )
    .await
    .map_err(map_pg)
}

async fn attempts_of(tx: &Transaction<'_>, tenant: TenantId, id: Uuid) -> Result<Vec<AttemptRow>, StoreError> {
    let rows = tx
        .query(
            "SELECT attempt, at, status_code, error FROM delivery_attempts
             WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt",
            &[&tenant.0, &id],
        )
        .await
        .map_err(map_pg)?;
    rows.iter().map(attempt_from_row).collect()
}

#[async_trait]
impl OutboxStore for PgStore {
    async fn preferences(&self, tenant: TenantId, user: UserId) -> Result<Option<NotificationPreferences>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                "SELECT prefs FROM notification_preferences WHERE tenant_id = $1 AND user_id = $2",
                &[&tenant.0, &user.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.map(|r| prefs_from(get(&r, 0)?)).transpose()
    }

    async fn all_preferences(&self, tenant: TenantId) -> Result<Vec<(UserId, NotificationPreferences)>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query("SELECT user_id, prefs FROM notification_preferences WHERE tenant_id = $1", &[&tenant.0])
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(|r| Ok((UserId(get(r, 0)?), prefs_from(get(r, 1)?)?))).collect()
    }

    async fn save_preferences(
        &self,
        tenant: TenantId,
        user: UserId,
        prefs: &NotificationPreferences,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_value(prefs).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        tx.execute(
            "INSERT INTO notification_preferences (tenant_id, user_id, prefs, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant_id, user_id) DO UPDATE SET prefs = EXCLUDED.prefs, updated_at = EXCLUDED.updated_at",
            &[&tenant.0, &user.0, &json, &at.to_chrono()],
        )
        .await
        .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn insert_webhook(&self, w: &WebhookRow) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, w.tenant_id, false).await?;
        tx.execute(
            &format!("INSERT INTO webhooks ({WEBHOOK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            &[
                &w.tenant_id.0,
                &w.id,
                &w.url,
                &w.events,
                &w.secret,
                &w.created_by.0,
                &w.created_at.to_chrono(),
                &opt_chrono(w.deleted_at),
                &to_i64(w.cursor, "cursor")?,
            ],
        )
        .await
        .map_err(map_pg)?;
        tx.execute("INSERT INTO outbox_tenants (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING", &[&w.tenant_id.0])
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<WebhookRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC"
                ),
                &[&tenant.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(webhook_from_row).collect()
    }

    async fn delete_webhook(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: Timestamp,
    ) -> Result<Option<WebhookRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        let row = tx
            .query_opt(
                &format!(
                    "UPDATE webhooks SET deleted_at = coalesce(deleted_at, $3) WHERE tenant_id = $1 AND id = $2
                     RETURNING {WEBHOOK_COLUMNS}"
                ),
                &[&tenant.0, &id, &at.to_chrono()],
            )
            .await
            .map_err(map_pg)?;
        tx.execute(
            "UPDATE deliveries SET status = 'skipped', last_error = 'the subscription was deleted'
             WHERE tenant_id = $1 AND webhook_id = $2 AND status = 'pending'",
            &[&tenant.0, &id],
        )
        .await
        .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(webhook_from_row).transpose()
    }

    async fn queue_webhook_deliveries(
        &self,
        tenant: TenantId,
        id: Uuid,
        from: u64,
        through: u64,
        deliveries: &[DeliveryRow],
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        let moved = tx
            .execute(
                "UPDATE webhooks SET cursor = $4 WHERE tenant_id = $1 AND id = $2 AND cursor = $3 AND deleted_at IS NULL",
                &[&tenant.0, &id, &to_i64(from, "cursor")?, &to_i64(through, "cursor")?],
            )
            .await
            .map_err(map_pg)?;
        if moved != 1 {
            return Ok(false); // dropping `tx` rolls back
        }
        for d in deliveries {
            insert_delivery(&tx, d).await?;
        }
        tx.commit().await.map_err(map_pg)?;
        Ok(true)
    }

    async fn outbox_tenants(&self) -> Result<Vec<TenantId>, StoreError> {
        let conn = self.conn().await?;
        let rows = conn.query("SELECT tenant_id FROM outbox_tenants ORDER BY 1", &[]).await.map_err(map_pg)?;
        rows.iter().map(|r| Ok(TenantId(get(r, 0)?))).collect()
    }

    async fn due_deliveries(
        &self,
        tenant: TenantId,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries
                     WHERE tenant_id = $1 AND status = 'pending' AND next_at <= $2 ORDER BY next_at, id LIMIT $3"
                ),
                &[&tenant.0, &now.to_chrono(), &i64::from(limit)],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(delivery_from_row).collect()
    }

    async fn record_attempt(
        &self,
        tenant: TenantId,
        delivery: Uuid,
        attempt: Option<&AttemptRow>,
        outcome: Outcome,
    ) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        if let Some(a) = attempt {
            tx.execute(
                "INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, at, status_code, error)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    &tenant.0,
                    &delivery,
                    &i32::try_from(a.attempt).unwrap_or(i32::MAX),
                    &a.at.to_chrono(),
                    &a.status_code.map(i32::from),
                    &a.error,
                ],
            )
            .await
            .map_err(map_pg)?;
        }
        let tried = attempt.map(|a| i32::try_from(a.attempt).unwrap_or(i32::MAX));
        let error = attempt.and_then(|a| a.error.clone());
        let (status, next_at, sent_at) = match outcome {
            Outcome::Sent => ("sent", None, attempt.map(|a| a.at)),
            Outcome::Retry(at) | Outcome::Postponed(at) => ("pending", Some(at), None),
            Outcome::Dead => ("dead", None, None),
            Outcome::Skipped => ("skipped", None, None),
        };
        tx.execute(
            "UPDATE deliveries SET status = $3, attempts = coalesce($4, attempts), next_at = coalesce($5, next_at),
                 last_error = CASE WHEN $3 = 'sent' THEN NULL ELSE coalesce($6, last_error) END,
                 sent_at = coalesce($7, sent_at)
             WHERE tenant_id = $1 AND id = $2",
            &[&tenant.0, &delivery, &status, &tried, &next_at.map(Timestamp::to_chrono), &error, &opt_chrono(sent_at)],
        )
        .await
        .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn webhook_deliveries(
        &self,
        tenant: TenantId,
        webhook: Uuid,
        limit: u32,
    ) -> Result<Vec<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE tenant_id = $1 AND webhook_id = $2
                     ORDER BY created_at DESC, id DESC LIMIT $3"
                ),
                &[&tenant.0, &webhook, &i64::from(limit)],
            )
            .await
            .map_err(map_pg)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let d = delivery_from_row(row)?;
            let tries = attempts_of(&tx, tenant, d.id).await?;
            out.push((d, tries));
        }
        tx.commit().await.map_err(map_pg)?;
        Ok(out)
    }

    async fn delivery(&self, tenant: TenantId, id: Uuid) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE tenant_id = $1 AND id = $2"),
                &[&tenant.0, &id],
            )
            .await
            .map_err(map_pg)?;
        let out = match row {
            Some(r) => Some((delivery_from_row(&r)?, attempts_of(&tx, tenant, id).await?)),
            None => None,
        };
        tx.commit().await.map_err(map_pg)?;
        Ok(out)
    }

    async fn redeliver(&self, tenant: TenantId, id: Uuid, now: Timestamp) -> Result<Option<DeliveryRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        let row = tx
            .query_opt(
                &format!(
                    "UPDATE deliveries SET status = 'pending', next_at = $3, sent_at = NULL WHERE tenant_id = $1 AND id = $2
                     RETURNING {DELIVERY_COLUMNS}"
                ),
                &[&tenant.0, &id, &now.to_chrono()],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(delivery_from_row).transpose()
    }
}
