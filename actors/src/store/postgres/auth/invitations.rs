//! Invitations in PostgreSQL: issued with their token indexed, found by the
//! token's hash, accepted once (the row lock decides a race).

use super::*;

pub(super) async fn insert_invitation(store: &PgStore, inv: &InvitationRow) -> Result<(), StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, inv.tenant_id, false).await?;
    tx.execute(
        &format!("INSERT INTO invitations ({INVITATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
        &[
            &inv.tenant_id.0,
            &inv.id,
            &inv.email,
            &inv.role,
            &inv.artist_id.map(|a| a.0),
            &inv.token_hash.as_slice(),
            &inv.invited_by.0,
            &inv.created_at.to_chrono(),
            &inv.expires_at.to_chrono(),
            &opt_chrono(inv.accepted_at),
        ],
    )
    .await
    .map_err(map_pg)?;
    index_token(&tx, &inv.token_hash, "invitation", inv.tenant_id, None).await.map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)
}

pub(super) async fn invitation_by_hash(
    store: &PgStore,
    hash: &TokenHashBytes,
) -> Result<Option<InvitationRow>, StoreError> {
    let mut conn = store.conn().await?;
    let Some((tenant, _)) = indexed(&mut conn, hash, "invitation").await? else { return Ok(None) };
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            &format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE tenant_id = $1 AND token_hash = $2"),
            &[&tenant.0, &hash.as_slice()],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(invitation_from_row).transpose()
}

pub(super) async fn accept_invitation(
    store: &PgStore,
    invitation: &InvitationRow,
    user: Option<&UserRow>,
    membership: &MembershipRow,
    at: Timestamp,
) -> Result<(), AuthStoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, invitation.tenant_id, false).await?;
    // The row lock of this UPDATE makes a racing acceptance wait, then
    // find `accepted_at` set: exactly one of them wins.
    let accepted = tx
        .execute(
            "UPDATE invitations SET accepted_at = $3 WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL",
            &[&invitation.tenant_id.0, &invitation.id, &at.to_chrono()],
        )
        .await
        .map_err(auth_pg)?;
    if accepted == 0 {
        return Err(AuthStoreError::Stale(format!("invitation {} is accepted already (or gone)", invitation.id)));
    }
    if let Some(user) = user {
        insert_user(&tx, user).await.map_err(auth_pg)?;
    }
    upsert_membership(&tx, membership).await.map_err(auth_pg)?;
    tx.commit().await.map_err(auth_pg)
}

pub(super) async fn pending_invitations(store: &PgStore, tenant: TenantId) -> Result<Vec<InvitationRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let rows = tx
        .query(
            &format!(
                "SELECT {INVITATION_COLUMNS} FROM invitations WHERE tenant_id = $1 AND accepted_at IS NULL
                 ORDER BY created_at DESC, id DESC"
            ),
            &[&tenant.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    rows.iter().map(invitation_from_row).collect()
}

pub(super) async fn delete_invitation(
    store: &PgStore,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<InvitationRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, false).await?;
    let row = tx
        .query_opt(
            &format!(
                "DELETE FROM invitations WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL
                 RETURNING {INVITATION_COLUMNS}"
            ),
            &[&tenant.0, &id],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(invitation_from_row).transpose()
}
