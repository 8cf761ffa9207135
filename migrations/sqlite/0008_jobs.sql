-- 0008_jobs (embedded SQLite store): the schema of PostgreSQL's 0014_jobs.sql
-- (read its comments for the why). Ids are 16-byte blobs, timestamps
-- microseconds, as everywhere here.
CREATE TABLE job_listings (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'filled')),
    visibility TEXT    NOT NULL CHECK (visibility IN ('studio', 'public')),
    created_at INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

CREATE TABLE job_applications (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    job_id     BLOB    NOT NULL,
    applicant  BLOB    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('applied', 'shortlisted', 'offered', 'accepted', 'declined',
                                                  'rejected', 'withdrawn')),
    created_at INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, job_id) REFERENCES job_listings (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX job_applications_one_live ON job_applications (tenant_id, job_id, applicant)
    WHERE status IN ('applied', 'shortlisted', 'offered');
CREATE INDEX job_applications_applicant ON job_applications (tenant_id, applicant);

CREATE TABLE saved_jobs (
    tenant_id BLOB    NOT NULL REFERENCES tenants (id),
    user_id   BLOB    NOT NULL,
    job_id    BLOB    NOT NULL,
    saved_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id, job_id)
) STRICT;

CREATE TABLE public_jobs (
    job_id      BLOB    PRIMARY KEY,
    tenant_id   BLOB    NOT NULL REFERENCES tenants (id),
    studio_name TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    state       TEXT    NOT NULL
) STRICT;
CREATE TABLE application_index (
    application_id BLOB PRIMARY KEY,
    tenant_id      BLOB NOT NULL REFERENCES tenants (id),
    applicant      BLOB NOT NULL
) STRICT;
CREATE INDEX application_index_applicant ON application_index (applicant);

CREATE TABLE job_alerts (
    user_id    BLOB    PRIMARY KEY,
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    skills     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- The new notification kinds: the table is rebuilt (a CHECK cannot be altered).
CREATE TABLE notifications_new (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id),
    id         BLOB    NOT NULL,
    user_id    BLOB    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('bookingOffered', 'bookingChanged', 'bookingConfirmed',
                                                'bookingCancelled', 'holdPromoted', 'holdChallenged',
                                                'holdReleased', 'queuePlaced', 'timeOffDecided',
                                                'invitationAccepted', 'holdExpiring', 'challengeDeadline',
                                                'applicationChanged', 'jobInvited', 'jobMatched')),
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
INSERT INTO notifications_new SELECT * FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_inbox ON notifications (tenant_id, user_id, created_at DESC, id DESC);

-- The log names the new entities (rebuilt, as in 0007).
CREATE TABLE events_new (
    tenant_id BLOB    NOT NULL REFERENCES tenants (id),
    seq       INTEGER NOT NULL CHECK (seq > 0),
    cmd_id    BLOB    NOT NULL,
    entity    TEXT    NOT NULL
        CHECK (entity IN ('artist', 'booking', 'project', 'phase', 'dependency', 'milestone', 'notification',
                          'inbox', 'job', 'application')),
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
