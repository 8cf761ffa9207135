//! Point reads and the tenant row: command outcomes (dedup after a
//! restart), event history, and one entity's durable state (the writer's
//! revert path), each in a read-only tenant transaction.

use super::*;

pub(super) async fn ensure_tenant(store: &PgStore, tenant: TenantId, name: &str) -> Result<(), StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, false).await?;
    tx.execute("INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", &[&tenant.0, &name])
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)
}

pub(super) async fn command_ids(store: &PgStore, tenant: TenantId) -> Result<Vec<CmdId>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let rows = tx.query("SELECT cmd_id FROM commands WHERE tenant_id = $1", &[&tenant.0]).await.map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    rows.iter().map(|r| r.try_get::<_, Uuid>(0).map(CmdId).map_err(map_pg)).collect()
}

pub(super) async fn find_command(
    store: &PgStore,
    tenant: TenantId,
    cmd_id: CmdId,
) -> Result<Option<StoredCommand>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            "SELECT request_hash, first_seq, last_seq, outcome FROM commands WHERE tenant_id = $1 AND cmd_id = $2",
            &[&tenant.0, &cmd_id.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(StoredCommand {
        cmd_id,
        request_hash: row.try_get::<_, i64>("request_hash").map_err(map_pg)? as u64,
        first_seq: to_u64(row.try_get("first_seq").map_err(map_pg)?, "seq")?,
        last_seq: to_u64(row.try_get("last_seq").map_err(map_pg)?, "seq")?,
        outcome: row.try_get("outcome").map_err(map_pg)?,
    }))
}

pub(super) async fn entity_events(
    store: &PgStore,
    tenant: TenantId,
    entity: Uuid,
) -> Result<Vec<EventEnvelope>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let rows = tx
        .query(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = $1 AND entity_id = $2 ORDER BY seq"),
            &[&tenant.0, &entity],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    rows.iter().map(event_from_row).collect()
}

pub(super) async fn events_since(
    store: &PgStore,
    tenant: TenantId,
    after: u64,
    limit: usize,
) -> Result<Vec<EventEnvelope>, StoreError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let rows = tx
        .query(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"),
            &[&tenant.0, &after, &limit],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    rows.iter().map(event_from_row).collect()
}

pub(super) async fn load_booking(
    store: &PgStore,
    tenant: TenantId,
    id: BookingId,
) -> Result<Option<Booking>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            &format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 AND id = $2"),
            &[&tenant.0, &id.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(booking_from_row).transpose()
}

pub(super) async fn load_artist(store: &PgStore, tenant: TenantId, id: ArtistId) -> Result<Option<Artist>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            &format!("SELECT {ARTIST_COLUMNS} FROM artists WHERE tenant_id = $1 AND id = $2"),
            &[&tenant.0, &id.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(artist_from_row).transpose()
}
