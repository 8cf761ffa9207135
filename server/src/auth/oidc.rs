//! External identity: bearer JWTs from an OpenID Connect provider (Clerk,
//! Auth0, Keycloak, …) accepted in place of our own access tokens.
//!
//! Configuration names the issuer, the audience, a JWKS (inline JSON, a file,
//! or a URL that the server fetches through [`JwksFetcher`]) and a
//! [`ClaimMapping`]: which claim is the user, which the tenant, which the
//! role. Verification picks the key by `kid`, accepts only asymmetric
//! algorithms (RS256, ES256, EdDSA) whose key type matches, and checks
//! `iss`, `aud`, `exp`, `nbf` and `iat` against an injected clock with a small
//! leeway.
//!
//! The external subject is not one of our UUIDs, so the user id is derived
//! deterministically: UUID v5 of `issuer` + `subject` ([`external_user_id`]).
//! The same person at the same provider is always the same [`UserId`]; the
//! wiring step records `(issuer, subject)` on first sight. Tenant values that
//! are not our tenant UUIDs (Clerk's `org_…`) are mapped through
//! [`ClaimMapping::tenant_aliases`].

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use pt_protocol::ids::{TenantId, UserId};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use uuid::Uuid;

use super::tokens::{TokenError, check_times, map_jwt_error, peek_header};
use super::{AuthVia, Principal, Role};

/// Default clock skew allowed with the provider.
pub const DEFAULT_LEEWAY_SECS: u64 = 60;

/// Namespace of [`external_user_id`] (fixed forever: changing it changes every
/// external user's id).
pub const EXTERNAL_USER_NAMESPACE: Uuid = Uuid::from_u128(0x5d0f_1c5e_8a44_4f0b_9a1e_6b7c_0e2d_a11d);

/// Where the provider's public keys come from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JwksSource {
    /// The JWKS JSON itself (`{"keys": […]}`).
    Inline(String),
    /// A file holding the JWKS JSON.
    File(PathBuf),
    /// `https://…/.well-known/jwks.json`, fetched by the server's [`JwksFetcher`].
    Url(String),
}

/// Fetches a JWKS document over HTTP; the server implements it (with a
/// timeout, and re-fetching at most every few minutes on an unknown `kid`).
pub trait JwksFetcher: Send + Sync {
    fn fetch<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<String, String>>;
}

/// Which claims carry the user, the tenant and the role.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClaimMapping {
    /// The user's stable id at the provider. Default `sub`.
    pub user_claim: String,
    /// The studio, e.g. `org_id` (Clerk, Auth0 Organizations) or a namespaced
    /// claim like `https://studio.example/tenant`. Names are looked up
    /// verbatim first, then as a dotted path (`org.id`).
    pub tenant_claim: Option<String>,
    /// Provider tenant value → our tenant, for values that are not our UUIDs.
    pub tenant_aliases: HashMap<String, TenantId>,
    /// Used when there is no tenant claim (single-studio deployments).
    pub default_tenant: Option<TenantId>,
    /// The role, e.g. `org_role` (Clerk) or `realm_access.roles` (Keycloak);
    /// a string or an array of strings.
    pub role_claim: Option<String>,
    /// Provider role value → our role (`org:admin` → `studio_owner`). Our own
    /// role names are always accepted as themselves.
    pub role_map: HashMap<String, Role>,
    /// Used when no role claim maps to a role. Without it, such tokens are
    /// refused (the wiring may instead look the role up in memberships).
    pub default_role: Option<Role>,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        Self {
            user_claim: "sub".into(),
            tenant_claim: Some("org_id".into()),
            tenant_aliases: HashMap::new(),
            default_tenant: None,
            role_claim: Some("org_role".into()),
            role_map: HashMap::new(),
            default_role: None,
        }
    }
}

/// One external provider.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OidcConfig {
    /// Exact `iss` value, e.g. `https://tenant.eu.auth0.com/`.
    pub issuer: String,
    /// Accepted `aud` values (one is enough).
    pub audience: Vec<String>,
    pub jwks: JwksSource,
    #[serde(default)]
    pub claims: ClaimMapping,
    #[serde(default = "default_leeway")]
    pub leeway_secs: u64,
}

fn default_leeway() -> u64 {
    DEFAULT_LEEWAY_SECS
}

/// Why an external token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The JWKS could not be read or parsed (a server problem, not the client's).
    #[error("JWKS unavailable: {0}")]
    Jwks(String),
    #[error("token lacks the `{0}` claim")]
    MissingClaim(String),
    #[error("token names tenant `{0}`, which is not a studio here")]
    UnknownTenant(String),
    #[error("token carries no role this server knows")]
    NoRole,
}

