//! Identity rows ([`AuthStore`]) in PostgreSQL; schema in `migrations/0004_identity.sql`.
//!
//! * Tenant rows (studios, memberships, invitations, sessions, API tokens)
//!   are read and written in [`tenant_tx`], under row-level security.
//! * Users are global: they are read and written in [`global_tx`] (still as
//!   `pt_app`), and so are a user's memberships across studios at login, with
//!   `app.current_user` set so the `own_memberships` policy shows them.
//! * A bearer secret does not name its tenant. Lookups by hash are two
//!   transactions on one connection: `auth_token_index` (no RLS) gives the
//!   tenant, then the row itself is read in that tenant's transaction. Every
//!   hash ever issued stays in the index; refresh hashes also name their
//!   session, so a rotated-away token still finds its family (reuse).
//! * A unique violation in a method that can answer
//!   [`AuthStoreError::Duplicate`] is `Duplicate`; elsewhere it stays
//!   [`StoreError::Rejected`] like any constraint.
//!
//! This file maps [`AuthStore`] onto the statements, which live by concept:
//! `studios` (studios, users, memberships), `invitations`, `sessions`,
//! `api_tokens`, and calendar feeds (`feeds`, the [`FeedStore`](crate::store::feeds::FeedStore)).

use super::*;
use crate::store::auth::*;
use pt_protocol::ids::{ApiTokenId, AuthSessionId, UserId};

mod api_tokens;
mod feeds;
mod invitations;
pub(super) mod jobs;
pub(super) mod notifications;
mod outbox;
pub(super) use outbox::queue_emails;
mod rows;
mod sessions;
mod studios;
use rows::*;

// ---------------------------------------------------------------------------
// Statements used by more than one method

const INSERT_USER: &str = "INSERT INTO users (id, email, display_name, password_hash, created_at) \
                           VALUES ($1, $2, $3, $4, $5)";

async fn insert_user(tx: &Transaction<'_>, u: &UserRow) -> Result<u64, tokio_postgres::Error> {
    tx.execute(INSERT_USER, &[&u.id.0, &u.email, &u.display_name, &u.password_hash, &u.created_at.to_chrono()]).await
}

/// Inserts the membership, or replaces its role and artist link (keeping `created_at`).
async fn upsert_membership(tx: &Transaction<'_>, m: &MembershipRow) -> Result<u64, tokio_postgres::Error> {
    tx.execute(
        "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role, artist_id = EXCLUDED.artist_id",
        &[&m.tenant_id.0, &m.user_id.0, &m.role, &m.artist_id.map(|a| a.0), &m.created_at.to_chrono()],
    )
    .await
}

/// Records that `hash` was issued in `tenant` (for a refresh token: by `session`).
async fn index_token(
    tx: &Transaction<'_>,
    hash: &TokenHashBytes,
    kind: &str,
    tenant: TenantId,
    session: Option<AuthSessionId>,
) -> Result<u64, tokio_postgres::Error> {
    tx.execute(
        "INSERT INTO auth_token_index (hash, kind, tenant_id, session_id) VALUES ($1, $2, $3, $4)",
        &[&hash.as_slice(), &kind, &tenant.0, &session.map(|s| s.0)],
    )
    .await
}

