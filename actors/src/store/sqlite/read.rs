//! Activation (newest valid snapshot + the events after it) and migrations.

use super::*;

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

pub(super) fn migrate_tx(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS pt_schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT    NOT NULL,
             applied_at INTEGER NOT NULL
         ) STRICT",
    )
    .map_err(map_sqlite)?;
    for m in MIGRATIONS {
        // IMMEDIATE takes the write lock first, so two processes starting on
        // one file apply each migration once.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(map_sqlite)?;
        let applied = tx
            .query_row("SELECT 1 FROM pt_schema_migrations WHERE version = ?1", [m.version], |_| Ok(()))
            .optional()
            .map_err(map_sqlite)?
            .is_some();
        if !applied {
            tx.execute_batch(m.sql).map_err(|e| match map_sqlite(e) {
                StoreError::Unavailable(e) => StoreError::Unavailable(e),
                e => StoreError::Other(format!("migration {} ({}) failed: {e}", m.version, m.name)),
            })?;
            tx.execute(
                "INSERT INTO pt_schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                params![m.version, m.name, Timestamp::now().micros()],
            )
            .map_err(map_sqlite)?;
            tracing::info!(version = m.version, name = m.name, "applied embedded migration");
        }
        tx.commit().map_err(map_sqlite)?;
    }
    Ok(())
}