impl OidcError {
    /// Stable error code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            OidcError::Token(e) => e.code(),
            OidcError::Jwks(_) => "auth_unavailable",
            OidcError::MissingClaim(_) | OidcError::UnknownTenant(_) | OidcError::NoRole => "no_membership",
        }
    }

    /// A `kid` not in the JWKS: the provider may have rotated keys, so the
    /// server should re-fetch the JWKS (rate-limited) and try once more.
    pub fn is_unknown_key(&self) -> bool {
        matches!(self, OidcError::Token(TokenError::UnknownKey))
    }
}

/// One usable verification key.
struct JwksKey {
    kid: Option<String>,
    alg: Algorithm,
    key: DecodingKey,
}

/// The provider's public keys, ready to verify with.
pub struct Jwks {
    keys: Vec<JwksKey>,
}

impl std::fmt::Debug for Jwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<_> = self.keys.iter().map(|k| (k.kid.as_deref(), k.alg)).collect();
        f.debug_struct("Jwks").field("keys", &keys).finish()
    }
}

impl Jwks {
    /// Parses a JWKS document. Keys this server cannot or will not use
    /// (symmetric `oct` keys, encryption keys, unknown curves) are skipped, so
    /// one exotic key does not break the rest; a set with no usable key is an
    /// error.
    pub fn from_json(json: &str) -> Result<Self, OidcError> {
        #[derive(Deserialize)]
        struct Raw {
            keys: Vec<Value>,
        }
        let raw: Raw = serde_json::from_str(json).map_err(|e| OidcError::Jwks(format!("not a JWKS document: {e}")))?;
        let keys: Vec<JwksKey> =
            raw.keys.into_iter().filter_map(|v| serde_json::from_value::<Jwk>(v).ok()).filter_map(usable_key).collect();
        if keys.is_empty() {
            return Err(OidcError::Jwks("no usable RS256, ES256 or EdDSA signing key".into()));
        }
        Ok(Self { keys })
    }

    pub fn from_file(path: &Path) -> Result<Self, OidcError> {
        let json = std::fs::read_to_string(path).map_err(|e| OidcError::Jwks(format!("{}: {e}", path.display())))?;
        Self::from_json(&json)
    }

    /// Loads from any source; `fetcher` is only used for [`JwksSource::Url`].
    pub async fn load(source: &JwksSource, fetcher: &dyn JwksFetcher) -> Result<Self, OidcError> {
        match source {
            JwksSource::Inline(json) => Self::from_json(json),
            JwksSource::File(path) => Self::from_file(path),
            JwksSource::Url(url) => Self::from_json(&fetcher.fetch(url).await.map_err(OidcError::Jwks)?),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key for `kid`; without a `kid`, only a set of exactly one key
    /// answers (hand-written JWKS files often omit it).
    fn find(&self, kid: Option<&str>) -> Option<&JwksKey> {
        match kid {
            Some(kid) => self.keys.iter().find(|k| k.kid.as_deref() == Some(kid)),
            None if self.keys.len() == 1 => self.keys.first(),
            None => None,
        }
    }
}

/// The algorithm a JWK may verify, or `None` if we do not use such keys.
fn usable_key(jwk: Jwk) -> Option<JwksKey> {
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return None;
    }
    let implied = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
        AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519 => Algorithm::EdDSA,
        _ => return None,
    };
    // A stated `alg` must agree with the key type (and be one we accept).
    match jwk.common.key_algorithm {
        None => {}
        Some(KeyAlgorithm::RS256) if implied == Algorithm::RS256 => {}
        Some(KeyAlgorithm::ES256) if implied == Algorithm::ES256 => {}
        Some(KeyAlgorithm::EdDSA) if implied == Algorithm::EdDSA => {}
        Some(_) => return None,
    }
    let key = DecodingKey::from_jwk(&jwk).ok()?;
    Some(JwksKey { kid: jwk.common.key_id.clone(), alg: implied, key })
}

/// What a verified external token says, before mapping to our tenant and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    pub issuer: String,
    /// The value of the configured user claim.
    pub subject: String,
    /// Our id for this person ([`external_user_id`]).
    pub user_id: UserId,
    /// All claims, for mapping and for the wiring (e.g. `email`).
    pub claims: Map<String, Value>,
}

