//! Identity rows ↔ types for the embedded store, its identity errors, and
//! small query helpers.

use super::*;
use rusqlite::Row;

// ---------------------------------------------------------------------------
// Columns and rows. Readers take a column offset, so a join can read two rows
// from one result row (`members`).

pub(super) const STUDIO_COLUMNS: &str =
    "id, name, timezone, default_hold_minutes, working_week, created_at, holidays, challenge_hours";
pub(super) const USER_COLUMNS: &str = "id, email, display_name, password_hash, created_at";
pub(super) const MEMBERSHIP_COLUMNS: &str = "tenant_id, user_id, role, artist_id, created_at";
pub(super) const INVITATION_COLUMNS: &str =
    "tenant_id, id, email, role, artist_id, token_hash, invited_by, created_at, expires_at, accepted_at";
pub(super) const SESSION_COLUMNS: &str =
    "tenant_id, id, user_id, current_hash, generation, created_at, last_used_at, revoked_at, revoked_reason";
pub(super) const API_TOKEN_COLUMNS: &str =
    "tenant_id, id, role, name, hash, hint, created_by, created_at, expires_at, revoked_at";

/// `t.a, t.b, …` for a join.
pub(super) fn qualified(table: &str, columns: &str) -> String {
    columns.split(", ").map(|c| format!("{table}.{c}")).collect::<Vec<_>>().join(", ")
}

pub(super) fn id(row: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    Ok(Uuid::from_bytes(row.get(i)?))
}

pub(super) fn opt_id(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<Uuid>> {
    Ok(row.get::<_, Option<[u8; 16]>>(i)?.map(Uuid::from_bytes))
}

pub(super) fn ts(row: &Row<'_>, i: usize) -> rusqlite::Result<Timestamp> {
    Ok(Timestamp::from_micros(row.get(i)?))
}

pub(super) fn opt_ts(row: &Row<'_>, i: usize) -> rusqlite::Result<Option<Timestamp>> {
    Ok(row.get::<_, Option<i64>>(i)?.map(Timestamp::from_micros))
}

pub(super) fn micros(t: Option<Timestamp>) -> Option<i64> {
    t.map(Timestamp::micros)
}

pub(super) fn studio_from_row(row: &Row<'_>) -> rusqlite::Result<StudioRow> {
    Ok(StudioRow {
        id: TenantId(id(row, 0)?),
        name: row.get(1)?,
        timezone: row.get(2)?,
        default_hold_minutes: row.get(3)?,
        working_week: row.get(4)?,
        created_at: ts(row, 5)?,
        holidays: row.get(6)?,
        challenge_hours: row.get(7)?,
    })
}

pub(super) fn user_from_row(row: &Row<'_>, at: usize) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: UserId(id(row, at)?),
        email: row.get(at + 1)?,
        display_name: row.get(at + 2)?,
        password_hash: row.get(at + 3)?,
        created_at: ts(row, at + 4)?,
    })
}

pub(super) fn membership_from_row(row: &Row<'_>) -> rusqlite::Result<MembershipRow> {
    Ok(MembershipRow {
        tenant_id: TenantId(id(row, 0)?),
        user_id: UserId(id(row, 1)?),
        role: row.get(2)?,
        artist_id: opt_id(row, 3)?.map(ArtistId),
        created_at: ts(row, 4)?,
    })
}

pub(super) fn invitation_from_row(row: &Row<'_>) -> rusqlite::Result<InvitationRow> {
    Ok(InvitationRow {
        tenant_id: TenantId(id(row, 0)?),
        id: id(row, 1)?,
        email: row.get(2)?,
        role: row.get(3)?,
        artist_id: opt_id(row, 4)?.map(ArtistId),
        token_hash: row.get(5)?,
        invited_by: UserId(id(row, 6)?),
        created_at: ts(row, 7)?,
        expires_at: ts(row, 8)?,
        accepted_at: opt_ts(row, 9)?,
    })
}

pub(super) fn session_from_row(row: &Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        tenant_id: TenantId(id(row, 0)?),
        id: AuthSessionId(id(row, 1)?),
        user_id: UserId(id(row, 2)?),
        current_hash: row.get(3)?,
        generation: row.get(4)?,
        created_at: ts(row, 5)?,
        last_used_at: ts(row, 6)?,
        revoked_at: opt_ts(row, 7)?,
        revoked_reason: row.get(8)?,
    })
}

pub(super) fn api_token_from_row(row: &Row<'_>) -> rusqlite::Result<ApiTokenRow> {
    Ok(ApiTokenRow {
        tenant_id: TenantId(id(row, 0)?),
        id: ApiTokenId(id(row, 1)?),
        role: row.get(2)?,
        name: row.get(3)?,
        hash: row.get(4)?,
        hint: row.get(5)?,
        created_by: UserId(id(row, 6)?),
        created_at: ts(row, 7)?,
        expires_at: opt_ts(row, 8)?,
        revoked_at: opt_ts(row, 9)?,
    })
}

/// An error of a method that answers [`AuthStoreError`]: a unique or primary
/// key violation is `Duplicate`, naming what was taken.
pub(super) fn auth_sqlite(e: rusqlite::Error) -> AuthStoreError {
    if let rusqlite::Error::SqliteFailure(f, message) = &e
        && matches!(f.extended_code, ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
    {
        // SQLite names the columns: "UNIQUE constraint failed: users.email".
        let message = message.as_deref().unwrap_or_default();
        let what = if message.contains("users.email") {
            "a user with this email".to_owned()
        } else if message.contains("memberships.") {
            "this membership".to_owned()
        } else {
            format!("unique key ({message})")
        };
        return AuthStoreError::Duplicate(what);
    }
    map_sqlite(e).into()
}

/// Runs a query for at most one row.
pub(super) fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>, StoreError> {
    conn.prepare_cached(sql).and_then(|mut stmt| stmt.query_row(params, f).optional()).map_err(map_sqlite)
}

/// Runs a query and reads every row.
pub(super) fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.query_map(params, f)?.collect::<rusqlite::Result<Vec<T>>>())
        .map_err(map_sqlite)
}
