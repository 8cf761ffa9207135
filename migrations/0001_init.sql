-- 0001_init: tenants, projections (artists, bookings), the event log and command outcomes.
--
-- The actors are the authority; these tables are what the write-behind writer
-- persists (one transaction per batch) and what a tenant is activated from.
-- Every tenant table carries tenant_id (row-level security comes later and will
-- read `app.current_tenant`, which every store transaction already sets).
-- Run by the embedded migration runner in actors/src/store/postgres.rs.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE tenants (
    id                   uuid        PRIMARY KEY,
    name                 text        NOT NULL,
    default_hold_minutes int         NOT NULL DEFAULT 2880 CHECK (default_hold_minutes > 0),
    created_at           timestamptz NOT NULL DEFAULT now()
);

-- Projection: the latest state of every artist (archived ones included).
CREATE TABLE artists (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    id          uuid        NOT NULL,
    name        text        NOT NULL,
    email       text,
    skills      text[]      NOT NULL DEFAULT '{}',
    timezone    text        NOT NULL,
    active      boolean     NOT NULL,
    archived_at timestamptz,
    version     bigint      NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Projection: the latest state of every booking, whatever its status.
CREATE TABLE bookings (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    artist_id  uuid        NOT NULL,
    project_id uuid,
    title      text        NOT NULL,
    notes      text,
    start_time timestamptz NOT NULL,
    end_time   timestamptz NOT NULL,
    status     text        NOT NULL
        CHECK (status IN ('hold', 'pencil', 'confirmed', 'cancelled', 'expired')),
    expires_at timestamptz,
    version    bigint      NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, artist_id) REFERENCES artists (tenant_id, id),
    CONSTRAINT booking_range_not_empty CHECK (end_time > start_time),
    -- The second guard of the core invariant (the artist actor is the first):
    -- one artist never has two overlapping pencil/confirmed bookings. Ranges are
    -- half-open, so touching bookings do not overlap. Deferred to COMMIT so a
    -- batch that cancels a booking and rebooks its slot never trips it transiently.
    CONSTRAINT no_double_booking EXCLUDE USING gist (
        tenant_id WITH =,
        artist_id WITH =,
        tstzrange(start_time, end_time, '[)') WITH &&
    ) WHERE (status IN ('confirmed', 'pencil')) DEFERRABLE INITIALLY DEFERRED
);

CREATE INDEX bookings_artist_time ON bookings (tenant_id, artist_id, start_time);
CREATE INDEX bookings_project_time ON bookings (tenant_id, project_id, start_time)
    WHERE project_id IS NOT NULL;
CREATE INDEX bookings_status_time ON bookings (tenant_id, status, start_time);
-- Active holds by expiry, for sweeping overdue holds.
CREATE INDEX bookings_hold_expiry ON bookings (tenant_id, expires_at)
    WHERE status = 'hold' AND expires_at IS NOT NULL;

-- The tenant's event log: `seq` is tenant-wide, gap-free and strictly increasing.
-- `payload` is the JSON of pt_protocol::Event (it carries the whole entity state).
CREATE TABLE events (
    tenant_id uuid        NOT NULL REFERENCES tenants (id),
    seq       bigint      NOT NULL CHECK (seq > 0),
    cmd_id    uuid        NOT NULL,
    entity    text        NOT NULL CHECK (entity IN ('artist', 'booking')),
    entity_id uuid        NOT NULL,
    kind      text        NOT NULL,
    payload   jsonb       NOT NULL,
    actor     text        NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE INDEX events_entity ON events (tenant_id, entity_id, seq);
CREATE INDEX events_cmd ON events (tenant_id, cmd_id);

-- Idempotency: one row per accepted command (a command may emit several events,
-- so commands are kept apart from events). A retry of `cmd_id` gets `outcome` back;
-- `request_hash` (u64 bits stored as bigint) tells a retry from a reused key.
CREATE TABLE commands (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    cmd_id       uuid        NOT NULL,
    request_hash bigint      NOT NULL,
    first_seq    bigint      NOT NULL,
    last_seq     bigint      NOT NULL,
    outcome      jsonb       NOT NULL,
    actor        text        NOT NULL,
    at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, cmd_id)
);
