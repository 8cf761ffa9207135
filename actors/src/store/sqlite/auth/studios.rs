//! Studios, their users and memberships in the embedded store: the rows
//! sign-up, login and member administration read and write.

use super::*;

/// The studio's tenant row, its owner and the owner's membership, in one transaction.
pub(super) fn create_studio(
    conn: &mut Connection,
    s: &StudioRow,
    owner: &UserRow,
    m: &MembershipRow,
) -> Result<(), AuthStoreError> {
    let tx = immediate(conn).map_err(auth_sqlite)?;
    // The tenant row may exist already (`ensure_tenant`): then its
    // settings are replaced and its `created_at` kept.
    tx.execute(
        "INSERT INTO tenants (id, name, timezone, default_hold_minutes, working_week, created_at, holidays,
                              challenge_hours)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone,
             default_hold_minutes = excluded.default_hold_minutes, working_week = excluded.working_week,
             holidays = excluded.holidays, challenge_hours = excluded.challenge_hours",
        params![
            s.id.0.into_bytes(),
            s.name,
            s.timezone,
            s.default_hold_minutes,
            s.working_week,
            s.created_at.micros(),
            s.holidays,
            s.challenge_hours
        ],
    )
    .map_err(auth_sqlite)?;
    tx.execute(INSERT_USER, user_params(owner)).map_err(auth_sqlite)?;
    tx.execute(
        "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            m.tenant_id.0.into_bytes(),
            m.user_id.0.into_bytes(),
            m.role,
            m.artist_id.map(|a| a.0.into_bytes()),
            m.created_at.micros()
        ],
    )
    .map_err(auth_sqlite)?;
    tx.commit().map_err(auth_sqlite)
}

pub(super) fn studio(conn: &Connection, tenant: TenantId) -> Result<Option<StudioRow>, StoreError> {
    one(conn, &format!("SELECT {STUDIO_COLUMNS} FROM tenants WHERE id = ?1"), [tenant.0.into_bytes()], studio_from_row)
}

pub(super) fn update_studio(conn: &Connection, s: &StudioRow) -> Result<(), StoreError> {
    let n = conn
        .execute(
            "UPDATE tenants SET name = ?2, timezone = ?3, default_hold_minutes = ?4, working_week = ?5,
                 holidays = ?6, challenge_hours = ?7
             WHERE id = ?1",
            params![
                s.id.0.into_bytes(),
                s.name,
                s.timezone,
                s.default_hold_minutes,
                s.working_week,
                s.holidays,
                s.challenge_hours
            ],
        )
        .map_err(map_sqlite)?;
    if n == 0 {
        return Err(StoreError::Other(format!("no studio {} to update", s.id)));
    }
    Ok(())
}

pub(super) fn user_by_email(conn: &Connection, email: &str) -> Result<Option<UserRow>, StoreError> {
    one(conn, &format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"), [email], |r| user_from_row(r, 0))
}

pub(super) fn user(conn: &Connection, user: UserId) -> Result<Option<UserRow>, StoreError> {
    one(conn, &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"), [user.0.into_bytes()], |r| {
        user_from_row(r, 0)
    })
}

pub(super) fn save_user(conn: &Connection, u: &UserRow) -> Result<(), AuthStoreError> {
    // Another user's email fails the insert's unique check; the same
    // id takes the update path (the email is not changed there).
    conn.execute(
        &format!(
            "{INSERT_USER} ON CONFLICT (id) DO UPDATE SET
                 display_name = excluded.display_name, password_hash = excluded.password_hash"
        ),
        user_params(u),
    )
    .map_err(auth_sqlite)?;
    Ok(())
}

pub(super) fn memberships_of_user(conn: &Connection, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
    all(
        conn,
        &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE user_id = ?1 ORDER BY created_at, tenant_id"),
        [user.0.into_bytes()],
        membership_from_row,
    )
}

pub(super) fn membership(
    conn: &Connection,
    tenant: TenantId,
    user: UserId,
) -> Result<Option<MembershipRow>, StoreError> {
    one(
        conn,
        &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE tenant_id = ?1 AND user_id = ?2"),
        [tenant.0.into_bytes(), user.0.into_bytes()],
        membership_from_row,
    )
}

pub(super) fn members(conn: &Connection, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError> {
    all(
        conn,
        &format!(
            "SELECT {}, {} FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.tenant_id = ?1 ORDER BY m.created_at, m.user_id",
            qualified("m", MEMBERSHIP_COLUMNS),
            qualified("u", USER_COLUMNS)
        ),
        [tenant.0.into_bytes()],
        |r| Ok((membership_from_row(r)?, user_from_row(r, 5)?)),
    )
}

pub(super) fn remove_membership(
    conn: &Connection,
    tenant: TenantId,
    user: UserId,
) -> Result<Option<MembershipRow>, StoreError> {
    one(
        conn,
        &format!("DELETE FROM memberships WHERE tenant_id = ?1 AND user_id = ?2 RETURNING {MEMBERSHIP_COLUMNS}"),
        [tenant.0.into_bytes(), user.0.into_bytes()],
        membership_from_row,
    )
}
