//! Studios, their users and memberships in PostgreSQL: studio rows in the
//! tenant's transaction, users (global) and a user's studios in `global_tx`.

use super::*;

pub(super) async fn create_studio(
    store: &PgStore,
    studio: &StudioRow,
    owner: &UserRow,
    membership: &MembershipRow,
) -> Result<(), AuthStoreError> {
    let (hold, challenge) = (hold_minutes(studio)?, challenge_hours(studio)?);
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, studio.id, false).await?;
    // The tenant row may exist already (`ensure_tenant`): then its
    // settings are replaced and its `created_at` kept.
    tx.execute(
        "INSERT INTO tenants (id, name, timezone, default_hold_minutes, working_week, created_at, holidays,
                              challenge_hours)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,
             default_hold_minutes = EXCLUDED.default_hold_minutes, working_week = EXCLUDED.working_week,
             holidays = EXCLUDED.holidays, challenge_hours = EXCLUDED.challenge_hours",
        &[
            &studio.id.0,
            &studio.name,
            &studio.timezone,
            &hold,
            &studio.working_week,
            &studio.created_at.to_chrono(),
            &studio.holidays,
            &challenge,
        ],
    )
    .await
    .map_err(auth_pg)?;
    insert_user(&tx, owner).await.map_err(auth_pg)?;
    tx.execute(
        "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES ($1, $2, $3, $4, $5)",
        &[
            &membership.tenant_id.0,
            &membership.user_id.0,
            &membership.role,
            &membership.artist_id.map(|a| a.0),
            &membership.created_at.to_chrono(),
        ],
    )
    .await
    .map_err(auth_pg)?;
    tx.commit().await.map_err(auth_pg)
}

pub(super) async fn studio(store: &PgStore, tenant: TenantId) -> Result<Option<StudioRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(&format!("SELECT {STUDIO_COLUMNS} FROM tenants WHERE id = $1"), &[&tenant.0])
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(studio_from_row).transpose()
}

pub(super) async fn update_studio(store: &PgStore, studio: &StudioRow) -> Result<(), StoreError> {
    let (hold, challenge) = (hold_minutes(studio)?, challenge_hours(studio)?);
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, studio.id, false).await?;
    let n = tx
        .execute(
            "UPDATE tenants SET name = $2, timezone = $3, default_hold_minutes = $4, working_week = $5,
                 holidays = $6, challenge_hours = $7
             WHERE id = $1",
            &[&studio.id.0, &studio.name, &studio.timezone, &hold, &studio.working_week, &studio.holidays, &challenge],
        )
        .await
        .map_err(map_pg)?;
    if n == 0 {
        return Err(StoreError::Other(format!("no studio {} to update", studio.id)));
    }
    tx.commit().await.map_err(map_pg)
}

pub(super) async fn user_by_email(store: &PgStore, email: &str) -> Result<Option<UserRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = global_tx(&mut conn, None, true).await?;
    // The users policy shows the row of the email being looked up.
    tx.execute("SELECT set_config('app.user_email', $1, true)", &[&email]).await.map_err(map_pg)?;
    let row =
        tx.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"), &[&email]).await.map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.map(|r| user_from_row(&r, 0)).transpose()
}

pub(super) async fn user(store: &PgStore, id: UserId) -> Result<Option<UserRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = global_tx(&mut conn, Some(id), true).await?;
    let row =
        tx.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"), &[&id.0]).await.map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.map(|r| user_from_row(&r, 0)).transpose()
}

pub(super) async fn save_user(store: &PgStore, user: &UserRow) -> Result<(), AuthStoreError> {
    let mut conn = store.conn().await?;
    let tx = global_tx(&mut conn, Some(user.id), false).await?;
    // Another user's email fails the insert's unique check; the same id
    // takes the update path (the email is not changed there).
    tx.execute(
        &format!(
            "{INSERT_USER} ON CONFLICT (id) DO UPDATE SET
                 display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash"
        ),
        &[&user.id.0, &user.email, &user.display_name, &user.password_hash, &user.created_at.to_chrono()],
    )
    .await
    .map_err(auth_pg)?;
    tx.commit().await.map_err(auth_pg)
}

pub(super) async fn memberships_of_user(store: &PgStore, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = global_tx(&mut conn, Some(user), true).await?;
    let rows = tx
        .query(
            &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE user_id = $1 ORDER BY created_at, tenant_id"),
            &[&user.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    rows.iter().map(membership_from_row).collect()
}

pub(super) async fn membership(
    store: &PgStore,
    tenant: TenantId,
    user: UserId,
) -> Result<Option<MembershipRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let row = tx
        .query_opt(
            &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE tenant_id = $1 AND user_id = $2"),
            &[&tenant.0, &user.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(membership_from_row).transpose()
}

pub(super) async fn members(store: &PgStore, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, true).await?;
    let rows = tx
        .query(
            "SELECT m.tenant_id, m.user_id, m.role, m.artist_id, m.created_at,
                    u.id, u.email, u.display_name, u.password_hash, u.created_at
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.tenant_id = $1 ORDER BY m.created_at, m.user_id",
            &[&tenant.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    rows.iter().map(|r| Ok((membership_from_row(r)?, user_from_row(r, 5)?))).collect()
}

pub(super) async fn save_membership(store: &PgStore, membership: &MembershipRow) -> Result<(), StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, membership.tenant_id, false).await?;
    upsert_membership(&tx, membership).await.map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)
}

pub(super) async fn remove_membership(
    store: &PgStore,
    tenant: TenantId,
    user: UserId,
) -> Result<Option<MembershipRow>, StoreError> {
    let mut conn = store.conn().await?;
    let tx = tenant_tx(&mut conn, tenant, false).await?;
    let row = tx
        .query_opt(
            &format!("DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2 RETURNING {MEMBERSHIP_COLUMNS}"),
            &[&tenant.0, &user.0],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.as_ref().map(membership_from_row).transpose()
}
