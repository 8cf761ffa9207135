//! The wired authentication service: the pure parts of this module over the
//! store's identity rows ([`pt_actors::store::auth::AuthStore`]).
//!
//! Every request and every WebSocket `Hello` ends in [`AuthService::authenticate`],
//! which turns a bearer token into an [`Authenticated`] (or a typed `401`):
//! * `pt_…` → an API token, looked up by hash (cached; revocation through this
//!   server drops the cache entry at once);
//! * a JWT issued by us → an access token; its login session (`sid`) must not
//!   be revoked (checked against the store, cached for [`SESSION_CACHE_TTL`]);
//! * any other JWT → the configured OIDC provider, if any.
//!
//! Revocations are also broadcast ([`AuthService::revocations`]) so open
//! WebSocket sessions close at once instead of at the token's expiry.

use super::api_tokens::{ApiToken, ApiTokenError, ApiTokenRecord};
use super::oidc::{JwksSource, OidcConfig, OidcVerifier};
use super::opaque::TokenHash;
use super::password::{LoginThrottle, PasswordHasher, ThrottleDecision, check_password_rules};
use super::refresh::{RefreshError, RefreshFamily, RefreshPolicy, RefreshToken, RevokeReason};
use super::tokens::{AccessTokens, TokenError};
use super::{AuthVia, Permission, Principal, Role, SessionId};
use crate::error::ApiError;
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use dashmap::DashMap;
use pt_actors::store::Store;
use pt_actors::store::StoreError;
use pt_actors::store::auth::{
    ApiTokenRow, AuthStoreError, InvitationRow, MembershipRow, SessionRow, StudioRow, UserRow,
};
use pt_protocol::ids::{ApiTokenId, UserId};
use pt_protocol::{ArtistId, ErrorCode, TenantId, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// How long a "this login session is live" answer is trusted without asking
/// the store again. Revocations made through this server apply at once; this
/// bounds how late another server's revocation is noticed.
pub const SESSION_CACHE_TTL: Duration = Duration::from_secs(30);
/// How long an invitation token stays valid.
pub const INVITATION_TTL: TimeDelta = TimeDelta::days(7);
/// Longest studio name, display name, API token name.
pub const MAX_NAME: usize = 200;

/// A successful authentication.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub principal: Principal,
    /// A freelancer's own artist record (what "own bookings" means).
    pub own_artist: Option<ArtistId>,
    /// When the credential stops being accepted (WebSocket sessions close then).
    pub expires_at: Option<DateTime<Utc>>,
}

impl Authenticated {
    /// The one permission check ([`super::rbac::authorize`]) as an API error.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        self.principal.authorize(permission).map_err(forbidden)
    }

    /// For reads with an "own" variant: `None` = everything, `Some(artist)` =
    /// only that artist's (a freelancer without a linked artist owns nothing:
    /// a nil id that matches no artist).
    pub fn scope(&self, all: Permission, own: Permission) -> Result<Option<ArtistId>, ApiError> {
        match super::rbac::authorize_scoped(&self.principal, all, own).map_err(forbidden)? {
            super::Scope::All => Ok(None),
            super::Scope::Own => Ok(Some(self.own_artist.unwrap_or(ArtistId(uuid::Uuid::nil())))),
        }
    }

    /// Whether `artist` is the principal's own artist record.
    pub fn owns(&self, artist: ArtistId) -> bool {
        self.own_artist == Some(artist)
    }

    /// Who acted, for the audit trail (`events.actor`, `bookings.updated_by`):
    /// `user:<id>`, plus `/token:<id>` for an API token or `/oidc` for an
    /// external login.
    pub fn actor(&self) -> String {
        let user = self.principal.user_id;
        match &self.principal.via {
            AuthVia::Password { .. } => format!("user:{user}"),
            AuthVia::ApiToken { token } => format!("user:{user}/token:{token}"),
            AuthVia::Oidc { .. } => format!("user:{user}/oidc"),
        }
    }
}

pub fn forbidden(f: super::Forbidden) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::Forbidden,
        format!("your role lacks the permission `{}`", f.missing),
    )
    .with_details(json!({ "missing": f.missing.as_str() }))
}

/// `401` with `details.reason` (`missing_token`, `token_expired`, `session_ended` …).
pub fn unauthenticated(reason: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, message)
        .with_details(json!({ "reason": reason }))
}

fn store_error(e: StoreError) -> ApiError {
    ApiError::from(pt_actors::CommandError::Unavailable(e.to_string()))
}

fn auth_store_error(e: AuthStoreError) -> ApiError {
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

fn ts(t: DateTime<Utc>) -> Timestamp {
    Timestamp(t.timestamp_micros())
}

fn dt(t: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(t.0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn token_error(e: &TokenError) -> ApiError {
    let message = match e {
        TokenError::Expired => "the access token has expired; refresh it".to_string(),
        other => format!("the bearer token was refused: {other}"),
    };
    unauthenticated(e.code(), message)
}

/// Something revoked: WebSocket sessions authenticated by it close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revoked {
    Session(SessionId),
    ApiToken(ApiTokenId),
    /// Every credential of this user in this studio (membership ended).
    Member(TenantId, UserId),
}

/// Where OIDC keys come from, and how to refresh them.
pub struct OidcSetup {
    pub config: OidcConfig,
}

/// The answer to signup, login, refresh and invitation acceptance.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer …` and in the WebSocket `hello`.
    pub access_token: String,
    /// Exchange at `/auth/refresh` before `accessExpiresAt`; single use.
    pub refresh_token: String,
    #[schema(value_type = String)]
    pub access_expires_at: Timestamp,
    pub tenant: StudioSummary,
    pub user: UserSummary,
    /// `studio_owner`, `studio_manager` or `freelancer`.
    pub role: String,
    /// A freelancer's own artist record.
    #[schema(value_type = Option<String>)]
    pub artist_id: Option<ArtistId>,
}

#[derive(Serialize, Debug, Clone, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StudioSummary {
    #[schema(value_type = String)]
    pub id: TenantId,
    pub name: String,
}

#[derive(Serialize, Debug, Clone, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    #[schema(value_type = String)]
    pub id: UserId,
    pub email: String,
    pub display_name: String,
}

impl From<&UserRow> for UserSummary {
    fn from(u: &UserRow) -> Self {
        Self { id: u.id, email: u.email.clone(), display_name: u.display_name.clone() }
    }
}

