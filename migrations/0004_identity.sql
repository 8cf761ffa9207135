-- 0004_identity: studio settings, users, memberships, invitations, login
-- sessions (refresh-token families), API tokens, and the token index.
--
-- Secrets are never stored: every token appears as the SHA-256 of its secret
-- (32 bytes). Roles are `studio_owner`, `studio_manager`, `freelancer`.
--
-- Row-level security, as in 0003 (the store runs every statement as `pt_app`):
-- * every table with a `tenant_id` gets the same FORCEd tenant policy;
-- * `memberships` is also readable for `app.current_user`, so login can list
--   the studios of the user signing in (reading only: writes still need the
--   tenant);
-- * `users` has no RLS: a person is not tenant data (one user may belong to
--   several studios, and login finds the user by email before any tenant is
--   known). What a studio may see of its members is decided by joining
--   through its own memberships;
-- * `auth_token_index` has no RLS: a bearer secret does not name its tenant,
--   so the store first finds the tenant by the secret's hash here, then reads
--   the row itself inside that tenant's transaction, under RLS. The index
--   holds only hashes, kinds and ids; a hash is useless without its secret.

-- ---------------------------------------------------------------------------
-- Studio settings (name and default_hold_minutes exist since 0001). Tenants
-- created before (`ensure_tenant`) get the defaults.

ALTER TABLE tenants
    ADD COLUMN timezone     text NOT NULL DEFAULT 'UTC',
    ADD COLUMN working_week text NOT NULL DEFAULT '{"days":[1,2,3,4,5],"start":"09:00","end":"18:00"}';

-- The user being logged in; NULL (no extra rows) when unset.
CREATE OR REPLACE FUNCTION pt_current_user() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.current_user', true), '')::uuid $$;

-- ---------------------------------------------------------------------------
-- Users: global. `email` is lower-cased by the caller.

CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL,
    display_name  text        NOT NULL,
    -- argon2id PHC string; NULL for users who only sign in through OIDC.
    password_hash text,
    created_at    timestamptz NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

-- ---------------------------------------------------------------------------
-- Memberships: a user's role in one studio. `artist_id` (a freelancer's own
-- artist record) has no foreign key: the artist may still be in the
-- write-behind queue when the membership is saved.

CREATE TABLE memberships (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    user_id    uuid        NOT NULL REFERENCES users (id),
    role       text        NOT NULL CHECK (role IN ('studio_owner', 'studio_manager', 'freelancer')),
    artist_id  uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- Login: a user's studios, oldest first.
CREATE INDEX memberships_user ON memberships (user_id, created_at);

-- ---------------------------------------------------------------------------
-- Invitations, accepted once (`accepted_at`) with the emailed token.

CREATE TABLE invitations (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    id          uuid        NOT NULL,
    email       text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('studio_owner', 'studio_manager', 'freelancer')),
    artist_id   uuid,
    token_hash  bytea       NOT NULL CHECK (length(token_hash) = 32),
    invited_by  uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX invitations_token ON invitations (tenant_id, token_hash);

-- ---------------------------------------------------------------------------
-- Login sessions: one row per refresh-token family. `current_hash` is the only
-- token that may be used next; `generation` (a u32) counts rotations and is
-- what `update_session` compares and sets.

CREATE TABLE auth_sessions (
    tenant_id      uuid        NOT NULL REFERENCES tenants (id),
    id             uuid        NOT NULL,
    user_id        uuid        NOT NULL REFERENCES users (id),
    current_hash   bytea       NOT NULL CHECK (length(current_hash) = 32),
    generation     bigint      NOT NULL CHECK (generation BETWEEN 0 AND 4294967295),
    created_at     timestamptz NOT NULL,
    last_used_at   timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text,
    PRIMARY KEY (tenant_id, id),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);

-- `revoke_sessions_of`: a user's live sessions in one studio.
CREATE INDEX auth_sessions_user ON auth_sessions (tenant_id, user_id) WHERE revoked_at IS NULL;

-- ---------------------------------------------------------------------------
-- API tokens of integrations.

CREATE TABLE api_tokens (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    role       text        NOT NULL CHECK (role IN ('studio_owner', 'studio_manager', 'freelancer')),
    name       text        NOT NULL,
    hash       bytea       NOT NULL CHECK (length(hash) = 32),
    hint       text        NOT NULL,
    created_by uuid        NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (tenant_id, hash);
-- The studio's list, newest first.
CREATE INDEX api_tokens_newest ON api_tokens (tenant_id, created_at DESC);

-- ---------------------------------------------------------------------------
-- The token index: secret hash → (kind, tenant). Every hash ever issued stays,
-- so a hash is never handed out twice. Refresh hashes also name their session
-- (`session_id`): the current one and every earlier one of the family point at
-- it, which is how presenting a rotated-away token is recognised as reuse.
-- (A column rather than a separate table: a lookup is one primary-key read.)

CREATE TABLE auth_token_index (
    hash       bytea PRIMARY KEY CHECK (length(hash) = 32),
    kind       text  NOT NULL CHECK (kind IN ('refresh', 'api', 'invitation')),
    tenant_id  uuid  NOT NULL REFERENCES tenants (id),
    session_id uuid,
    CHECK ((kind = 'refresh') = (session_id IS NOT NULL))
);

-- ---------------------------------------------------------------------------
-- Privileges: rows only, as in 0003. Users are never deleted by the server
-- (yet), and index rows never change.

GRANT SELECT, INSERT, UPDATE ON users TO pt_app;
GRANT SELECT, INSERT ON auth_token_index TO pt_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, invitations, auth_sessions, api_tokens TO pt_app;

-- ---------------------------------------------------------------------------
-- Row-level security.

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
-- Permissive policies are OR-ed: reading sees `tenant_id = pt_current_tenant()
-- OR user_id = pt_current_user()`; writing still needs the tenant.
CREATE POLICY own_memberships ON memberships FOR SELECT
    USING (user_id = pt_current_user());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE auth_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE auth_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON auth_sessions
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_tokens
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
