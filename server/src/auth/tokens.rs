//! Short-lived access tokens: JWTs this server issues after a login or a
//! refresh, and verifies on every REST request and WS hello.
//!
//! **HS256 with a server secret.** The server is both the only issuer and
//! the only verifier (every node reads the same configuration), so an
//! asymmetric key buys nothing but key-pair management; third parties never
//! verify our tokens — integrations use API tokens, external identity comes in
//! through [`super::oidc`]. The secret must be at least 32 bytes, and each
//! secret has a `kid`, so a new secret can sign while the previous one still
//! verifies for one token lifetime (rotation without logging everyone out).
//! Should another service ever need to verify our tokens, switch to EdDSA and
//! publish a JWKS; the claims stay the same.
//!
//! Claims: `sub` (user), `tid` (tenant), `role`, `sid` (session = refresh
//! family, so logout can kill access tokens early), `iat`, `exp`, `jti`,
//! `iss`, `aud`. Time is a parameter: verification never reads the clock.

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pt_protocol::ids::{TenantId, UserId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{AuthVia, Principal, Role, SessionId, b64url_decode};

/// How long an access token lives. Short, because it is checked without the
/// database; revocation relies on `sid` checks and this bound.
pub const ACCESS_TOKEN_TTL: TimeDelta = TimeDelta::minutes(15);
/// Clock skew tolerated between nodes.
pub const LEEWAY: TimeDelta = TimeDelta::seconds(30);
/// Shortest accepted HS256 secret (RFC 7518 §3.2: at least the hash size).
pub const MIN_SECRET_BYTES: usize = 32;
pub const DEFAULT_ISSUER: &str = "production-tool";
pub const DEFAULT_AUDIENCE: &str = "production-tool-api";

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: UserId,
    pub tid: TenantId,
    pub role: Role,
    pub sid: SessionId,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    pub iss: String,
    pub aud: String,
}

impl AccessClaims {
    /// The principal this token speaks for.
    pub fn principal(&self) -> Principal {
        Principal {
            user_id: self.sub,
            tenant_id: self.tid,
            role: self.role,
            via: AuthVia::Password { session: self.sid },
        }
    }

    /// When the token stops being accepted (WS sessions close then).
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

/// Why a bearer JWT was refused. All are `401`; see [`TokenError::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token is not a well-formed JWT")]
    Malformed,
    #[error("token algorithm `{0}` is not accepted")]
    UnsupportedAlgorithm(String),
    #[error("token signed with an unknown key")]
    UnknownKey,
    #[error("token signature is invalid")]
    BadSignature,
    #[error("token has expired")]
    Expired,
    #[error("token is not valid yet")]
    NotYetValid,
    #[error("token issuer is not accepted")]
    WrongIssuer,
    #[error("token audience is not accepted")]
    WrongAudience,
    #[error("token lacks the `{0}` claim")]
    MissingClaim(String),
    #[error("token claims are invalid: {0}")]
    InvalidClaims(String),
}

impl TokenError {
    /// Stable error code for clients: `token_expired` tells a client to
    /// refresh; anything else is `invalid_token` (log in again).
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::Expired => "token_expired",
            _ => "invalid_token",
        }
    }
}

/// The server's access-token secret could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("access-token secret `{kid}` is {len} bytes; use at least {MIN_SECRET_BYTES} random bytes")]
    SecretTooShort { kid: String, len: usize },
}

/// One HS256 secret with its key id.
struct Secret {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// Issues and verifies access tokens.
pub struct AccessTokens {
    current: Secret,
    previous: Vec<Secret>,
    issuer: String,
    audience: String,
    ttl: TimeDelta,
}

impl std::fmt::Debug for AccessTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessTokens")
            .field("kid", &self.current.kid)
            .field("previous", &self.previous.iter().map(|s| &s.kid).collect::<Vec<_>>())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

impl AccessTokens {
    /// Signs with `secret` (config, ≥ 32 random bytes) under key id `kid`,
    /// with the default issuer, audience and lifetime.
    pub fn new(kid: &str, secret: &[u8]) -> Result<Self, KeyError> {
        Ok(Self {
            current: Self::secret(kid, secret)?,
            previous: Vec::new(),
            issuer: DEFAULT_ISSUER.to_owned(),
            audience: DEFAULT_AUDIENCE.to_owned(),
            ttl: ACCESS_TOKEN_TTL,
        })
    }

