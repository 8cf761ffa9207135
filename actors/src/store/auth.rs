//! Identity storage: studios' settings, users, memberships, invitations,
//! login sessions (refresh-token families) and API tokens.
//!
//! The rules (hashing, rotation, reuse detection, roles) live in pt-server's
//! `auth` module; this trait only keeps rows. Secrets are never stored: every
//! token appears here as the SHA-256 of its secret ([`TokenHashBytes`]).
//!
//! ## Tenancy
//! Users are global (one person may belong to several studios); everything
//! else belongs to one tenant. On PostgreSQL every tenant table here has the
//! same FORCEd row-level security as the booking tables, with two additions:
//! * `memberships` is also visible for the user being logged in
//!   (`app.current_user`), so login can list a user's studios;
//! * a bearer secret does not name its tenant, so `auth_token_index` (hash →
//!   tenant, kind) is readable without a tenant; the row itself is then read
//!   inside that tenant's transaction, under RLS.

use async_trait::async_trait;
use pt_protocol::ids::{ApiTokenId, AuthSessionId, UserId};
use pt_protocol::{ArtistId, TenantId, Timestamp};

use super::StoreError;

/// SHA-256 of a secret token.
pub type TokenHashBytes = [u8; 32];

/// A studio and its settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StudioRow {
    pub id: TenantId,
    pub name: String,
    /// IANA zone, e.g. `Europe/London`.
    pub timezone: String,
    /// How long a new hold lasts unless the command says otherwise.
    pub default_hold_minutes: i64,
    /// How long the holder of a challenged 1st hold has to answer.
    pub challenge_hours: i64,
    /// The working week as JSON (`{"days":[1,2,3,4,5],"start":"09:00","end":"18:00"}`);
    /// opaque to the store.
    pub working_week: String,
    /// Public holidays as JSON (`[{"date":"2026-12-25","name":"Christmas Day"}]`);
    /// opaque to the store.
    pub holidays: String,
    pub created_at: Timestamp,
}

/// A person. `email` is stored lower-cased and is unique.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    /// argon2id PHC string; `None` for users who only sign in through OIDC.
    pub password_hash: Option<String>,
    pub created_at: Timestamp,
}

/// A user's role in one studio. A freelancer's `artist_id` is their own artist
/// record: "own bookings" means bookings of that artist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipRow {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    /// `studio_owner`, `studio_manager` or `freelancer`.
    pub role: String,
    pub artist_id: Option<ArtistId>,
    pub created_at: Timestamp,
}

/// An invitation to join a studio, accepted once with its emailed token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvitationRow {
    pub id: uuid::Uuid,
    pub tenant_id: TenantId,
    pub email: String,
    pub role: String,
    pub artist_id: Option<ArtistId>,
    pub token_hash: TokenHashBytes,
    pub invited_by: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub accepted_at: Option<Timestamp>,
}

/// One login session: a refresh-token family.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub id: AuthSessionId,
    pub user_id: UserId,
    pub tenant_id: TenantId,
    /// Hash of the only refresh token that may be used next.
    pub current_hash: TokenHashBytes,
    pub generation: u32,
    pub created_at: Timestamp,
    pub last_used_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// `logout`, `reuse`, `password_changed`, `membership_ended`.
    pub revoked_reason: Option<String>,
}

