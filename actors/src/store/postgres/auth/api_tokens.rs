//! API tokens in PostgreSQL: issued with their hash indexed, listed, found by
//! hash, revoked (idempotently: the first revocation time stays).

use super::*;

pub(super) async fn insert_api_token(store: &PgStore, t: &ApiTokenRow) -> Result<(), StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, t.tenant_id, false).await?;
    tx.execute(
        &format!("INSERT INTO api_tokens ({API_TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
        &[
            &t.tenant_id.0,
            &t.id.0,
            &t.role,
            &t.name,
            &t.hash.as_slice(),
            &t.hint,
            &t.created_by.0,
            &t.created_at.to_chrono(),
            &opt_chrono(t.expires_at),
            &opt_chrono(t.revoked_at),
        ],
    )
    .await
    .map_err(map_pg)?;
    index_token(&tx, &t.hash, "api", t.tenant_id, None).await.map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)
}

pub(super) async fn api_token_by_hash(
    store: &PgStore,
    hash: &TokenHashBytes,
) -> Result<Option<ApiTokenRow>, StoreError> {
    let mut conn = store.conn().await?;
    let Some((tenant, _)) = indexed(&mut conn, hash, "api").await? else { return Ok(None) };
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            &format!("SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND hash = $2"),
            &[&tenant.0, &hash.as_slice()],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(api_token_from_row).transpose()
}

pub(super) async fn api_tokens(store: &PgStore, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let rows = tx
        .query(
            &format!(
                "SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC"
            ),
            &[&tenant.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    rows.iter().map(api_token_from_row).collect()
}

pub(super) async fn revoke_api_token(
    store: &PgStore,
    tenant: TenantId,
    id: ApiTokenId,
    at: Timestamp,
) -> Result<Option<ApiTokenRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, false).await?;
    let row = tx
        .query_opt(
            &format!(
                "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND id = $2
                 RETURNING {API_TOKEN_COLUMNS}"
            ),
            &[&tenant.0, &id.0, &at.to_chrono()],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(api_token_from_row).transpose()
}
