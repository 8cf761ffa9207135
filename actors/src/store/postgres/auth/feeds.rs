//! Calendar feeds in PostgreSQL ([`FeedStore`]): issued with their hash
//! indexed (kind `feed`), found by hash, listed, revoked (idempotently: the
//! first revocation time stays). Schema: `migrations/0010_studio_admin.sql`.

use super::*;
use crate::store::feeds::{CalendarFeedRow, FeedStore};

const FEED_COLUMNS: &str = "tenant_id, id, artist_id, name, hash, hint, created_by, created_at, revoked_at";

fn feed_from_row(row: &Row) -> Result<CalendarFeedRow, StoreError> {
    Ok(CalendarFeedRow {
        tenant_id: TenantId(get(row, 0)?),
        id: get(row, 1)?,
        artist_id: get::<Option<Uuid>>(row, 2)?.map(ArtistId),
        name: get(row, 3)?,
        hash: hash(row, 4)?,
        hint: get(row, 5)?,
        created_by: UserId(get(row, 6)?),
        created_at: ts(row, 7)?,
        revoked_at: opt_ts(row, 8)?,
    })
}

#[async_trait]
impl FeedStore for PgStore {
    async fn insert_calendar_feed(&self, f: &CalendarFeedRow) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, f.tenant_id, false).await?;
        tx.execute(
            &format!("INSERT INTO calendar_feeds ({FEED_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            &[
                &f.tenant_id.0,
                &f.id,
                &f.artist_id.map(|a| a.0),
                &f.name,
                &f.hash.as_slice(),
                &f.hint,
                &f.created_by.0,
                &f.created_at.to_chrono(),
                &opt_chrono(f.revoked_at),
            ],
        )
        .await
        .map_err(map_pg)?;
        index_token(&tx, &f.hash, "feed", f.tenant_id, None).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn calendar_feed_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<CalendarFeedRow>, StoreError> {
        let mut conn = self.conn().await?;
        let Some((tenant, _)) = indexed(&mut conn, hash, "feed").await? else { return Ok(None) };
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {FEED_COLUMNS} FROM calendar_feeds WHERE tenant_id = $1 AND hash = $2"),
                &[&tenant.0, &hash.as_slice()],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(feed_from_row).transpose()
    }

    async fn calendar_feeds(&self, tenant: TenantId) -> Result<Vec<CalendarFeedRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {FEED_COLUMNS} FROM calendar_feeds WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC"
                ),
                &[&tenant.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(feed_from_row).collect()
    }

    async fn revoke_calendar_feed(
        &self,
        tenant: TenantId,
        id: Uuid,
        at: Timestamp,
    ) -> Result<Option<CalendarFeedRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        let row = tx
            .query_opt(
                &format!(
                    "UPDATE calendar_feeds SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND id = $2
                     RETURNING {FEED_COLUMNS}"
                ),
                &[&tenant.0, &id, &at.to_chrono()],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(feed_from_row).transpose()
    }
}
