-- 0007_notifications (embedded SQLite store): the schema of PostgreSQL's
-- 0013_notifications.sql (read its comments for the why). Timestamps are
-- microseconds since the epoch, ids 16-byte blobs, as everywhere here.
CREATE TABLE notifications (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    user_id    BLOB    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('bookingOffered', 'bookingChanged', 'bookingConfirmed',
                                                'bookingCancelled', 'holdPromoted', 'holdChallenged',
                                                'holdReleased', 'queuePlaced')),
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    booking_id BLOB,
    artist_id  BLOB,
    actor      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE INDEX notifications_inbox ON notifications (tenant_id, user_id, created_at DESC, id DESC);

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
