-- 0007_notifications (embedded SQLite store): the schema of PostgreSQL's
-- 0013_notifications.sql (read its comments for the why). Timestamps are
-- microseconds since the epoch, ids 16-byte blobs, as everywhere here.
CREATE TABLE notifications (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    user_id    BLOB    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('bookingOffered', 'bookingChanged', 'bookingConfirmed',
                                                'bookingCancelled', 'holdPromoted', 'holdChallenged',
                                                'holdReleased', 'queuePlaced', 'timeOffDecided',
                                                    'invitationAccepted', 'holdExpiring', 'challengeDeadline')),
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    booking_id BLOB,
    artist_id  BLOB,
    actor      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    email      INTEGER NOT NULL DEFAULT 0,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE INDEX notifications_inbox ON notifications (tenant_id, user_id, created_at DESC, id DESC);

CREATE TABLE notification_preferences (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    user_id    BLOB    NOT NULL,
    prefs      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) STRICT;

CREATE TABLE webhooks (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    url        TEXT    NOT NULL,
    events     TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    created_by BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER,
    cursor     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE deliveries (
    tenant_id       BLOB    NOT NULL REFERENCES tenants (id),
    id              BLOB    NOT NULL,
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'webhook')),
    notification_id BLOB,
    webhook_id      BLOB,
    seq             INTEGER,
    payload         TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'dead', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_at         INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE INDEX deliveries_due ON deliveries (tenant_id, next_at) WHERE status = 'pending';
CREATE UNIQUE INDEX deliveries_email ON deliveries (tenant_id, notification_id) WHERE channel = 'email';
CREATE UNIQUE INDEX deliveries_webhook ON deliveries (tenant_id, webhook_id, seq) WHERE channel = 'webhook';
CREATE INDEX deliveries_of_webhook ON deliveries (tenant_id, webhook_id, created_at DESC);

CREATE TABLE delivery_attempts (
    tenant_id   BLOB    NOT NULL REFERENCES tenants (id),
    delivery_id BLOB    NOT NULL,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    PRIMARY KEY (tenant_id, delivery_id, attempt)
) STRICT;

CREATE TABLE outbox_tenants (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (id)
) STRICT;

-- The log names the new entities: the table is rebuilt (see 0003).
CREATE TABLE events_new (
    tenant_id BLOB    NOT NULL REFERENCES tenants (id),
    seq       INTEGER NOT NULL CHECK (seq > 0),
    cmd_id    BLOB    NOT NULL,
    entity    TEXT    NOT NULL
        CHECK (entity IN ('artist', 'booking', 'project', 'phase', 'dependency', 'milestone', 'notification',
                          'inbox')),
    entity_id BLOB    NOT NULL,
    kind      TEXT    NOT NULL,
    payload   TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) STRICT;

INSERT INTO events_new (tenant_id, seq, cmd_id, entity, entity_id, kind, payload, actor, at)
SELECT tenant_id, seq, cmd_id, entity, entity_id, kind, payload, actor, at FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_entity ON events (tenant_id, entity_id, seq);
