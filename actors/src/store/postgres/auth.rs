//! Identity rows ([`AuthStore`]) — NOT IMPLEMENTED YET: every method refuses.
#![allow(unused_variables)]

use super::PgStore;
use crate::store::StoreError;
use crate::store::auth::*;
use async_trait::async_trait;
use pt_protocol::ids::{ApiTokenId, AuthSessionId, UserId};
use pt_protocol::{TenantId, Timestamp};

fn todo() -> StoreError {
    StoreError::Other("identity storage is not implemented yet".into())
}

#[async_trait]
impl AuthStore for PgStore {
    async fn create_studio(
        &self,
        studio: &StudioRow,
        owner: &UserRow,
        membership: &MembershipRow,
    ) -> Result<(), AuthStoreError> {
        Err(todo().into())
    }

    async fn studio(&self, tenant: TenantId) -> Result<Option<StudioRow>, StoreError> {
        Err(todo())
    }

    async fn update_studio(&self, studio: &StudioRow) -> Result<(), StoreError> {
        Err(todo())
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        Err(todo())
    }

    async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        Err(todo())
    }

    async fn save_user(&self, user: &UserRow) -> Result<(), AuthStoreError> {
        Err(todo().into())
    }

    async fn memberships_of_user(&self, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
        Err(todo())
    }

    async fn membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError> {
        Err(todo())
    }

    async fn members(&self, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError> {
        Err(todo())
    }

    async fn save_membership(&self, membership: &MembershipRow) -> Result<(), StoreError> {
        Err(todo())
    }

    async fn insert_invitation(&self, invitation: &InvitationRow) -> Result<(), StoreError> {
        Err(todo())
    }

    async fn invitation_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<InvitationRow>, StoreError> {
        Err(todo())
    }

    async fn accept_invitation(
        &self,
        invitation: &InvitationRow,
        user: Option<&UserRow>,
        membership: &MembershipRow,
        at: Timestamp,
    ) -> Result<(), AuthStoreError> {
        Err(todo().into())
    }

    async fn insert_session(&self, session: &SessionRow) -> Result<(), StoreError> {
        Err(todo())
    }

    async fn session_by_token(&self, hash: &TokenHashBytes) -> Result<Option<SessionRow>, StoreError> {
        Err(todo())
    }

    async fn session(&self, tenant: TenantId, id: AuthSessionId) -> Result<Option<SessionRow>, StoreError> {
        Err(todo())
    }

    async fn update_session(&self, session: &SessionRow, expected_generation: u32) -> Result<(), AuthStoreError> {
        Err(todo().into())
    }

    async fn revoke_sessions_of(
        &self,
        tenant: TenantId,
        user: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<Vec<AuthSessionId>, StoreError> {
        Err(todo())
    }

    async fn insert_api_token(&self, token: &ApiTokenRow) -> Result<(), StoreError> {
        Err(todo())
    }

    async fn api_token_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<ApiTokenRow>, StoreError> {
        Err(todo())
    }

    async fn api_tokens(&self, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError> {
        Err(todo())
    }

    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        id: ApiTokenId,
        at: Timestamp,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        Err(todo())
    }
}
