//! Identity rows ([`AuthStore`]) in PostgreSQL; schema in `migrations/0004_identity.sql`.
//!
//! * Tenant rows (studios, memberships, invitations, sessions, API tokens)
//!   are read and written in [`tenant_tx`], under row-level security.
//! * Users are global: they are read and written in [`global_tx`] (still as
//!   `pt_app`), and so are a user's memberships across studios at login, with
//!   `app.current_user` set so the `own_memberships` policy shows them.
//! * A bearer secret does not name its tenant. Lookups by hash are two
//!   transactions on one connection: `auth_token_index` (no RLS) gives the
//!   tenant, then the row itself is read in that tenant's transaction. Every
//!   hash ever issued stays in the index; refresh hashes also name their
//!   session, so a rotated-away token still finds its family (reuse).
//! * A unique violation in a method that can answer
//!   [`AuthStoreError::Duplicate`] is `Duplicate`; elsewhere it stays
//!   [`StoreError::Rejected`] like any constraint.

use super::*;
use crate::store::auth::*;
use pt_protocol::ids::{ApiTokenId, AuthSessionId, UserId};

mod rows;
use rows::*;

// ---------------------------------------------------------------------------
// Statements used by more than one method

const INSERT_USER: &str = "INSERT INTO users (id, email, display_name, password_hash, created_at) \
                           VALUES ($1, $2, $3, $4, $5)";

async fn insert_user(tx: &Transaction<'_>, u: &UserRow) -> Result<u64, tokio_postgres::Error> {
    tx.execute(INSERT_USER, &[&u.id.0, &u.email, &u.display_name, &u.password_hash, &u.created_at.to_chrono()]).await
}

/// Inserts the membership, or replaces its role and artist link (keeping `created_at`).
async fn upsert_membership(tx: &Transaction<'_>, m: &MembershipRow) -> Result<u64, tokio_postgres::Error> {
    tx.execute(
        "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role, artist_id = EXCLUDED.artist_id",
        &[&m.tenant_id.0, &m.user_id.0, &m.role, &m.artist_id.map(|a| a.0), &m.created_at.to_chrono()],
    )
    .await
}

/// Records that `hash` was issued in `tenant` (for a refresh token: by `session`).
async fn index_token(
    tx: &Transaction<'_>,
    hash: &TokenHashBytes,
    kind: &str,
    tenant: TenantId,
    session: Option<AuthSessionId>,
) -> Result<u64, tokio_postgres::Error> {
    tx.execute(
        "INSERT INTO auth_token_index (hash, kind, tenant_id, session_id) VALUES ($1, $2, $3, $4)",
        &[&hash.as_slice(), &kind, &tenant.0, &session.map(|s| s.0)],
    )
    .await
}

/// The tenant a `kind` token hash was issued in, and (refresh tokens) its session.
async fn indexed(
    conn: &mut Conn<'_>,
    hash: &TokenHashBytes,
    kind: &str,
) -> Result<Option<(TenantId, Option<Uuid>)>, StoreError> {
    let tx = global_tx(conn, None, true).await?;
    let row = tx
        .query_opt(
            "SELECT tenant_id, session_id FROM auth_token_index WHERE hash = $1 AND kind = $2",
            &[&hash.as_slice(), &kind],
        )
        .await
        .map_err(map_pg)?;
    tx.commit().await.map_err(map_pg)?;
    row.map(|r| Ok((TenantId(get(&r, 0)?), get(&r, 1)?))).transpose()
}

fn hold_minutes(studio: &StudioRow) -> Result<i32, StoreError> {
    i32::try_from(studio.default_hold_minutes).map_err(|_| {
        StoreError::Other(format!("default hold of {} minutes does not fit the database", studio.default_hold_minutes))
    })
}