/// A studio's working week.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkingWeek {
    /// ISO weekdays, 1 = Monday … 7 = Sunday, each at most once.
    #[schema(schema_with = weekdays)]
    pub days: Vec<u8>,
    /// `HH:MM`, local time of the studio.
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// `HH:MM`, after `start`.
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub end: String,
}

impl Default for WorkingWeek {
    fn default() -> Self {
        Self { days: vec![1, 2, 3, 4, 5], start: "09:00".into(), end: "18:00".into() }
    }
}

/// The OpenAPI schema of [`WorkingWeek::days`]: 1 to 7 distinct ISO weekdays.
fn weekdays() -> utoipa::openapi::schema::ArrayBuilder {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let day = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(7));
    ArrayBuilder::new().items(day).min_items(Some(1)).max_items(Some(7)).unique_items(true)
}

impl WorkingWeek {
    pub fn validate(&self) -> Result<(), ApiError> {
        if self.days.is_empty() || self.days.iter().any(|d| !(1..=7).contains(d)) {
            return Err(ApiError::invalid("workingWeek.days", "ISO weekdays 1 (Monday) to 7 (Sunday), at least one"));
        }
        let mut seen = self.days.clone();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != self.days.len() {
            return Err(ApiError::invalid("workingWeek.days", "each day at most once"));
        }
        let minutes = |field: &str, s: &str| -> Result<u32, ApiError> {
            let bad = || ApiError::invalid(field, "a time of day as HH:MM");
            let (h, m) = s.split_once(':').ok_or_else(bad)?;
            if h.len() != 2 || m.len() != 2 {
                return Err(bad());
            }
            let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
            if h > 23 || m > 59 {
                return Err(bad());
            }
            Ok(h * 60 + m)
        };
        if minutes("workingWeek.start", &self.start)? >= minutes("workingWeek.end", &self.end)? {
            return Err(ApiError::invalid("workingWeek.end", "must be after start"));
        }
        Ok(())
    }
}

/// A studio's settings as the API shows them.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StudioSettings {
    #[schema(value_type = String)]
    pub id: TenantId,
    pub name: String,
    /// IANA zone, e.g. `Europe/London`.
    pub timezone: String,
    pub default_hold_minutes: i64,
    pub working_week: WorkingWeek,
}

impl From<&StudioRow> for StudioSettings {
    fn from(s: &StudioRow) -> Self {
        Self {
            id: s.id,
            name: s.name.clone(),
            timezone: s.timezone.clone(),
            default_hold_minutes: s.default_hold_minutes,
            working_week: serde_json::from_str(&s.working_week).unwrap_or_default(),
        }
    }
}

pub fn validate_timezone(tz: &str) -> Result<(), ApiError> {
    tz.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| ApiError::invalid("timezone", "an IANA time zone such as Europe/London"))
}

pub fn validate_name(field: &str, name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::invalid(field, format!("1 to {MAX_NAME} characters")));
    }
    Ok(name.to_string())
}

pub fn normalize_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim().to_lowercase();
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if ok { Ok(email) } else { Err(ApiError::invalid("email", "not an email address")) }
}

pub struct AuthService {
    store: Arc<dyn Store>,
    tokens: AccessTokens,
    hasher: PasswordHasher,
    refresh_policy: RefreshPolicy,
    oidc: Option<RwLock<OidcVerifier>>,
    oidc_source: Option<JwksSource>,
    /// Recent login failures per `acct:<email>` and per `ip:<addr>`.
    failures: DashMap<String, Vec<DateTime<Utc>>>,
    /// Sessions recently found live: sid → when that was checked.
    live_sessions: DashMap<SessionId, Instant>,
    api_tokens: DashMap<[u8; 32], ApiTokenRow>,
    /// Members' current roles, for API tokens (which never do more than
    /// their creator may today): (studio, user) → role (`None`: not a
    /// member), and when it was read. Dropped on every membership change.
    member_roles: DashMap<(TenantId, UserId), (Option<Role>, Instant)>,
    /// External users known to have a membership (see `provision_external`).
    provisioned: dashmap::DashSet<(TenantId, UserId)>,
    /// Studio settings, read on the command path (default hold); changed
    /// only through [`AuthService::update_studio`], which refreshes it.
    studios: DashMap<TenantId, StudioRow>,
    revocations: broadcast::Sender<Revoked>,
}

impl AuthService {
    pub fn new(store: Arc<dyn Store>, tokens: AccessTokens, hasher: PasswordHasher) -> Self {
        let (revocations, _) = broadcast::channel(1024);
        Self {
            store,
            tokens,
            hasher,
            refresh_policy: RefreshPolicy::DEFAULT,
            oidc: None,
            oidc_source: None,
            failures: DashMap::new(),
            live_sessions: DashMap::new(),
            api_tokens: DashMap::new(),
            member_roles: DashMap::new(),
            provisioned: dashmap::DashSet::new(),
            studios: DashMap::new(),
            revocations,
        }
    }

    /// Accept tokens of an external OpenID Connect provider. The key set is
    /// read now (a file, inline JSON, or an `http://` URL); a token naming an
    /// unknown `kid` re-reads it (at most once a minute).
    pub async fn with_oidc(mut self, config: OidcConfig) -> anyhow::Result<Self> {
        let jwks = load_jwks(&config.jwks).await?;
        tracing::info!(issuer = %config.issuer, keys = jwks.len(), "OIDC provider configured");
        self.oidc_source = Some(config.jwks.clone());
        self.oidc = Some(RwLock::new(OidcVerifier::new(config, jwks)));
        Ok(self)
    }

    pub fn tokens(&self) -> &AccessTokens {
        &self.tokens
    }

    pub fn revocations(&self) -> broadcast::Receiver<Revoked> {
        self.revocations.subscribe()
    }

    // ---- authentication of requests ----------------------------------------

