-- 0001_init (embedded SQLite store): tenants, the event log, command outcomes,
-- snapshots, and a small projection of the latest artist and booking states.
--
-- Run by the migration runner in actors/src/store/sqlite.rs, one transaction
-- per migration. Conventions: ids are 16-byte BLOBs (UUID bytes), instants are
-- INTEGER microseconds since the Unix epoch, JSON is TEXT. Tables are STRICT so
-- a wrongly typed value is refused instead of silently stored.

CREATE TABLE tenants (
    id                   BLOB    PRIMARY KEY CHECK (length(id) = 16),
    name                 TEXT    NOT NULL,
    default_hold_minutes INTEGER NOT NULL DEFAULT 2880 CHECK (default_hold_minutes > 0),
    created_at           INTEGER NOT NULL
) STRICT;

-- The tenant's event log: `seq` is tenant-wide, gap-free and strictly increasing.
-- `payload` is the JSON of pt_protocol::Event (it carries the whole entity state).
CREATE TABLE events (
    tenant_id BLOB    NOT NULL REFERENCES tenants (id),
    seq       INTEGER NOT NULL CHECK (seq > 0),
    cmd_id    BLOB    NOT NULL,
    entity    TEXT    NOT NULL CHECK (entity IN ('artist', 'booking')),
    entity_id BLOB    NOT NULL,
    kind      TEXT    NOT NULL,
    payload   TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) STRICT;

CREATE INDEX events_entity ON events (tenant_id, entity_id, seq);

-- Idempotency: one row per accepted command. `request_hash` keeps the u64 bits
-- (hashes >= 2^63 are stored as negative integers).
CREATE TABLE commands (
    tenant_id    BLOB    NOT NULL REFERENCES tenants (id),
    cmd_id       BLOB    NOT NULL,
    request_hash INTEGER NOT NULL,
    first_seq    INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, cmd_id)
) STRICT;

-- Snapshots (PTSNAP1 bytes, see actors/src/store/snapshot.rs); the store keeps
-- the two newest per tenant.
CREATE TABLE snapshots (
    tenant_id BLOB    NOT NULL REFERENCES tenants (id),
    seq       INTEGER NOT NULL CHECK (seq >= 0),
    taken_at  INTEGER NOT NULL,
    payload   BLOB    NOT NULL,
    PRIMARY KEY (tenant_id, seq)
) STRICT;

-- Projection: the latest state of every artist, as the JSON of pt_protocol::Artist.
CREATE TABLE artists (
    tenant_id BLOB NOT NULL REFERENCES tenants (id),
    id        BLOB NOT NULL,
    state     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;

-- Projection: the latest state of every booking (JSON of pt_protocol::Booking),
-- plus the columns the double-booking check needs.
CREATE TABLE bookings (
    tenant_id  BLOB    NOT NULL,
    id         BLOB    NOT NULL,
    artist_id  BLOB    NOT NULL,
    status     TEXT    NOT NULL
        CHECK (status IN ('hold', 'pencil', 'confirmed', 'cancelled', 'expired')),
    start_time INTEGER NOT NULL,
    end_time   INTEGER NOT NULL,
    state      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, artist_id) REFERENCES artists (tenant_id, id),
    CONSTRAINT booking_range_not_empty CHECK (end_time > start_time)
) STRICT;

-- Exclusive (pencil/confirmed) bookings by artist and end: the overlap check of
-- `append` scans only bookings ending after the new one starts.
CREATE INDEX bookings_exclusive ON bookings (tenant_id, artist_id, end_time)
    WHERE status IN ('pencil', 'confirmed');
