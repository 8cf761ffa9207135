//! # Authentication and authorization — the pure parts
//!
//! Everything here is store-independent and clock-injected (`now` is a
//! parameter), so it is tested without a database, a network or sleeps. The
//! routes and stores that use it are wired in separately.
//!
//! ## How the pieces fit
//! * **Login** ([`password`]): check [`password::LoginThrottle`] for the
//!   account and the IP → verify the argon2id PHC string (or
//!   [`password::PasswordHasher::verify_dummy`] when the user does not exist,
//!   so timing does not reveal accounts) → on success issue an **access
//!   token** ([`tokens::AccessTokens`], HS256 JWT, 15 minutes) and start
//!   a **refresh family** ([`refresh::RefreshFamily::start`]); the client
//!   gets the access token and the opaque refresh token, the store keeps only
//!   the refresh token's SHA-256.
//! * **Refresh**: the store finds the family by the presented token's hash
//!   (every hash it ever issued points at its family); [`refresh::RefreshFamily::rotate`]
//!   returns a new refresh token and retires the old one. Presenting a retired
//!   token is theft (or a bug): the whole family is revoked
//!   ([`refresh::RefreshError::Reused`]). Logout revokes the family; access
//!   tokens carry the family id as `sid`, so REST and WS can refuse them at
//!   once instead of waiting for `exp`.
//! * **API tokens** ([`api_tokens::ApiToken`]): `pt_…` opaque bearer tokens for
//!   integrations, hashed at rest, each scoped to one tenant and one role;
//!   [`api_tokens::ApiTokenRecord::principal`] turns a stored record into a
//!   [`Principal`].
//! * **OIDC** ([`oidc`]): bearer JWTs from Clerk, Auth0, Keycloak… verified
//!   against a JWKS by `kid`, claims mapped to user, tenant and role by
//!   configuration.
//! * **Authorization** ([`rbac`]): every request ends as a [`Principal`];
//!   [`rbac::authorize`] is the one permission check, and its
//!   [`rbac::Forbidden`] names the missing permission (`403`). Ids from another
//!   tenant are `404` before this check is reached.
//!
//! ## What the wiring step needs
//! * **Storage, per tenant** (RLS applies): `users` (email, PHC hash, external
//!   `(issuer, subject)` for OIDC users), `memberships` (user × tenant × role,
//!   and the freelancer's linked artist), `refresh_families` (the fields of
//!   [`refresh::RefreshFamily`]) plus `refresh_tokens(hash → family)`,
//!   `api_tokens` ([`api_tokens::ApiTokenRecord`]), recent login failures per
//!   account and per IP for [`password::LoginThrottle`].
//! * **Routes** `/api/v1/auth/*`: `signup` (studio + owner), `login`,
//!   `refresh`, `logout`, `invitations`, `api-tokens`. Hash in
//!   `spawn_blocking`: argon2 takes tens of milliseconds and 46 MiB.
//! * **An axum extractor** replacing `X-Tenant-Id`: `Authorization: Bearer`
//!   → `pt_` prefix → API token; a JWT whose `iss` is ours → access token
//!   (+ family not revoked); otherwise → OIDC if configured. It yields a
//!   [`Principal`]; `tenant_id` comes from it, never from the request.
//! * **WS hello** carries the same bearer token; the session keeps the
//!   access token's `exp` (and `sid`) and closes when it expires or the family
//!   is revoked, unless the client re-authenticates.

// The pure parts.
pub mod api_tokens;
pub mod oidc;
pub mod opaque;
pub mod password;
pub mod rbac;
pub mod refresh;
pub mod tokens;

// The service over the store: one file per concept (see `service`).
pub mod authenticate;
pub mod authenticated;
pub mod external;
pub mod jwks_http;
pub mod login;
pub mod service;
pub mod sessions;
pub mod signup;

pub use rbac::{Forbidden, Permission, Role, Scope, authorize};

use pt_protocol::ids::{TenantId, UserId};

/// A login session (one refresh-token family; access tokens carry it as `sid`),
/// and an API token record (not the secret). Both are ids like every other, so
/// they come from pt-protocol's one id macro.
pub use pt_protocol::ids::{ApiTokenId, AuthSessionId as SessionId};

/// Who is acting, in which studio, with which role — the result of every
/// successful authentication, and the only input authorization needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    /// The studio this request acts in; chosen at login (a user may belong to
    /// several), never taken from request headers or bodies.
    pub tenant_id: TenantId,
    pub role: Role,
    pub via: AuthVia,
}

impl Principal {
    /// Shorthand for [`rbac::authorize`].
    pub fn authorize(&self, permission: Permission) -> Result<(), Forbidden> {
        rbac::authorize(self, permission)
    }
}

/// How the principal authenticated; kept for audit and for revocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthVia {
    /// A built-in login (password): the access token's refresh family.
    Password { session: SessionId },
    /// An integration's API token, created by `user_id`.
    ApiToken { token: ApiTokenId },
    /// A token from an external OpenID Connect provider.
    Oidc { issuer: String, subject: String },
}

impl AuthVia {
    /// `password`, `api_token` or `oidc`, for logs and audit rows.
    pub fn kind(&self) -> &'static str {
        match self {
            AuthVia::Password { .. } => "password",
            AuthVia::ApiToken { .. } => "api_token",
            AuthVia::Oidc { .. } => "oidc",
        }
    }
}

/// URL-safe base64 without padding: the encoding of every opaque token here.
pub(crate) fn b64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).ok()
}

/// `N` bytes from the operating system's CSPRNG. Failure means the OS cannot
/// give randomness, and no token may be issued then.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).expect("the operating system's random number generator failed");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principal_authorize_is_rbac() {
        let p = Principal {
            user_id: UserId::from_u128(1),
            tenant_id: TenantId::from_u128(2),
            role: Role::Freelancer,
            via: AuthVia::ApiToken { token: ApiTokenId::from_u128(9) },
        };
        assert_eq!(p.authorize(Permission::BookingsRespond), Ok(()));
        assert_eq!(p.authorize(Permission::BookingsCreate), Err(Forbidden { missing: Permission::BookingsCreate }));
        assert_eq!(p.via.kind(), "api_token");
    }

    #[test]
    fn random_bytes_differ() {
        assert_ne!(random_bytes::<32>(), random_bytes::<32>());
        assert_eq!(b64url_decode(&b64url(b"\xff\x00hello")).unwrap(), b"\xff\x00hello");
    }
}
