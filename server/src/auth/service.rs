//! [`AuthService`]: authentication wired to the store's identity rows
//! ([`pt_actors::store::auth::AuthStore`]). Its work is spread over one file
//! per concept, each adding to the service:
//! * [`super::authenticate`] — every request's and every WebSocket `Hello`'s
//!   bearer token → [`Authenticated`] (or a typed `401`);
//! * [`super::external`] — an OpenID Connect provider's tokens and key set;
//! * [`super::signup`] / [`super::login`] — credentials: new studios, joining
//!   one by invitation, password sign-in and its throttle;
//! * [`super::sessions`] — login sessions: start, refresh, logout, and ending
//!   a member's sessions when their membership changes.
//!
//! Revocations are also broadcast ([`AuthService::revocations`]) so open
//! WebSocket sessions close at once instead of at the token's expiry.

pub use super::authenticated::{Authenticated, forbidden, unauthenticated};
pub use super::login::LoginRequest;
pub use super::sessions::{LoginResponse, RefreshRequest, StudioSummary, UserSummary};
pub use super::signup::{AcceptRequest, SignupRequest};

use super::external::ExternalProvider;
use super::password::PasswordHasher;
use super::refresh::RefreshPolicy;
use super::tokens::AccessTokens;
use super::{Role, SessionId};
use crate::error::ApiError;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use dashmap::DashMap;
use pt_actors::domain::settings::DEFAULT_HOLD_MINUTES;
use pt_actors::store::auth::{ApiTokenRow, AuthStoreError};
use pt_actors::store::{Store, StoreError};
use pt_protocol::ids::{ApiTokenId, UserId};
use pt_protocol::{ErrorCode, TenantId, Timestamp};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// How long a "this login session is live" answer is trusted without asking
/// the store again. Revocations made through this server apply at once; this
/// bounds how late another server's revocation is noticed.
pub const SESSION_CACHE_TTL: Duration = Duration::from_secs(30);

/// Something revoked: WebSocket sessions authenticated by it close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revoked {
    Session(SessionId),
    ApiToken(ApiTokenId),
    /// Every credential of this user in this studio (membership ended).
    Member(TenantId, UserId),
}

/// A login session found live: which studio and user it belongs to. An access
/// token passes the liveness cache only when its own claims name the same
/// (studio, session, user).
pub(super) type LiveKey = (TenantId, SessionId, UserId);

pub struct AuthService {
    pub(super) store: Arc<dyn Store>,
    pub(super) tokens: AccessTokens,
    pub(super) hasher: PasswordHasher,
    pub(super) refresh_policy: RefreshPolicy,
    pub(super) oidc: Option<ExternalProvider>,
    /// The default hold of studios signed up through this server.
    pub(super) new_studio_hold_minutes: i64,
    /// Recent login failures per `acct:<email>` and per `ip:<addr>`.
    pub(super) failures: DashMap<String, Vec<DateTime<Utc>>>,
    /// Sessions recently found live → when that was checked.
    pub(super) live_sessions: DashMap<LiveKey, Instant>,
    pub(super) api_tokens: DashMap<[u8; 32], ApiTokenRow>,
    /// Members' current roles, for API tokens (which never do more than
    /// their creator may today): (studio, user) → role (`None`: not a
    /// member), and when it was read. Dropped on every membership change.
    pub(super) member_roles: DashMap<(TenantId, UserId), (Option<Role>, Instant)>,
    /// External users known to have a membership (see `provision_external`).
    pub(super) provisioned: dashmap::DashSet<(TenantId, UserId)>,
    revocations: broadcast::Sender<Revoked>,
    /// Studios whose memberships changed (joined, relinked, removed): the
    /// engine re-reads which user is linked to which artist.
    memberships: broadcast::Sender<TenantId>,
}

impl AuthService {
    pub fn new(store: Arc<dyn Store>, tokens: AccessTokens, hasher: PasswordHasher) -> Self {
        let (revocations, _) = broadcast::channel(1024);
        let (memberships, _) = broadcast::channel(1024);
        Self {
            store,
            tokens,
            hasher,
            refresh_policy: RefreshPolicy::DEFAULT,
            oidc: None,
            new_studio_hold_minutes: DEFAULT_HOLD_MINUTES,
            failures: DashMap::new(),
            live_sessions: DashMap::new(),
            api_tokens: DashMap::new(),
            member_roles: DashMap::new(),
            provisioned: dashmap::DashSet::new(),
            revocations,
            memberships,
        }
    }

    /// The default hold of studios signed up through this server (`--default-hold-hours`);
    /// each studio changes its own in its settings afterwards.
    pub fn with_new_studio_hold(mut self, minutes: i64) -> Self {
        self.new_studio_hold_minutes = minutes;
        self
    }

    pub fn tokens(&self) -> &AccessTokens {
        &self.tokens
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn revocations(&self) -> broadcast::Receiver<Revoked> {
        self.revocations.subscribe()
    }

    /// Studios whose memberships change from now on.
    pub fn membership_changes(&self) -> broadcast::Receiver<TenantId> {
        self.memberships.subscribe()
    }

    /// A studio's memberships changed.
    pub(crate) fn memberships_changed(&self, tenant: TenantId) {
        let _ = self.memberships.send(tenant);
    }

    /// Drops what the caches know about `what`, and tells open WebSocket sessions.
    pub(crate) fn announce(&self, what: Revoked) {
        match &what {
            Revoked::Session(sid) => self.live_sessions.retain(|key, _| key.1 != *sid),
            Revoked::ApiToken(id) => self.api_tokens.retain(|_, row| row.id != *id),
            Revoked::Member(..) => self.live_sessions.clear(),
        }
        let _ = self.revocations.send(what);
    }

    /// An argon2id PHC string of `password` (hashed off the async threads:
    /// it takes tens of milliseconds and tens of MiB).
    pub(crate) async fn hash_password(&self, password: String) -> Result<String, ApiError> {
        let hasher = self.hasher.clone();
        tokio::task::spawn_blocking(move || hasher.hash(&password)).await.map_err(internal)?.map_err(internal)
    }

    pub(super) async fn verify_password(&self, password: String, phc: String) -> Result<bool, ApiError> {
        let hasher = self.hasher.clone();
        tokio::task::spawn_blocking(move || hasher.verify(&password, &phc)).await.map_err(internal)?.map_err(internal)
    }
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::from(pt_actors::CommandError::Internal(e.to_string()))
}

/// The store failed: `503`, details in the log only.
pub(crate) fn store_error(e: StoreError) -> ApiError {
    ApiError::from(pt_actors::CommandError::Unavailable(e.to_string()))
}

pub(crate) fn auth_store_error(e: AuthStoreError) -> ApiError {
    match e {
        AuthStoreError::Duplicate(what) => {
            ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, format!("already exists: {what}"))
        }
        AuthStoreError::Stale(what) => {
            ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, format!("no longer current: {what}"))
        }
        AuthStoreError::Store(e) => store_error(e),
    }
}

/// A stored role name (written by this server, so a bad one is a bug).
pub(crate) fn parse_role(s: &str) -> Result<Role, ApiError> {
    s.parse::<Role>().map_err(|e| internal(format!("stored role: {e}")))
}

pub(crate) fn ts(t: DateTime<Utc>) -> Timestamp {
    Timestamp(t.timestamp_micros())
}

pub(crate) fn dt(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}
