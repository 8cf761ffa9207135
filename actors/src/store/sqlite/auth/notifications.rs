//! Notifications in the embedded store ([`NotificationStore`]): written by
//! `append` from the batch's notification events (in its transaction), read
//! one inbox at a time. Schema: `migrations/sqlite/0007_notifications.sql`.

use super::*;
use crate::store::notifications::{InboxQuery, NotificationStore, NotificationWrites, UnreadAmong};
use pt_protocol::notification::{Notification, NotificationId, NotificationKind};
use rusqlite::Row;

const COLUMNS: &str = "id, user_id, kind, title, body, booking_id, artist_id, actor, created_at, read_at, email";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Notification> {
    let kind: String = row.get(2)?;
    let kind = NotificationKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, format!("kind `{kind}`").into())
    })?;
    Ok(Notification {
        id: NotificationId(id(row, 0)?),
        user_id: UserId(id(row, 1)?),
        kind,
        title: row.get(3)?,
        body: row.get(4)?,
        booking_id: opt_id(row, 5)?.map(pt_protocol::BookingId),
        artist_id: opt_id(row, 6)?.map(ArtistId),
        by: row.get(7)?,
        created_at: ts(row, 8)?,
        read_at: opt_ts(row, 9)?,
        email: row.get(10)?,
    })
}

const INSERT: &str = "\
INSERT INTO notifications (tenant_id, id, user_id, kind, title, body, booking_id, artist_id, actor, created_at, seq,
                           email, read_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT (tenant_id, id) DO NOTHING";

const MARK_READ: &str = "\
UPDATE notifications SET read_at = ?4 WHERE tenant_id = ?1 AND user_id = ?2 AND id = ?3 AND read_at IS NULL";

/// The batch's notification rows, in its transaction.
pub(in crate::store::sqlite) fn write(
    tx: &rusqlite::Transaction<'_>,
    tenant: [u8; 16],
    w: &NotificationWrites,
) -> Result<(), StoreError> {
    if w.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare_cached(INSERT).map_err(map_sqlite)?;
    for (seq, n) in &w.created {
        insert
            .execute(params![
                tenant,
                n.id.0.into_bytes(),
                n.user_id.0.into_bytes(),
                n.kind.as_str(),
                n.title,
                n.body,
                n.booking_id.map(|b| b.0.into_bytes()),
                n.artist_id.map(|a| a.0.into_bytes()),
                n.by,
                n.created_at.micros(),
                i64::try_from(*seq).map_err(|_| StoreError::Other("seq beyond i64".into()))?,
                n.email,
                micros(n.read_at),
            ])
            .map_err(map_sqlite)?;
    }
    super::queue_emails(tx, tenant, &w.created)?;
    let mut mark = tx.prepare_cached(MARK_READ).map_err(map_sqlite)?;
    for (user, ids, at) in &w.read {
        for i in ids.iter() {
            mark.execute(params![tenant, user.0.into_bytes(), i.0.into_bytes(), at.micros()]).map_err(map_sqlite)?;
        }
    }
    Ok(())
}

#[async_trait]
impl NotificationStore for SqliteStore {
    async fn notifications(
        &self,
        tenant: TenantId,
        user: UserId,
        q: InboxQuery,
    ) -> Result<Vec<Notification>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                &format!(
                    "SELECT {COLUMNS} FROM notifications
                     WHERE tenant_id = ?1 AND user_id = ?2 AND (?3 IS NULL OR id < ?3) AND (NOT ?4 OR read_at IS NULL)
                     ORDER BY id DESC LIMIT ?5"
                ),
                params![
                    tenant.0.into_bytes(),
                    user.0.into_bytes(),
                    q.before.map(|b| b.0.into_bytes()),
                    q.unread_only,
                    i64::from(q.limit)
                ],
                from_row,
            )
        })
        .await
    }

    async fn notification(&self, tenant: TenantId, id: NotificationId) -> Result<Option<Notification>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                &format!("SELECT {COLUMNS} FROM notifications WHERE tenant_id = ?1 AND id = ?2"),
                params![tenant.0.into_bytes(), id.0.into_bytes()],
                from_row,
            )
        })
        .await
    }

    async fn reminder_ids(&self, tenant: TenantId, since: Timestamp) -> Result<Vec<NotificationId>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                "SELECT id FROM notifications WHERE tenant_id = ?1
                   AND kind IN ('holdExpiring', 'challengeDeadline') AND created_at >= ?2",
                params![tenant.0.into_bytes(), since.micros()],
                |r| Ok(NotificationId(id(r, 0)?)),
            )
        })
        .await
    }

    async fn unread_count(&self, tenant: TenantId, user: UserId) -> Result<u64, StoreError> {
        self.read(move |conn| {
            let n: Option<i64> = one(
                conn,
                "SELECT count(*) FROM notifications WHERE tenant_id = ?1 AND user_id = ?2 AND read_at IS NULL",
                params![tenant.0.into_bytes(), user.0.into_bytes()],
                |r| r.get(0),
            )?;
            Ok(n.unwrap_or(0).max(0) as u64)
        })
        .await
    }

    async fn unread_among(
        &self,
        tenant: TenantId,
        user: UserId,
        ids: Option<&[NotificationId]>,
    ) -> Result<UnreadAmong, StoreError> {
        let named: Option<Vec<NotificationId>> = ids.map(<[NotificationId]>::to_vec);
        self.read(move |conn| {
            let rows: Vec<(Uuid, bool)> = all(
                conn,
                "SELECT id, read_at IS NULL FROM notifications WHERE tenant_id = ?1 AND user_id = ?2 ORDER BY id",
                params![tenant.0.into_bytes(), user.0.into_bytes()],
                |r| Ok((id(r, 0)?, r.get(1)?)),
            )?;
            let mut found = UnreadAmong::default();
            match &named {
                None => found.unread = rows.iter().filter(|(_, u)| *u).map(|(i, _)| NotificationId(*i)).collect(),
                Some(named) => {
                    for n in named {
                        match rows.iter().find(|(i, _)| *i == n.0) {
                            Some((_, true)) => found.unread.push(*n),
                            Some((_, false)) => {}
                            None => found.unknown.push(*n),
                        }
                    }
                }
            }
            Ok(found)
        })
        .await
    }
}
