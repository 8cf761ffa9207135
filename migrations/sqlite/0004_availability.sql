-- 0004_availability: the studio's public holidays, a JSON array of
-- {"date","name"} (artists and bookings are JSON states: their new fields —
-- working hours, profile, rate, allowOvertime — need no column).
ALTER TABLE tenants ADD COLUMN holidays TEXT NOT NULL DEFAULT '[]';