    /// The principal of an `Authorization` header value (or a WS hello token).
    pub async fn authenticate(&self, bearer: &str, now: DateTime<Utc>) -> Result<Authenticated, ApiError> {
        let bearer = bearer.trim();
        if bearer.is_empty() {
            return Err(unauthenticated("missing_token", "sign in: send Authorization: Bearer <token>"));
        }
        let (principal, expires_at) = if ApiToken::looks_like(bearer) {
            self.authenticate_api_token(bearer, now).await?
        } else if self.is_ours(bearer) {
            let claims = self.tokens.verify(bearer, now).map_err(|e| token_error(&e))?;
            self.check_session_live(claims.tid, claims.sid).await?;
            (claims.principal(), Some(claims.expires_at()))
        } else if let Some(oidc) = &self.oidc {
            let verify = |o: &RwLock<OidcVerifier>| {
                let o = o.read().expect("oidc lock");
                o.verify(bearer, now).and_then(|id| Ok((o.config().claims.principal(&id)?, id)))
            };
            let result = match verify(oidc) {
                Err(e) if e.is_unknown_key() && self.refresh_jwks().await => verify(oidc),
                other => other,
            };
            let (principal, identity) =
                result.map_err(|e| unauthenticated(e.code(), format!("the OIDC token was refused: {e}")))?;
            if self.store.studio(principal.tenant_id).await.map_err(store_error)?.is_none() {
                return Err(unauthenticated("no_membership", "the token names a studio that does not exist here"));
            }
            self.provision_external(&principal, &identity, now).await?;
            let exp = super::tokens::peek_exp(bearer);
            (principal, exp)
        } else {
            return Err(unauthenticated("invalid_token", "the bearer token was not issued by this server"));
        };
        let own_artist = if principal.role == Role::Freelancer {
            self.store
                .membership(principal.tenant_id, principal.user_id)
                .await
                .map_err(store_error)?
                .and_then(|m| m.artist_id)
        } else {
            None
        };
        Ok(Authenticated { principal, own_artist, expires_at })
    }

    fn is_ours(&self, token: &str) -> bool {
        super::tokens::peek_issuer(token).is_none_or(|iss| iss == self.tokens.issuer())
    }

    async fn authenticate_api_token(
        &self,
        bearer: &str,
        now: DateTime<Utc>,
    ) -> Result<(Principal, Option<DateTime<Utc>>), ApiError> {
        let token = ApiToken::parse(bearer).map_err(|_| unauthenticated("invalid_token", "malformed API token"))?;
        let hash = *token.hash().as_bytes();
        let row = match self.api_tokens.get(&hash) {
            Some(r) => r.clone(),
            None => {
                let Some(row) = self.store.api_token_by_hash(&hash).await.map_err(store_error)? else {
                    return Err(unauthenticated("invalid_token", "unknown API token"));
                };
                self.api_tokens.insert(hash, row.clone());
                row
            }
        };
        let record = api_record(&row)?;
        let principal = record.principal(now).map_err(|e| match e {
            ApiTokenError::Revoked => unauthenticated(ApiTokenError::CODE, "the API token was revoked"),
            ApiTokenError::Expired => unauthenticated(ApiTokenError::CODE, "the API token has expired"),
        })?;
        // A token acts for its creator: it stops when they leave the studio,
        // and when they lose a permission it carries (a demoted owner's
        // token must not keep owner powers).
        match self.member_role(principal.tenant_id, principal.user_id).await? {
            None => {
                Err(unauthenticated(ApiTokenError::CODE, "the API token's creator is no longer a member of the studio"))
            }
            Some(now_role) if !now_role.includes(principal.role) => Err(unauthenticated(
                ApiTokenError::CODE,
                format!(
                    "the API token carries role {} but its creator is now {now_role}; create a new token",
                    principal.role
                ),
            )),
            Some(_) => Ok((principal, record.expires_at)),
        }
    }

    /// An external (OIDC) user's first sign-in to a studio creates their user
    /// row and membership, so that the studio's members list shows them and
    /// an owner can link a freelancer to their artist
    /// (`PATCH /studio/members/{userId}`). The token's role stays the one that
    /// counts; the membership's is what it was at the first sign-in.
    async fn provision_external(
        &self,
        p: &Principal,
        identity: &super::oidc::ExternalIdentity,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let key = (p.tenant_id, p.user_id);
        if self.provisioned.contains(&key) {
            return Ok(());
        }
        if self.store.membership(p.tenant_id, p.user_id).await.map_err(store_error)?.is_none() {
            if self.store.user(p.user_id).await.map_err(store_error)?.is_none() {
                let text = |k: &str| identity.claims.get(k).and_then(|v| v.as_str()).filter(|s| !s.trim().is_empty());
                let display_name = text("name").or(text("email")).unwrap_or(&identity.subject);
                let user = UserRow {
                    id: p.user_id,
                    // Not the provider's email: that may belong to a built-in
                    // account, and this row never signs in with a password.
                    email: format!("{}@oidc.invalid", p.user_id),
                    display_name: display_name.chars().take(200).collect(),
                    password_hash: None,
                    created_at: ts(now),
                };
                self.store.save_user(&user).await.map_err(auth_store_error)?;
            }
            let membership = MembershipRow {
                tenant_id: p.tenant_id,
                user_id: p.user_id,
                role: p.role.as_str().into(),
                artist_id: None,
                created_at: ts(now),
            };
            self.store.save_membership(&membership).await.map_err(store_error)?;
            tracing::info!(target: "pt_server::audit", user = %p.user_id, tenant = %p.tenant_id,
                issuer = %identity.issuer, subject = %identity.subject, role = %p.role, "external user joined the studio");
        }
        self.provisioned.insert(key);
        Ok(())
    }

    /// `not_found` unless the studio has this (unarchived) artist: a member
    /// is only ever linked to one of their own studio's artists.
    async fn studio_artist(&self, tenant: TenantId, artist: ArtistId) -> Result<(), ApiError> {
        match self.store.load_artist(tenant, artist).await.map_err(store_error)? {
            Some(a) if a.archived_at.is_none() => Ok(()),
            _ => Err(ApiError::not_found("artist")),
        }
    }

    /// A member's current role (cached for [`SESSION_CACHE_TTL`], dropped on change).
    async fn member_role(&self, tenant: TenantId, user: UserId) -> Result<Option<Role>, ApiError> {
        if let Some(hit) = self.member_roles.get(&(tenant, user)).filter(|e| e.1.elapsed() < SESSION_CACHE_TTL) {
            return Ok(hit.0);
        }
        let role = match self.store.membership(tenant, user).await.map_err(store_error)? {
            Some(m) => Some(parse_role(&m.role)?),
            None => None,
        };
        self.member_roles.insert((tenant, user), (role, Instant::now()));
        Ok(role)
    }