/// An integration's API token (the secret is never stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRow {
    pub id: ApiTokenId,
    pub tenant_id: TenantId,
    pub role: String,
    pub name: String,
    pub hash: TokenHashBytes,
    /// The first characters of the token, to recognise it in a list.
    pub hint: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// Why an identity write was refused.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthStoreError {
    /// A unique key is taken: the email of a user, or a membership that exists.
    #[error("already exists: {0}")]
    Duplicate(String),
    /// The row to change is gone or no longer in the expected state (an
    /// invitation accepted already, a session rotated by someone else).
    #[error("no longer current: {0}")]
    Stale(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[async_trait]
pub trait AuthStore: Send + Sync + 'static {
    // ---- studios -------------------------------------------------------

    /// Sign-up: the studio (tenant row with its settings), its owner (a new
    /// user) and the owner's membership, in one transaction. `Duplicate` when
    /// the email is taken (nothing is written).
    ///
    /// The tenant row may exist already (`Store::ensure_tenant`, or a studio
    /// used before sign-up): its settings are then replaced and its
    /// `created_at` is kept.
    async fn create_studio(
        &self,
        studio: &StudioRow,
        owner: &UserRow,
        membership: &MembershipRow,
    ) -> Result<(), AuthStoreError>;

    /// The studio's settings; `None` for an unknown tenant.
    async fn studio(&self, tenant: TenantId) -> Result<Option<StudioRow>, StoreError>;

    /// Replaces name, timezone, default hold and working week (not `created_at`).
    /// An unknown tenant is an error (`StoreError::Other`).
    async fn update_studio(&self, studio: &StudioRow) -> Result<(), StoreError>;

    // ---- users and memberships -----------------------------------------

    /// By lower-cased email.
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError>;

    async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError>;

    /// Inserts a user, or (same id) replaces display name and password hash.
    /// `Duplicate` when another user has the email.
    async fn save_user(&self, user: &UserRow) -> Result<(), AuthStoreError>;

    /// Every studio the user belongs to (for login), oldest first.
    async fn memberships_of_user(&self, user: UserId) -> Result<Vec<MembershipRow>, StoreError>;

    async fn membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError>;

    /// The studio's members with their users, oldest first.
    async fn members(&self, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError>;

    /// Inserts or replaces (tenant, user)'s membership (role, artist link).
    async fn save_membership(&self, membership: &MembershipRow) -> Result<(), StoreError>;

    /// Ends (tenant, user)'s membership: the row is deleted and returned, or
    /// `None` when there was none. Their sessions are the caller's to revoke.
    async fn remove_membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError>;

    // ---- invitations ---------------------------------------------------

    async fn insert_invitation(&self, invitation: &InvitationRow) -> Result<(), StoreError>;

    /// The invitation whose token hashes to `hash`, whatever its state.
    async fn invitation_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<InvitationRow>, StoreError>;

    /// The studio's invitations not accepted yet (expired ones included),
    /// newest first.
    async fn pending_invitations(&self, tenant: TenantId) -> Result<Vec<InvitationRow>, StoreError>;

    /// Revokes a pending invitation by deleting it (its token then finds
    /// nothing). Returns it, or `None` when the studio has no such pending
    /// invitation (an accepted one stays).
    async fn delete_invitation(&self, tenant: TenantId, id: uuid::Uuid) -> Result<Option<InvitationRow>, StoreError>;

    /// Accepts an invitation, in one transaction: marks it accepted at `at`
    /// (`Stale` if it was accepted already), saves `user` when given (a new
    /// user; `Duplicate` on a taken email) and saves `membership`. Expiry is
    /// the caller's rule: the store does not look at `expires_at`.
    async fn accept_invitation(
        &self,
        invitation: &InvitationRow,
        user: Option<&UserRow>,
        membership: &MembershipRow,
        at: Timestamp,
    ) -> Result<(), AuthStoreError>;

    // ---- login sessions (refresh-token families) ------------------------

    /// A new session; its `current_hash` is indexed.
    async fn insert_session(&self, session: &SessionRow) -> Result<(), StoreError>;

    /// The session that issued `hash` — its current token or any earlier one
    /// (presenting an earlier one is reuse, which revokes the family).
    async fn session_by_token(&self, hash: &TokenHashBytes) -> Result<Option<SessionRow>, StoreError>;

    async fn session(&self, tenant: TenantId, id: AuthSessionId) -> Result<Option<SessionRow>, StoreError>;

    /// Saves a rotated or revoked session. When `current_hash` changed, the
    /// new hash is indexed too (old ones stay, pointing at the family).
    /// Compare-and-set on `generation`: `expected_generation` is what the
    /// caller read; `Stale` if another rotation won the race, if the session
    /// is gone, or if it was revoked meanwhile and `session` is not revoked
    /// (a revocation by [`AuthStore::revoke_sessions_of`] does not change
    /// `generation`, and must not be undone by a rotation that read the
    /// session before it). Saving a revoked session over a revoked one keeps
    /// the first `revoked_at` and reason.
    async fn update_session(&self, session: &SessionRow, expected_generation: u32) -> Result<(), AuthStoreError>;

    /// Revokes every live session of `user` in `tenant` (membership ended,
    /// password changed). Returns their ids, sorted. Sessions revoked before
    /// keep their first revocation.
    async fn revoke_sessions_of(
        &self,
        tenant: TenantId,
        user: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<Vec<AuthSessionId>, StoreError>;

    // ---- API tokens -----------------------------------------------------

    async fn insert_api_token(&self, token: &ApiTokenRow) -> Result<(), StoreError>;

    async fn api_token_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<ApiTokenRow>, StoreError>;

    /// The studio's tokens (revoked ones included), newest first.
    async fn api_tokens(&self, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError>;

    /// Sets `revoked_at` (kept if already set). Returns the token, or `None`
    /// when the studio has no such token.
    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        id: ApiTokenId,
        at: Timestamp,
    ) -> Result<Option<ApiTokenRow>, StoreError>;
}
