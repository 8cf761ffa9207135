//! The outbox in the embedded store ([`OutboxStore`]): preferences, webhook
//! subscriptions, deliveries and their tries. Schema:
//! `migrations/sqlite/0007_notifications.sql`.

use super::*;
use crate::store::outbox::{AttemptRow, Channel, DeliveryRow, OutboxStore, Outcome, WebhookRow};
use pt_protocol::notification::{NotificationId, NotificationPreferences};
use rusqlite::Row;

const WEBHOOK_COLUMNS: &str = "tenant_id, id, url, events, secret, created_by, created_at, deleted_at, cursor";
const DELIVERY_COLUMNS: &str = "tenant_id, id, channel, notification_id, webhook_id, seq, payload, status, attempts, \
                                next_at, last_error, created_at, sent_at";

fn conversion(i: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, what.into())
}

fn webhook_from_row(row: &Row<'_>) -> rusqlite::Result<WebhookRow> {
    let events: String = row.get(3)?;
    Ok(WebhookRow {
        tenant_id: TenantId(id(row, 0)?),
        id: id(row, 1)?,
        url: row.get(2)?,
        events: serde_json::from_str(&events).map_err(|e| conversion(3, e.to_string()))?,
        secret: row.get(4)?,
        created_by: UserId(id(row, 5)?),
        created_at: ts(row, 6)?,
        deleted_at: opt_ts(row, 7)?,
        cursor: row.get::<_, i64>(8)?.max(0) as u64,
    })
}

fn delivery_from_row(row: &Row<'_>) -> rusqlite::Result<DeliveryRow> {
    let channel: String = row.get(2)?;
    let payload: Option<String> = row.get(6)?;
    Ok(DeliveryRow {
        tenant_id: TenantId(id(row, 0)?),
        id: id(row, 1)?,
        channel: Channel::parse(&channel).ok_or_else(|| conversion(2, channel.clone()))?,
        notification_id: opt_id(row, 3)?.map(NotificationId),
        webhook_id: opt_id(row, 4)?,
        seq: row.get::<_, Option<i64>>(5)?.map(|s| s.max(0) as u64),
        payload: payload.map(|p| serde_json::from_str(&p)).transpose().map_err(|e| conversion(6, e.to_string()))?,
        status: row.get(7)?,
        attempts: row.get::<_, i64>(8)?.clamp(0, i64::from(u32::MAX)) as u32,
        next_at: ts(row, 9)?,
        last_error: row.get(10)?,
        created_at: ts(row, 11)?,
        sent_at: opt_ts(row, 12)?,
    })
}

fn attempt_from_row(row: &Row<'_>) -> rusqlite::Result<AttemptRow> {
    Ok(AttemptRow {
        attempt: row.get::<_, i64>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
        at: ts(row, 1)?,
        status_code: row.get::<_, Option<i64>>(2)?.and_then(|c| u16::try_from(c).ok()),
        error: row.get(3)?,
    })
}

/// Queues the email of each notification in `created` that wants one, in
/// the append's transaction (their ids are the notifications').
pub(in crate::store::sqlite) fn queue_emails(
    tx: &rusqlite::Transaction<'_>,
    tenant: [u8; 16],
    created: &[(u64, pt_protocol::Notification)],
) -> Result<(), StoreError> {
    let mut queued = false;
    for (_, n) in created.iter().filter(|(_, n)| n.email) {
        tx.prepare_cached(
            "INSERT INTO deliveries (tenant_id, id, channel, notification_id, status, next_at, created_at)
             VALUES (?1, ?2, 'email', ?2, 'pending', ?3, ?3) ON CONFLICT DO NOTHING",
        )
        .and_then(|mut st| st.execute(params![tenant, n.id.0.into_bytes(), n.created_at.micros()]))
        .map_err(map_sqlite)?;
        queued = true;
    }
    if queued {
        tx.execute("INSERT INTO outbox_tenants (tenant_id) VALUES (?1) ON CONFLICT DO NOTHING", [tenant])
            .map_err(map_sqlite)?;
    }
    Ok(())
}

fn insert_delivery(tx: &rusqlite::Transaction<'_>, d: &DeliveryRow) -> Result<(), StoreError> {
    let payload = d.payload.as_ref().map(serde_json::Value::to_string);
    tx.execute(
        &format!(
            "INSERT INTO deliveries ({DELIVERY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT DO NOTHING"
        ),
        params![
            d.tenant_id.0.into_bytes(),
            d.id.into_bytes(),
            d.channel.as_str(),
            d.notification_id.map(|n| n.0.into_bytes()),
            d.webhook_id.map(|w| w.into_bytes()),
            d.seq.map(|s| s as i64),
            payload,
            d.status,
            i64::from(d.attempts),
            d.next_at.micros(),
            d.last_error,
            d.created_at.micros(),
            micros(d.sent_at)
        ],
    )
    .map_err(map_sqlite)?;
    Ok(())
}