    async fn check_session_live(&self, tenant: TenantId, sid: SessionId) -> Result<(), ApiError> {
        if self.live_sessions.get(&sid).is_some_and(|at| at.elapsed() < SESSION_CACHE_TTL) {
            return Ok(());
        }
        let row = self.store.session(tenant, sid).await.map_err(store_error)?;
        let live =
            row.is_some_and(|s| s.revoked_at.is_none() && family(&s).is_active(&self.refresh_policy, Utc::now()));
        if !live {
            self.live_sessions.remove(&sid);
            return Err(unauthenticated(RefreshError::CODE, "this login session has ended; sign in again"));
        }
        self.live_sessions.insert(sid, Instant::now());
        Ok(())
    }

    async fn refresh_jwks(&self) -> bool {
        static LAST: std::sync::Mutex<Option<Instant>> = std::sync::Mutex::new(None);
        {
            let mut last = LAST.lock().expect("jwks lock");
            if last.is_some_and(|t| t.elapsed() < Duration::from_secs(60)) {
                return false;
            }
            *last = Some(Instant::now());
        }
        let (Some(source), Some(oidc)) = (&self.oidc_source, &self.oidc) else { return false };
        match load_jwks(source).await {
            Ok(jwks) => {
                oidc.write().expect("oidc lock").set_jwks(jwks);
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not re-read the OIDC key set");
                false
            }
        }
    }

    // ---- sign-up, login, refresh, logout -----------------------------------

