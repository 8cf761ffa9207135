//! Identity rows ↔ types for the PostgreSQL store, and its identity errors.

use super::*;
use tokio_postgres::types::FromSql;

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

pub(super) fn get<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> Result<T, StoreError> {
    row.try_get(i).map_err(map_pg)
}

pub(super) fn ts(row: &Row, i: usize) -> Result<Timestamp, StoreError> {
    Ok(Timestamp::from_chrono(get(row, i)?))
}

pub(super) fn opt_ts(row: &Row, i: usize) -> Result<Option<Timestamp>, StoreError> {
    Ok(get::<Option<DateTime<Utc>>>(row, i)?.map(Timestamp::from_chrono))
}

pub(super) fn hash(row: &Row, i: usize) -> Result<TokenHashBytes, StoreError> {
    let bytes: &[u8] = get(row, i)?;
    bytes.try_into().map_err(|_| StoreError::Other(format!("a token hash of {} bytes in the database", bytes.len())))
}

pub(super) fn opt_chrono(t: Option<Timestamp>) -> Option<DateTime<Utc>> {
    t.map(Timestamp::to_chrono)
}

pub(super) fn studio_from_row(row: &Row) -> Result<StudioRow, StoreError> {
    Ok(StudioRow {
        id: TenantId(get(row, 0)?),
        name: get(row, 1)?,
        timezone: get(row, 2)?,
        default_hold_minutes: i64::from(get::<i32>(row, 3)?),
        working_week: get(row, 4)?,
        created_at: ts(row, 5)?,
        holidays: get(row, 6)?,
        challenge_hours: i64::from(get::<i32>(row, 7)?),
    })
}

pub(super) fn user_from_row(row: &Row, at: usize) -> Result<UserRow, StoreError> {
    Ok(UserRow {
        id: UserId(get(row, at)?),
        email: get(row, at + 1)?,
        display_name: get(row, at + 2)?,
        password_hash: get(row, at + 3)?,
        created_at: ts(row, at + 4)?,
    })
}

pub(super) fn membership_from_row(row: &Row) -> Result<MembershipRow, StoreError> {
    Ok(MembershipRow {
        tenant_id: TenantId(get(row, 0)?),
        user_id: UserId(get(row, 1)?),
        role: get(row, 2)?,
        artist_id: get::<Option<Uuid>>(row, 3)?.map(ArtistId),
        created_at: ts(row, 4)?,
    })
}

pub(super) fn invitation_from_row(row: &Row) -> Result<InvitationRow, StoreError> {
    Ok(InvitationRow {
        tenant_id: TenantId(get(row, 0)?),
        id: get(row, 1)?,
        email: get(row, 2)?,
        role: get(row, 3)?,
        artist_id: get::<Option<Uuid>>(row, 4)?.map(ArtistId),
        token_hash: hash(row, 5)?,
        invited_by: UserId(get(row, 6)?),
        created_at: ts(row, 7)?,
        expires_at: ts(row, 8)?,
        accepted_at: opt_ts(row, 9)?,
    })
}

pub(super) fn session_from_row(row: &Row) -> Result<SessionRow, StoreError> {
    let generation: i64 = get(row, 4)?;
    Ok(SessionRow {
        tenant_id: TenantId(get(row, 0)?),
        id: AuthSessionId(get(row, 1)?),
        user_id: UserId(get(row, 2)?),
        current_hash: hash(row, 3)?,
        generation: u32::try_from(generation)
            .map_err(|_| StoreError::Other(format!("session generation {generation} in the database")))?,
        created_at: ts(row, 5)?,
        last_used_at: ts(row, 6)?,
        revoked_at: opt_ts(row, 7)?,
        revoked_reason: get(row, 8)?,
    })
}

pub(super) fn api_token_from_row(row: &Row) -> Result<ApiTokenRow, StoreError> {
    Ok(ApiTokenRow {
        tenant_id: TenantId(get(row, 0)?),
        id: ApiTokenId(get(row, 1)?),
        role: get(row, 2)?,
        name: get(row, 3)?,
        hash: hash(row, 4)?,
        hint: get(row, 5)?,
        created_by: UserId(get(row, 6)?),
        created_at: ts(row, 7)?,
        expires_at: opt_ts(row, 8)?,
        revoked_at: opt_ts(row, 9)?,
    })
}

/// A driver error of a method that answers [`AuthStoreError`]: a unique
/// violation is `Duplicate`, naming what was taken.
pub(super) fn auth_pg(e: tokio_postgres::Error) -> AuthStoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        let what = match e.as_db_error().and_then(|d| d.constraint()) {
            Some("users_email_key") => "a user with this email".to_owned(),
            Some("memberships_pkey") => "this membership".to_owned(),
            Some(c) => format!("unique key {c}"),
            None => "a unique key".to_owned(),
        };
        return AuthStoreError::Duplicate(what);
    }
    map_pg(e).into()
}
