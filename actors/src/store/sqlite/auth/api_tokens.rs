//! API tokens in the embedded store: issued with their hash indexed, listed,
//! found by hash, revoked (idempotently: the first revocation time stays).

use super::*;

pub(super) fn insert_api_token(conn: &mut Connection, t: &ApiTokenRow) -> Result<(), StoreError> {
    let tx = immediate(conn).map_err(map_sqlite)?;
    tx.execute(
        &format!("INSERT INTO api_tokens ({API_TOKEN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        params![
            t.tenant_id.0.into_bytes(),
            t.id.0.into_bytes(),
            t.role,
            t.name,
            t.hash,
            t.hint,
            t.created_by.0.into_bytes(),
            t.created_at.micros(),
            micros(t.expires_at),
            micros(t.revoked_at)
        ],
    )
    .map_err(map_sqlite)?;
    index_token(&tx, &t.hash, "api", t.tenant_id, None).map_err(map_sqlite)?;
    tx.commit().map_err(map_sqlite)
}

pub(super) fn api_token_by_hash(conn: &Connection, hash: TokenHashBytes) -> Result<Option<ApiTokenRow>, StoreError> {
    one(
        conn,
        &format!(
            "SELECT {} FROM auth_token_index i
             JOIN api_tokens a ON a.tenant_id = i.tenant_id AND a.hash = i.hash
             WHERE i.hash = ?1 AND i.kind = 'api'",
            qualified("a", API_TOKEN_COLUMNS)
        ),
        [hash],
        api_token_from_row,
    )
}

pub(super) fn api_tokens(conn: &Connection, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError> {
    all(
        conn,
        &format!("SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = ?1 ORDER BY created_at DESC, id DESC"),
        [tenant.0.into_bytes()],
        api_token_from_row,
    )
}

pub(super) fn revoke_api_token(
    conn: &Connection,
    tenant: TenantId,
    token: ApiTokenId,
    at: Timestamp,
) -> Result<Option<ApiTokenRow>, StoreError> {
    one(
        conn,
        &format!(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?3) WHERE tenant_id = ?1 AND id = ?2
             RETURNING {API_TOKEN_COLUMNS}"
        ),
        params![tenant.0.into_bytes(), token.0.into_bytes(), at.micros()],
        api_token_from_row,
    )
}