    /// A new studio with its owner; answers as a login.
    pub async fn signup(&self, req: SignupRequest, now: DateTime<Utc>) -> Result<LoginResponse, ApiError> {
        let studio_name = validate_name("studioName", &req.studio_name)?;
        let display_name = validate_name("displayName", &req.display_name)?;
        let email = normalize_email(&req.email)?;
        let timezone = req.timezone.unwrap_or_else(|| "UTC".into());
        validate_timezone(&timezone)?;
        check_password_rules(&req.password, &[&email, &display_name, &studio_name])
            .map_err(|e| ApiError::invalid("password", e.to_string()))?;
        let password_hash = self.hash(req.password).await?;
        let studio = StudioRow {
            id: TenantId::new(),
            name: studio_name,
            timezone,
            default_hold_minutes: 48 * 60,
            working_week: serde_json::to_string(&WorkingWeek::default()).expect("json"),
            created_at: ts(now),
        };
        let user =
            UserRow { id: UserId::new(), email, display_name, password_hash: Some(password_hash), created_at: ts(now) };
        let membership = MembershipRow {
            tenant_id: studio.id,
            user_id: user.id,
            role: Role::StudioOwner.as_str().into(),
            artist_id: None,
            created_at: ts(now),
        };
        self.store.create_studio(&studio, &user, &membership).await.map_err(|e| match e {
            AuthStoreError::Duplicate(_) => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::Conflict,
                "an account with this email exists; sign in and create the studio from there",
            ),
            other => auth_store_error(other),
        })?;
        tracing::info!(tenant = %studio.id, user = %user.id, "studio signed up");
        self.start_session(&studio, &user, &membership, now).await
    }

    /// Refuses (`429`) while an account or an address has failed too often.
    fn check_throttle(&self, email: &str, ip: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
        let (acct_key, ip_key) = (format!("acct:{email}"), format!("ip:{ip}"));
        for (key, policy) in [(&acct_key, LoginThrottle::per_account()), (&ip_key, LoginThrottle::per_ip())] {
            let failures = self.failures.get(key).map(|f| f.clone()).unwrap_or_default();
            if let ThrottleDecision::Wait { until } = policy.check(&failures, now) {
                let secs = ThrottleDecision::Wait { until }.retry_after_secs(now).unwrap_or(1);
                tracing::warn!(target: "pt_server::audit", %email, %ip, retry_after = secs, "login throttled");
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::RateLimited,
                    format!("too many failed sign-ins; try again in {secs} s"),
                )
                .with_details(json!({ "retryAfterSeconds": secs })));
            }
        }
        Ok(())
    }

    /// Counts a wrong password against the account and the address, and logs it.
    fn record_failure(&self, email: &str, ip: &str, now: DateTime<Utc>, why: &str) {
        for key in [format!("acct:{email}"), format!("ip:{ip}")] {
            let mut entry = self.failures.entry(key).or_default();
            entry.push(now);
            LoginThrottle::per_account().prune(&mut entry, now);
        }
        tracing::warn!(target: "pt_server::audit", %email, %ip, reason = why, "login failed");
    }

    /// Password login. Throttled per account and per IP; failures and
    /// successes are logged (target `pt_server::audit`).
    pub async fn login(&self, req: LoginRequest, ip: &str, now: DateTime<Utc>) -> Result<LoginResponse, ApiError> {
        let email = req.email.trim().to_lowercase();
        let acct_key = format!("acct:{email}");
        self.check_throttle(&email, ip, now)?;
        let user = self.store.user_by_email(&email).await.map_err(store_error)?;
        let ok = match &user {
            Some(u) => match &u.password_hash {
                Some(phc) => self.verify(req.password.clone(), phc.clone()).await?,
                None => false,
            },
            None => {
                let hasher = self.hasher.clone();
                let password = req.password.clone();
                tokio::task::spawn_blocking(move || hasher.verify_dummy(&password)).await.unwrap_or(false)
            }
        };
        let fail = |why: &str| {
            self.record_failure(&email, ip, now, why);
            unauthenticated("bad_credentials", "wrong email or password")
        };
        let Some(user) = user.filter(|_| ok) else { return Err(fail("bad credentials")) };
        let memberships = self.store.memberships_of_user(user.id).await.map_err(store_error)?;
        let membership = match req.tenant_id {
            Some(t) => memberships.iter().find(|m| m.tenant_id == t),
            None if memberships.len() == 1 => memberships.first(),
            None if memberships.is_empty() => None,
            None => {
                let mut studios = Vec::new();
                for m in &memberships {
                    if let Some(s) = self.store.studio(m.tenant_id).await.map_err(store_error)? {
                        studios.push(json!({ "id": s.id, "name": s.name, "role": m.role }));
                    }
                }
                return Err(ApiError::invalid("tenantId", "you belong to several studios: name one").with_details(
                    json!({ "fields": [{"field": "tenantId", "reason": "required"}], "studios": studios }),
                ));
            }
        };
        let Some(membership) = membership.cloned() else { return Err(fail("no membership in the studio")) };
        self.failures.remove(&acct_key);
        let studio = self
            .store
            .studio(membership.tenant_id)
            .await
            .map_err(store_error)?
            .ok_or_else(|| ApiError::not_found("studio"))?;
        tracing::info!(target: "pt_server::audit", %email, %ip, user = %user.id, tenant = %studio.id, "login succeeded");
        self.start_session(&studio, &user, &membership, now).await
    }

    async fn start_session(
        &self,
        studio: &StudioRow,
        user: &UserRow,
        membership: &MembershipRow,
        now: DateTime<Utc>,
    ) -> Result<LoginResponse, ApiError> {
        let role = parse_role(&membership.role)?;
        let (fam, refresh) = RefreshFamily::start(user.id, studio.id, now);
        self.store.insert_session(&session_row(&fam)).await.map_err(store_error)?;
        Ok(self.respond(studio, user, role, membership.artist_id, fam.id, refresh, now))
    }

    #[allow(clippy::too_many_arguments)]
    fn respond(
        &self,
        studio: &StudioRow,
        user: &UserRow,
        role: Role,
        artist_id: Option<ArtistId>,
        sid: SessionId,
        refresh: RefreshToken,
        now: DateTime<Utc>,
    ) -> LoginResponse {
        let (access, claims) = self.tokens.issue(user.id, studio.id, role, sid, now);
        self.live_sessions.insert(sid, Instant::now());
        LoginResponse {
            access_token: access,
            refresh_token: refresh.as_str().to_string(),
            access_expires_at: ts(claims.expires_at()),
            tenant: StudioSummary { id: studio.id, name: studio.name.clone() },
            user: user.into(),
            role: role.as_str().into(),
            artist_id,
        }
    }

    /// Exchanges a refresh token for a new access token and a new refresh
    /// token. A token used twice revokes its whole session (theft).
    pub async fn refresh(&self, token: &str, now: DateTime<Utc>) -> Result<LoginResponse, ApiError> {
        let ended = || unauthenticated(RefreshError::CODE, "this login session has ended; sign in again");
        let token = RefreshToken::parse(token.trim()).map_err(|_| ended())?;
        let hash = token.hash();
        let Some(row) = self.store.session_by_token(hash.as_bytes()).await.map_err(store_error)? else {
            return Err(ended());
        };
        let mut fam = family(&row);
        let result = fam.rotate(&hash, &self.refresh_policy, now);
        let saved = self.store.update_session(&session_row(&fam), row.generation).await;
        match (result, saved) {
            (Ok(next), Ok(())) => {
                let membership =
                    self.store.membership(fam.tenant_id, fam.user_id).await.map_err(store_error)?.ok_or_else(ended)?;
                let studio = self.store.studio(fam.tenant_id).await.map_err(store_error)?.ok_or_else(ended)?;
                let user = self.store.user(fam.user_id).await.map_err(store_error)?.ok_or_else(ended)?;
                let role = parse_role(&membership.role)?;
                Ok(self.respond(&studio, &user, role, membership.artist_id, fam.id, next, now))
            }
            (Err(RefreshError::Reused), _) => {
                tracing::warn!(target: "pt_server::audit", session = %fam.id, user = %fam.user_id,
                    "refresh token reused: the session is revoked");
                self.announce(Revoked::Session(fam.id));
                Err(ended())
            }
            (Err(_), _) => Err(ended()),
            // Another refresh of the same token won the race: this one is the reuse.
            (Ok(_), Err(AuthStoreError::Stale(_))) => Err(ended()),
            (Ok(_), Err(e)) => Err(auth_store_error(e)),
        }
    }

    /// Ends the caller's login session (access tokens of it stop working at once).
    pub async fn logout(&self, who: &Authenticated, now: DateTime<Utc>) -> Result<(), ApiError> {
        match &who.principal.via {
            AuthVia::Password { session } => {
                let Some(row) = self.store.session(who.principal.tenant_id, *session).await.map_err(store_error)?
                else {
                    return Ok(());
                };
                let mut fam = family(&row);
                fam.revoke(RevokeReason::Logout, now);
                match self.store.update_session(&session_row(&fam), row.generation).await {
                    Ok(()) | Err(AuthStoreError::Stale(_)) => {}
                    Err(e) => return Err(auth_store_error(e)),
                }
                tracing::info!(target: "pt_server::audit", user = %who.principal.user_id, session = %session, "logout");
                self.announce(Revoked::Session(*session));
                Ok(())
            }
            _ => Err(ApiError::invalid("Authorization", "only a password login has a session to end")),
        }
    }

    fn announce(&self, what: Revoked) {
        match &what {
            Revoked::Session(sid) => {
                self.live_sessions.remove(sid);
            }
            Revoked::ApiToken(id) => self.api_tokens.retain(|_, row| row.id != *id),
            Revoked::Member(..) => self.live_sessions.clear(),
        }
        let _ = self.revocations.send(what);
    }

    // ---- studio settings, members, invitations -------------------------------

    pub async fn studio(&self, tenant: TenantId) -> Result<StudioRow, ApiError> {
        if let Some(s) = self.studios.get(&tenant) {
            return Ok(s.clone());
        }
        let s = self.store.studio(tenant).await.map_err(store_error)?.ok_or_else(|| ApiError::not_found("studio"))?;
        self.studios.insert(tenant, s.clone());
        Ok(s)
    }

    /// A new booking as the studio's settings shape it: a hold without
    /// `expiresAt` lapses after the studio's default hold.
    pub async fn apply_studio_defaults(
        &self,
        tenant: TenantId,
        mut booking: pt_protocol::NewBooking,
    ) -> Result<pt_protocol::NewBooking, ApiError> {
        if booking.status == Some(pt_protocol::BookingStatus::Hold) && booking.expires_at.is_none() {
            let minutes = self.studio(tenant).await?.default_hold_minutes;
            booking.expires_at = Some(Timestamp(Timestamp::now().0 + minutes * 60_000_000));
        }
        Ok(booking)
    }

    pub async fn update_studio(&self, who: &Authenticated, patch: StudioPatch) -> Result<StudioRow, ApiError> {
        who.require(Permission::StudioSettings)?;
        let mut studio = self.studio(who.principal.tenant_id).await?;
        if let Some(name) = patch.name {
            studio.name = validate_name("name", &name)?;
        }
        if let Some(tz) = patch.timezone {
            validate_timezone(&tz)?;
            studio.timezone = tz;
        }
        if let Some(m) = patch.default_hold_minutes {
            if !(1..=60 * 24 * 90).contains(&m) {
                return Err(ApiError::invalid("defaultHoldMinutes", "1 minute to 90 days"));
            }
            studio.default_hold_minutes = m;
        }
        if let Some(w) = patch.working_week {
            w.validate()?;
            studio.working_week = serde_json::to_string(&w).expect("json");
        }
        self.store.update_studio(&studio).await.map_err(store_error)?;
        self.studios.insert(studio.id, studio.clone());
        tracing::info!(target: "pt_server::audit", actor = %who.actor(), tenant = %studio.id, "studio settings changed");
        Ok(studio)
    }

    pub async fn members(&self, who: &Authenticated) -> Result<Vec<MemberView>, ApiError> {
        who.require(Permission::MembersManage)?;
        let rows = self.store.members(who.principal.tenant_id).await.map_err(store_error)?;
        Ok(rows.iter().map(|(m, u)| MemberView::new(m, u)).collect())
    }

    /// Changes a member's role or artist link; their sessions end (their
    /// tokens carry the old role).
    pub async fn update_member(
        &self,
        who: &Authenticated,
        user: UserId,
        patch: MemberPatch,
        now: DateTime<Utc>,
    ) -> Result<MemberView, ApiError> {
        let tenant = who.principal.tenant_id;
        let mut m = self
            .store
            .membership(tenant, user)
            .await
            .map_err(store_error)?
            .ok_or_else(|| ApiError::not_found("member"))?;
        who.require(Permission::MembersManage)?;
        if let Some(role) = patch.role {
            if user == who.principal.user_id && role != Role::StudioOwner {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::Unprocessable,
                    "you cannot demote yourself; another owner can",
                ));
            }
            m.role = role.as_str().into();
        }
        if let Some(link) = patch.artist_id {
            if let Some(artist) = link {
                self.studio_artist(tenant, artist).await?;
            }
            m.artist_id = link;
        }
        self.store.save_membership(&m).await.map_err(store_error)?;
        self.member_roles.remove(&(tenant, user));
        let ended =
            self.store.revoke_sessions_of(tenant, user, ts(now), "membership_changed").await.map_err(store_error)?;
        for sid in ended {
            self.announce(Revoked::Session(sid));
        }
        self.announce(Revoked::Member(tenant, user));
        let u = self.store.user(user).await.map_err(store_error)?.ok_or_else(|| ApiError::not_found("member"))?;
        tracing::info!(target: "pt_server::audit", actor = %who.actor(), member = %user, role = %m.role, "membership changed");
        Ok(MemberView::new(&m, &u))
    }

    /// Invites someone by email; answers the invitation and its one-time token
    /// (emailing it is the caller's job until SMTP is configured).
    pub async fn invite(
        &self,
        who: &Authenticated,
        req: InviteRequest,
        now: DateTime<Utc>,
    ) -> Result<(InvitationView, String), ApiError> {
        who.require(Permission::MembersManage)?;
        let email = normalize_email(&req.email)?;
        if !who.principal.role.includes(req.role) {
            return Err(forbidden(super::Forbidden { missing: Permission::MembersManage }));
        }
        if req.role == Role::Freelancer && req.artist_id.is_none() {
            return Err(ApiError::invalid("artistId", "a freelancer is invited as one of the studio's artists"));
        }
        if let Some(artist) = req.artist_id {
            self.studio_artist(who.principal.tenant_id, artist).await?;
        }
        let token = RefreshToken::generate();
        let row = InvitationRow {
            id: uuid::Uuid::now_v7(),
            tenant_id: who.principal.tenant_id,
            email,
            role: req.role.as_str().into(),
            artist_id: req.artist_id,
            token_hash: *token.hash().as_bytes(),
            invited_by: who.principal.user_id,
            created_at: ts(now),
            expires_at: ts(now + INVITATION_TTL),
            accepted_at: None,
        };
        self.store.insert_invitation(&row).await.map_err(store_error)?;
        tracing::info!(target: "pt_server::audit", actor = %who.actor(), invitation = %row.id, email = %row.email,
            role = %row.role, "invitation created");
        Ok((InvitationView::from(&row), format!("inv_{}", token.as_str())))
    }

    /// Accepts an invitation: a new user sets a password and a display name;
    /// an existing user proves it with their password. Answers as a login.
    pub async fn accept(&self, req: AcceptRequest, ip: &str, now: DateTime<Utc>) -> Result<LoginResponse, ApiError> {
        let gone = || ApiError::not_found("invitation");
        let secret = req.token.trim().strip_prefix("inv_").ok_or_else(gone)?;
        let token = RefreshToken::parse(secret).map_err(|_| gone())?;
        let inv =
            self.store.invitation_by_hash(token.hash().as_bytes()).await.map_err(store_error)?.ok_or_else(gone)?;
        if inv.accepted_at.is_some() || dt(inv.expires_at) <= now {
            return Err(ApiError::new(
                StatusCode::GONE,
                ErrorCode::NotFound,
                "this invitation was used already or has expired; ask for a new one",
            ));
        }
        let existing = self.store.user_by_email(&inv.email).await.map_err(store_error)?;
        let (user, new_user) = match existing {
            Some(u) => {
                // The account's password, guessed here as at login: the same
                // throttle, the same audit log.
                self.check_throttle(&inv.email, ip, now)?;
                let ok = match &u.password_hash {
                    Some(phc) => self.verify(req.password.clone(), phc.clone()).await?,
                    None => false,
                };
                if !ok {
                    self.record_failure(&inv.email, ip, now, "wrong password accepting an invitation");
                    return Err(unauthenticated("bad_credentials", "this email has an account: give its password"));
                }
                self.failures.remove(&format!("acct:{}", inv.email));
                (u, false)
            }
            None => {
                let name = validate_name("displayName", req.display_name.as_deref().unwrap_or(""))?;
                check_password_rules(&req.password, &[&inv.email, &name])
                    .map_err(|e| ApiError::invalid("password", e.to_string()))?;
                let hash = self.hash(req.password.clone()).await?;
                let u = UserRow {
                    id: UserId::new(),
                    email: inv.email.clone(),
                    display_name: name,
                    password_hash: Some(hash),
                    created_at: ts(now),
                };
                (u, true)
            }
        };
        let membership = MembershipRow {
            tenant_id: inv.tenant_id,
            user_id: user.id,
            role: inv.role.clone(),
            artist_id: inv.artist_id,
            created_at: ts(now),
        };
        self.store
            .accept_invitation(&inv, new_user.then_some(&user), &membership, ts(now))
            .await
            .map_err(auth_store_error)?;
        tracing::info!(target: "pt_server::audit", invitation = %inv.id, user = %user.id, tenant = %inv.tenant_id,
            "invitation accepted");
        let studio = self.studio(inv.tenant_id).await?;
        self.start_session(&studio, &user, &membership, now).await
    }

    // ---- API tokens -----------------------------------------------------------

    pub async fn create_api_token(
        &self,
        who: &Authenticated,
        req: NewApiToken,
        now: DateTime<Utc>,
    ) -> Result<(ApiTokenView, String), ApiError> {
        let name = validate_name("name", &req.name)?;
        let expires_at = req.expires_at.map(dt);
        if expires_at.is_some_and(|e| e <= now) {
            return Err(ApiError::invalid("expiresAt", "must be in the future"));
        }
        let (record, token) =
            ApiTokenRecord::create(&who.principal, req.role, &name, expires_at, now).map_err(forbidden)?;
        let row = ApiTokenRow {
            id: record.id,
            tenant_id: record.tenant_id,
            role: record.role.as_str().into(),
            name: record.name.clone(),
            hash: *record.hash.as_bytes(),
            hint: record.hint.clone(),
            created_by: record.created_by,
            created_at: ts(record.created_at),
            expires_at: record.expires_at.map(ts),
            revoked_at: None,
        };
        self.store.insert_api_token(&row).await.map_err(store_error)?;
        tracing::info!(target: "pt_server::audit", actor = %who.actor(), token = %row.id, role = %row.role, "API token created");
        Ok((ApiTokenView::from(&row), token.as_str().to_string()))
    }

    pub async fn api_tokens(&self, who: &Authenticated) -> Result<Vec<ApiTokenView>, ApiError> {
        who.require(Permission::ApiTokensManage)?;
        let rows = self.store.api_tokens(who.principal.tenant_id).await.map_err(store_error)?;
        Ok(rows.iter().map(ApiTokenView::from).collect())
    }

    pub async fn revoke_api_token(
        &self,
        who: &Authenticated,
        id: ApiTokenId,
        now: DateTime<Utc>,
    ) -> Result<ApiTokenView, ApiError> {
        let tenant = who.principal.tenant_id;
        let exists = self.store.api_tokens(tenant).await.map_err(store_error)?.iter().any(|t| t.id == id);
        if !exists {
            return Err(ApiError::not_found("API token"));
        }
        who.require(Permission::ApiTokensManage)?;
        let row = self
            .store
            .revoke_api_token(tenant, id, ts(now))
            .await
            .map_err(store_error)?
            .ok_or_else(|| ApiError::not_found("API token"))?;
        tracing::info!(target: "pt_server::audit", actor = %who.actor(), token = %id, "API token revoked");
        self.announce(Revoked::ApiToken(id));
        Ok(ApiTokenView::from(&row))
    }

    // ---- seeding ----------------------------------------------------------------

    /// Creates (or updates the password of) a member: for `--demo` and for
    /// operators bootstrapping a studio from the command line.
    pub async fn ensure_member(
        &self,
        studio: &StudioRow,
        email: &str,
        display_name: &str,
        password: &str,
        role: Role,
        artist_id: Option<ArtistId>,
    ) -> Result<UserRow, ApiError> {
        let now = Utc::now();
        let email = normalize_email(email)?;
        let hash = self.hash(password.to_string()).await?;
        let user = match self.store.user_by_email(&email).await.map_err(store_error)? {
            Some(mut u) => {
                u.password_hash = Some(hash);
                u
            }
            None => UserRow {
                id: UserId::new(),
                email,
                display_name: display_name.into(),
                password_hash: Some(hash),
                created_at: ts(now),
            },
        };
        let membership = MembershipRow {
            tenant_id: studio.id,
            user_id: user.id,
            role: role.as_str().into(),
            artist_id,
            created_at: ts(now),
        };
        if self.store.studio(studio.id).await.map_err(store_error)?.is_none() {
            self.store.create_studio(studio, &user, &membership).await.map_err(auth_store_error)?;
        } else {
            self.store.save_user(&user).await.map_err(auth_store_error)?;
            self.store.save_membership(&membership).await.map_err(store_error)?;
        }
        Ok(user)
    }

    // ---- helpers ----------------------------------------------------------------

    async fn hash(&self, password: String) -> Result<String, ApiError> {
        let hasher = self.hasher.clone();
        tokio::task::spawn_blocking(move || hasher.hash(&password))
            .await
            .map_err(|e| ApiError::from(pt_actors::CommandError::Internal(e.to_string())))?
            .map_err(|e| ApiError::from(pt_actors::CommandError::Internal(e.to_string())))
    }

    async fn verify(&self, password: String, phc: String) -> Result<bool, ApiError> {
        let hasher = self.hasher.clone();
        tokio::task::spawn_blocking(move || hasher.verify(&password, &phc))
            .await
            .map_err(|e| ApiError::from(pt_actors::CommandError::Internal(e.to_string())))?
            .map_err(|e| ApiError::from(pt_actors::CommandError::Internal(e.to_string())))
    }
}

