//! Login sessions (refresh-token families) in the embedded store: issued with
//! their token indexed, rotated by compare-and-set on the generation, revoked.

use super::*;

pub(super) fn insert_session(conn: &mut Connection, s: &SessionRow) -> Result<(), StoreError> {
    let tx = immediate(conn).map_err(map_sqlite)?;
    tx.execute(
        &format!("INSERT INTO auth_sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        params![
            s.tenant_id.0.into_bytes(),
            s.id.0.into_bytes(),
            s.user_id.0.into_bytes(),
            s.current_hash,
            s.generation,
            s.created_at.micros(),
            s.last_used_at.micros(),
            micros(s.revoked_at),
            s.revoked_reason
        ],
    )
    .map_err(map_sqlite)?;
    index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).map_err(map_sqlite)?;
    tx.commit().map_err(map_sqlite)
}

pub(super) fn session_by_token(conn: &Connection, hash: TokenHashBytes) -> Result<Option<SessionRow>, StoreError> {
    one(
        conn,
        &format!(
            "SELECT {} FROM auth_token_index i
             JOIN auth_sessions s ON s.tenant_id = i.tenant_id AND s.id = i.session_id
             WHERE i.hash = ?1 AND i.kind = 'refresh'",
            qualified("s", SESSION_COLUMNS)
        ),
        [hash],
        session_from_row,
    )
}

pub(super) fn session(
    conn: &Connection,
    tenant: TenantId,
    session: AuthSessionId,
) -> Result<Option<SessionRow>, StoreError> {
    one(
        conn,
        &format!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE tenant_id = ?1 AND id = ?2"),
        [tenant.0.into_bytes(), session.0.into_bytes()],
        session_from_row,
    )
}

pub(super) fn update_session(
    conn: &mut Connection,
    s: &SessionRow,
    expected_generation: u32,
) -> Result<(), AuthStoreError> {
    let tx = immediate(conn).map_err(auth_sqlite)?;
    let (t, sid) = (s.tenant_id.0.into_bytes(), s.id.0.into_bytes());
    let old_hash: Option<TokenHashBytes> =
        one(&tx, "SELECT current_hash FROM auth_sessions WHERE tenant_id = ?1 AND id = ?2", [t, sid], |r| r.get(0))?;
    // The compare-and-set, as in PostgreSQL: a session revoked
    // meanwhile is stale to a save that would make it live again, and
    // a revocation saved over a revocation keeps the first one.
    let updated = tx
        .execute(
            "UPDATE auth_sessions SET current_hash = ?4, generation = ?5, last_used_at = ?6,
                 revoked_reason = CASE WHEN revoked_at IS NULL THEN ?8 ELSE revoked_reason END,
                 revoked_at = coalesce(revoked_at, ?7)
             WHERE tenant_id = ?1 AND id = ?2 AND generation = ?3 AND (revoked_at IS NULL OR ?7 IS NOT NULL)",
            params![
                t,
                sid,
                expected_generation,
                s.current_hash,
                s.generation,
                s.last_used_at.micros(),
                micros(s.revoked_at),
                s.revoked_reason
            ],
        )
        .map_err(auth_sqlite)?;
    let Some(old_hash) = old_hash.filter(|_| updated == 1) else {
        return Err(AuthStoreError::Stale(format!(
            "session {} is not at generation {expected_generation} (rotated, revoked or gone)",
            s.id
        )));
    };
    if old_hash != s.current_hash {
        index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).map_err(auth_sqlite)?;
    }
    tx.commit().map_err(auth_sqlite)
}

pub(super) fn revoke_sessions_of(
    conn: &Connection,
    tenant: TenantId,
    user: UserId,
    at: Timestamp,
    reason: &str,
) -> Result<Vec<AuthSessionId>, StoreError> {
    let mut ids = all(
        conn,
        "UPDATE auth_sessions SET revoked_at = ?3, revoked_reason = ?4
         WHERE tenant_id = ?1 AND user_id = ?2 AND revoked_at IS NULL RETURNING id",
        params![tenant.0.into_bytes(), user.0.into_bytes(), at.micros(), reason],
        |r| Ok(AuthSessionId(id(r, 0)?)),
    )?;
    ids.sort();
    Ok(ids)
}
