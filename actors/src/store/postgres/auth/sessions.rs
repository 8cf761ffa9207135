//! Login sessions (refresh-token families) in PostgreSQL: issued with their
//! token indexed, rotated by compare-and-set on the generation, revoked.

use super::*;

pub(super) async fn insert_session(store: &PgStore, s: &SessionRow) -> Result<(), StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, s.tenant_id, false).await?;
    tx.execute(
        &format!("INSERT INTO auth_sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
        &[
            &s.tenant_id.0,
            &s.id.0,
            &s.user_id.0,
            &s.current_hash.as_slice(),
            &i64::from(s.generation),
            &s.created_at.to_chrono(),
            &s.last_used_at.to_chrono(),
            &opt_chrono(s.revoked_at),
            &s.revoked_reason,
        ],
    )
    .await
    .map_err(map_pg)?;
    index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).await.map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)
}

pub(super) async fn session_by_token(store: &PgStore, hash: &TokenHashBytes) -> Result<Option<SessionRow>, StoreError> {
    let mut conn = store.conn().await?;
    let Some((tenant, Some(session))) = indexed(&mut conn, hash, "refresh").await? else { return Ok(None) };
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            &format!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE tenant_id = $1 AND id = $2"),
            &[&tenant.0, &session],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(session_from_row).transpose()
}

pub(super) async fn session(
    store: &PgStore,
    tenant: TenantId,
    id: AuthSessionId,
) -> Result<Option<SessionRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            &format!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE tenant_id = $1 AND id = $2"),
            &[&tenant.0, &id.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(session_from_row).transpose()
}

pub(super) async fn update_session(
    store: &PgStore,
    s: &SessionRow,
    expected_generation: u32,
) -> Result<(), AuthStoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, s.tenant_id, false).await?;
    // Locks the row, and tells whether the hash changes (then it is indexed).
    let old_hash = tx
        .query_opt(
            "SELECT current_hash FROM auth_sessions WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
            &[&s.tenant_id.0, &s.id.0],
        )
        .await
        .map_err(auth_pg)?
        .map(|r| hash(&r, 0))
        .transpose()?;
    // The compare-and-set. A session revoked meanwhile (revoke_sessions_of
    // does not rotate) is stale to a save that would make it live again;
    // saving a revocation over a revocation keeps the first one.
    let updated = tx
        .execute(
            "UPDATE auth_sessions SET current_hash = $4, generation = $5, last_used_at = $6,
                 revoked_reason = CASE WHEN revoked_at IS NULL THEN $8::text ELSE revoked_reason END,
                 revoked_at = coalesce(revoked_at, $7::timestamptz)
             WHERE tenant_id = $1 AND id = $2 AND generation = $3
               AND (revoked_at IS NULL OR $7::timestamptz IS NOT NULL)",
            &[
                &s.tenant_id.0,
                &s.id.0,
                &i64::from(expected_generation),
                &s.current_hash.as_slice(),
                &i64::from(s.generation),
                &s.last_used_at.to_chrono(),
                &opt_chrono(s.revoked_at),
                &s.revoked_reason,
            ],
        )
        .await
        .map_err(auth_pg)?;
    let Some(old_hash) = old_hash.filter(|_| updated == 1) else {
        return Err(AuthStoreError::Stale(format!(
            "session {} is not at generation {expected_generation} (rotated, revoked or gone)",
            s.id
        )));
    };
    if old_hash != s.current_hash {
        index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).await.map_err(auth_pg)?;
    }
    tx.commit().await.map_err(auth_pg)
}

pub(super) async fn revoke_sessions_of(
    store: &PgStore,
    tenant: TenantId,
    user: UserId,
    at: Timestamp,
    reason: &str,
) -> Result<Vec<AuthSessionId>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, false).await?;
    let rows = tx
        .query(
            "UPDATE auth_sessions SET revoked_at = $3, revoked_reason = $4
             WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
            &[&tenant.0, &user.0, &at.to_chrono(), &reason],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    let mut ids = rows.iter().map(|r| Ok(AuthSessionId(get(r, 0)?))).collect::<Result<Vec<_>, StoreError>>()?;
    ids.sort();
    Ok(ids)
}
