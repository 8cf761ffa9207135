//! Quiet hours: when a member wants no email. Validated here, and asked by
//! the delivery task: "is this instant quiet, and when does the quiet end?"
//! The hours are on the member's clock (an IANA zone), so they follow
//! daylight saving; `start` after `end` spans midnight.

use crate::domain::settings::minutes_of_day;
use chrono::{Duration, NaiveTime, TimeZone};
use pt_protocol::notification::QuietHours;
use pt_protocol::{FieldError, Timestamp};

/// Errors in `q`, with field paths under `quietHours`.
pub fn validate(q: &QuietHours) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let (start, end) = (minutes_of_day(&q.start), minutes_of_day(&q.end));
    if start.is_none() {
        errs.push(FieldError::new("quietHours.start", "a time of day as HH:MM"));
    }
    if end.is_none() {
        errs.push(FieldError::new("quietHours.end", "a time of day as HH:MM"));
    }
    if start.is_some() && start == end {
        errs.push(FieldError::new("quietHours.end", "not the same time as start"));
    }
    if q.timezone.parse::<chrono_tz::Tz>().is_err() {
        errs.push(FieldError::new("quietHours.timezone", "an IANA time zone such as Europe/London"));
    }
    errs
}

/// `None` when `at` is not in the quiet hours; else when they end (the
/// first instant after `at` on the member's clock at `end`).
pub fn quiet_until(q: &QuietHours, at: Timestamp) -> Option<Timestamp> {
    let (start, end) = (minutes_of_day(&q.start)?, minutes_of_day(&q.end)?);
    let tz: chrono_tz::Tz = q.timezone.parse().ok()?;
    let local = at.to_chrono().with_timezone(&tz);
    let now = local.time();
    let minute = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0);
    let (s, e) = (minute(start)?, minute(end)?);
    let quiet = if s < e { now >= s && now < e } else { now >= s || now < e };
    if !quiet {
        return None;
    }
    // The next `end` on the member's clock after `at`.
    let mut day = local.date_naive();
    if now >= e {
        day += Duration::days(1);
    }
    let naive = day.and_time(e);
    // A gap (clocks jump forward over `end`): an hour later is past it.
    let ends = tz
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(naive + Duration::hours(1))).earliest())?;
    Some(Timestamp::from_chrono(ends.with_timezone(&chrono::Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(start: &str, end: &str, tz: &str) -> QuietHours {
        QuietHours { start: start.into(), end: end.into(), timezone: tz.into() }
    }

    fn t(s: &str) -> Timestamp {
        Timestamp::parse_rfc3339(s).unwrap()
    }

    #[test]
    fn overnight_hours_end_the_next_morning_on_the_members_clock() {
        let night = q("22:00", "07:00", "Europe/London");
        assert_eq!(quiet_until(&night, t("2026-12-04T23:30:00Z")), Some(t("2026-12-05T07:00:00Z")));
        assert_eq!(quiet_until(&night, t("2026-12-05T06:59:00Z")), Some(t("2026-12-05T07:00:00Z")));
        assert_eq!(quiet_until(&night, t("2026-12-05T07:00:00Z")), None);
        assert_eq!(quiet_until(&night, t("2026-12-05T12:00:00Z")), None);
        // Summer time: 07:00 in London is 06:00 UTC.
        assert_eq!(quiet_until(&night, t("2026-07-01T05:00:00Z")), Some(t("2026-07-01T06:00:00Z")));
    }

    #[test]
    fn daytime_hours_and_other_zones() {
        let lunch = q("12:00", "13:30", "America/New_York");
        assert_eq!(quiet_until(&lunch, t("2026-12-04T17:15:00Z")), Some(t("2026-12-04T18:30:00Z")));
        assert_eq!(quiet_until(&lunch, t("2026-12-04T16:59:00Z")), None);
    }

    #[test]
    fn bad_hours_are_named() {
        let errs = validate(&q("25:00", "25:00", "Mars/Olympus"));
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["quietHours.start", "quietHours.end", "quietHours.timezone"]);
        assert!(validate(&q("09:00", "09:00", "UTC")).iter().any(|e| e.reason.contains("not the same")));
        assert!(validate(&q("22:00", "07:00", "UTC")).is_empty());
    }
}
