//! Calendar feeds in the embedded store ([`FeedStore`]): issued with their
//! hash indexed (kind `feed`), found by hash in one join, listed, revoked
//! (idempotently). Schema: `migrations/sqlite/0005_studio_admin.sql`.

use super::*;
use crate::store::feeds::{CalendarFeedRow, FeedStore};
use rusqlite::Row;

const FEED_COLUMNS: &str = "tenant_id, id, artist_id, name, hash, hint, created_by, created_at, revoked_at";

fn feed_from_row(row: &Row<'_>) -> rusqlite::Result<CalendarFeedRow> {
    Ok(CalendarFeedRow {
        tenant_id: TenantId(id(row, 0)?),
        id: id(row, 1)?,
        artist_id: opt_id(row, 2)?.map(ArtistId),
        name: row.get(3)?,
        hash: row.get(4)?,
        hint: row.get(5)?,
        created_by: UserId(id(row, 6)?),
        created_at: ts(row, 7)?,
        revoked_at: opt_ts(row, 8)?,
    })
}

fn insert(conn: &mut Connection, f: &CalendarFeedRow) -> Result<(), StoreError> {
    let tx = immediate(conn).map_err(map_sqlite)?;
    tx.execute(
        &format!("INSERT INTO calendar_feeds ({FEED_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            f.tenant_id.0.into_bytes(),
            f.id.into_bytes(),
            f.artist_id.map(|a| a.0.into_bytes()),
            f.name,
            f.hash,
            f.hint,
            f.created_by.0.into_bytes(),
            f.created_at.micros(),
            micros(f.revoked_at)
        ],
    )
    .map_err(map_sqlite)?;
    index_token(&tx, &f.hash, "feed", f.tenant_id, None).map_err(map_sqlite)?;
    tx.commit().map_err(map_sqlite)
}

#[async_trait]
impl FeedStore for SqliteStore {
    async fn insert_calendar_feed(&self, feed: &CalendarFeedRow) -> Result<(), StoreError> {
        let f = feed.clone();
        self.write(move |conn| insert(conn, &f)).await
    }

    async fn calendar_feed_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<CalendarFeedRow>, StoreError> {
        let hash = *hash;
        self.read(move |conn| {
            one(
                conn,
                &format!(
                    "SELECT {} FROM auth_token_index i
                     JOIN calendar_feeds f ON f.tenant_id = i.tenant_id AND f.hash = i.hash
                     WHERE i.hash = ?1 AND i.kind = 'feed'",
                    qualified("f", FEED_COLUMNS)
                ),
                [hash],
                feed_from_row,
            )
        })
        .await
    }

    async fn calendar_feeds(&self, tenant: TenantId) -> Result<Vec<CalendarFeedRow>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                &format!(
                    "SELECT {FEED_COLUMNS} FROM calendar_feeds WHERE tenant_id = ?1 ORDER BY created_at DESC, id DESC"
                ),
                [tenant.0.into_bytes()],
                feed_from_row,
            )
        })
        .await
    }

    async fn revoke_calendar_feed(
        &self,
        tenant: TenantId,
        feed: Uuid,
        at: Timestamp,
    ) -> Result<Option<CalendarFeedRow>, StoreError> {
        self.write(move |conn| {
            one(
                conn,
                &format!(
                    "UPDATE calendar_feeds SET revoked_at = coalesce(revoked_at, ?3) WHERE tenant_id = ?1 AND id = ?2
                     RETURNING {FEED_COLUMNS}"
                ),
                params![tenant.0.into_bytes(), feed.into_bytes(), at.micros()],
                feed_from_row,
            )
        })
        .await
    }
}