    /// A key that exists only in this process (tokens die with it): for tests
    /// and for servers started without a configured secret.
    pub fn random() -> Self {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).expect("OS randomness");
        Self::new("ephemeral", &secret).expect("32 bytes is long enough")
    }

    /// Also accepts tokens signed by an older secret (during rotation).
    pub fn with_previous(mut self, kid: &str, secret: &[u8]) -> Result<Self, KeyError> {
        self.previous.push(Self::secret(kid, secret)?);
        Ok(self)
    }

    pub fn with_issuer(mut self, issuer: &str, audience: &str) -> Self {
        self.issuer = issuer.to_owned();
        self.audience = audience.to_owned();
        self
    }

    pub fn with_ttl(mut self, ttl: TimeDelta) -> Self {
        self.ttl = ttl;
        self
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    fn secret(kid: &str, secret: &[u8]) -> Result<Secret, KeyError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(KeyError::SecretTooShort { kid: kid.to_owned(), len: secret.len() });
        }
        Ok(Secret {
            kid: kid.to_owned(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        })
    }

    /// A new access token for a member of `tenant_id` in session `sid`.
    pub fn issue(
        &self,
        user_id: UserId,
        tenant_id: TenantId,
        role: Role,
        sid: SessionId,
        now: DateTime<Utc>,
    ) -> (String, AccessClaims) {
        let claims = AccessClaims {
            sub: user_id,
            tid: tenant_id,
            role,
            sid,
            iat: now.timestamp(),
            exp: (now + self.ttl).timestamp(),
            jti: Uuid::new_v4(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.current.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.current.encoding).expect("HS256 signing cannot fail");
        (token, claims)
    }

    /// Verifies signature, algorithm, issuer, audience and time. Does not
    /// check whether the session (`sid`) was revoked: that needs the store.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<AccessClaims, TokenError> {
        let header = peek_header(token)?;
        if header.alg != "HS256" {
            return Err(TokenError::UnsupportedAlgorithm(header.alg));
        }
        let secret = match header.kid.as_deref() {
            Some(kid) => std::iter::once(&self.current)
                .chain(&self.previous)
                .find(|s| s.kid == kid)
                .ok_or(TokenError::UnknownKey)?,
            None => return Err(TokenError::UnknownKey),
        };
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Time is checked below against `now`, not the wall clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims: AccessClaims =
            jsonwebtoken::decode(token, &secret.decoding, &validation).map_err(map_jwt_error)?.claims;
        check_times(claims.exp, None, Some(claims.iat), now, LEEWAY)?;
        Ok(claims)
    }
}

/// The parts of a JWT header we decide on before verifying anything.
#[derive(Debug, Deserialize)]
pub(crate) struct PeekedHeader {
    pub alg: String,
    #[serde(default)]
    pub kid: Option<String>,
}

/// Reads the header without trusting it, so `alg: none` (which
/// `jsonwebtoken` cannot even parse) gets a precise error and the key can be
/// chosen by `kid`.
pub(crate) fn peek_header(token: &str) -> Result<PeekedHeader, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Malformed);
    };
    let json = b64url_decode(header).ok_or(TokenError::Malformed)?;
    serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)
}

/// The unverified claims of a JWT (to route it to the right verifier, or to
/// read the `exp` of a token another component verified already).
fn peek_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let mut parts = token.split('.');
    let (Some(_), Some(payload), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    serde_json::from_slice(&b64url_decode(payload)?).ok()
}

/// The unverified `iss` of a JWT (`None` if it is not a JWT or has none).
pub(crate) fn peek_issuer(token: &str) -> Option<String> {
    peek_claims(token)?.get("iss")?.as_str().map(str::to_owned)
}

/// The unverified `exp` of a JWT; use only after verifying it.
pub(crate) fn peek_exp(token: &str) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(peek_claims(token)?.get("exp")?.as_i64()?, 0)
}

