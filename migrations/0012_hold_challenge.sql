-- The hold queue (issue 17): a 1st hold under challenge names the hold that
-- challenged it (same tenant, same artist; not a foreign key, because the
-- challenger may be cancelled while the challenge stands). Its deadline is the
-- hold's `expires_at`, which the challenge brings forward. Row-level security
-- on `bookings` (0003) covers the new column.
ALTER TABLE bookings ADD COLUMN challenged_by uuid;
-- The waiting list: a hold placed by `queueIfBusy` names the status it asked
-- for; it takes that status by itself once it is the 1st hold and the slot is
-- free.
ALTER TABLE bookings ADD COLUMN queued_for text CHECK (queued_for IN ('pencil', 'confirmed'));
-- How long the holder of a challenged 1st hold has to answer (hours).
ALTER TABLE tenants ADD COLUMN challenge_hours integer NOT NULL DEFAULT 24
    CHECK (challenge_hours BETWEEN 1 AND 720);