fn attempts_of(conn: &Connection, tenant: TenantId, delivery: Uuid) -> Result<Vec<AttemptRow>, StoreError> {
    all(
        conn,
        "SELECT attempt, at, status_code, error FROM delivery_attempts
         WHERE tenant_id = ?1 AND delivery_id = ?2 ORDER BY attempt",
        params![tenant.0.into_bytes(), delivery.into_bytes()],
        attempt_from_row,
    )
}

fn prefs_from(text: &str) -> rusqlite::Result<NotificationPreferences> {
    serde_json::from_str(text).map_err(|e| conversion(0, e.to_string()))
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn preferences(&self, tenant: TenantId, user: UserId) -> Result<Option<NotificationPreferences>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                "SELECT prefs FROM notification_preferences WHERE tenant_id = ?1 AND user_id = ?2",
                params![tenant.0.into_bytes(), user.0.into_bytes()],
                |r| prefs_from(&r.get::<_, String>(0)?),
            )
        })
        .await
    }

    async fn all_preferences(&self, tenant: TenantId) -> Result<Vec<(UserId, NotificationPreferences)>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT user_id, prefs FROM notification_preferences WHERE tenant_id = ?1",
                [tenant.0.into_bytes()],
                |r| Ok((UserId(id(r, 0)?), prefs_from(&r.get::<_, String>(1)?)?)),
            )
        })
        .await
    }

    async fn save_preferences(
        &self,
        tenant: TenantId,
        user: UserId,
        prefs: &NotificationPreferences,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(prefs).map_err(|e| StoreError::Other(e.to_string()))?;
        self.write(move |conn| {
            conn.execute(
                "INSERT INTO notification_preferences (tenant_id, user_id, prefs, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id, user_id) DO UPDATE SET prefs = excluded.prefs, updated_at = excluded.updated_at",
                params![tenant.0.into_bytes(), user.0.into_bytes(), json, at.micros()],
            )
            .map_err(map_sqlite)?;
            Ok(())
        })
        .await
    }

    async fn insert_webhook(&self, w: &WebhookRow) -> Result<(), StoreError> {
        let w = w.clone();
        let events = serde_json::to_string(&w.events).map_err(|e| StoreError::Other(e.to_string()))?;
        self.write(move |conn| {
            let tx = immediate(conn).map_err(map_sqlite)?;
            tx.execute(
                &format!("INSERT INTO webhooks ({WEBHOOK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![
                    w.tenant_id.0.into_bytes(),
                    w.id.into_bytes(),
                    w.url,
                    events,
                    w.secret,
                    w.created_by.0.into_bytes(),
                    w.created_at.micros(),
                    micros(w.deleted_at),
                    w.cursor as i64
                ],
            )
            .map_err(map_sqlite)?;
            tx.execute(
                "INSERT INTO outbox_tenants (tenant_id) VALUES (?1) ON CONFLICT DO NOTHING",
                [w.tenant_id.0.into_bytes()],
            )
            .map_err(map_sqlite)?;
            tx.commit().map_err(map_sqlite)
        })
        .await
    }

    async fn webhooks(&self, tenant: TenantId) -> Result<Vec<WebhookRow>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                &format!(
                    "SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = ?1 ORDER BY created_at DESC, id DESC"
                ),
                [tenant.0.into_bytes()],
                webhook_from_row,
            )
        })
        .await
    }

    async fn delete_webhook(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: Timestamp,
    ) -> Result<Option<WebhookRow>, StoreError> {
        self.write(move |conn| {
            let tx = immediate(conn).map_err(map_sqlite)?;
            let row = one(
                &tx,
                &format!(
                    "UPDATE webhooks SET deleted_at = coalesce(deleted_at, ?3) WHERE tenant_id = ?1 AND id = ?2
                     RETURNING {WEBHOOK_COLUMNS}"
                ),
                params![tenant.0.into_bytes(), id.into_bytes(), at.micros()],
                webhook_from_row,
            )?;
            tx.execute(
                "UPDATE deliveries SET status = 'skipped', last_error = 'the subscription was deleted'
                 WHERE tenant_id = ?1 AND webhook_id = ?2 AND status = 'pending'",
                params![tenant.0.into_bytes(), id.into_bytes()],
            )
            .map_err(map_sqlite)?;
            tx.commit().map_err(map_sqlite)?;
            Ok(row)
        })
        .await
    }

    async fn queue_webhook_deliveries(
        &self,
        tenant: TenantId,
        id: Uuid,
        from: u64,
        through: u64,
        deliveries: &[DeliveryRow],
    ) -> Result<bool, StoreError> {
        let deliveries = deliveries.to_vec();
        self.write(move |conn| {
            let tx = immediate(conn).map_err(map_sqlite)?;
            let moved = tx
                .execute(
                    "UPDATE webhooks SET cursor = ?4
                     WHERE tenant_id = ?1 AND id = ?2 AND cursor = ?3 AND deleted_at IS NULL",
                    params![tenant.0.into_bytes(), id.into_bytes(), from as i64, through as i64],
                )
                .map_err(map_sqlite)?;
            if moved != 1 {
                return Ok(false);
            }
            for d in &deliveries {
                insert_delivery(&tx, d)?;
            }
            tx.commit().map_err(map_sqlite)?;
            Ok(true)
        })
        .await
    }

    async fn outbox_tenants(&self) -> Result<Vec<TenantId>, StoreError> {
        self.read(|conn| all(conn, "SELECT tenant_id FROM outbox_tenants ORDER BY 1", [], |r| Ok(TenantId(id(r, 0)?))))
            .await
    }

    async fn due_deliveries(
        &self,
        tenant: TenantId,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries
                     WHERE tenant_id = ?1 AND status = 'pending' AND next_at <= ?2 ORDER BY next_at, id LIMIT ?3"
                ),
                params![tenant.0.into_bytes(), now.micros(), i64::from(limit)],
                delivery_from_row,
            )
        })
        .await
    }

    async fn record_attempt(
        &self,
        tenant: TenantId,
        delivery: Uuid,
        attempt: Option<&AttemptRow>,
        outcome: Outcome,
    ) -> Result<(), StoreError> {
        let attempt = attempt.cloned();
        self.write(move |conn| {
            let tx = immediate(conn).map_err(map_sqlite)?;
            let (t, d) = (tenant.0.into_bytes(), delivery.into_bytes());
            if let Some(a) = &attempt {
                tx.execute(
                    "INSERT INTO delivery_attempts (tenant_id, delivery_id, attempt, at, status_code, error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                    params![t, d, i64::from(a.attempt), a.at.micros(), a.status_code.map(i64::from), a.error],
                )
                .map_err(map_sqlite)?;
            }
            let (status, next_at, sent_at) = match outcome {
                Outcome::Sent => ("sent", None, attempt.as_ref().map(|a| a.at.micros())),
                Outcome::Retry(at) | Outcome::Postponed(at) => ("pending", Some(at.micros()), None),
                Outcome::Dead => ("dead", None, None),
                Outcome::Skipped => ("skipped", None, None),
            };
            tx.execute(
                "UPDATE deliveries SET status = ?3, attempts = coalesce(?4, attempts), next_at = coalesce(?5, next_at),
                     last_error = CASE WHEN ?3 = 'sent' THEN NULL ELSE coalesce(?6, last_error) END,
                     sent_at = coalesce(?7, sent_at)
                 WHERE tenant_id = ?1 AND id = ?2",
                params![
                    t,
                    d,
                    status,
                    attempt.as_ref().map(|a| i64::from(a.attempt)),
                    next_at,
                    attempt.as_ref().and_then(|a| a.error.clone()),
                    sent_at
                ],
            )
            .map_err(map_sqlite)?;
            tx.commit().map_err(map_sqlite)
        })
        .await
    }

    async fn webhook_deliveries(
        &self,
        tenant: TenantId,
        webhook: Uuid,
        limit: u32,
    ) -> Result<Vec<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        self.read(move |conn| {
            let rows = all(
                conn,
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE tenant_id = ?1 AND webhook_id = ?2
                     ORDER BY created_at DESC, id DESC LIMIT ?3"
                ),
                params![tenant.0.into_bytes(), webhook.into_bytes(), i64::from(limit)],
                delivery_from_row,
            )?;
            rows.into_iter()
                .map(|d| {
                    let tries = attempts_of(conn, tenant, d.id)?;
                    Ok((d, tries))
                })
                .collect()
        })
        .await
    }

    async fn delivery(&self, tenant: TenantId, id: Uuid) -> Result<Option<(DeliveryRow, Vec<AttemptRow>)>, StoreError> {
        self.read(move |conn| {
            let row = one(
                conn,
                &format!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE tenant_id = ?1 AND id = ?2"),
                params![tenant.0.into_bytes(), id.into_bytes()],
                delivery_from_row,
            )?;
            row.map(|d| Ok((d, attempts_of(conn, tenant, id)?))).transpose()
        })
        .await
    }

    async fn redeliver(&self, tenant: TenantId, id: Uuid, now: Timestamp) -> Result<Option<DeliveryRow>, StoreError> {
        self.write(move |conn| {
            one(
                conn,
                &format!(
                    "UPDATE deliveries SET status = 'pending', next_at = ?3, sent_at = NULL WHERE tenant_id = ?1 AND id = ?2
                     RETURNING {DELIVERY_COLUMNS}"
                ),
                params![tenant.0.into_bytes(), id.into_bytes(), now.micros()],
                delivery_from_row,
            )
        })
        .await
    }
}
