//! Identity rows ([`AuthStore`]) in the embedded store; schema in
//! `migrations/sqlite/0002_identity.sql`.
//!
//! The semantics of the PostgreSQL store (see its `auth.rs`) without row-level
//! security: one process owns the file, and every query filters by tenant
//! where the table has one. A lookup by token hash joins `auth_token_index`
//! to the row in one statement. Writes run on the writer connection in one
//! `BEGIN IMMEDIATE` transaction each, so a compare-and-set cannot race.

use super::*;
use crate::store::auth::*;
use pt_protocol::ids::{ApiTokenId, AuthSessionId, UserId};

mod rows;
use rows::*;

// ---------------------------------------------------------------------------
// Statements used by more than one method

const INSERT_USER: &str = "INSERT INTO users (id, email, display_name, password_hash, created_at) \
                           VALUES (?1, ?2, ?3, ?4, ?5)";

fn user_params(u: &UserRow) -> ([u8; 16], &str, &str, Option<&str>, i64) {
    (u.id.0.into_bytes(), &u.email, &u.display_name, u.password_hash.as_deref(), u.created_at.micros())
}

/// Inserts the membership, or replaces its role and artist link (keeping `created_at`).
fn upsert_membership(conn: &Connection, m: &MembershipRow) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = excluded.role, artist_id = excluded.artist_id",
        params![
            m.tenant_id.0.into_bytes(),
            m.user_id.0.into_bytes(),
            m.role,
            m.artist_id.map(|a| a.0.into_bytes()),
            m.created_at.micros()
        ],
    )
}

/// Records that `hash` was issued in `tenant` (for a refresh token: by `session`).
fn index_token(
    conn: &Connection,
    hash: &TokenHashBytes,
    kind: &str,
    tenant: TenantId,
    session: Option<AuthSessionId>,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO auth_token_index (hash, kind, tenant_id, session_id) VALUES (?1, ?2, ?3, ?4)",
        params![hash, kind, tenant.0.into_bytes(), session.map(|s| s.0.into_bytes())],
    )
}

