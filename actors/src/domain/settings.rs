//! A studio's settings — name, time zone, default hold duration, working
//! week — and the one validation of a change to them.
//!
//! The studio's tenant actor owns the current [`StudioSettings`] (loaded at
//! activation, replaced only through [`crate::Tenant::update_settings`]); the
//! store keeps them as a [`StudioRow`]. [`DEFAULT_HOLD_MINUTES`] is the one
//! default hold duration: what a new studio starts with.

use crate::error::DomainError;
use crate::store::auth::StudioRow;
use pt_protocol::time::MICROS_PER_MINUTE;
use pt_protocol::{FieldError, Holiday, TenantId, Timestamp};
use serde::{Deserialize, Serialize};

/// How long a hold lasts unless its command says otherwise, for a studio that
/// has not chosen: 48 hours.
pub const DEFAULT_HOLD_MINUTES: i64 = 48 * 60;
/// Longest default hold a studio may choose: 90 days.
pub const MAX_HOLD_MINUTES: i64 = 90 * 24 * 60;
/// How long the holder of a challenged 1st hold has to answer, by default.
pub const DEFAULT_CHALLENGE_HOURS: i64 = 24;
/// The longest challenge window a studio may set (30 days).
pub const MAX_CHALLENGE_HOURS: i64 = 30 * 24;
/// Longest studio name.
pub const MAX_STUDIO_NAME: usize = 200;
/// Most public holidays a studio keeps.
pub const MAX_HOLIDAYS: usize = 400;

/// The days and hours a studio works.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkingWeek {
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    pub days: Vec<u8>,
    /// `HH:MM`, local time of the studio.
    pub start: String,
    pub end: String,
}

impl Default for WorkingWeek {
    fn default() -> Self {
        Self { days: vec![1, 2, 3, 4, 5], start: "09:00".into(), end: "18:00".into() }
    }
}

impl WorkingWeek {
    /// Field errors (`workingWeek.days`, `.start`, `.end`), empty when valid.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut seen = self.days.clone();
        seen.sort_unstable();
        seen.dedup();
        if self.days.is_empty() || self.days.iter().any(|d| !(1..=7).contains(d)) {
            errs.push(FieldError::new("workingWeek.days", "ISO weekdays 1 (Monday) to 7 (Sunday), at least one"));
        } else if seen.len() != self.days.len() {
            errs.push(FieldError::new("workingWeek.days", "each day at most once"));
        }
        let start = minutes_of_day(&self.start);
        let end = minutes_of_day(&self.end);
        for (field, value) in [("workingWeek.start", start), ("workingWeek.end", end)] {
            if value.is_none() {
                errs.push(FieldError::new(field, "a time of day as HH:MM"));
            }
        }
        if let (Some(s), Some(e)) = (start, end)
            && s >= e
        {
            errs.push(FieldError::new("workingWeek.end", "must be after start"));
        }
        errs
    }
}

/// `HH:MM` → minutes after midnight.
pub(crate) fn minutes_of_day(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 23 && m <= 59).then_some(h * 60 + m)
}

/// A studio's settings as its tenant actor holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudioSettings {
    pub id: TenantId,
    pub name: String,
    /// IANA zone, e.g. `Europe/London`.
    pub timezone: String,
    /// How long a hold lasts unless its command gives `expiresAt`.
    pub default_hold_minutes: i64,
    /// How long the holder of a challenged 1st hold has to confirm or release.
    pub challenge_hours: i64,
    pub working_week: WorkingWeek,
    /// Public holidays, by date, each date once.
    pub holidays: Vec<Holiday>,
    pub created_at: Timestamp,
}

/// A change to some of a studio's settings; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsPatch {
    pub name: Option<String>,
    pub timezone: Option<String>,
    pub default_hold_minutes: Option<i64>,
    pub challenge_hours: Option<i64>,
    pub working_week: Option<WorkingWeek>,
    /// Replaces the holidays.
    pub holidays: Option<Vec<Holiday>>,
}