async fn load_jwks(source: &JwksSource) -> anyhow::Result<super::oidc::Jwks> {
    use super::oidc::Jwks;
    Ok(match source {
        JwksSource::Inline(json) => Jwks::from_json(json)?,
        JwksSource::File(path) => Jwks::from_file(path)?,
        JwksSource::Url(url) => Jwks::from_json(&fetch_http(url).await?)?,
    })
}

/// A minimal `http://` GET (JWKS endpoints inside a cluster, or a sidecar
/// that terminates TLS); `https://` providers are configured with a JWKS file
/// kept fresh by the operator (see the README).
async fn fetch_http(url: &str) -> anyhow::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        anyhow::anyhow!("JWKS URL {url}: only http:// URLs are fetched; use --oidc-jwks-file for https")
    })?;
    let (host, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let addr = if host.contains(':') { host.to_string() } else { format!("{host}:80") };
    let fetch = async {
        let mut s = tokio::net::TcpStream::connect(&addr).await?;
        s.write_all(format!("GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: application/json\r\n\r\n").as_bytes())
            .await?;
        let mut buf = Vec::new();
        s.take(1 << 20).read_to_end(&mut buf).await?;
        anyhow::Ok(buf)
    };
    let buf = tokio::time::timeout(Duration::from_secs(10), fetch).await??;
    let text = String::from_utf8_lossy(&buf);
    let (head, body) =
        text.split_once("\r\n\r\n").ok_or_else(|| anyhow::anyhow!("JWKS URL {url}: malformed response"))?;
    if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
        anyhow::bail!("JWKS URL {url}: {}", head.lines().next().unwrap_or(""));
    }
    Ok(body.to_string())
}

