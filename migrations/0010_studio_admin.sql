-- 0010_studio_admin: calendar feeds, and what removing members and revoking
-- invitations need.
--
-- * calendar_feeds: secret iCalendar URLs of the studio (artist_id NULL) or
--   of one artist. Only the SHA-256 of the secret is kept; it is indexed in
--   auth_token_index with the new kind 'feed', so a feed request (which names
--   no studio) finds its tenant, then reads the row under RLS like any other.
-- * Removing a member deletes the membership row and revoking an invitation
--   deletes the invitation row: pt_app had DELETE on both since 0004.
ALTER TABLE auth_token_index DROP CONSTRAINT auth_token_index_kind_check;
ALTER TABLE auth_token_index ADD CONSTRAINT auth_token_index_kind_check
    CHECK (kind IN ('refresh', 'api', 'invitation', 'feed'));

CREATE TABLE calendar_feeds (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    artist_id  uuid,
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    hash       bytea       NOT NULL CHECK (length(hash) = 32),
    hint       text        NOT NULL,
    created_by uuid        NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    revoked_at timestamptz,
    -- No foreign key to artists: an artist the studio's actor has just
    -- created may not be written behind yet; the server checks the artist.
    PRIMARY KEY (tenant_id, id)
);

CREATE UNIQUE INDEX calendar_feeds_hash ON calendar_feeds (tenant_id, hash);
CREATE INDEX calendar_feeds_newest ON calendar_feeds (tenant_id, created_at DESC);

GRANT SELECT, INSERT, UPDATE ON calendar_feeds TO pt_app;

ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY;
ALTER TABLE calendar_feeds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calendar_feeds
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
