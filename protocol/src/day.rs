//! [`Day`]: a calendar date without a time or zone (`2026-12-03`), for the
//! day-granular planning of projects. Ranges of days are half-open like every
//! range in this API: a phase `2026-12-07 → 2026-12-12` covers Monday to
//! Friday, and ends before the 12th.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date as days since 1970-01-01; `YYYY-MM-DD` on every wire.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
#[ts(type = "string")]
pub struct Day(pub i32);

/// Earliest accepted day: 1970-01-01.
pub const MIN_DAY: Day = Day(0);
/// Latest accepted day: 9999-12-31.
pub const MAX_DAY: Day = Day(2_932_896);

impl Day {
    const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();

    pub fn from_naive(d: NaiveDate) -> Self {
        Self((d - Self::EPOCH).num_days() as i32)
    }

    pub fn to_naive(self) -> NaiveDate {
        Self::EPOCH + Duration::days(i64::from(self.0))
    }

    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(y, m, d).map(Self::from_naive)
    }

    /// Parses `YYYY-MM-DD` between 1970-01-01 and 9999-12-31.
    pub fn parse(s: &str) -> Result<Self, String> {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .filter(|_| s.len() == 10)
            .ok_or_else(|| format!("`{s}` is not a date as YYYY-MM-DD"))?;
        let day = Self::from_naive(d);
        if day < MIN_DAY || day > MAX_DAY {
            return Err(format!("`{s}` is outside 1970-01-01..9999-12-31"));
        }
        Ok(day)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub fn weekday(self) -> u8 {
        self.to_naive().weekday().number_from_monday() as u8
    }

    pub const fn plus(self, days: i32) -> Self {
        Self(self.0.saturating_add(days))
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub const fn until(self, other: Day) -> i32 {
        other.0 - self.0
    }

    /// Midnight UTC at the start of this day, in microseconds.
    pub const fn start_micros(self) -> i64 {
        self.0 as i64 * crate::time::MICROS_PER_DAY
    }

    /// The UTC day an instant falls on.
    pub const fn of_micros(micros: i64) -> Self {
        Self(micros.div_euclid(crate::time::MICROS_PER_DAY) as i32)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_naive().format("%Y-%m-%d"))
    }
}

impl fmt::Debug for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Day::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_iso_dates_in_json_and_msgpack() {
        let d = Day::parse("2026-12-03").unwrap();
        assert_eq!(d.weekday(), 4);
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-12-03\"");
        let back: Day = rmp_serde::from_slice(&rmp_serde::to_vec(&d).unwrap()).unwrap();
        assert_eq!(back, d);
        assert_eq!(Day::of_micros(d.start_micros() + 5), d);
        assert_eq!(Day::of_micros(d.start_micros() - 1), d.plus(-1));
    }

    #[test]
    fn refuses_what_is_not_a_plain_date() {
        for bad in ["2026-2-3", "2026-02-30", "1969-12-31", "2026-12-03T00:00:00Z", "today"] {
            assert!(Day::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Day::parse("9999-12-31").unwrap(), MAX_DAY);
    }
}