/// `exp`, `nbf` and `iat` against an injected clock, allowing `leeway` of skew.
pub(crate) fn check_times(
    exp: i64,
    nbf: Option<i64>,
    iat: Option<i64>,
    now: DateTime<Utc>,
    leeway: TimeDelta,
) -> Result<(), TokenError> {
    let now = now.timestamp();
    let leeway = leeway.num_seconds();
    if now >= exp.saturating_add(leeway) {
        return Err(TokenError::Expired);
    }
    if nbf.is_some_and(|nbf| now < nbf.saturating_sub(leeway))
        || iat.is_some_and(|iat| now < iat.saturating_sub(leeway))
    {
        return Err(TokenError::NotYetValid);
    }
    Ok(())
}

pub(crate) fn map_jwt_error(e: jsonwebtoken::errors::Error) -> TokenError {
    match e.into_kind() {
        ErrorKind::InvalidSignature => TokenError::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName | ErrorKind::UnsupportedAlgorithm => {
            TokenError::UnsupportedAlgorithm("mismatched".into())
        }
        ErrorKind::ExpiredSignature => TokenError::Expired,
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::InvalidIssuer => TokenError::WrongIssuer,
        ErrorKind::InvalidAudience => TokenError::WrongAudience,
        ErrorKind::MissingRequiredClaim(c) => TokenError::MissingClaim(c),
        ErrorKind::InvalidClaimFormat(c) => TokenError::InvalidClaims(c),
        ErrorKind::Json(e) => TokenError::InvalidClaims(e.to_string()),
        ErrorKind::InvalidEcdsaKey | ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidKeyFormat => {
            TokenError::UnknownKey
        }
        _ => TokenError::Malformed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::b64url;
    use chrono::TimeZone;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-test-only";

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    fn tokens() -> AccessTokens {
        AccessTokens::new("k1", SECRET).unwrap()
    }

    fn issue(at: DateTime<Utc>) -> (String, AccessClaims) {
        tokens().issue(UserId::from_u128(1), TenantId::from_u128(2), Role::StudioManager, SessionId::from_u128(3), at)
    }

    #[test]
    fn issue_and_verify() {
        let (token, claims) = issue(t(0));
        assert_eq!(claims.exp - claims.iat, 15 * 60);
        let got = tokens().verify(&token, t(60)).unwrap();
        assert_eq!(got, claims);
        let p = got.principal();
        assert_eq!(
            (p.user_id, p.tenant_id, p.role),
            (UserId::from_u128(1), TenantId::from_u128(2), Role::StudioManager)
        );
        assert_eq!(p.via, AuthVia::Password { session: SessionId::from_u128(3) });
        assert_eq!(got.expires_at(), t(900));
        // The wire claims use the documented names.
        let payload: serde_json::Value =
            serde_json::from_slice(&b64url_decode(token.split('.').nth(1).unwrap()).unwrap()).unwrap();
        for k in ["sub", "tid", "role", "sid", "iat", "exp", "jti", "iss", "aud"] {
            assert!(payload.get(k).is_some(), "missing {k}");
        }
        assert_eq!(payload["role"], "studio_manager");
        assert_ne!(issue(t(0)).1.jti, claims.jti, "jti is unique");
    }

    #[test]
    fn expired_with_leeway() {
        let (token, _) = issue(t(0));
        assert!(tokens().verify(&token, t(900 + 29)).is_ok());
        let err = tokens().verify(&token, t(900 + 30)).unwrap_err();
        assert_eq!(err, TokenError::Expired);
        assert_eq!(err.code(), "token_expired");
        // Issued in the future (clock skew beyond leeway).
        assert_eq!(tokens().verify(&token, t(-31)), Err(TokenError::NotYetValid));
    }

    #[test]
    fn wrong_secret_is_a_bad_signature() {
        let (token, _) = issue(t(0));
        let other = AccessTokens::new("k1", b"another secret, also long enough!!").unwrap();
        assert_eq!(other.verify(&token, t(1)), Err(TokenError::BadSignature));
        assert_eq!(TokenError::BadSignature.code(), "invalid_token");
    }

    #[test]
    fn tampered_payload_is_a_bad_signature() {
        let (token, claims) = issue(t(0));
        let parts: Vec<&str> = token.split('.').collect();
        let mut forged = serde_json::to_value(&claims).unwrap();
        forged["role"] = "studio_owner".into();
        let forged = format!("{}.{}.{}", parts[0], b64url(forged.to_string().as_bytes()), parts[2]);
        assert_eq!(tokens().verify(&forged, t(1)), Err(TokenError::BadSignature));
    }

    #[test]
    fn wrong_issuer_or_audience() {
        let (token, _) = issue(t(0));
        let other_iss = AccessTokens::new("k1", SECRET).unwrap().with_issuer("someone-else", DEFAULT_AUDIENCE);
        assert_eq!(other_iss.verify(&token, t(1)), Err(TokenError::WrongIssuer));
        let other_aud = AccessTokens::new("k1", SECRET).unwrap().with_issuer(DEFAULT_ISSUER, "another-api");
        assert_eq!(other_aud.verify(&token, t(1)), Err(TokenError::WrongAudience));
    }

    #[test]
    fn alg_none_and_other_algorithms_are_refused() {
        let (token, _) = issue(t(0));
        let payload = token.split('.').nth(1).unwrap();
        let none = format!("{}.{payload}.", b64url(br#"{"alg":"none","typ":"JWT","kid":"k1"}"#));
        assert_eq!(tokens().verify(&none, t(1)), Err(TokenError::UnsupportedAlgorithm("none".into())));
        let rs = format!("{}.{payload}.AAAA", b64url(br#"{"alg":"RS256","kid":"k1"}"#));
        assert_eq!(tokens().verify(&rs, t(1)), Err(TokenError::UnsupportedAlgorithm("RS256".into())));
    }

    #[test]
    fn malformed_tokens() {
        for bad in ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig", &format!("{}.e30.sig", b64url(b"not json"))] {
            assert_eq!(tokens().verify(bad, t(0)), Err(TokenError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn key_rotation_by_kid() {
        let (old_token, _) = issue(t(0));
        let rotated = AccessTokens::new("k2", b"the new secret, 32 bytes or more!!")
            .unwrap()
            .with_previous("k1", SECRET)
            .unwrap();
        assert!(rotated.verify(&old_token, t(1)).is_ok(), "old tokens still verify");
        let (new_token, _) = rotated.issue(
            UserId::from_u128(1),
            TenantId::from_u128(2),
            Role::Freelancer,
            SessionId::from_u128(3),
            t(0),
        );
        assert_eq!(peek_header(&new_token).unwrap().kid.as_deref(), Some("k2"));
        assert_eq!(tokens().verify(&new_token, t(1)), Err(TokenError::UnknownKey), "k2 unknown to the old config");
        // No kid at all.
        let parts: Vec<&str> = old_token.split('.').collect();
        let no_kid = format!("{}.{}.{}", b64url(br#"{"alg":"HS256","typ":"JWT"}"#), parts[1], parts[2]);
        assert_eq!(tokens().verify(&no_kid, t(1)), Err(TokenError::UnknownKey));
    }

    #[test]
    fn missing_claims() {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some("k1".into());
        let claims = serde_json::json!({"sub": UserId::from_u128(1), "exp": 1_700_000_900, "iss": DEFAULT_ISSUER, "aud": DEFAULT_AUDIENCE});
        let token = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(SECRET)).unwrap();
        assert!(matches!(tokens().verify(&token, t(0)), Err(TokenError::InvalidClaims(_))));
        // Every claim is required by the type, so a missing `exp` is caught
        // while reading the claims.
        let (_, full) = issue(t(0));
        let mut claims = serde_json::to_value(&full).unwrap();
        claims.as_object_mut().unwrap().remove("exp");
        let token = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(SECRET)).unwrap();
        assert!(matches!(tokens().verify(&token, t(0)), Err(TokenError::InvalidClaims(m)) if m.contains("exp")));
    }

    #[test]
    fn short_secrets_are_refused() {
        assert_eq!(
            AccessTokens::new("k1", b"too short").unwrap_err(),
            KeyError::SecretTooShort { kid: "k1".into(), len: 9 }
        );
        assert!(!format!("{:?}", tokens()).contains("0123456789abcdef"), "Debug must not print secrets");
    }
}
