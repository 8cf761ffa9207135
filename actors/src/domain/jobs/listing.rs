//! What a listing may say, and how its status moves: `draft → open →
//! closed | filled`, and an open listing back to draft only while nobody
//! applied. Only open listings take applications.

use pt_protocol::job::{JobListing, JobStatus as S};
use pt_protocol::{Day, FieldError};

/// Longest work a listing may describe.
pub const MAX_DAYS: i32 = 400;
/// Most positions one listing may offer.
pub const MAX_POSITIONS: u32 = 100;

/// The errors in a listing's fields (empty: valid).
pub fn validate(j: &JobListing) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let title = j.title.trim();
    if title.is_empty() || title.chars().count() > 200 || title.contains(['\n', '\r']) {
        errs.push(FieldError::new("title", "one line of 1 to 200 characters"));
    }
    if j.description.chars().count() > 10_000 {
        errs.push(FieldError::new("description", "at most 10,000 characters"));
    }
    if j.end_date <= j.start_date {
        errs.push(FieldError::new("endDate", "after startDate"));
    } else if j.end_date.0 - j.start_date.0 > MAX_DAYS {
        errs.push(FieldError::new("endDate", format!("at most {MAX_DAYS} days after startDate")));
    }
    if !(1..=MAX_POSITIONS).contains(&j.positions) {
        errs.push(FieldError::new("positions", format!("1 to {MAX_POSITIONS}")));
    }
    if j.skills.len() > 20 {
        errs.push(FieldError::new("skills", "at most 20"));
    }
    for (i, s) in j.skills.iter().enumerate() {
        if !(1..=5).contains(&s.min_level) {
            errs.push(FieldError::new(format!("skills[{i}].minLevel"), "1 to 5"));
        }
        if s.skill.trim().is_empty() || s.skill.chars().count() > 64 {
            errs.push(FieldError::new(format!("skills[{i}].skill"), "1 to 64 characters"));
        }
    }
    if let Some(r) = &j.rate {
        if r.max < r.min {
            errs.push(FieldError::new("rate.max", "at least rate.min"));
        }
        if r.currency.len() != 3 || !r.currency.bytes().all(|b| b.is_ascii_uppercase()) {
            errs.push(FieldError::new("rate.currency", "an ISO 4217 code such as GBP"));
        }
    }
    errs
}

/// Whether a listing may go from `from` to `to`; `applied`: someone applied already.
pub fn status_change(from: S, to: S, applied: bool) -> Result<(), String> {
    let ok = match (from, to) {
        (S::Draft, S::Open) | (S::Open, S::Closed | S::Filled) | (S::Closed, S::Open) => true,
        (S::Open, S::Draft) => !applied,
        (S::Draft, S::Closed) => true,
        _ => false,
    };
    if ok { Ok(()) } else { Err(format!("a {from:?} listing cannot become {to:?}")) }
}

/// A listing's dates as people read them: first and last day ("2030-06-03 →
/// 2030-06-07"; `end` is exclusive), or the one day.
pub fn dates_text(start: Day, end: Day) -> String {
    let last = Day((end.0 - 1).max(start.0));
    if last == start { start.to_string() } else { format!("{start} → {last}") }
}

/// The number of days `[start, end)` spans.
pub fn days(start: Day, end: Day) -> i32 {
    (end.0 - start.0).max(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use pt_protocol::job::{JobId, JobVisibility, RateRange, SkillRequirement};
    use pt_protocol::{Timestamp, UserId};

    pub(crate) fn listing() -> JobListing {
        JobListing {
            id: JobId::new(),
            title: "Compositor".into(),
            description: String::new(),
            skills: vec![SkillRequirement { skill: "compositing".into(), min_level: 3 }],
            start_date: Day::from_ymd(2030, 3, 4).unwrap(),
            end_date: Day::from_ymd(2030, 3, 18).unwrap(),
            location: None,
            remote: true,
            rate: Some(RateRange { min: 300, max: 450, currency: "GBP".into() }),
            positions: 1,
            project_id: None,
            status: S::Draft,
            visibility: JobVisibility::Public,
            created_by: UserId::new(),
            created_at: Timestamp::from_micros(0),
            updated_at: Timestamp::from_micros(0),
            version: 1,
        }
    }

    #[test]
    fn fields_are_checked() {
        assert!(validate(&listing()).is_empty());
        let mut bad = listing();
        bad.title = " ".into();
        bad.end_date = bad.start_date;
        bad.positions = 0;
        bad.skills[0].min_level = 6;
        bad.rate = Some(RateRange { min: 500, max: 400, currency: "gbp".into() });
        let fields: Vec<String> = validate(&bad).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "endDate", "positions", "skills[0].minLevel", "rate.max", "rate.currency"]);
    }

    #[test]
    fn dates_read_as_first_and_last_day() {
        let (mon, sat) = (Day::from_ymd(2030, 6, 3).unwrap(), Day::from_ymd(2030, 6, 8).unwrap());
        assert_eq!(dates_text(mon, sat), "2030-06-03 → 2030-06-07");
        assert_eq!(dates_text(mon, Day(mon.0 + 1)), "2030-06-03");
    }

    #[test]
    fn statuses_move_forward_and_back_to_draft_only_unapplied() {
        assert!(status_change(S::Draft, S::Open, false).is_ok());
        assert!(status_change(S::Open, S::Filled, true).is_ok());
        assert!(status_change(S::Open, S::Draft, false).is_ok());
        assert!(status_change(S::Open, S::Draft, true).is_err());
        assert!(status_change(S::Filled, S::Open, false).is_err());
        assert!(status_change(S::Closed, S::Open, true).is_ok());
    }
}