impl StudioSettings {
    /// The settings a stored row holds. A working week the store cannot parse
    /// (written by hand) reads as the default rather than failing activation.
    pub fn from_row(row: &StudioRow) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            timezone: row.timezone.clone(),
            default_hold_minutes: row.default_hold_minutes,
            challenge_hours: row.challenge_hours,
            working_week: serde_json::from_str(&row.working_week).unwrap_or_default(),
            holidays: serde_json::from_str(&row.holidays).unwrap_or_default(),
            created_at: row.created_at,
        }
    }

    pub fn to_row(&self) -> StudioRow {
        StudioRow {
            id: self.id,
            name: self.name.clone(),
            timezone: self.timezone.clone(),
            default_hold_minutes: self.default_hold_minutes,
            challenge_hours: self.challenge_hours,
            working_week: serde_json::to_string(&self.working_week).expect("a working week serializes"),
            holidays: serde_json::to_string(&self.holidays).expect("holidays serialize"),
            created_at: self.created_at,
        }
    }

    /// How long a hold lasts unless its command says otherwise.
    pub fn default_hold_micros(&self) -> i64 {
        self.default_hold_minutes * MICROS_PER_MINUTE
    }

    /// How long the holder of a challenged 1st hold has to answer.
    pub fn challenge_micros(&self) -> i64 {
        self.challenge_hours * 60 * MICROS_PER_MINUTE
    }

    /// These settings with `patch` applied, or every field it gets wrong.
    pub fn apply(&self, patch: &SettingsPatch) -> Result<Self, DomainError> {
        let mut next = self.clone();
        let mut errs = Vec::new();
        if let Some(name) = &patch.name {
            match studio_name(name) {
                Ok(n) => next.name = n,
                Err(e) => errs.push(e),
            }
        }
        if let Some(tz) = &patch.timezone {
            match timezone(tz) {
                Ok(()) => next.timezone = tz.clone(),
                Err(e) => errs.push(e),
            }
        }
        if let Some(m) = patch.default_hold_minutes {
            if (1..=MAX_HOLD_MINUTES).contains(&m) {
                next.default_hold_minutes = m;
            } else {
                errs.push(FieldError::new("defaultHoldMinutes", "1 minute to 90 days"));
            }
        }
        if let Some(h) = patch.challenge_hours {
            if (1..=MAX_CHALLENGE_HOURS).contains(&h) {
                next.challenge_hours = h;
            } else {
                errs.push(FieldError::new("challengeHours", "1 hour to 30 days (720 hours)"));
            }
        }
        if let Some(w) = &patch.working_week {
            errs.extend(w.check());
            next.working_week = w.clone();
        }
        if let Some(h) = &patch.holidays {
            match holidays(h) {
                Ok(h) => next.holidays = h,
                Err(e) => errs.extend(e),
            }
        }
        if errs.is_empty() { Ok(next) } else { Err(DomainError::Invalid(errs)) }
    }
}

/// A studio name, trimmed: 1 to [`MAX_STUDIO_NAME`] characters.
pub fn studio_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_STUDIO_NAME {
        return Err(FieldError::new("name", format!("1 to {MAX_STUDIO_NAME} characters")));
    }
    Ok(name.to_string())
}

