//! API tokens for integrations: long-lived opaque bearer tokens, each scoped
//! to one tenant and one role, stored only as a SHA-256.
//!
//! Format: `pt_` + 43 base64url characters (32 random bytes). The prefix lets
//! the auth extractor tell an API token from a JWT without trying to parse
//! it, and lets secret scanners recognise a leaked one. The token is shown
//! once at creation; listings show [`ApiTokenRecord::hint`].

use chrono::{DateTime, Utc};
use pt_protocol::ids::{TenantId, UserId};

use super::opaque::{MalformedToken, SECRET_CHARS, TokenHash, generate_secret, is_secret};
use super::{ApiTokenId, AuthVia, Forbidden, Permission, Principal, Role};

/// Every API token starts with this.
pub const API_TOKEN_PREFIX: &str = "pt_";

/// An API token's secret, as handed to the integration once.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    pub fn generate() -> Self {
        Self(format!("{API_TOKEN_PREFIX}{}", generate_secret()))
    }

    /// Checks the shape of a presented token before any lookup.
    pub fn parse(s: &str) -> Result<Self, MalformedToken> {
        match s.strip_prefix(API_TOKEN_PREFIX) {
            Some(secret) if is_secret(secret) => Ok(Self(s.to_owned())),
            _ => Err(MalformedToken),
        }
    }

    /// Whether a bearer credential is meant to be an API token (it may still
    /// be malformed); the extractor's dispatch.
    pub fn looks_like(s: &str) -> bool {
        s.starts_with(API_TOKEN_PREFIX)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the store keeps and looks up (over the whole string, prefix included).
    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }

    /// `pt_abcd…` — enough to recognise a token in a listing, useless to an attacker.
    pub fn hint(&self) -> String {
        format!("{}…", &self.0[..API_TOKEN_PREFIX.len() + 4])
    }
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiToken({})", self.hint())
    }
}

/// A stored API token was refused (both are `401`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApiTokenError {
    #[error("API token revoked")]
    Revoked,
    #[error("API token expired")]
    Expired,
}

impl ApiTokenError {
    pub const CODE: &'static str = "invalid_token";
}

