-- 0005_time_off: an artist's time off (leave, holidays), shaded on the board.
-- A JSON array of {"start","end"} ranges as pt_protocol::TimeRange encodes them
-- (RFC 3339 strings), sorted and merged by the artist actor.
ALTER TABLE artists ADD COLUMN time_off jsonb NOT NULL DEFAULT '[]'
    CHECK (jsonb_typeof(time_off) = 'array');
