//! Rotating refresh tokens with reuse detection.
//!
//! A login starts a *family* (one session, [`SessionId`]). Each refresh
//! presents the family's current token and gets a new one; the old one is
//! retired. Only the newest token is valid, so if a retired token ever comes
//! back, two parties hold tokens of this family — a thief and the real user —
//! and we cannot tell which is which: the whole family is revoked and both
//! must log in again (the OAuth 2.0 Security BCP's refresh token rotation).
//!
//! The store keeps every hash it issued pointing at its family (`refresh_tokens(hash → family)`)
//! so a retired token still finds its family; [`RefreshFamily`] decides.
//! Rotation must be atomic per family (`SELECT … FOR UPDATE`): two racing
//! refreshes with the same token are exactly a reuse, and one of them loses.
//!
//! The family does not store a role: each refresh reads the membership's
//! current role, so demotions and removals take effect within one access
//! token lifetime.

use chrono::{DateTime, TimeDelta, Utc};
use pt_protocol::ids::{TenantId, UserId};

use super::SessionId;
use super::opaque::{MalformedToken, TokenHash, generate_secret, is_secret};

/// An opaque refresh token as handed to the client, once. Not `Debug`
/// -printed in full: logs must not contain it.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// A fresh token: 32 random bytes, base64url (43 characters).
    pub fn generate() -> Self {
        Self(generate_secret())
    }

    /// Checks the shape of a presented token before any lookup.
    pub fn parse(s: &str) -> Result<Self, MalformedToken> {
        if is_secret(s) { Ok(Self(s.to_owned())) } else { Err(MalformedToken) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the store keeps and looks up.
    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }
}

impl std::fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RefreshToken({}…)", &self.0[..4.min(self.0.len())])
    }
}

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// A session unused this long ends.
    pub idle: TimeDelta,
    /// No session outlives this, however active.
    pub absolute: TimeDelta,
}

impl RefreshPolicy {
    /// 14 days idle, 90 days at most.
    pub const DEFAULT: RefreshPolicy = RefreshPolicy { idle: TimeDelta::days(14), absolute: TimeDelta::days(90) };
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a family was revoked (stored, and logged in the audit trail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeReason {
    Logout,
    /// A retired token was presented again.
    Reuse,
    PasswordChanged,
    /// The user's membership in the tenant ended.
    MembershipEnded,
}

impl RevokeReason {
    pub const fn as_str(self) -> &'static str {
        match self {
            RevokeReason::Logout => "logout",
            RevokeReason::Reuse => "reuse",
            RevokeReason::PasswordChanged => "password_changed",
            RevokeReason::MembershipEnded => "membership_ended",
        }
    }
}

/// When and why a family was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    pub at: DateTime<Utc>,
    pub reason: RevokeReason,
}

/// A refresh was refused; the client must log in again. Every variant is a
/// `401`; only [`RefreshError::Reused`] is worth an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefreshError {
    #[error("session ended")]
    Revoked,
    #[error("session expired")]
    Expired,
    #[error("refresh token reused; session revoked")]
    Reused,
}

impl RefreshError {
    /// Stable error code for clients (`session_ended` for all: a client does
    /// the same thing in every case, and must not learn about reuse detection).
    pub const CODE: &'static str = "session_ended";
}

/// One login session's refresh tokens: the row the store keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshFamily {
    pub id: SessionId,
    pub user_id: UserId,
    pub tenant_id: TenantId,
    /// Hash of the only token that may be used next.
    pub current: TokenHash,
    /// How many rotations have happened (0 for the login's token).
    pub generation: u32,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub revoked: Option<Revocation>,
}

impl RefreshFamily {
    /// A new session at login: the family and its first token.
    pub fn start(user_id: UserId, tenant_id: TenantId, now: DateTime<Utc>) -> (Self, RefreshToken) {
        let token = RefreshToken::generate();
        let family = Self {
            id: SessionId::new(),
            user_id,
            tenant_id,
            current: token.hash(),
            generation: 0,
            created_at: now,
            last_used_at: now,
            revoked: None,
        };
        (family, token)
    }

    /// When the session ends unless used (or revoked) before.
    pub fn expires_at(&self, policy: &RefreshPolicy) -> DateTime<Utc> {
        (self.last_used_at + policy.idle).min(self.created_at + policy.absolute)
    }

    /// Whether access tokens of this session are still honoured.
    pub fn is_active(&self, policy: &RefreshPolicy, now: DateTime<Utc>) -> bool {
        self.revoked.is_none() && now < self.expires_at(policy)
    }

    /// Exchanges the presented token (by hash; the store found this family by
    /// it) for a new one. On `Ok`, persist the family (new `current`,
    /// `generation`, `last_used_at`) and the new hash → family row. On
    /// `Err(Reused)`, persist the revocation.
    pub fn rotate(
        &mut self,
        presented: &TokenHash,
        policy: &RefreshPolicy,
        now: DateTime<Utc>,
    ) -> Result<RefreshToken, RefreshError> {
        if self.revoked.is_some() {
            return Err(RefreshError::Revoked);
        }
        if !presented.ct_eq(&self.current) {
            self.revoke(RevokeReason::Reuse, now);
            return Err(RefreshError::Reused);
        }
        if now >= self.expires_at(policy) {
            return Err(RefreshError::Expired);
        }
        let next = RefreshToken::generate();
        self.current = next.hash();
        self.generation += 1;
        self.last_used_at = now;
        Ok(next)
    }

