//! Activation (newest valid snapshot + the events after it) and snapshots.

use super::*;

/// Events decoded per `apply_all` while replaying a log tail, so a tenant
/// without a snapshot is not held in memory twice.
const REPLAY_CHUNK: usize = 4096;

/// Snapshots kept per tenant: the newest, and one to fall back to.
const KEEP_SNAPSHOTS: i64 = 2;

// ---------------------------------------------------------------------------
// Activation

/// The newest snapshot that decodes and agrees with its `seq` column.
pub(super) fn newest_valid_snapshot(conn: &Connection, tenant: TenantId) -> Result<Option<TenantState>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT seq, payload FROM snapshots WHERE tenant_id = ?1 ORDER BY seq DESC")
        .map_err(map_sqlite)?;
    let mut rows = stmt.query([tenant.0.into_bytes()]).map_err(map_sqlite)?;
    while let Some(row) = rows.next().map_err(map_sqlite)? {
        let seq: i64 = row.get(0).map_err(map_sqlite)?;
        let payload = row.get_ref(1).and_then(|v| Ok(v.as_blob()?)).map_err(map_sqlite)?;
        match snapshot::decode(payload) {
            Ok(state) if i64::try_from(state.last_seq) == Ok(seq) => return Ok(Some(state)),
            Ok(state) => tracing::warn!(%tenant, seq, inner_seq = state.last_seq, "ignoring a misfiled snapshot"),
            Err(e) => tracing::warn!(%tenant, seq, error = %e, "ignoring an unreadable snapshot"),
        }
    }
    Ok(None)
}

pub(super) fn load_tenant_tx(conn: &mut Connection, tenant: TenantId) -> Result<TenantState, StoreError> {
    // A deferred transaction: in WAL mode its first read fixes the snapshot
    // every later statement sees, so a batch committed meanwhile is invisible.
    let tx = conn.transaction().map_err(map_sqlite)?;
    let mut state = newest_valid_snapshot(&tx, tenant)?.unwrap_or_default();
    {
        let mut stmt = tx
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = ?1 AND seq > ?2 ORDER BY seq"
            ))
            .map_err(map_sqlite)?;
        let mut rows =
            stmt.query(params![tenant.0.into_bytes(), to_i64(state.last_seq, "seq")?]).map_err(map_sqlite)?;
        let mut chunk = Vec::with_capacity(REPLAY_CHUNK);
        while let Some(row) = rows.next().map_err(map_sqlite)? {
            chunk.push(event_from_row(row)?);
            if chunk.len() == REPLAY_CHUNK {
                state.apply_all(&chunk);
                chunk.clear();
            }
        }
        state.apply_all(&chunk);
    }
    tx.commit().map_err(map_sqlite)?;
    Ok(state)
}

// ---------------------------------------------------------------------------
// Snapshots

/// Stores `payload` as the snapshot at `seq`, keeping the newest two.
pub(super) fn save_snapshot_tx(
    conn: &mut Connection,
    tenant: TenantId,
    seq: i64,
    payload: &[u8],
) -> Result<(), StoreError> {
    let t = tenant.0.into_bytes();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map_sqlite)?;
    tx.execute(
        "INSERT INTO snapshots (tenant_id, seq, taken_at, payload) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tenant_id, seq) DO UPDATE SET taken_at = excluded.taken_at, payload = excluded.payload",
        params![t, seq, Timestamp::now().micros(), payload],
    )
    .map_err(map_sqlite)?;
    tx.execute(
        "DELETE FROM snapshots WHERE tenant_id = ?1 AND seq NOT IN
             (SELECT seq FROM snapshots WHERE tenant_id = ?1 ORDER BY seq DESC LIMIT ?2)",
        params![t, KEEP_SNAPSHOTS],
    )
    .map_err(map_sqlite)?;
    tx.commit().map_err(map_sqlite)
}

/// The newest snapshot's `seq`, 0 without one.
pub(super) fn snapshot_seq_tx(conn: &Connection, tenant: TenantId) -> Result<u64, StoreError> {
    let seq: i64 = conn
        .query_row("SELECT coalesce(max(seq), 0) FROM snapshots WHERE tenant_id = ?1", [tenant.0.into_bytes()], |r| {
            r.get(0)
        })
        .map_err(map_sqlite)?;
    to_u64(seq, "seq")
}
