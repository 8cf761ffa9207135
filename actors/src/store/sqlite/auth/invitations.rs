//! Invitations in the embedded store: issued with their token indexed,
//! found by the token's hash, accepted once (a compare-and-set).

use super::*;

pub(super) fn insert_invitation(conn: &mut Connection, inv: &InvitationRow) -> Result<(), StoreError> {
    let tx = immediate(conn).map_err(map_sqlite)?;
    tx.execute(
        &format!("INSERT INTO invitations ({INVITATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        params![
            inv.tenant_id.0.into_bytes(),
            inv.id.into_bytes(),
            inv.email,
            inv.role,
            inv.artist_id.map(|a| a.0.into_bytes()),
            inv.token_hash,
            inv.invited_by.0.into_bytes(),
            inv.created_at.micros(),
            inv.expires_at.micros(),
            micros(inv.accepted_at)
        ],
    )
    .map_err(map_sqlite)?;
    index_token(&tx, &inv.token_hash, "invitation", inv.tenant_id, None).map_err(map_sqlite)?;
    tx.commit().map_err(map_sqlite)
}

pub(super) fn invitation_by_hash(conn: &Connection, hash: TokenHashBytes) -> Result<Option<InvitationRow>, StoreError> {
    one(
        conn,
        &format!(
            "SELECT {} FROM auth_token_index i
             JOIN invitations v ON v.tenant_id = i.tenant_id AND v.token_hash = i.hash
             WHERE i.hash = ?1 AND i.kind = 'invitation'",
            qualified("v", INVITATION_COLUMNS)
        ),
        [hash],
        invitation_from_row,
    )
}

/// Marks the invitation accepted (once: a second acceptance is `Stale`), then
/// creates the user if new and grants the membership, in one transaction.
pub(super) fn accept_invitation(
    conn: &mut Connection,
    inv: &InvitationRow,
    user: Option<&UserRow>,
    m: &MembershipRow,
    at: Timestamp,
) -> Result<(), AuthStoreError> {
    let tx = immediate(conn).map_err(auth_sqlite)?;
    let accepted = tx
        .execute(
            "UPDATE invitations SET accepted_at = ?3
             WHERE tenant_id = ?1 AND id = ?2 AND accepted_at IS NULL",
            params![inv.tenant_id.0.into_bytes(), inv.id.into_bytes(), at.micros()],
        )
        .map_err(auth_sqlite)?;
    if accepted == 0 {
        return Err(AuthStoreError::Stale(format!("invitation {} is accepted already (or gone)", inv.id)));
    }
    if let Some(user) = user {
        tx.execute(INSERT_USER, user_params(user)).map_err(auth_sqlite)?;
    }
    upsert_membership(&tx, m).map_err(auth_sqlite)?;
    tx.commit().map_err(auth_sqlite)
}

pub(super) fn pending_invitations(conn: &Connection, tenant: TenantId) -> Result<Vec<InvitationRow>, StoreError> {
    all(
        conn,
        &format!(
            "SELECT {INVITATION_COLUMNS} FROM invitations WHERE tenant_id = ?1 AND accepted_at IS NULL
             ORDER BY created_at DESC, id DESC"
        ),
        [tenant.0.into_bytes()],
        invitation_from_row,
    )
}

pub(super) fn delete_invitation(
    conn: &Connection,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<InvitationRow>, StoreError> {
    one(
        conn,
        &format!(
            "DELETE FROM invitations WHERE tenant_id = ?1 AND id = ?2 AND accepted_at IS NULL
             RETURNING {INVITATION_COLUMNS}"
        ),
        [tenant.0.into_bytes(), id.into_bytes()],
        invitation_from_row,
    )
}