/// Holidays sorted by date, names trimmed; every wrong one named.
pub fn holidays(list: &[Holiday]) -> Result<Vec<Holiday>, Vec<FieldError>> {
    let mut errs = Vec::new();
    if list.len() > MAX_HOLIDAYS {
        errs.push(FieldError::new("holidays", format!("at most {MAX_HOLIDAYS}")));
    }
    let mut out: Vec<Holiday> = Vec::with_capacity(list.len());
    for (i, h) in list.iter().enumerate() {
        let name = h.name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            errs.push(FieldError::new(format!("holidays[{i}].name"), "one line of 1 to 100 characters"));
        }
        out.push(Holiday { date: h.date, name: name.to_string() });
    }
    out.sort_by_key(|h| h.date);
    if out.windows(2).any(|w| w[0].date == w[1].date) {
        errs.push(FieldError::new("holidays", "each date at most once"));
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

/// An IANA time zone such as `Europe/London`.
pub fn timezone(tz: &str) -> Result<(), FieldError> {
    tz.parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| FieldError::new("timezone", "an IANA time zone such as Europe/London"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn studio() -> StudioSettings {
        StudioSettings {
            id: TenantId::from_u128(1),
            name: "Northlight".into(),
            timezone: "UTC".into(),
            default_hold_minutes: DEFAULT_HOLD_MINUTES,
            challenge_hours: DEFAULT_CHALLENGE_HOURS,
            working_week: WorkingWeek::default(),
            holidays: Vec::new(),
            created_at: Timestamp(0),
        }
    }

    fn fields(r: Result<StudioSettings, DomainError>) -> Vec<String> {
        match r {
            Err(DomainError::Invalid(f)) => f.into_iter().map(|f| f.field).collect(),
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let week = WorkingWeek { days: vec![1, 2, 3, 4], start: "10:00".into(), end: "19:30".into() };
        let patch = SettingsPatch {
            name: Some("  Roles & Co ".into()),
            default_hold_minutes: Some(90),
            working_week: Some(week.clone()),
            ..SettingsPatch::default()
        };
        let next = studio().apply(&patch).unwrap();
        assert_eq!((next.name.as_str(), next.timezone.as_str()), ("Roles & Co", "UTC"));
        assert_eq!((next.default_hold_minutes, next.default_hold_micros()), (90, 90 * 60_000_000));
        assert_eq!(next.working_week, week);
        assert_eq!(studio().apply(&SettingsPatch::default()).unwrap(), studio());
    }

    #[test]
    fn every_wrong_field_is_named() {
        let bad_week = |days: Vec<u8>, start: &str, end: &str| SettingsPatch {
            working_week: Some(WorkingWeek { days, start: start.into(), end: end.into() }),
            ..SettingsPatch::default()
        };
        assert_eq!(fields(studio().apply(&bad_week(vec![8], "09:00", "10:00"))), ["workingWeek.days"]);
        assert_eq!(fields(studio().apply(&bad_week(vec![], "09:00", "10:00"))), ["workingWeek.days"]);
        assert_eq!(fields(studio().apply(&bad_week(vec![1, 1], "09:00", "10:00"))), ["workingWeek.days"]);
        assert_eq!(
            fields(studio().apply(&bad_week(vec![1], "9:00", "24:00"))),
            ["workingWeek.start", "workingWeek.end"]
        );
        assert_eq!(fields(studio().apply(&bad_week(vec![1], "10:00", "10:00"))), ["workingWeek.end"]);
        let patch = SettingsPatch {
            name: Some("   ".into()),
            timezone: Some("Mars/Olympus".into()),
            default_hold_minutes: Some(0),
            working_week: None,
            holidays: None,
            challenge_hours: None,
        };
        assert_eq!(fields(studio().apply(&patch)), ["name", "timezone", "defaultHoldMinutes"]);
        let too_long = SettingsPatch { default_hold_minutes: Some(MAX_HOLD_MINUTES + 1), ..SettingsPatch::default() };
        assert_eq!(fields(studio().apply(&too_long)), ["defaultHoldMinutes"]);
        for bad in [0, MAX_CHALLENGE_HOURS + 1] {
            let patch = SettingsPatch { challenge_hours: Some(bad), ..SettingsPatch::default() };
            assert_eq!(fields(studio().apply(&patch)), ["challengeHours"]);
        }
        let ok = SettingsPatch { challenge_hours: Some(MAX_CHALLENGE_HOURS), ..SettingsPatch::default() };
        assert_eq!(studio().apply(&ok).unwrap().challenge_micros(), 720 * 3_600_000_000);
    }

    #[test]
    fn rows_round_trip_and_a_broken_week_reads_as_the_default() {
        let s = studio();
        assert_eq!(StudioSettings::from_row(&s.to_row()), s);
        let mut row = s.to_row();
        row.working_week = "not json".into();
        assert_eq!(StudioSettings::from_row(&row).working_week, WorkingWeek::default());
    }
}