    /// Ends the session (logout, password change…). Idempotent: the first
    /// revocation is kept.
    pub fn revoke(&mut self, reason: RevokeReason, now: DateTime<Utc>) {
        self.revoked.get_or_insert(Revocation { at: now, reason });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
    }

    fn start() -> (RefreshFamily, RefreshToken) {
        RefreshFamily::start(UserId::from_u128(1), TenantId::from_u128(2), t(0))
    }

    const P: RefreshPolicy = RefreshPolicy::DEFAULT;

    #[test]
    fn token_format() {
        let tok = RefreshToken::generate();
        assert_eq!(tok.as_str().len(), 43);
        assert_eq!(RefreshToken::parse(tok.as_str()), Ok(tok.clone()));
        assert_eq!(RefreshToken::parse("short"), Err(MalformedToken));
        assert_eq!(RefreshToken::parse(&format!("{}x", tok.as_str())), Err(MalformedToken));
        assert_eq!(RefreshToken::parse(&format!("{}+", &tok.as_str()[1..])), Err(MalformedToken));
        assert!(!format!("{tok:?}").contains(tok.as_str()), "Debug must not print the secret");
        assert_eq!(tok.hash(), TokenHash::of(tok.as_str()));
    }

    #[test]
    fn rotation_chain() {
        let (mut fam, t0) = start();
        assert_eq!(fam.current, t0.hash());
        let t1 = fam.rotate(&t0.hash(), &P, t(60)).unwrap();
        assert_ne!(t1, t0);
        assert_eq!((fam.current, fam.generation, fam.last_used_at), (t1.hash(), 1, t(60)));
        let t2 = fam.rotate(&t1.hash(), &P, t(120)).unwrap();
        assert_eq!((fam.current, fam.generation), (t2.hash(), 2));
        assert!(fam.is_active(&P, t(121)));
    }

    #[test]
    fn reusing_a_retired_token_revokes_the_family() {
        let (mut fam, t0) = start();
        let t1 = fam.rotate(&t0.hash(), &P, t(60)).unwrap();
        // The thief (or the user) presents t0 again.
        assert_eq!(fam.rotate(&t0.hash(), &P, t(90)), Err(RefreshError::Reused));
        assert_eq!(fam.revoked, Some(Revocation { at: t(90), reason: RevokeReason::Reuse }));
        // Now even the newest token is dead, and so are the session's access tokens.
        assert_eq!(fam.rotate(&t1.hash(), &P, t(91)), Err(RefreshError::Revoked));
        assert!(!fam.is_active(&P, t(91)));
        // Revocation is sticky: a later logout does not overwrite the reason.
        fam.revoke(RevokeReason::Logout, t(100));
        assert_eq!(fam.revoked.unwrap().reason, RevokeReason::Reuse);
    }

    #[test]
    fn racing_refreshes_with_one_token_are_a_reuse() {
        let (mut fam, t0) = start();
        let winner = fam.rotate(&t0.hash(), &P, t(10));
        let loser = fam.rotate(&t0.hash(), &P, t(10));
        assert!(winner.is_ok());
        assert_eq!(loser, Err(RefreshError::Reused));
    }

    #[test]
    fn logout_ends_the_session() {
        let (mut fam, t0) = start();
        fam.revoke(RevokeReason::Logout, t(5));
        assert_eq!(fam.rotate(&t0.hash(), &P, t(6)), Err(RefreshError::Revoked));
        assert!(!fam.is_active(&P, t(6)));
    }

    #[test]
    fn idle_and_absolute_expiry() {
        let (mut fam, t0) = start();
        let day = 86_400;
        // Idle: unused for 14 days.
        assert_eq!(fam.expires_at(&P), t(14 * day));
        assert_eq!(fam.clone().rotate(&t0.hash(), &P, t(14 * day)), Err(RefreshError::Expired));
        // Used every 10 days, the idle limit keeps moving…
        let mut tok = t0;
        for i in 1..=8 {
            tok = fam.rotate(&tok.hash(), &P, t(i * 10 * day)).unwrap();
        }
        assert!(fam.is_active(&P, t(89 * day)));
        // …but the absolute limit does not.
        assert_eq!(fam.expires_at(&P), t(90 * day));
        assert_eq!(fam.rotate(&tok.hash(), &P, t(90 * day)), Err(RefreshError::Expired));
        assert!(!fam.is_active(&P, t(90 * day)));
        // Expiry is not revocation (nothing to alert on).
        assert_eq!(fam.revoked, None);
    }

    #[test]
    fn an_unrelated_token_is_treated_as_reuse() {
        // The store only hands us this family for hashes it issued to it; an
        // unknown hash reaching here means a store bug, and failing closed is right.
        let (mut fam, _) = start();
        assert_eq!(fam.rotate(&RefreshToken::generate().hash(), &P, t(1)), Err(RefreshError::Reused));
    }
}