/// The row the store keeps for one API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    pub id: ApiTokenId,
    pub tenant_id: TenantId,
    pub role: Role,
    /// What the integration is ("Calendar sync").
    pub name: String,
    pub hash: TokenHash,
    pub hint: String,
    /// The member who created it; requests made with it act as this user in
    /// the audit trail (with the token id).
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiTokenRecord {
    /// Creates a token for `creator`'s tenant. The creator needs
    /// `api_tokens:manage` and may not hand out more than their own role
    /// can do ([`Role::includes`]).
    pub fn create(
        creator: &Principal,
        role: Role,
        name: &str,
        expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(Self, ApiToken), Forbidden> {
        creator.authorize(Permission::ApiTokensManage)?;
        if !creator.role.includes(role) {
            // The first permission of `role` the creator lacks.
            let missing =
                Permission::ALL.into_iter().find(|&p| role.can(p) && !creator.role.can(p)).expect("role not included");
            return Err(Forbidden { missing });
        }
        let token = ApiToken::generate();
        let record = Self {
            id: ApiTokenId::new(),
            tenant_id: creator.tenant_id,
            role,
            name: name.to_owned(),
            hash: token.hash(),
            hint: token.hint(),
            created_by: creator.user_id,
            created_at: now,
            expires_at,
            revoked_at: None,
        };
        Ok((record, token))
    }

    /// The principal for a request bearing this token (the store found the
    /// record by [`ApiToken::hash`]).
    pub fn principal(&self, now: DateTime<Utc>) -> Result<Principal, ApiTokenError> {
        if self.revoked_at.is_some_and(|at| at <= now) {
            return Err(ApiTokenError::Revoked);
        }
        if self.expires_at.is_some_and(|at| at <= now) {
            return Err(ApiTokenError::Expired);
        }
        Ok(Principal {
            user_id: self.created_by,
            tenant_id: self.tenant_id,
            role: self.role,
            via: AuthVia::ApiToken { token: self.id },
        })
    }

    pub fn revoke(&mut self, now: DateTime<Utc>) {
        self.revoked_at.get_or_insert(now);
    }
}

/// Length of an API token string.
pub const API_TOKEN_CHARS: usize = API_TOKEN_PREFIX.len() + SECRET_CHARS;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::SessionId;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    fn member(role: Role) -> Principal {
        Principal {
            user_id: UserId::from_u128(7),
            tenant_id: TenantId::from_u128(8),
            role,
            via: AuthVia::Password { session: SessionId::from_u128(9) },
        }
    }

    #[test]
    fn format() {
        let tok = ApiToken::generate();
        assert!(tok.as_str().starts_with("pt_"));
        assert_eq!(tok.as_str().len(), API_TOKEN_CHARS);
        assert_eq!(ApiToken::parse(tok.as_str()), Ok(tok.clone()));
        assert!(ApiToken::looks_like(tok.as_str()));
        assert!(!ApiToken::looks_like("eyJhbGciOiJIUzI1NiJ9.e30.x"));
        for bad in [
            "pt_",
            "pt_short",
            &tok.as_str()[3..],
            &format!("px_{}", &tok.as_str()[3..]),
            &format!("{}=", tok.as_str()),
        ] {
            assert_eq!(ApiToken::parse(bad), Err(MalformedToken), "{bad:?}");
        }
        assert_eq!(tok.hint().chars().count(), 8);
        assert!(!format!("{tok:?}").contains(&tok.as_str()[8..]), "Debug must not print the secret");
        assert_eq!(tok.hash(), TokenHash::of(tok.as_str()));
        assert_ne!(ApiToken::generate(), tok);
    }

    #[test]
    fn create_and_use() {
        let owner = member(Role::StudioOwner);
        let (rec, tok) = ApiTokenRecord::create(&owner, Role::StudioManager, "Calendar sync", None, t(0)).unwrap();
        assert_eq!(rec.hash, tok.hash());
        assert_eq!((rec.tenant_id, rec.role, rec.created_by), (owner.tenant_id, Role::StudioManager, owner.user_id));
        let p = rec.principal(t(1)).unwrap();
        assert_eq!((p.user_id, p.tenant_id, p.role), (owner.user_id, owner.tenant_id, Role::StudioManager));
        assert_eq!(p.via, AuthVia::ApiToken { token: rec.id });
    }

    #[test]
    fn only_owners_create_and_never_above_their_role() {
        let manager = member(Role::StudioManager);
        assert_eq!(
            ApiTokenRecord::create(&manager, Role::StudioManager, "x", None, t(0)).unwrap_err(),
            Forbidden { missing: Permission::ApiTokensManage }
        );
        // Roles are not a ladder: an owner includes every role, so creation by
        // an owner always succeeds; the rule is still checked for future roles.
        for role in Role::ALL {
            assert!(ApiTokenRecord::create(&member(Role::StudioOwner), role, "x", None, t(0)).is_ok());
        }
    }

    #[test]
    fn revoked_and_expired() {
        let owner = member(Role::StudioOwner);
        let (mut rec, _) = ApiTokenRecord::create(&owner, Role::Freelancer, "x", Some(t(100)), t(0)).unwrap();
        assert!(rec.principal(t(99)).is_ok());
        assert_eq!(rec.principal(t(100)), Err(ApiTokenError::Expired));
        rec.revoke(t(50));
        rec.revoke(t(60));
        assert_eq!(rec.revoked_at, Some(t(50)), "first revocation kept");
        assert_eq!(rec.principal(t(50)), Err(ApiTokenError::Revoked));
        assert!(rec.principal(t(49)).is_ok());
    }
}