#[async_trait]
impl AuthStore for PgStore {
    async fn create_studio(
        &self,
        studio: &StudioRow,
        owner: &UserRow,
        membership: &MembershipRow,
    ) -> Result<(), AuthStoreError> {
        let hold = hold_minutes(studio)?;
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, studio.id, false).await?;
        // The tenant row may exist already (`ensure_tenant`): then its
        // settings are replaced and its `created_at` kept.
        tx.execute(
            "INSERT INTO tenants (id, name, timezone, default_hold_minutes, working_week, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,
                 default_hold_minutes = EXCLUDED.default_hold_minutes, working_week = EXCLUDED.working_week",
            &[
                &studio.id.0,
                &studio.name,
                &studio.timezone,
                &hold,
                &studio.working_week,
                &studio.created_at.to_chrono(),
            ],
        )
        .await
        .map_err(auth_pg)?;
        insert_user(&tx, owner).await.map_err(auth_pg)?;
        tx.execute(
            "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[
                &membership.tenant_id.0,
                &membership.user_id.0,
                &membership.role,
                &membership.artist_id.map(|a| a.0),
                &membership.created_at.to_chrono(),
            ],
        )
        .await
        .map_err(auth_pg)?;
        tx.commit().await.map_err(auth_pg)
    }

    async fn studio(&self, tenant: TenantId) -> Result<Option<StudioRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(&format!("SELECT {STUDIO_COLUMNS} FROM tenants WHERE id = $1"), &[&tenant.0])
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(studio_from_row).transpose()
    }

    async fn update_studio(&self, studio: &StudioRow) -> Result<(), StoreError> {
        let hold = hold_minutes(studio)?;
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, studio.id, false).await?;
        let n = tx
            .execute(
                "UPDATE tenants SET name = $2, timezone = $3, default_hold_minutes = $4, working_week = $5
                 WHERE id = $1",
                &[&studio.id.0, &studio.name, &studio.timezone, &hold, &studio.working_week],
            )
            .await
            .map_err(map_pg)?;
        if n == 0 {
            return Err(StoreError::Other(format!("no studio {} to update", studio.id)));
        }
        tx.commit().await.map_err(map_pg)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = global_tx(&mut conn, None, true).await?;
        // The users policy shows the row of the email being looked up.
        tx.execute("SELECT set_config('app.user_email', $1, true)", &[&email]).await.map_err(map_pg)?;
        let row = tx
            .query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1"), &[&email])
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.map(|r| user_from_row(&r, 0)).transpose()
    }

    async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = global_tx(&mut conn, Some(id), true).await?;
        let row =
            tx.query_opt(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"), &[&id.0]).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.map(|r| user_from_row(&r, 0)).transpose()
    }

    async fn save_user(&self, user: &UserRow) -> Result<(), AuthStoreError> {
        let mut conn = self.conn().await?;
        let tx = global_tx(&mut conn, Some(user.id), false).await?;
        // Another user's email fails the insert's unique check; the same id
        // takes the update path (the email is not changed there).
        tx.execute(
            &format!(
                "{INSERT_USER} ON CONFLICT (id) DO UPDATE SET
                     display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash"
            ),
            &[&user.id.0, &user.email, &user.display_name, &user.password_hash, &user.created_at.to_chrono()],
        )
        .await
        .map_err(auth_pg)?;
        tx.commit().await.map_err(auth_pg)
    }

    async fn memberships_of_user(&self, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = global_tx(&mut conn, Some(user), true).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE user_id = $1 ORDER BY created_at, tenant_id"
                ),
                &[&user.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(membership_from_row).collect()
    }

    async fn membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE tenant_id = $1 AND user_id = $2"),
                &[&tenant.0, &user.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(membership_from_row).transpose()
    }

    async fn members(&self, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                "SELECT m.tenant_id, m.user_id, m.role, m.artist_id, m.created_at,
                        u.id, u.email, u.display_name, u.password_hash, u.created_at
                 FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.tenant_id = $1 ORDER BY m.created_at, m.user_id",
                &[&tenant.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(|r| Ok((membership_from_row(r)?, user_from_row(r, 5)?))).collect()
    }

    async fn save_membership(&self, membership: &MembershipRow) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, membership.tenant_id, false).await?;
        upsert_membership(&tx, membership).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn insert_invitation(&self, inv: &InvitationRow) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, inv.tenant_id, false).await?;
        tx.execute(
            &format!("INSERT INTO invitations ({INVITATION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
            &[
                &inv.tenant_id.0,
                &inv.id,
                &inv.email,
                &inv.role,
                &inv.artist_id.map(|a| a.0),
                &inv.token_hash.as_slice(),
                &inv.invited_by.0,
                &inv.created_at.to_chrono(),
                &inv.expires_at.to_chrono(),
                &opt_chrono(inv.accepted_at),
            ],
        )
        .await
        .map_err(map_pg)?;
        index_token(&tx, &inv.token_hash, "invitation", inv.tenant_id, None).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn invitation_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<InvitationRow>, StoreError> {
        let mut conn = self.conn().await?;
        let Some((tenant, _)) = indexed(&mut conn, hash, "invitation").await? else { return Ok(None) };
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {INVITATION_COLUMNS} FROM invitations WHERE tenant_id = $1 AND token_hash = $2"),
                &[&tenant.0, &hash.as_slice()],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    async fn accept_invitation(
        &self,
        invitation: &InvitationRow,
        user: Option<&UserRow>,
        membership: &MembershipRow,
        at: Timestamp,
    ) -> Result<(), AuthStoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, invitation.tenant_id, false).await?;
        // The row lock of this UPDATE makes a racing acceptance wait, then
        // find `accepted_at` set: exactly one of them wins.
        let accepted = tx
            .execute(
                "UPDATE invitations SET accepted_at = $3 WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL",
                &[&invitation.tenant_id.0, &invitation.id, &at.to_chrono()],
            )
            .await
            .map_err(auth_pg)?;
        if accepted == 0 {
            return Err(AuthStoreError::Stale(format!("invitation {} is accepted already (or gone)", invitation.id)));
        }
        if let Some(user) = user {
            insert_user(&tx, user).await.map_err(auth_pg)?;
        }
        upsert_membership(&tx, membership).await.map_err(auth_pg)?;
        tx.commit().await.map_err(auth_pg)
    }

    async fn insert_session(&self, s: &SessionRow) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, s.tenant_id, false).await?;
        tx.execute(
            &format!("INSERT INTO auth_sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"),
            &[
                &s.tenant_id.0,
                &s.id.0,
                &s.user_id.0,
                &s.current_hash.as_slice(),
                &i64::from(s.generation),
                &s.created_at.to_chrono(),
                &s.last_used_at.to_chrono(),
                &opt_chrono(s.revoked_at),
                &s.revoked_reason,
            ],
        )
        .await
        .map_err(map_pg)?;
        index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn session_by_token(&self, hash: &TokenHashBytes) -> Result<Option<SessionRow>, StoreError> {
        let mut conn = self.conn().await?;
        let Some((tenant, Some(session))) = indexed(&mut conn, hash, "refresh").await? else { return Ok(None) };
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE tenant_id = $1 AND id = $2"),
                &[&tenant.0, &session],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn session(&self, tenant: TenantId, id: AuthSessionId) -> Result<Option<SessionRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE tenant_id = $1 AND id = $2"),
                &[&tenant.0, &id.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn update_session(&self, s: &SessionRow, expected_generation: u32) -> Result<(), AuthStoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, s.tenant_id, false).await?;
        // Locks the row, and tells whether the hash changes (then it is indexed).
        let old_hash = tx
            .query_opt(
                "SELECT current_hash FROM auth_sessions WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
                &[&s.tenant_id.0, &s.id.0],
            )
            .await
            .map_err(auth_pg)?
            .map(|r| hash(&r, 0))
            .transpose()?;
        // The compare-and-set. A session revoked meanwhile (revoke_sessions_of
        // does not rotate) is stale to a save that would make it live again;
        // saving a revocation over a revocation keeps the first one.
        let updated = tx
            .execute(
                "UPDATE auth_sessions SET current_hash = $4, generation = $5, last_used_at = $6,
                     revoked_reason = CASE WHEN revoked_at IS NULL THEN $8::text ELSE revoked_reason END,
                     revoked_at = coalesce(revoked_at, $7::timestamptz)
                 WHERE tenant_id = $1 AND id = $2 AND generation = $3
                   AND (revoked_at IS NULL OR $7::timestamptz IS NOT NULL)",
                &[
                    &s.tenant_id.0,
                    &s.id.0,
                    &i64::from(expected_generation),
                    &s.current_hash.as_slice(),
                    &i64::from(s.generation),
                    &s.last_used_at.to_chrono(),
                    &opt_chrono(s.revoked_at),
                    &s.revoked_reason,
                ],
            )
            .await
            .map_err(auth_pg)?;
        let Some(old_hash) = old_hash.filter(|_| updated == 1) else {
            return Err(AuthStoreError::Stale(format!(
                "session {} is not at generation {expected_generation} (rotated, revoked or gone)",
                s.id
            )));
        };
        if old_hash != s.current_hash {
            index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).await.map_err(auth_pg)?;
        }
        tx.commit().await.map_err(auth_pg)
    }

    async fn revoke_sessions_of(
        &self,
        tenant: TenantId,
        user: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<Vec<AuthSessionId>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        let rows = tx
            .query(
                "UPDATE auth_sessions SET revoked_at = $3, revoked_reason = $4
                 WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
                &[&tenant.0, &user.0, &at.to_chrono(), &reason],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        let mut ids = rows.iter().map(|r| Ok(AuthSessionId(get(r, 0)?))).collect::<Result<Vec<_>, StoreError>>()?;
        ids.sort();
        Ok(ids)
    }

    async fn insert_api_token(&self, t: &ApiTokenRow) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, t.tenant_id, false).await?;
        tx.execute(
            &format!("INSERT INTO api_tokens ({API_TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
            &[
                &t.tenant_id.0,
                &t.id.0,
                &t.role,
                &t.name,
                &t.hash.as_slice(),
                &t.hint,
                &t.created_by.0,
                &t.created_at.to_chrono(),
                &opt_chrono(t.expires_at),
                &opt_chrono(t.revoked_at),
            ],
        )
        .await
        .map_err(map_pg)?;
        index_token(&tx, &t.hash, "api", t.tenant_id, None).await.map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)
    }

    async fn api_token_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<ApiTokenRow>, StoreError> {
        let mut conn = self.conn().await?;
        let Some((tenant, _)) = indexed(&mut conn, hash, "api").await? else { return Ok(None) };
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let row = tx
            .query_opt(
                &format!("SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND hash = $2"),
                &[&tenant.0, &hash.as_slice()],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(api_token_from_row).transpose()
    }

    async fn api_tokens(&self, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, true).await?;
        let rows = tx
            .query(
                &format!(
                    "SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC"
                ),
                &[&tenant.0],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        rows.iter().map(api_token_from_row).collect()
    }

    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        id: ApiTokenId,
        at: Timestamp,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        let mut conn = self.conn().await?;
        let tx = tenant_tx(&mut conn, tenant, false).await?;
        let row = tx
            .query_opt(
                &format!(
                    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE tenant_id = $1 AND id = $2
                     RETURNING {API_TOKEN_COLUMNS}"
                ),
                &[&tenant.0, &id.0, &at.to_chrono()],
            )
            .await
            .map_err(map_pg)?;
        tx.commit().await.map_err(map_pg)?;
        row.as_ref().map(api_token_from_row).transpose()
    }
}