fn parse_role(s: &str) -> Result<Role, ApiError> {
    s.parse::<Role>().map_err(|e| ApiError::from(pt_actors::CommandError::Internal(format!("stored role: {e}"))))
}

fn api_record(row: &ApiTokenRow) -> Result<ApiTokenRecord, ApiError> {
    Ok(ApiTokenRecord {
        id: row.id,
        tenant_id: row.tenant_id,
        role: parse_role(&row.role)?,
        name: row.name.clone(),
        hash: TokenHash(row.hash),
        hint: row.hint.clone(),
        created_by: row.created_by,
        created_at: dt(row.created_at),
        expires_at: row.expires_at.map(dt),
        revoked_at: row.revoked_at.map(dt),
    })
}

fn family(row: &SessionRow) -> RefreshFamily {
    RefreshFamily {
        id: row.id,
        user_id: row.user_id,
        tenant_id: row.tenant_id,
        current: TokenHash(row.current_hash),
        generation: row.generation,
        created_at: dt(row.created_at),
        last_used_at: dt(row.last_used_at),
        revoked: row.revoked_at.map(|at| super::refresh::Revocation {
            at: dt(at),
            reason: match row.revoked_reason.as_deref() {
                Some("reuse") => RevokeReason::Reuse,
                Some("password_changed") => RevokeReason::PasswordChanged,
                Some("membership_ended") | Some("membership_changed") => RevokeReason::MembershipEnded,
                _ => RevokeReason::Logout,
            },
        }),
    }
}

