-- 0005_studio_admin: calendar feeds (see migrations/0010_studio_admin.sql).
-- SQLite cannot change a CHECK, so auth_token_index is rebuilt with the new
-- kind 'feed' (same columns, every row kept).
CREATE TABLE auth_token_index_new (
    hash       BLOB PRIMARY KEY CHECK (length(hash) = 32),
    kind       TEXT NOT NULL CHECK (kind IN ('refresh', 'api', 'invitation', 'feed')),
    tenant_id  BLOB NOT NULL REFERENCES tenants (id),
    session_id BLOB,
    CHECK ((kind = 'refresh') = (session_id IS NOT NULL))
) STRICT;
INSERT INTO auth_token_index_new (hash, kind, tenant_id, session_id)
    SELECT hash, kind, tenant_id, session_id FROM auth_token_index;
DROP TABLE auth_token_index;
ALTER TABLE auth_token_index_new RENAME TO auth_token_index;

CREATE TABLE calendar_feeds (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    artist_id  BLOB,
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    hash       BLOB    NOT NULL CHECK (length(hash) = 32),
    hint       TEXT    NOT NULL,
    created_by BLOB    NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE UNIQUE INDEX calendar_feeds_hash ON calendar_feeds (tenant_id, hash);
CREATE INDEX calendar_feeds_newest ON calendar_feeds (tenant_id, created_at DESC);
