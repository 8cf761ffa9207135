//! Identity rows for the `AuthStore` tests: a studio, users, memberships,
//! invitations, sessions and API tokens, with instants from [`at`].

use super::at;
use pt_actors::store::Store;
use pt_actors::store::auth::*;
use pt_protocol::ids::{ApiTokenId, AuthSessionId, UserId};
use pt_protocol::{ArtistId, TenantId};

pub const WORKING_WEEK: &str = r#"{"days":[1,2,3,4,5],"start":"09:00","end":"18:00"}"#;

/// A fresh random token hash (stands in for the SHA-256 of a secret).
pub fn token_hash() -> TokenHashBytes {
    let mut h = [0u8; 32];
    h[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    h[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    h
}

pub fn studio(name: &str) -> StudioRow {
    StudioRow {
        id: TenantId::new(),
        name: name.to_owned(),
        timezone: "Europe/London".into(),
        default_hold_minutes: 1440,
        working_week: r#"{"days":[1,2,3,4],"start":"10:00","end":"19:00"}"#.into(),
        holidays: r#"[{"date":"2026-12-25","name":"Christmas Day"}]"#.into(),
        created_at: at(0),
        challenge_hours: 24,
    }
}

/// A user with a unique, lower-cased email built from `name`.
pub fn user(name: &str) -> UserRow {
    let id = UserId::new();
    UserRow {
        id,
        email: format!("{}.{}@studio.example", name.to_lowercase(), id.0.simple()),
        display_name: name.to_owned(),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        created_at: at(0),
    }
}

pub fn membership(tenant: TenantId, user: UserId, role: &str, created_h: i64) -> MembershipRow {
    MembershipRow {
        tenant_id: tenant,
        user_id: user,
        role: role.to_owned(),
        artist_id: None,
        created_at: at(created_h),
    }
}

pub fn invitation(tenant: TenantId, email: &str, invited_by: UserId) -> InvitationRow {
    InvitationRow {
        id: uuid::Uuid::now_v7(),
        tenant_id: tenant,
        email: email.to_owned(),
        role: "freelancer".into(),
        artist_id: Some(ArtistId::new()),
        token_hash: token_hash(),
        invited_by,
        created_at: at(1),
        expires_at: at(7 * 24),
        accepted_at: None,
    }
}

/// A new login session (generation 0) of `user` in `tenant`.
pub fn session(tenant: TenantId, user: UserId) -> SessionRow {
    SessionRow {
        id: AuthSessionId::new(),
        user_id: user,
        tenant_id: tenant,
        current_hash: token_hash(),
        generation: 0,
        created_at: at(1),
        last_used_at: at(1),
        revoked_at: None,
        revoked_reason: None,
    }
}

/// `s` after one rotation at hour `h`.
pub fn rotated(s: &SessionRow, h: i64) -> SessionRow {
    SessionRow { current_hash: token_hash(), generation: s.generation + 1, last_used_at: at(h), ..s.clone() }
}

/// `s` revoked at hour `h`.
pub fn revoked(s: &SessionRow, h: i64, reason: &str) -> SessionRow {
    SessionRow { revoked_at: Some(at(h)), revoked_reason: Some(reason.to_owned()), ..s.clone() }
}

pub fn api_token(tenant: TenantId, created_by: UserId, name: &str, created_h: i64) -> ApiTokenRow {
    ApiTokenRow {
        id: ApiTokenId::new(),
        tenant_id: tenant,
        role: "studio_manager".into(),
        name: name.to_owned(),
        hash: token_hash(),
        hint: "pt_abcd…".into(),
        created_by,
        created_at: at(created_h),
        expires_at: None,
        revoked_at: None,
    }
}

/// A studio signed up through the store, with its owner and the owner's membership.
pub async fn signed_up(store: &dyn Store, name: &str) -> (StudioRow, UserRow, MembershipRow) {
    let s = studio(name);
    let owner = user(&format!("{name}-owner"));
    let m = membership(s.id, owner.id, "studio_owner", 0);
    store.create_studio(&s, &owner, &m).await.expect("create studio");
    (s, owner, m)
}
