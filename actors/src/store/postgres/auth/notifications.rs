//! Notifications in PostgreSQL ([`NotificationStore`]): written by `append`
//! from the batch's notification events (in its transaction), read one inbox
//! at a time under the tenant's row-level security. Schema:
//! `migrations/0013_notifications.sql`.

use super::*;
use crate::store::notifications::{InboxQuery, NotificationStore, NotificationWrites, UnreadAmong};
use pt_protocol::notification::{Notification, NotificationId, NotificationKind};

const COLUMNS: &str = "id, user_id, kind, title, body, booking_id, artist_id, actor, created_at, read_at, email";

fn from_row(row: &Row) -> Result<Notification, StoreError> {
    let kind: String = get(row, 2)?;
    Ok(Notification {
        id: NotificationId(get(row, 0)?),
        user_id: UserId(get(row, 1)?),
        kind: NotificationKind::parse(&kind)
            .ok_or_else(|| StoreError::Other(format!("unknown notification kind `{kind}`")))?,
        title: get(row, 3)?,
        body: get(row, 4)?,
        booking_id: get::<Option<Uuid>>(row, 5)?.map(pt_protocol::BookingId),
        artist_id: get::<Option<Uuid>>(row, 6)?.map(ArtistId),
        by: get(row, 7)?,
        created_at: ts(row, 8)?,
        read_at: opt_ts(row, 9)?,
        email: get(row, 10)?,
    })
}

const INSERT: &str = "\
INSERT INTO notifications (tenant_id, id, user_id, kind, title, body, booking_id, artist_id, actor, created_at, seq,
                           email, read_at)
SELECT $1::uuid, u.* FROM UNNEST($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[],
                                 $9::text[], $10::timestamptz[], $11::bigint[], $12::bool[], $13::timestamptz[]) AS u
ON CONFLICT (tenant_id, id) DO NOTHING";

const MARK_READ: &str = "\
UPDATE notifications SET read_at = $4
WHERE tenant_id = $1 AND user_id = $2 AND id = ANY($3::uuid[]) AND read_at IS NULL";

/// The batch's notification rows, in its transaction (nothing to do for
/// the batches of most commands, which tell nobody).
pub(in crate::store::postgres) async fn write(
    tx: &Transaction<'_>,
    tenant: Uuid,
    w: &NotificationWrites,
) -> Result<(), StoreError> {
    if !w.created.is_empty() {
        let n = w.created.len();
        let (mut ids, mut users, mut kinds, mut titles, mut bodies) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        let (mut bookings, mut artists, mut actors, mut ats, mut seqs) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (seq, x) in &w.created {
            ids.push(x.id.0);
            users.push(x.user_id.0);
            kinds.push(x.kind.as_str());
            titles.push(x.title.as_str());
            bodies.push(x.body.as_str());
            bookings.push(x.booking_id.map(|b| b.0));
            artists.push(x.artist_id.map(|a| a.0));
            actors.push(x.by.as_str());
            ats.push(x.created_at.to_chrono());
            seqs.push(to_i64(*seq, "seq")?);
        }
        let emails: Vec<bool> = w.created.iter().map(|(_, n)| n.email).collect();
        let reads: Vec<Option<chrono::DateTime<chrono::Utc>>> =
            w.created.iter().map(|(_, n)| opt_chrono(n.read_at)).collect();
        tx.execute(
            INSERT,
            &[
                &tenant, &ids, &users, &kinds, &titles, &bodies, &bookings, &artists, &actors, &ats, &seqs, &emails,
                &reads,
            ],
        )
        .await
        .map_err(map_pg)?;
        super::queue_emails(tx, tenant, &w.created).await?;
    }
    for (user, ids, at) in &w.read {
        let ids: Vec<Uuid> = ids.iter().map(|i| i.0).collect();
        tx.execute(MARK_READ, &[&tenant, &user.0, &ids, &at.to_chrono()]).await.map_err(map_pg)?;
    }
    Ok(())
}

#[async_trait]
impl NotificationStore for PgStore {
    async fn notifications(
        &self,
        tenant: TenantId,
        user: UserId,
        q: InboxQuery,
    ) -> Result<Vec<Notification>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM notifications
                     WHERE tenant_id = $1 AND user_id = $2 AND ($3::uuid IS NULL OR id < $3)
                       AND (NOT $4 OR read_at IS NULL)
                     ORDER BY id DESC LIMIT $5"
                ),
                &[&tenant.0, &user.0, &q.before.map(|b| b.0), &q.unread_only, &i64::from(q.limit)],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(from_row).collect()
    }

    async fn notification(&self, tenant: TenantId, id: NotificationId) -> Result<Option<Notification>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {COLUMNS} FROM notifications WHERE tenant_id = $1 AND id = $2"),
                &[&tenant.0, &id.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(from_row).transpose()
    }

    async fn reminder_ids(&self, tenant: TenantId, since: Timestamp) -> Result<Vec<NotificationId>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                "SELECT id FROM notifications WHERE tenant_id = $1
                   AND kind IN ('holdExpiring', 'challengeDeadline') AND created_at >= $2",
                &[&tenant.0, &since.to_chrono()],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(|r| Ok(NotificationId(get(r, 0)?))).collect()
    }

    async fn unread_count(&self, tenant: TenantId, user: UserId) -> Result<u64, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let n: i64 = tx
            .query_one(
                "SELECT count(*) FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL",
                &[&tenant.0, &user.0],
            )
            .await
            .map_err(map_pg)?
            .try_get(0)
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        to_u64(n, "count")
    }

    async fn unread_among(
        &self,
        tenant: TenantId,
        user: UserId,
        ids: Option<&[NotificationId]>,
    ) -> Result<UnreadAmong, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let named: Option<Vec<Uuid>> = ids.map(|ids| ids.iter().map(|i| i.0).collect());
        let rows = tx
            .query(
                "SELECT id, read_at IS NULL FROM notifications
                 WHERE tenant_id = $1 AND user_id = $2 AND ($3::uuid[] IS NULL OR id = ANY($3))
                   AND ($3::uuid[] IS NOT NULL OR read_at IS NULL)
                 ORDER BY id",
                &[&tenant.0, &user.0, &named],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        let mut found = UnreadAmong::default();
        let mut mine = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = NotificationId(get(row, 0)?);
            mine.push(id);
            if get::<bool>(row, 1)? {
                found.unread.push(id);
            }
        }
        if let Some(ids) = ids {
            found.unknown = ids.iter().filter(|i| !mine.contains(i)).copied().collect();
        }
        Ok(found)
    }
}
