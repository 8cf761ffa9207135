-- The write path (issue 16): indexes that every batch paid for and no query
-- used. The actors are the read model; PostgreSQL is read at activation (a
-- whole studio, by tenant), for one booking or command by key, for an
-- entity's history (`events_entity`) and for the log's tail (the primary
-- key). pg_stat_user_indexes after a `vs-baseline` run showed 0 scans on each
-- of these while every upsert maintained them (a moved or re-timed booking is
-- a new row version in every index; a status change too, partial ones
-- included). The exclusion constraint's GiST index — the backstop against
-- double booking — stays, and still serves an artist's bookings by time.
DROP INDEX IF EXISTS bookings_artist_time;
DROP INDEX IF EXISTS bookings_project_time;
DROP INDEX IF EXISTS bookings_status_time;
DROP INDEX IF EXISTS bookings_hold_expiry;
DROP INDEX IF EXISTS events_cmd;
