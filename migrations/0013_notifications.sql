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
                                                    'holdReleased', 'queuePlaced', 'timeOffDecided',
                                                    'invitationAccepted', 'holdExpiring', 'challengeDeadline')),
    title      text        NOT NULL,
    body       text        NOT NULL,
    -- Not foreign keys: bookings are the artist actors' and notifications
    -- outlive what they were about.
    booking_id uuid,
    artist_id  uuid,
    actor      text        NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    -- Also sent by email (the recipient's preferences when it was decided).
    email      boolean     NOT NULL DEFAULT false,
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

-- Each member's notification preferences in a studio (absent: everything on).
-- Settings, like the studio's own: written directly, not events.
CREATE TABLE notification_preferences (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    user_id    uuid        NOT NULL,
    prefs      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);

-- Webhook subscriptions (owners): a URL for some event kinds, signed with
-- `secret`. `cursor` is the last `seq` whose deliveries are queued: the
-- dispatcher queues the events after it and moves it in one transaction.
CREATE TABLE webhooks (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    url        text        NOT NULL,
    events     text[]      NOT NULL,
    secret     text        NOT NULL,
    created_by uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    cursor     bigint      NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The outbox: one row per message to send (an email for a notification, a
-- webhook call for an event), queued in the same transaction as what causes
-- it and sent by the server's delivery task. Its id is the idempotency key
-- the receiver sees (the email's Message-ID, the webhook's delivery header).
CREATE TABLE deliveries (
    tenant_id       uuid        NOT NULL REFERENCES tenants (id),
    id              uuid        NOT NULL,
    channel         text        NOT NULL CHECK (channel IN ('email', 'webhook')),
    notification_id uuid,
    webhook_id      uuid,
    seq             bigint,
    payload         jsonb,
    status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'dead', 'skipped')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_at         timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX deliveries_due ON deliveries (tenant_id, next_at) WHERE status = 'pending';
CREATE UNIQUE INDEX deliveries_email ON deliveries (tenant_id, notification_id) WHERE channel = 'email';
CREATE UNIQUE INDEX deliveries_webhook ON deliveries (tenant_id, webhook_id, seq) WHERE channel = 'webhook';
CREATE INDEX deliveries_of_webhook ON deliveries (tenant_id, webhook_id, created_at DESC);

-- Every try of a delivery: when, the answer (HTTP status or SMTP reply), the error.
CREATE TABLE delivery_attempts (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    delivery_id uuid        NOT NULL,
    attempt     integer     NOT NULL,
    at          timestamptz NOT NULL,
    status_code integer,
    error       text,
    PRIMARY KEY (tenant_id, delivery_id, attempt)
);

GRANT SELECT, INSERT, UPDATE ON notification_preferences, webhooks, deliveries, delivery_attempts TO pt_app;
ALTER TABLE notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE notification_preferences FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notification_preferences
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhooks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhooks
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON deliveries
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());
ALTER TABLE delivery_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE delivery_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON delivery_attempts
    USING (tenant_id = pt_current_tenant()) WITH CHECK (tenant_id = pt_current_tenant());

-- Which studios have something to deliver: ids only, nothing of the studios'
-- data, so the delivery task finds them after a restart without crossing
-- row-level security (like `auth_token_index`). A row is added with a
-- studio's first queued delivery or webhook and stays.
CREATE TABLE outbox_tenants (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id)
);
GRANT SELECT, INSERT ON outbox_tenants TO pt_app;

