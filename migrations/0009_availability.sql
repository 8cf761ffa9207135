-- 0009_availability: what an artist works and what they are like.
--
-- * artists.time_off keeps its jsonb array; entries are now objects with an
--   id, kind and status (pt_protocol::TimeOff). Plain {"start","end"} ranges
--   written before read as approved time off.
-- * artists.working_hours: their weekly hours (null = the studio's week).
-- * artists.profile: bio, skill levels, portfolio, languages … ({} = none).
-- * artists.rate: {"amount","currency"} or null; the API shows it to owners
--   and managers only.
-- * bookings.allow_overtime: booked over time off, a holiday or outside
--   working hours on purpose.
-- * tenants.holidays: the studio's public holidays, a JSON array of
--   {"date","name"} as text (like working_week).
ALTER TABLE artists
    ADD COLUMN working_hours jsonb CHECK (working_hours IS NULL OR jsonb_typeof(working_hours) = 'array'),
    ADD COLUMN profile jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(profile) = 'object'),
    ADD COLUMN rate jsonb CHECK (rate IS NULL OR jsonb_typeof(rate) = 'object');
ALTER TABLE bookings ADD COLUMN allow_overtime boolean NOT NULL DEFAULT false;
ALTER TABLE tenants ADD COLUMN holidays text NOT NULL DEFAULT '[]';