/// The tenant a `kind` token hash was issued in, and (refresh tokens) its session.
async fn indexed(
    conn: &mut Conn<'_>,
    hash: &TokenHashBytes,
    kind: &str,
) -> Result<Option<(TenantId, Option<Uuid>)>, StoreError> {
    let tx = global_tx(conn, None, true).await?;
    let row = tx
        .query_opt(
            "SELECT tenant_id, session_id FROM auth_token_index WHERE hash = $1 AND kind = $2",
            &[&hash.as_slice(), &kind],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.map(|r| Ok((TenantId(get(&r, 0)?), get(&r, 1)?))).transpose()
}

fn challenge_hours(studio: &StudioRow) -> Result<i32, StoreError> {
    i32::try_from(studio.challenge_hours).map_err(|_| {
        StoreError::Other(format!("a challenge window of {} hours does not fit the database", studio.challenge_hours))
    })
}

fn hold_minutes(studio: &StudioRow) -> Result<i32, StoreError> {
    i32::try_from(studio.default_hold_minutes).map_err(|_| {
        StoreError::Other(format!("default hold of {} minutes does not fit the database", studio.default_hold_minutes))
    })
}

#[async_trait]
impl AuthStore for PgStore {
    async fn create_studio(
        &self,
        studio: &StudioRow,
        owner: &UserRow,
        membership: &MembershipRow,
    ) -> Result<(), AuthStoreError> {
        studios::create_studio(self, studio, owner, membership).await
    }

    async fn studio(&self, tenant: TenantId) -> Result<Option<StudioRow>, StoreError> {
        studios::studio(self, tenant).await
    }

    async fn update_studio(&self, studio: &StudioRow) -> Result<(), StoreError> {
        studios::update_studio(self, studio).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        studios::user_by_email(self, email).await
    }

    async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        studios::user(self, id).await
    }

    async fn save_user(&self, user: &UserRow) -> Result<(), AuthStoreError> {
        studios::save_user(self, user).await
    }

    async fn memberships_of_user(&self, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
        studios::memberships_of_user(self, user).await
    }

    async fn membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError> {
        studios::membership(self, tenant, user).await
    }

    async fn members(&self, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError> {
        studios::members(self, tenant).await
    }

    async fn save_membership(&self, membership: &MembershipRow) -> Result<(), StoreError> {
        studios::save_membership(self, membership).await
    }

    async fn remove_membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError> {
        studios::remove_membership(self, tenant, user).await
    }

    async fn insert_invitation(&self, inv: &InvitationRow) -> Result<(), StoreError> {
        invitations::insert_invitation(self, inv).await
    }

    async fn invitation_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<InvitationRow>, StoreError> {
        invitations::invitation_by_hash(self, hash).await
    }

    async fn pending_invitations(&self, tenant: TenantId) -> Result<Vec<InvitationRow>, StoreError> {
        invitations::pending_invitations(self, tenant).await
    }

    async fn delete_invitation(&self, tenant: TenantId, id: Uuid) -> Result<Option<InvitationRow>, StoreError> {
        invitations::delete_invitation(self, tenant, id).await
    }

    async fn accept_invitation(
        &self,
        invitation: &InvitationRow,
        user: Option<&UserRow>,
        membership: &MembershipRow,
        at: Timestamp,
    ) -> Result<(), AuthStoreError> {
        invitations::accept_invitation(self, invitation, user, membership, at).await
    }

    async fn insert_session(&self, s: &SessionRow) -> Result<(), StoreError> {
        sessions::insert_session(self, s).await
    }

    async fn session_by_token(&self, hash: &TokenHashBytes) -> Result<Option<SessionRow>, StoreError> {
        sessions::session_by_token(self, hash).await
    }

    async fn session(&self, tenant: TenantId, id: AuthSessionId) -> Result<Option<SessionRow>, StoreError> {
        sessions::session(self, tenant, id).await
    }

    async fn update_session(&self, s: &SessionRow, expected_generation: u32) -> Result<(), AuthStoreError> {
        sessions::update_session(self, s, expected_generation).await
    }

    async fn revoke_sessions_of(
        &self,
        tenant: TenantId,
        user: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<Vec<AuthSessionId>, StoreError> {
        sessions::revoke_sessions_of(self, tenant, user, at, reason).await
    }

    async fn insert_api_token(&self, t: &ApiTokenRow) -> Result<(), StoreError> {
        api_tokens::insert_api_token(self, t).await
    }

    async fn api_token_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<ApiTokenRow>, StoreError> {
        api_tokens::api_token_by_hash(self, hash).await
    }

    async fn api_tokens(&self, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError> {
        api_tokens::api_tokens(self, tenant).await
    }

    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        id: ApiTokenId,
        at: Timestamp,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        api_tokens::revoke_api_token(self, tenant, id, at).await
    }
}