fn session_row(f: &RefreshFamily) -> SessionRow {
    SessionRow {
        id: f.id,
        user_id: f.user_id,
        tenant_id: f.tenant_id,
        current_hash: *f.current.as_bytes(),
        generation: f.generation,
        created_at: ts(f.created_at),
        last_used_at: ts(f.last_used_at),
        revoked_at: f.revoked.as_ref().map(|r| ts(r.at)),
        revoked_reason: f.revoked.as_ref().map(|r| r.reason.as_str().to_string()),
    }
}

// ---- request and response bodies ------------------------------------------------

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub studio_name: String,
    #[schema(max_length = 254, pattern = r"^\s*[^\s@]+@[^\s.]\S*\.\S*[^\s.]\s*$")]
    pub email: String,
    /// At least 12 characters, 5 different ones, not a common password.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub display_name: String,
    /// IANA zone of the studio; `UTC` by default.
    #[schema(value_type = Option<pt_protocol::openapi::TimeZoneName>)]
    pub timezone: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// Which studio to sign in to; needed only when you belong to several.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub tenant_id: Option<TenantId>,
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Deserialize, Serialize, Debug, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StudioPatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[schema(value_type = Option<pt_protocol::openapi::TimeZoneName>)]
    pub timezone: Option<String>,
    /// 1 minute to 90 days.
    #[schema(minimum = 1, maximum = 129600)]
    pub default_hold_minutes: Option<i64>,
    pub working_week: Option<WorkingWeek>,
}

#[derive(Serialize, Debug, Clone, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    pub user: UserSummary,
    pub role: String,
    #[schema(value_type = Option<String>)]
    pub artist_id: Option<ArtistId>,
}

impl MemberView {
    fn new(m: &MembershipRow, u: &UserRow) -> Self {
        Self { user: u.into(), role: m.role.clone(), artist_id: m.artist_id }
    }
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberPatch {
    pub role: Option<Role>,
    /// `null` unlinks; absent leaves the link alone.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub artist_id: Option<Option<ArtistId>>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
    pub fn serialize<T: serde::Serialize, S: serde::Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        use serde::Serialize;
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InviteRequest {
    #[schema(max_length = 254, pattern = r"^\s*[^\s@]+@[^\s.]\S*\.\S*[^\s.]\s*$")]
    pub email: String,
    pub role: Role,
    /// Required for a freelancer: their artist record in the studio.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub artist_id: Option<ArtistId>,
}

#[derive(Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationView {
    #[schema(value_type = String)]
    pub id: uuid::Uuid,
    pub email: String,
    pub role: String,
    #[schema(value_type = Option<String>)]
    pub artist_id: Option<ArtistId>,
    #[schema(value_type = String)]
    pub expires_at: Timestamp,
}

impl From<&InvitationRow> for InvitationView {
    fn from(r: &InvitationRow) -> Self {
        Self {
            id: r.id,
            email: r.email.clone(),
            role: r.role.clone(),
            artist_id: r.artist_id,
            expires_at: r.expires_at,
        }
    }
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceptRequest {
    /// The `inv_…` token from the invitation.
    pub token: String,
    /// A new account's password, or the existing account's password.
    #[schema(min_length = 12, max_length = 128)]
    pub password: String,
    /// Required for a new account.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub display_name: Option<String>,
}

#[derive(Deserialize, Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewApiToken {
    /// What the integration is ("Calendar sync").
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// No more than your own role.
    pub role: Role,
    /// In the future; absent, the token does not expire.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<Timestamp>,
}

#[derive(Serialize, Debug, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiTokenView {
    #[schema(value_type = String)]
    pub id: ApiTokenId,
    pub name: String,
    pub role: String,
    /// The token's first characters, to recognise it.
    pub hint: String,
    #[schema(value_type = String)]
    pub created_by: UserId,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<Timestamp>,
    #[schema(value_type = Option<String>)]
    pub revoked_at: Option<Timestamp>,
}

impl From<&ApiTokenRow> for ApiTokenView {
    fn from(r: &ApiTokenRow) -> Self {
        Self {
            id: r.id,
            name: r.name.clone(),
            role: r.role.clone(),
            hint: r.hint.clone(),
            created_by: r.created_by,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}
