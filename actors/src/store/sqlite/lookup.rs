//! Point reads of the embedded store: the tenant row, command outcomes
//! (dedup after a restart), event history, and one entity's durable state
//! (the writer's revert path).

use super::*;

pub(super) fn ensure_tenant(conn: &Connection, tenant: TenantId, name: &str) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING",
        params![tenant.0.into_bytes(), name, Timestamp::now().micros()],
    )
    .map_err(map_sqlite)?;
    Ok(())
}

pub(super) fn command_ids(conn: &Connection, tenant: TenantId) -> Result<Vec<CmdId>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT cmd_id FROM commands WHERE tenant_id = ?1").map_err(map_sqlite)?;
    let ids = stmt
        .query_map(params![tenant.0.into_bytes()], |r| r.get::<_, Vec<u8>>(0))
        .map_err(map_sqlite)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(map_sqlite)?;
    ids.into_iter()
        .map(|b| {
            Uuid::from_slice(&b)
                .map(CmdId)
                .map_err(|e| StoreError::Other(format!("a stored command id is not a UUID: {e}")))
        })
        .collect()
}

pub(super) fn find_command(
    conn: &Connection,
    tenant: TenantId,
    cmd_id: CmdId,
) -> Result<Option<StoredCommand>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT request_hash, first_seq, last_seq, outcome FROM commands
             WHERE tenant_id = ?1 AND cmd_id = ?2",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![tenant.0.into_bytes(), cmd_id.0.into_bytes()], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?))
            })
            .optional()
        })
        .map_err(map_sqlite)?;
    let Some((hash, first, last, outcome)) = row else { return Ok(None) };
    Ok(Some(StoredCommand {
        cmd_id,
        request_hash: hash as u64,
        first_seq: to_u64(first, "seq")?,
        last_seq: to_u64(last, "seq")?,
        outcome: from_json(&outcome, "command outcome")?,
    }))
}

/// Every event of the query, in `seq` order.
fn events(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<EventEnvelope>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(map_sqlite)?;
    let mut rows = stmt.query(params).map_err(map_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(map_sqlite)? {
        out.push(event_from_row(row)?);
    }
    Ok(out)
}

pub(super) fn entity_events(
    conn: &Connection,
    tenant: TenantId,
    entity: Uuid,
) -> Result<Vec<EventEnvelope>, StoreError> {
    events(
        conn,
        &format!("SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = ?1 AND entity_id = ?2 ORDER BY seq"),
        params![tenant.0.into_bytes(), entity.into_bytes()],
    )
}

pub(super) fn events_since(
    conn: &Connection,
    tenant: TenantId,
    after: i64,
    limit: i64,
) -> Result<Vec<EventEnvelope>, StoreError> {
    events(
        conn,
        &format!("SELECT {EVENT_COLUMNS} FROM events WHERE tenant_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"),
        params![tenant.0.into_bytes(), after, limit],
    )
}

/// The projected state of one entity: a `what` in `table`.
fn projected<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    (table, what): (&str, &str),
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<T>, StoreError> {
    let state: Option<String> = conn
        .query_row(
            &format!("SELECT state FROM {table} WHERE tenant_id = ?1 AND id = ?2"),
            params![tenant.0.into_bytes(), id.into_bytes()],
            |r| r.get(0),
        )
        .optional()
        .map_err(map_sqlite)?;
    state.map(|s| from_json(&s, what)).transpose()
}

pub(super) fn load_booking(conn: &Connection, tenant: TenantId, id: BookingId) -> Result<Option<Booking>, StoreError> {
    projected(conn, ("bookings", "booking"), tenant, id.0)
}

pub(super) fn load_artist(conn: &Connection, tenant: TenantId, id: ArtistId) -> Result<Option<Artist>, StoreError> {
    projected(conn, ("artists", "artist"), tenant, id.0)
}