/// Our [`UserId`] for a provider's subject: UUID v5 over `issuer` and
/// `subject`, so two providers' identical subjects never collide.
pub fn external_user_id(issuer: &str, subject: &str) -> UserId {
    UserId(Uuid::new_v5(&EXTERNAL_USER_NAMESPACE, format!("{issuer}\n{subject}").as_bytes()))
}

/// Verifies tokens of one provider.
#[derive(Debug)]
pub struct OidcVerifier {
    config: OidcConfig,
    jwks: Jwks,
}

impl OidcVerifier {
    pub fn new(config: OidcConfig, jwks: Jwks) -> Self {
        Self { config, jwks }
    }

    pub fn config(&self) -> &OidcConfig {
        &self.config
    }

    /// Swaps in a re-fetched key set (after the provider rotated keys).
    pub fn set_jwks(&mut self, jwks: Jwks) {
        self.jwks = jwks;
    }

    /// Checks signature, algorithm, issuer, audience and times.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<ExternalIdentity, OidcError> {
        let header = peek_header(token)?;
        let alg = match header.alg.as_str() {
            "RS256" => Algorithm::RS256,
            "ES256" => Algorithm::ES256,
            "EdDSA" => Algorithm::EdDSA,
            other => return Err(TokenError::UnsupportedAlgorithm(other.to_owned()).into()),
        };
        let key = self.jwks.find(header.kid.as_deref()).ok_or(TokenError::UnknownKey)?;
        if key.alg != alg {
            // E.g. an RS256 header naming an EC key: refuse before any crypto.
            return Err(TokenError::UnsupportedAlgorithm(header.alg).into());
        }
        let mut validation = Validation::new(alg);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&self.config.audience);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims: Map<String, Value> =
            jsonwebtoken::decode(token, &key.key, &validation).map_err(map_jwt_error)?.claims;
        let exp = claims.get("exp").and_then(Value::as_i64).ok_or_else(|| TokenError::InvalidClaims("exp".into()))?;
        let nbf = claims.get("nbf").and_then(Value::as_i64);
        let iat = claims.get("iat").and_then(Value::as_i64);
        let leeway = TimeDelta::seconds(self.config.leeway_secs.min(600) as i64);
        check_times(exp, nbf, iat, now, leeway)?;
        let user_claim = &self.config.claims.user_claim;
        let subject = match claim(&claims, user_claim) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err(OidcError::MissingClaim(user_claim.clone())),
        };
        Ok(ExternalIdentity {
            user_id: external_user_id(&self.config.issuer, &subject),
            issuer: self.config.issuer.clone(),
            subject,
            claims,
        })
    }

    /// [`verify`](Self::verify), then map tenant and role.
    pub fn authenticate(&self, token: &str, now: DateTime<Utc>) -> Result<Principal, OidcError> {
        let identity = self.verify(token, now)?;
        self.config.claims.principal(&identity)
    }
}

impl ClaimMapping {
    /// The principal for a verified identity.
    pub fn principal(&self, identity: &ExternalIdentity) -> Result<Principal, OidcError> {
        Ok(Principal {
            user_id: identity.user_id,
            tenant_id: self.tenant(&identity.claims)?,
            role: self.role(&identity.claims)?,
            via: AuthVia::Oidc { issuer: identity.issuer.clone(), subject: identity.subject.clone() },
        })
    }

    fn tenant(&self, claims: &Map<String, Value>) -> Result<TenantId, OidcError> {
        let value = self.tenant_claim.as_deref().and_then(|name| claim(claims, name));
        match value {
            Some(Value::String(v)) => match self.tenant_aliases.get(v) {
                Some(&t) => Ok(t),
                None => v.parse().map_err(|_| OidcError::UnknownTenant(v.clone())),
            },
            Some(_) | None => self
                .default_tenant
                .ok_or_else(|| OidcError::MissingClaim(self.tenant_claim.clone().unwrap_or_default())),
        }
    }

    /// The most capable role among the claim's values that map to one.
    fn role(&self, claims: &Map<String, Value>) -> Result<Role, OidcError> {
        let values: Vec<&str> = match self.role_claim.as_deref().and_then(|name| claim(claims, name)) {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let mapped = values.iter().filter_map(|v| self.role_map.get(*v).copied().or_else(|| v.parse().ok()));
        // Role::ALL is ordered owner, manager, freelancer.
        mapped.min().or(self.default_role).ok_or(OidcError::NoRole)
    }
}

/// A claim by exact name, else by dotted path into nested objects.
fn claim<'a>(claims: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(name) {
        return Some(v);
    }
    let mut parts = name.split('.');
    let mut current = claims.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

#[cfg(test)]
#[path = "oidc_tests.rs"]
mod tests;
