//! Activating a tenant (the newest snapshot, or the projection tables) and
//! taking snapshots.

use super::*;

/// Snapshots kept per tenant: the newest, and one before it.
const KEEP_SNAPSHOTS: i64 = 2;

/// The newest snapshot, if it decodes and agrees with its `seq` column. An
/// unreadable one is logged and ignored: the projections hold the same state.
pub(super) async fn newest_snapshot(tx: &Transaction<'_>, tenant: TenantId) -> Result<Option<TenantState>, StoreError> {
    let Some(row) = tx
        .query_opt("SELECT seq, payload FROM snapshots WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1", &[&tenant.0])
        .await
        .map_err(map_pg)?
    else {
        return Ok(None);
    };
    let seq: i64 = row.try_get("seq").map_err(map_pg)?;
    let payload: &[u8] = row.try_get("payload").map_err(map_pg)?;
    match snapshot::decode(payload) {
        Ok(state) if i64::try_from(state.last_seq) == Ok(seq) => Ok(Some(state)),
        Ok(state) => {
            tracing::warn!(%tenant, seq, inner_seq = state.last_seq, "ignoring a misfiled snapshot; loading projections");
            Ok(None)
        }
        Err(e) => {
            tracing::warn!(%tenant, seq, error = %e, "ignoring an unreadable snapshot; loading projections");
            Ok(None)
        }
    }
}

/// The tenant's state from the projection tables and the end of its log.
pub(super) async fn load_projections(tx: &Transaction<'_>, tenant: TenantId) -> Result<TenantState, StoreError> {
    let artists = tx
        .query(&format!("SELECT {ARTIST_COLUMNS} FROM artists WHERE tenant_id = $1 ORDER BY id"), &[&tenant.0])
        .await
        .map_err(map_pg)?;
    let bookings = tx
        .query(&format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE tenant_id = $1 ORDER BY id"), &[&tenant.0])
        .await
        .map_err(map_pg)?;
    let last_seq: i64 = tx
        .query_one("SELECT coalesce(max(seq), 0) FROM events WHERE tenant_id = $1", &[&tenant.0])
        .await
        .map_err(map_pg)?
        .try_get(0)
        .map_err(map_pg)?;
    let plan = super::plan_read::plan_rows(tx, tenant, None).await?;
    Ok(TenantState {
        artists: artists.iter().map(artist_from_row).collect::<Result<_, _>>()?,
        bookings: bookings.iter().map(booking_from_row).collect::<Result<_, _>>()?,
        projects: plan.projects,
        phases: plan.phases,
        dependencies: plan.dependencies,
        milestones: plan.milestones,
        last_seq: to_u64(last_seq, "seq")?,
    })
}

pub(super) async fn save_snapshot(store: &PgStore, tenant: TenantId, state: &TenantState) -> Result<(), StoreError> {
    let payload = snapshot::encode(state)?;
    let seq = to_i64(state.last_seq, "seq")?;
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, false).await?;
    tx.execute(
        "INSERT INTO snapshots (tenant_id, seq, payload) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, seq) DO UPDATE SET payload = EXCLUDED.payload, taken_at = now()",
        &[&tenant.0, &seq, &payload],
    )
    .await
    .map_err(map_pg)?;
    tx.execute(
        "DELETE FROM snapshots WHERE tenant_id = $1 AND seq NOT IN
             (SELECT seq FROM snapshots WHERE tenant_id = $1 ORDER BY seq DESC LIMIT $2)",
        &[&tenant.0, &KEEP_SNAPSHOTS],
    )
    .await
    .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    conn.retire();
    Ok(())
}

pub(super) async fn snapshot_seq(store: &PgStore, tenant: TenantId) -> Result<u64, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let seq: i64 = tx
        .query_one("SELECT coalesce(max(seq), 0) FROM snapshots WHERE tenant_id = $1", &[&tenant.0])
        .await
        .map_err(map_pg)?
        .try_get(0)
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    to_u64(seq, "seq")
}

pub(super) async fn load_tenant(store: &PgStore, tenant: TenantId) -> Result<TenantState, StoreError> {
    let mut conn = store.conn().await?;
    // Wait for any write transaction of this tenant still in flight — one
    // from a server that was killed after sending COMMIT completes on its
    // own — so the state read below includes it. A session lock taken
    // before the REPEATABLE READ snapshot (which starts at the first
    // statement inside the transaction, and would predate the wait).
    conn.execute(TENANT_LOCK, &[&tenant.to_string()]).await.map_err(map_pg)?;
    let state = async {
        // One REPEATABLE READ snapshot: the snapshot row, its tail (or the
        // projections) and the log's end all describe the same commit.
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let state = match newest_snapshot(&tx, tenant).await? {
            Some(mut state) => {
                let tail = tx
                    .query(
                        &format!("SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = $1 AND seq > $2 ORDER BY seq"),
                        &[&tenant.0, &to_i64(state.last_seq, "seq")?],
                    )
                    .await
                    .map_err(map_pg)?;
                state.apply_all(&tail.iter().map(event_from_row).collect::<Result<Vec<_>, _>>()?);
                state
            }
            None => load_projections(&tx, tenant).await?,
        };
        tx.commit().await.map_err(map_pg)?;
        Ok::<_, StoreError>(state)
    }
    .await;
    // Always release (the lock is the session's), then close the connection:
    // its read buffer grew to the largest row (a snapshot holds the whole studio).
    conn.execute(TENANT_UNLOCK, &[&tenant.to_string()]).await.map_err(map_pg)?;
    conn.retire();
    state
}
