-- 0013_notifications (issue 17): what a person is told about a change that
-- concerns them. Written behind from the `notificationCreated` and
-- `notificationsRead` events, in the same transaction as the change that
-- caused them (they are events of the same command), so a stored change
-- never lacks its notifications. One recipient (a user) per row.
CREATE TABLE notifications (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    user_id    uuid        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('bookingOffered', 'bookingChanged', 'bookingConfirmed',
                                                    'bookingCancelled', 'holdPromoted', 'holdChallenged',
                                                    'holdReleased', 'queuePlaced')),
    title      text        NOT NULL,
    body       text        NOT NULL,
    -- Not foreign keys: bookings are the artist actors' and notifications
    -- outlive what they were about.
    booking_id uuid,
    artist_id  uuid,
    actor      text        NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    seq        bigint      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- A user's inbox, newest first; and what is unread.
CREATE INDEX notifications_inbox ON notifications (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (tenant_id, user_id) WHERE read_at IS NULL;

-- The log names the new entities.
ALTER TABLE events DROP CONSTRAINT events_entity_check;
ALTER TABLE events ADD CONSTRAINT events_entity_check
    CHECK (entity IN ('artist', 'booking', 'project', 'phase', 'dependency', 'milestone', 'notification', 'inbox'))
    NOT VALID;

-- Row-level security and privileges, as for every tenant table (0003).
GRANT SELECT, INSERT, UPDATE ON notifications TO pt_app;
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
