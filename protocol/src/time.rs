//! Time on the wire.
//!
//! [`Timestamp`] is UTC with microsecond precision (what PostgreSQL stores), so a
//! value survives a round trip through any store unchanged. In JSON it is an
//! RFC 3339 string (`2026-03-02T09:00:00Z`); in MessagePack it is an i64 of
//! microseconds since the Unix epoch. Input with a finer precision is truncated
//! to the microsecond.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

pub const MICROS_PER_SECOND: i64 = 1_000_000;
pub const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
pub const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
pub const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// Earliest accepted instant: 1970-01-01T00:00:00Z.
pub const MIN_TIMESTAMP: Timestamp = Timestamp(0);
/// Latest accepted instant: 9999-12-31T23:59:59.999999Z.
pub const MAX_TIMESTAMP: Timestamp = Timestamp(253_402_300_799_999_999);

/// An instant in UTC, microseconds since the Unix epoch.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
#[ts(type = "number", export)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        Self(Utc::now().timestamp_micros())
    }

    pub const fn from_micros(micros: i64) -> Self {
        Self(micros)
    }

    pub const fn micros(self) -> i64 {
        self.0
    }

    pub fn from_chrono(t: DateTime<Utc>) -> Self {
        Self(t.timestamp_micros())
    }

    pub fn to_chrono(self) -> DateTime<Utc> {
        Utc.timestamp_micros(self.0).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// Parses RFC 3339 (an offset is required), truncating below microseconds.
    pub fn parse_rfc3339(s: &str) -> Result<Self, String> {
        let t = DateTime::parse_from_rfc3339(s)
            .map_err(|e| format!("`{s}` is not an RFC 3339 timestamp with offset ({e})"))?;
        let ts = Self(t.with_timezone(&Utc).timestamp_micros());
        if ts < MIN_TIMESTAMP || ts > MAX_TIMESTAMP {
            return Err(format!("`{s}` is outside 1970-01-01..9999-12-31"));
        }
        Ok(ts)
    }

    pub fn to_rfc3339(self) -> String {
        self.to_chrono().to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }

    pub const fn plus_micros(self, d: i64) -> Self {
        Self(self.0.saturating_add(d))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() { s.serialize_str(&self.to_rfc3339()) } else { s.serialize_i64(self.0) }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp string or i64 microseconds since the epoch")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse_rfc3339(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v).map(Timestamp).map_err(|_| E::custom("timestamp out of range"))
            }
        }
        // Not `is_human_readable`: inside an internally tagged enum serde
        // buffers values and always says "human readable", whatever the
        // format. Both our formats describe themselves: take what is there.
        d.deserialize_any(V)
    }
}

/// A half-open range `[start, end)`: touching ranges do not overlap.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimeRange {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl TimeRange {
    /// A range; `None` unless `start < end`.
    pub fn new(start: Timestamp, end: Timestamp) -> Option<Self> {
        (start < end).then_some(Self { start, end })
    }

    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, t: Timestamp) -> bool {
        self.start <= t && t < self.end
    }

    pub fn duration_micros(&self) -> i64 {
        self.end.0.saturating_sub(self.start.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_rfc3339_and_msgpack_is_micros() {
        let t = Timestamp::parse_rfc3339("2026-03-02T09:00:00.123456789+01:00").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2026-03-02T08:00:00.123456Z\"");
        let bytes = rmp_serde::to_vec(&t).unwrap();
        let back: Timestamp = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(back, t);
        let as_int: i64 = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(as_int, t.micros());
    }

    #[test]
    fn offsets_are_required_and_years_bounded() {
        assert!(Timestamp::parse_rfc3339("2026-03-02T09:00:00").is_err());
        assert!(Timestamp::parse_rfc3339("1969-12-31T23:59:59Z").is_err());
        assert!(serde_json::from_str::<Timestamp>("\"tomorrow\"").is_err());
    }

    #[test]
    fn half_open_ranges_touch_without_overlap() {
        let r = |a, b| TimeRange::new(Timestamp(a), Timestamp(b)).unwrap();
        assert!(!r(10, 12).overlaps(&r(12, 13)));
        assert!(r(10, 12).overlaps(&r(11, 13)));
        assert!(TimeRange::new(Timestamp(5), Timestamp(5)).is_none());
    }
}
