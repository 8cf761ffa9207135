//! An external OpenID Connect provider wired to the service: its verifier and
//! key set ([`super::oidc`]), re-reading the key set when a token names an
//! unknown `kid` (the provider rotated keys), and an external user's first
//! sign-in to a studio.

use super::Principal;
use super::authenticated::unauthenticated;
use super::jwks_http::HttpJwks;
use super::oidc::{ExternalIdentity, Jwks, JwksSource, OidcConfig, OidcVerifier};
use super::service::{AuthService, auth_store_error, store_error, ts};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use pt_actors::store::auth::{MembershipRow, UserRow};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

/// Least time between two re-reads of the key set (a flood of tokens with
/// made-up `kid`s must not become a flood of requests to the provider).
pub const JWKS_REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The configured provider.
pub(super) struct ExternalProvider {
    verifier: RwLock<OidcVerifier>,
    source: JwksSource,
    fetcher: HttpJwks,
    last_refresh: Mutex<Option<Instant>>,
}

impl AuthService {
    /// Accept tokens of an external OpenID Connect provider. The key set is
    /// read now (a file, inline JSON, or an `http://` or `https://` URL); a
    /// token naming an unknown `kid` re-reads it (at most once a minute).
    pub async fn with_oidc(mut self, config: OidcConfig) -> anyhow::Result<Self> {
        let fetcher = HttpJwks::new();
        let jwks = Jwks::load(&config.jwks, &fetcher).await?;
        tracing::info!(issuer = %config.issuer, keys = jwks.len(), "OIDC provider configured");
        self.oidc = Some(ExternalProvider {
            source: config.jwks.clone(),
            verifier: RwLock::new(OidcVerifier::new(config, jwks)),
            fetcher,
            last_refresh: Mutex::new(None),
        });
        Ok(self)
    }

    /// An external token → its principal and expiry; the studio must exist.
    pub(super) async fn authenticate_external(
        &self,
        oidc: &ExternalProvider,
        bearer: &str,
        now: DateTime<Utc>,
    ) -> Result<(Principal, Option<DateTime<Utc>>), ApiError> {
        let verify = || {
            let o = oidc.verifier.read().expect("oidc lock");
            o.verify(bearer, now).and_then(|id| Ok((o.config().claims.principal(&id)?, id)))
        };
        let result = match verify() {
            Err(e) if e.is_unknown_key() && oidc.refresh().await => verify(),
            other => other,
        };
        let (principal, identity) =
            result.map_err(|e| unauthenticated(e.code(), format!("the OIDC token was refused: {e}")))?;
        if self.store.studio(principal.tenant_id).await.map_err(store_error)?.is_none() {
            return Err(unauthenticated("no_membership", "the token names a studio that does not exist here"));
        }
        self.provision_external(&principal, &identity, now).await?;
        Ok((principal, super::tokens::peek_exp(bearer)))
    }

    /// An external (OIDC) user's first sign-in to a studio creates their user
    /// row and membership, so that the studio's members list shows them and
    /// an owner can link a freelancer to their artist
    /// (`PATCH /studio/members/{userId}`). The token's role stays the one that
    /// counts; the membership's is what it was at the first sign-in.
    async fn provision_external(
        &self,
        p: &Principal,
        identity: &ExternalIdentity,
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
            self.memberships_changed(p.tenant_id);
            tracing::info!(target: "pt_server::audit", user = %p.user_id, tenant = %p.tenant_id,
                issuer = %identity.issuer, subject = %identity.subject, role = %p.role, "external user joined the studio");
        }
        self.provisioned.insert(key);
        Ok(())
    }
}

impl ExternalProvider {
    /// Re-reads the key set; false when it was re-read too recently or failed.
    async fn refresh(&self) -> bool {
        {
            let mut last = self.last_refresh.lock().expect("jwks lock");
            if last.is_some_and(|t| t.elapsed() < JWKS_REFRESH_EVERY) {
                return false;
            }
            *last = Some(Instant::now());
        }
        match Jwks::load(&self.source, &self.fetcher).await {
            Ok(jwks) => {
                self.verifier.write().expect("oidc lock").set_jwks(jwks);
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not re-read the OIDC key set");
                false
            }
        }
    }
}
