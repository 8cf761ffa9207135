-- 0006_hold_queue: the studio's challenge window (see
-- migrations/0012_hold_challenge.sql). Bookings need nothing here: the
-- embedded store keeps each booking whole, `challengedBy` and `queuedFor`
-- included.
ALTER TABLE tenants ADD COLUMN challenge_hours INTEGER NOT NULL DEFAULT 24
    CHECK (challenge_hours BETWEEN 1 AND 720);
