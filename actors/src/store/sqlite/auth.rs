//! Identity rows ([`AuthStore`]) in the embedded store; schema in
//! `migrations/sqlite/0002_identity.sql`.
//!
//! The semantics of the PostgreSQL store (see its `auth.rs`) without row-level
//! security: one process owns the file, and every query filters by tenant
//! where the table has one. A lookup by token hash joins `auth_token_index`
//! to the row in one statement. Writes run on the writer connection in one
//! `BEGIN IMMEDIATE` transaction each, so a compare-and-set cannot race.
//!
//! This file maps [`AuthStore`] onto the connections; the statements live by
//! concept: `studios` (studios, users, memberships), `invitations`,
//! `sessions`, `api_tokens`, and calendar feeds (`feeds`, the
//! [`FeedStore`](crate::store::feeds::FeedStore)).

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
                           VALUES (?1, ?2, ?3, ?4, ?5)";

fn user_params(u: &UserRow) -> ([u8; 16], &str, &str, Option<&str>, i64) {
    (u.id.0.into_bytes(), &u.email, &u.display_name, u.password_hash.as_deref(), u.created_at.micros())
}

/// Inserts the membership, or replaces its role and artist link (keeping `created_at`).
fn upsert_membership(conn: &Connection, m: &MembershipRow) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role, artist_id = excluded.artist_id",
        params![
            m.tenant_id.0.into_bytes(),
            m.user_id.0.into_bytes(),
            m.role,
            m.artist_id.map(|a| a.0.into_bytes()),
            m.created_at.micros()
        ],
    )
}

/// Records that `hash` was issued in `tenant` (for a refresh token: by `session`).
fn index_token(
    conn: &Connection,
    hash: &TokenHashBytes,
    kind: &str,
    tenant: TenantId,
    session: Option<AuthSessionId>,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO auth_token_index (hash, kind, tenant_id, session_id) VALUES (?1, ?2, ?3, ?4)",
        params![hash, kind, tenant.0.into_bytes(), session.map(|s| s.0.into_bytes())],
    )
}

fn immediate(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

impl SqliteStore {
    /// [`SqliteStore::write`] for a method that answers [`AuthStoreError`].
    async fn write_auth<F>(&self, f: F) -> Result<(), AuthStoreError>
    where
        F: FnOnce(&mut Connection) -> Result<(), AuthStoreError> + Send + 'static,
    {
        self.write(move |conn| Ok(f(conn))).await?
    }
}

#[async_trait]
impl AuthStore for SqliteStore {
    async fn create_studio(
        &self,
        studio: &StudioRow,
        owner: &UserRow,
        membership: &MembershipRow,
    ) -> Result<(), AuthStoreError> {
        let (s, owner, m) = (studio.clone(), owner.clone(), membership.clone());
        self.write_auth(move |conn| studios::create_studio(conn, &s, &owner, &m)).await
    }

    async fn studio(&self, tenant: TenantId) -> Result<Option<StudioRow>, StoreError> {
        self.read(move |conn| studios::studio(conn, tenant)).await
    }

    async fn update_studio(&self, studio: &StudioRow) -> Result<(), StoreError> {
        let s = studio.clone();
        self.write(move |conn| studios::update_studio(conn, &s)).await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let email = email.to_owned();
        self.read(move |conn| studios::user_by_email(conn, &email)).await
    }

    async fn user(&self, user: UserId) -> Result<Option<UserRow>, StoreError> {
        self.read(move |conn| studios::user(conn, user)).await
    }

    async fn save_user(&self, user: &UserRow) -> Result<(), AuthStoreError> {
        let u = user.clone();
        self.write_auth(move |conn| studios::save_user(conn, &u)).await
    }

    async fn memberships_of_user(&self, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
        self.read(move |conn| studios::memberships_of_user(conn, user)).await
    }

    async fn membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError> {
        self.read(move |conn| studios::membership(conn, tenant, user)).await
    }

    async fn members(&self, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError> {
        self.read(move |conn| studios::members(conn, tenant)).await
    }

    async fn save_membership(&self, membership: &MembershipRow) -> Result<(), StoreError> {
        let m = membership.clone();
        self.write(move |conn| {
            upsert_membership(conn, &m).map_err(map_sqlite)?;
            Ok(())
        })
        .await
    }

    async fn remove_membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError> {
        self.write(move |conn| studios::remove_membership(conn, tenant, user)).await
    }

    async fn insert_invitation(&self, invitation: &InvitationRow) -> Result<(), StoreError> {
        let inv = invitation.clone();
        self.write(move |conn| invitations::insert_invitation(conn, &inv)).await
    }

    async fn invitation_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<InvitationRow>, StoreError> {
        let hash = *hash;
        self.read(move |conn| invitations::invitation_by_hash(conn, hash)).await
    }

    async fn pending_invitations(&self, tenant: TenantId) -> Result<Vec<InvitationRow>, StoreError> {
        self.read(move |conn| invitations::pending_invitations(conn, tenant)).await
    }

    async fn delete_invitation(&self, tenant: TenantId, id: Uuid) -> Result<Option<InvitationRow>, StoreError> {
        self.write(move |conn| invitations::delete_invitation(conn, tenant, id)).await
    }

    async fn accept_invitation(
        &self,
        invitation: &InvitationRow,
        user: Option<&UserRow>,
        membership: &MembershipRow,
        at: Timestamp,
    ) -> Result<(), AuthStoreError> {
        let (inv, user, m) = (invitation.clone(), user.cloned(), membership.clone());
        self.write_auth(move |conn| invitations::accept_invitation(conn, &inv, user.as_ref(), &m, at)).await
    }

    async fn insert_session(&self, session: &SessionRow) -> Result<(), StoreError> {
        let s = session.clone();
        self.write(move |conn| sessions::insert_session(conn, &s)).await
    }

    async fn session_by_token(&self, hash: &TokenHashBytes) -> Result<Option<SessionRow>, StoreError> {
        let hash = *hash;
        self.read(move |conn| sessions::session_by_token(conn, hash)).await
    }

    async fn session(&self, tenant: TenantId, session: AuthSessionId) -> Result<Option<SessionRow>, StoreError> {
        self.read(move |conn| sessions::session(conn, tenant, session)).await
    }

    async fn update_session(&self, session: &SessionRow, expected_generation: u32) -> Result<(), AuthStoreError> {
        let s = session.clone();
        self.write_auth(move |conn| sessions::update_session(conn, &s, expected_generation)).await
    }

    async fn revoke_sessions_of(
        &self,
        tenant: TenantId,
        user: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<Vec<AuthSessionId>, StoreError> {
        let reason = reason.to_owned();
        self.write(move |conn| sessions::revoke_sessions_of(conn, tenant, user, at, &reason)).await
    }

    async fn insert_api_token(&self, token: &ApiTokenRow) -> Result<(), StoreError> {
        let t = token.clone();
        self.write(move |conn| api_tokens::insert_api_token(conn, &t)).await
    }

    async fn api_token_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<ApiTokenRow>, StoreError> {
        let hash = *hash;
        self.read(move |conn| api_tokens::api_token_by_hash(conn, hash)).await
    }

    async fn api_tokens(&self, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError> {
        self.read(move |conn| api_tokens::api_tokens(conn, tenant)).await
    }

    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        token: ApiTokenId,
        at: Timestamp,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        self.write(move |conn| api_tokens::revoke_api_token(conn, tenant, token, at)).await
    }
}
