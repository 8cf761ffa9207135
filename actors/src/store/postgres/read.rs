//! Reading a tenant: the newest snapshot, or the projection tables.

use super::*;

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
    Ok(TenantState {
        artists: artists.iter().map(artist_from_row).collect::<Result<_, _>>()?,
        bookings: bookings.iter().map(booking_from_row).collect::<Result<_, _>>()?,
        last_seq: to_u64(last_seq, "seq")?,
    })
}
