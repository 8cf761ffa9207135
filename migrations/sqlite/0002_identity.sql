-- 0002_identity (embedded SQLite store): studio settings, users, memberships,
-- invitations, login sessions, API tokens and the token index — the logical
-- schema of PostgreSQL's 0004_identity.sql (read its comments for the why).
--
-- No row-level security here (one process owns the file); every query of the
-- store still filters by tenant where the table has one. Conventions as in
-- 0001: ids are 16-byte BLOBs, instants INTEGER microseconds, token hashes
-- 32-byte BLOBs (SHA-256 of the secret; secrets are never stored).

ALTER TABLE tenants ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE tenants ADD COLUMN working_week TEXT NOT NULL
    DEFAULT '{"days":[1,2,3,4,5],"start":"09:00","end":"18:00"}';

-- Users are global (one person may belong to several studios). `email` is
-- lower-cased by the caller.
CREATE TABLE users (
    id            BLOB    PRIMARY KEY CHECK (length(id) = 16),
    email         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT,
    created_at    INTEGER NOT NULL
) STRICT;

-- `artist_id` has no foreign key: the artist may still be in the write-behind
-- queue when the membership is saved.
CREATE TABLE memberships (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    user_id    BLOB    NOT NULL REFERENCES users (id),
    role       TEXT    NOT NULL CHECK (role IN ('studio_owner', 'studio_manager', 'freelancer')),
    artist_id  BLOB,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) STRICT;

CREATE INDEX memberships_user ON memberships (user_id, created_at);

CREATE TABLE invitations (
    tenant_id   BLOB    NOT NULL REFERENCES tenants (id),
    id          BLOB    NOT NULL,
    email       TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('studio_owner', 'studio_manager', 'freelancer')),
    artist_id   BLOB,
    token_hash  BLOB    NOT NULL CHECK (length(token_hash) = 32),
    invited_by  BLOB    NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    accepted_at INTEGER,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE UNIQUE INDEX invitations_token ON invitations (tenant_id, token_hash);

-- One row per refresh-token family; `generation` is a u32.
CREATE TABLE auth_sessions (
    tenant_id      BLOB    NOT NULL REFERENCES tenants (id),
    id             BLOB    NOT NULL,
    user_id        BLOB    NOT NULL REFERENCES users (id),
    current_hash   BLOB    NOT NULL CHECK (length(current_hash) = 32),
    generation     INTEGER NOT NULL CHECK (generation BETWEEN 0 AND 4294967295),
    created_at     INTEGER NOT NULL,
    last_used_at   INTEGER NOT NULL,
    revoked_at     INTEGER,
    revoked_reason TEXT,
    PRIMARY KEY (tenant_id, id),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
) STRICT;

CREATE INDEX auth_sessions_user ON auth_sessions (tenant_id, user_id) WHERE revoked_at IS NULL;

CREATE TABLE api_tokens (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('studio_owner', 'studio_manager', 'freelancer')),
    name       TEXT    NOT NULL,
    hash       BLOB    NOT NULL CHECK (length(hash) = 32),
    hint       TEXT    NOT NULL,
    created_by BLOB    NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (tenant_id, hash);
CREATE INDEX api_tokens_newest ON api_tokens (tenant_id, created_at DESC);

-- Secret hash → (kind, tenant), and for refresh tokens the session that issued
-- it. Every hash ever issued stays (a rotated-away refresh token still finds
-- its family).
CREATE TABLE auth_token_index (
    hash       BLOB PRIMARY KEY CHECK (length(hash) = 32),
    kind       TEXT NOT NULL CHECK (kind IN ('refresh', 'api', 'invitation')),
    tenant_id  BLOB NOT NULL REFERENCES tenants (id),
    session_id BLOB,
    CHECK ((kind = 'refresh') = (session_id IS NOT NULL))
) STRICT;