fn immediate(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

impl SqliteStore {
    /// [`SqliteStore::write`] for a method that answers [`AuthStoreError`].
    async fn write_auth<F>(&self, f: F) -> Result<(), AuthStoreError>
    where
        F: FnOnce(&mut Connection) -> Result<(), AuthStoreError> + Send + 'static,
    {
        self.write(move |conn| Ok(f(conn))).await?
    }
}

#[async_trait]
impl AuthStore for SqliteStore {
    async fn create_studio(
        &self,
        studio: &StudioRow,
        owner: &UserRow,
        membership: &MembershipRow,
    ) -> Result<(), AuthStoreError> {
        let (s, owner, m) = (studio.clone(), owner.clone(), membership.clone());
        self.write_auth(move |conn| {
            let tx = immediate(conn).map_err(auth_sqlite)?;
            // The tenant row may exist already (`ensure_tenant`): then its
            // settings are replaced and its `created_at` kept.
            tx.execute(
                "INSERT INTO tenants (id, name, timezone, default_hold_minutes, working_week, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone,
                     default_hold_minutes = excluded.default_hold_minutes, working_week = excluded.working_week",
                params![
                    s.id.0.into_bytes(),
                    s.name,
                    s.timezone,
                    s.default_hold_minutes,
                    s.working_week,
                    s.created_at.micros()
                ],
            )
            .map_err(auth_sqlite)?;
            tx.execute(INSERT_USER, user_params(&owner)).map_err(auth_sqlite)?;
            tx.execute(
                "INSERT INTO memberships (tenant_id, user_id, role, artist_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    m.tenant_id.0.into_bytes(),
                    m.user_id.0.into_bytes(),
                    m.role,
                    m.artist_id.map(|a| a.0.into_bytes()),
                    m.created_at.micros()
                ],
            )
            .map_err(auth_sqlite)?;
            tx.commit().map_err(auth_sqlite)
        })
        .await
    }

    async fn studio(&self, tenant: TenantId) -> Result<Option<StudioRow>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                &format!("SELECT {STUDIO_COLUMNS} FROM tenants WHERE id = ?1"),
                [tenant.0.into_bytes()],
                studio_from_row,
            )
        })
        .await
    }

    async fn update_studio(&self, studio: &StudioRow) -> Result<(), StoreError> {
        let s = studio.clone();
        self.write(move |conn| {
            let n = conn
                .execute(
                    "UPDATE tenants SET name = ?2, timezone = ?3, default_hold_minutes = ?4, working_week = ?5
                     WHERE id = ?1",
                    params![s.id.0.into_bytes(), s.name, s.timezone, s.default_hold_minutes, s.working_week],
                )
                .map_err(map_sqlite)?;
            if n == 0 {
                return Err(StoreError::Other(format!("no studio {} to update", s.id)));
            }
            Ok(())
        })
        .await
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRow>, StoreError> {
        let email = email.to_owned();
        self.read(move |conn| {
            one(conn, &format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"), [email], |r| user_from_row(r, 0))
        })
        .await
    }

    async fn user(&self, user: UserId) -> Result<Option<UserRow>, StoreError> {
        self.read(move |conn| {
            one(conn, &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"), [user.0.into_bytes()], |r| {
                user_from_row(r, 0)
            })
        })
        .await
    }

    async fn save_user(&self, user: &UserRow) -> Result<(), AuthStoreError> {
        let u = user.clone();
        self.write_auth(move |conn| {
            // Another user's email fails the insert's unique check; the same
            // id takes the update path (the email is not changed there).
            conn.execute(
                &format!(
                    "{INSERT_USER} ON CONFLICT (id) DO UPDATE SET
                         display_name = excluded.display_name, password_hash = excluded.password_hash"
                ),
                user_params(&u),
            )
            .map_err(auth_sqlite)?;
            Ok(())
        })
        .await
    }

    async fn memberships_of_user(&self, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                &format!(
                    "SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE user_id = ?1 ORDER BY created_at, tenant_id"
                ),
                [user.0.into_bytes()],
                membership_from_row,
            )
        })
        .await
    }

    async fn membership(&self, tenant: TenantId, user: UserId) -> Result<Option<MembershipRow>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                &format!("SELECT {MEMBERSHIP_COLUMNS} FROM memberships WHERE tenant_id = ?1 AND user_id = ?2"),
                [tenant.0.into_bytes(), user.0.into_bytes()],
                membership_from_row,
            )
        })
        .await
    }

    async fn members(&self, tenant: TenantId) -> Result<Vec<(MembershipRow, UserRow)>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                &format!(
                    "SELECT {}, {} FROM memberships m JOIN users u ON u.id = m.user_id
                     WHERE m.tenant_id = ?1 ORDER BY m.created_at, m.user_id",
                    qualified("m", MEMBERSHIP_COLUMNS),
                    qualified("u", USER_COLUMNS)
                ),
                [tenant.0.into_bytes()],
                |r| Ok((membership_from_row(r)?, user_from_row(r, 5)?)),
            )
        })
        .await
    }

    async fn save_membership(&self, membership: &MembershipRow) -> Result<(), StoreError> {
        let m = membership.clone();
        self.write(move |conn| {
            upsert_membership(conn, &m).map_err(map_sqlite)?;
            Ok(())
        })
        .await
    }

    async fn insert_invitation(&self, invitation: &InvitationRow) -> Result<(), StoreError> {
        let inv = invitation.clone();
        self.write(move |conn| {
            let tx = immediate(conn).map_err(map_sqlite)?;
            tx.execute(
                &format!(
                    "INSERT INTO invitations ({INVITATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                ),
                params![
                    inv.tenant_id.0.into_bytes(),
                    inv.id.into_bytes(),
                    inv.email,
                    inv.role,
                    inv.artist_id.map(|a| a.0.into_bytes()),
                    inv.token_hash,
                    inv.invited_by.0.into_bytes(),
                    inv.created_at.micros(),
                    inv.expires_at.micros(),
                    micros(inv.accepted_at)
                ],
            )
            .map_err(map_sqlite)?;
            index_token(&tx, &inv.token_hash, "invitation", inv.tenant_id, None).map_err(map_sqlite)?;
            tx.commit().map_err(map_sqlite)
        })
        .await
    }

    async fn invitation_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<InvitationRow>, StoreError> {
        let hash = *hash;
        self.read(move |conn| {
            one(
                conn,
                &format!(
                    "SELECT {} FROM auth_token_index i
                     JOIN invitations v ON v.tenant_id = i.tenant_id AND v.token_hash = i.hash
                     WHERE i.hash = ?1 AND i.kind = 'invitation'",
                    qualified("v", INVITATION_COLUMNS)
                ),
                [hash],
                invitation_from_row,
            )
        })
        .await
    }

    async fn accept_invitation(
        &self,
        invitation: &InvitationRow,
        user: Option<&UserRow>,
        membership: &MembershipRow,
        at: Timestamp,
    ) -> Result<(), AuthStoreError> {
        let (inv, user, m) = (invitation.clone(), user.cloned(), membership.clone());
        self.write_auth(move |conn| {
            let tx = immediate(conn).map_err(auth_sqlite)?;
            let accepted = tx
                .execute(
                    "UPDATE invitations SET accepted_at = ?3
                     WHERE tenant_id = ?1 AND id = ?2 AND accepted_at IS NULL",
                    params![inv.tenant_id.0.into_bytes(), inv.id.into_bytes(), at.micros()],
                )
                .map_err(auth_sqlite)?;
            if accepted == 0 {
                return Err(AuthStoreError::Stale(format!("invitation {} is accepted already (or gone)", inv.id)));
            }
            if let Some(user) = &user {
                tx.execute(INSERT_USER, user_params(user)).map_err(auth_sqlite)?;
            }
            upsert_membership(&tx, &m).map_err(auth_sqlite)?;
            tx.commit().map_err(auth_sqlite)
        })
        .await
    }

    async fn insert_session(&self, session: &SessionRow) -> Result<(), StoreError> {
        let s = session.clone();
        self.write(move |conn| {
            let tx = immediate(conn).map_err(map_sqlite)?;
            tx.execute(
                &format!("INSERT INTO auth_sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![
                    s.tenant_id.0.into_bytes(),
                    s.id.0.into_bytes(),
                    s.user_id.0.into_bytes(),
                    s.current_hash,
                    s.generation,
                    s.created_at.micros(),
                    s.last_used_at.micros(),
                    micros(s.revoked_at),
                    s.revoked_reason
                ],
            )
            .map_err(map_sqlite)?;
            index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).map_err(map_sqlite)?;
            tx.commit().map_err(map_sqlite)
        })
        .await
    }

    async fn session_by_token(&self, hash: &TokenHashBytes) -> Result<Option<SessionRow>, StoreError> {
        let hash = *hash;
        self.read(move |conn| {
            one(
                conn,
                &format!(
                    "SELECT {} FROM auth_token_index i
                     JOIN auth_sessions s ON s.tenant_id = i.tenant_id AND s.id = i.session_id
                     WHERE i.hash = ?1 AND i.kind = 'refresh'",
                    qualified("s", SESSION_COLUMNS)
                ),
                [hash],
                session_from_row,
            )
        })
        .await
    }

    async fn session(&self, tenant: TenantId, session: AuthSessionId) -> Result<Option<SessionRow>, StoreError> {
        self.read(move |conn| {
            one(
                conn,
                &format!("SELECT {SESSION_COLUMNS} FROM auth_sessions WHERE tenant_id = ?1 AND id = ?2"),
                [tenant.0.into_bytes(), session.0.into_bytes()],
                session_from_row,
            )
        })
        .await
    }

    async fn update_session(&self, session: &SessionRow, expected_generation: u32) -> Result<(), AuthStoreError> {
        let s = session.clone();
        self.write_auth(move |conn| {
            let tx = immediate(conn).map_err(auth_sqlite)?;
            let (t, sid) = (s.tenant_id.0.into_bytes(), s.id.0.into_bytes());
            let old_hash: Option<TokenHashBytes> =
                one(&tx, "SELECT current_hash FROM auth_sessions WHERE tenant_id = ?1 AND id = ?2", [t, sid], |r| {
                    r.get(0)
                })?;
            // The compare-and-set, as in PostgreSQL: a session revoked
            // meanwhile is stale to a save that would make it live again, and
            // a revocation saved over a revocation keeps the first one.
            let updated = tx
                .execute(
                    "UPDATE auth_sessions SET current_hash = ?4, generation = ?5, last_used_at = ?6,
                         revoked_reason = CASE WHEN revoked_at IS NULL THEN ?8 ELSE revoked_reason END,
                         revoked_at = coalesce(revoked_at, ?7)
                     WHERE tenant_id = ?1 AND id = ?2 AND generation = ?3 AND (revoked_at IS NULL OR ?7 IS NOT NULL)",
                    params![
                        t,
                        sid,
                        expected_generation,
                        s.current_hash,
                        s.generation,
                        s.last_used_at.micros(),
                        micros(s.revoked_at),
                        s.revoked_reason
                    ],
                )
                .map_err(auth_sqlite)?;
            let Some(old_hash) = old_hash.filter(|_| updated == 1) else {
                return Err(AuthStoreError::Stale(format!(
                    "session {} is not at generation {expected_generation} (rotated, revoked or gone)",
                    s.id
                )));
            };
            if old_hash != s.current_hash {
                index_token(&tx, &s.current_hash, "refresh", s.tenant_id, Some(s.id)).map_err(auth_sqlite)?;
            }
            tx.commit().map_err(auth_sqlite)
        })
        .await
    }

    async fn revoke_sessions_of(
        &self,
        tenant: TenantId,
        user: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<Vec<AuthSessionId>, StoreError> {
        let reason = reason.to_owned();
        self.write(move |conn| {
            let mut ids = all(
                conn,
                "UPDATE auth_sessions SET revoked_at = ?3, revoked_reason = ?4
                 WHERE tenant_id = ?1 AND user_id = ?2 AND revoked_at IS NULL RETURNING id",
                params![tenant.0.into_bytes(), user.0.into_bytes(), at.micros(), reason],
                |r| Ok(AuthSessionId(id(r, 0)?)),
            )?;
            ids.sort();
            Ok(ids)
        })
        .await
    }

    async fn insert_api_token(&self, token: &ApiTokenRow) -> Result<(), StoreError> {
        let t = token.clone();
        self.write(move |conn| {
            let tx = immediate(conn).map_err(map_sqlite)?;
            tx.execute(
                &format!(
                    "INSERT INTO api_tokens ({API_TOKEN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                ),
                params![
                    t.tenant_id.0.into_bytes(),
                    t.id.0.into_bytes(),
                    t.role,
                    t.name,
                    t.hash,
                    t.hint,
                    t.created_by.0.into_bytes(),
                    t.created_at.micros(),
                    micros(t.expires_at),
                    micros(t.revoked_at)
                ],
            )
            .map_err(map_sqlite)?;
            index_token(&tx, &t.hash, "api", t.tenant_id, None).map_err(map_sqlite)?;
            tx.commit().map_err(map_sqlite)
        })
        .await
    }

    async fn api_token_by_hash(&self, hash: &TokenHashBytes) -> Result<Option<ApiTokenRow>, StoreError> {
        let hash = *hash;
        self.read(move |conn| {
            one(
                conn,
                &format!(
                    "SELECT {} FROM auth_token_index i
                     JOIN api_tokens a ON a.tenant_id = i.tenant_id AND a.hash = i.hash
                     WHERE i.hash = ?1 AND i.kind = 'api'",
                    qualified("a", API_TOKEN_COLUMNS)
                ),
                [hash],
                api_token_from_row,
            )
        })
        .await
    }

    async fn api_tokens(&self, tenant: TenantId) -> Result<Vec<ApiTokenRow>, StoreError> {
        self.read(move |conn| {
            all(
                conn,
                &format!(
                    "SELECT {API_TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = ?1 ORDER BY created_at DESC, id DESC"
                ),
                [tenant.0.into_bytes()],
                api_token_from_row,
            )
        })
        .await
    }

    async fn revoke_api_token(
        &self,
        tenant: TenantId,
        token: ApiTokenId,
        at: Timestamp,
    ) -> Result<Option<ApiTokenRow>, StoreError> {
        self.write(move |conn| {
            one(
                conn,
                &format!(
                    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?3) WHERE tenant_id = ?1 AND id = ?2
                     RETURNING {API_TOKEN_COLUMNS}"
                ),
                params![tenant.0.into_bytes(), token.0.into_bytes(), at.micros()],
                api_token_from_row,
            )
        })
        .await
    }
}
