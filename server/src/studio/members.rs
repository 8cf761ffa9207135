//! `/studio/members`: who belongs to the studio, with which role and linked
//! artist, and removing them; and creating a member from the command line or `--demo`
//! ([`ensure_member`]).

use super::studio_artist;
use crate::auth::service::{AuthService, Authenticated, auth_store_error, forbidden, store_error, ts};
use crate::auth::sessions::UserSummary;
use crate::auth::signup::normalize_email;
use crate::auth::{Forbidden, Permission, Role};
use crate::error::ApiError;
use chrono::{DateTime, Utc};
use pt_actors::store::auth::{MembershipRow, StudioRow, UserRow};
use pt_protocol::ArtistId;
use pt_protocol::ids::UserId;
use serde::{Deserialize, Serialize};

/// A member of the studio.
#[derive(Serialize, Debug, Clone, utoipa::ToSchema, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberView {
    pub user: UserSummary,
    /// `studio_owner`, `studio_manager` or `freelancer`.
    pub role: String,
    /// A freelancer's own artist record.
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

/// `artistId` absent (`None`) vs `null` (`Some(None)`).
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

/// The studio's members. Needs `members:manage`.
pub async fn list(auth: &AuthService, who: &Authenticated) -> Result<Vec<MemberView>, ApiError> {
    who.require(Permission::MembersManage)?;
    let rows = auth.store().members(who.principal.tenant_id).await.map_err(store_error)?;
    Ok(rows.iter().map(|(m, u)| MemberView::new(m, u)).collect())
}

/// Changes a member's role or artist link; their sessions end (their tokens
/// carry the old role).
pub async fn update(
    auth: &AuthService,
    who: &Authenticated,
    user: UserId,
    patch: MemberPatch,
    now: DateTime<Utc>,
) -> Result<MemberView, ApiError> {
    let (store, tenant) = (auth.store(), who.principal.tenant_id);
    let mut m =
        store.membership(tenant, user).await.map_err(store_error)?.ok_or_else(|| ApiError::not_found("member"))?;
    who.require(Permission::MembersManage)?;
    if let Some(role) = patch.role {
        if user == who.principal.user_id && role != Role::StudioOwner {
            return Err(ApiError::unprocessable("you cannot demote yourself; another owner can"));
        }
        m.role = role.as_str().into();
    }
    if let Some(link) = patch.artist_id {
        if let Some(artist) = link {
            studio_artist(store.as_ref(), tenant, artist).await?;
        }
        m.artist_id = link;
    }
    store.save_membership(&m).await.map_err(store_error)?;
    auth.end_member_sessions(tenant, user, now).await?;
    let u = store.user(user).await.map_err(store_error)?.ok_or_else(|| ApiError::not_found("member"))?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), member = %user, role = %m.role, "membership changed");
    Ok(MemberView::new(&m, &u))
}

/// Removes a member from the studio: their membership ends, every session of
/// theirs in the studio is revoked and their WebSockets close at once (their
/// API tokens stop working: they no longer have a role here). You cannot
/// remove yourself, nor a member whose role is stronger than yours.
pub async fn remove(
    auth: &AuthService,
    who: &Authenticated,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<MemberView, ApiError> {
    let (store, tenant) = (auth.store(), who.principal.tenant_id);
    let m = store.membership(tenant, user).await.map_err(store_error)?.ok_or_else(|| ApiError::not_found("member"))?;
    who.require(Permission::MembersManage)?;
    if user == who.principal.user_id {
        return Err(ApiError::unprocessable("you cannot remove yourself; another owner can"));
    }
    if m.role.parse::<Role>().is_ok_and(|role| !who.principal.role.includes(role)) {
        return Err(forbidden(Forbidden { missing: Permission::MembersManage }));
    }
    let u = store.user(user).await.map_err(store_error)?.ok_or_else(|| ApiError::not_found("member"))?;
    let removed = store.remove_membership(tenant, user).await.map_err(store_error)?;
    let Some(removed) = removed else { return Err(ApiError::not_found("member")) };
    auth.end_member_sessions(tenant, user, now).await?;
    tracing::info!(target: "pt_server::audit", actor = %who.actor(), member = %user, role = %removed.role, "member removed");
    Ok(MemberView::new(&removed, &u))
}

/// Creates (or updates the password of) a member, creating the studio with
/// `studio`'s settings if it does not exist: for `--demo` and for operators
/// bootstrapping a studio from the command line.
pub async fn ensure_member(
    auth: &AuthService,
    studio: &StudioRow,
    (email, display_name, password): (&str, &str, &str),
    role: Role,
    artist_id: Option<ArtistId>,
) -> Result<UserRow, ApiError> {
    let (store, now) = (auth.store(), Utc::now());
    let email = normalize_email(email)?;
    let hash = auth.hash_password(password.to_string()).await?;
    let user = match store.user_by_email(&email).await.map_err(store_error)? {
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
    if store.studio(studio.id).await.map_err(store_error)?.is_none() {
        store.create_studio(studio, &user, &membership).await.map_err(auth_store_error)?;
    } else {
        store.save_user(&user).await.map_err(auth_store_error)?;
        store.save_membership(&membership).await.map_err(store_error)?;
    }
    auth.memberships_changed(studio.id);
    Ok(user)
}
