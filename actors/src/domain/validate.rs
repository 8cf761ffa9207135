//! Input checks shared by every entry point (REST, WebSocket, the actors).
//!
//! Each function looks at one request on its own — no state — and returns every
//! problem it finds, so a client can fix a form in one round trip. Field names
//! are the camelCase JSON names; reasons are short and say what is expected.
//! Rules that need the current state (the range after a partial update, whether
//! a booking is a hold) live in [`artist_book`](super::artist_book).

use crate::domain::settings::minutes_of_day;
use pt_protocol::booking::BookingStatus;
use pt_protocol::time::{MAX_TIMESTAMP, MIN_TIMESTAMP};
use pt_protocol::{ArtistPatch, BookingPatch, FieldError, NewArtist, NewBooking, Timestamp, WorkingInterval};

pub const MAX_TITLE_CHARS: usize = 255;
pub const MAX_NOTES_CHARS: usize = 10_000;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_SKILLS: usize = 50;
pub const MAX_SKILL_CHARS: usize = 64;
/// A booking may last at most 366 days.
pub const MAX_BOOKING_MICROS: i64 = 366 * pt_protocol::time::MICROS_PER_DAY;
/// The longest address SMTP can carry (RFC 5321 path limit minus the brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

pub const END_BEFORE_START: &str = "endTime must be after startTime";
pub const TOO_LONG: &str = "a booking may last at most 366 days";

pub fn new_booking(b: &NewBooking, now: Timestamp) -> Vec<FieldError> {
    let mut errs = Vec::new();
    title(&b.title, &mut errs);
    if let Some(n) = &b.notes {
        notes(n, &mut errs);
    }
    timestamp("startTime", b.start_time, &mut errs);
    timestamp("endTime", b.end_time, &mut errs);
    range(b.start_time, b.end_time, &mut errs);
    let status = b.status.unwrap_or(BookingStatus::Pencil);
    if !status.is_active() {
        errs.push(FieldError::new("status", "status must be hold, pencil or confirmed"));
    }
    if let Some(at) = b.expires_at {
        if status != BookingStatus::Hold {
            errs.push(FieldError::new("expiresAt", "expiresAt is only allowed for holds"));
        } else {
            expires_at(at, now, &mut errs);
        }
    }
    errs
}

/// What can be checked of a patch without the booking it applies to.
pub fn booking_patch(p: &BookingPatch, now: Timestamp) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if p.is_empty() {
        errs.push(FieldError::new("body", "nothing to change"));
    }
    version(p.version, &mut errs);
    if let Some(t) = &p.title {
        title(t, &mut errs);
    }
    if let Some(Some(n)) = &p.notes {
        notes(n, &mut errs);
    }
    if let Some(s) = p.start_time {
        timestamp("startTime", s, &mut errs);
    }
    if let Some(e) = p.end_time {
        timestamp("endTime", e, &mut errs);
    }
    if let (Some(s), Some(e)) = (p.start_time, p.end_time) {
        range(s, e, &mut errs);
    }
    if let Some(at) = p.expires_at {
        expires_at(at, now, &mut errs);
    }
    errs
}

pub fn new_artist(a: &NewArtist) -> Vec<FieldError> {
    let mut errs = Vec::new();
    name(&a.name, &mut errs);
    if let Some(e) = &a.email {
        email(e, &mut errs);
    }
    skills(&a.skills, &mut errs);
    if let Some(tz) = &a.timezone {
        timezone(tz, &mut errs);
    }
    errs
}

/// Most working intervals one artist's week has.
pub const MAX_WORKING_INTERVALS: usize = 50;

/// Field errors of a weekly working-hours list (`workingHours[i]`).
pub fn working_hours(list: &[WorkingInterval], errs: &mut Vec<FieldError>) {
    if list.len() > MAX_WORKING_INTERVALS {
        errs.push(FieldError::new("workingHours", format!("at most {MAX_WORKING_INTERVALS} intervals")));
    }
    let mut spans = Vec::with_capacity(list.len());
    for (i, w) in list.iter().enumerate() {
        let field = format!("workingHours[{i}]");
        if !(1..=7).contains(&w.day) {
            errs.push(FieldError::new(format!("{field}.day"), "ISO weekday 1 (Monday) to 7 (Sunday)"));
        }
        match (minutes_of_day(&w.start), end_minutes(&w.end)) {
            (Some(s), Some(e)) if s < e => spans.push((w.day, s, e)),
            (Some(_), Some(_)) => errs.push(FieldError::new(format!("{field}.end"), "must be after start")),
            (s, e) => {
                if s.is_none() {
                    errs.push(FieldError::new(format!("{field}.start"), "a time of day as HH:MM"));
                }
                if e.is_none() {
                    errs.push(FieldError::new(format!("{field}.end"), "a time of day as HH:MM (24:00 for midnight)"));
                }
            }
        }
    }
    spans.sort_unstable();
    if spans.windows(2).any(|w| w[0].0 == w[1].0 && w[1].1 < w[0].2) {
        errs.push(FieldError::new("workingHours", "intervals of one day may not overlap"));
    }
}

/// `HH:MM` or `24:00` → minutes after midnight (an interval's end).
pub fn end_minutes(s: &str) -> Option<u32> {
    if s == "24:00" { Some(24 * 60) } else { minutes_of_day(s) }
}

/// Working hours sorted by day and start (call after validation).
pub fn normalize_hours(list: &[WorkingInterval]) -> Vec<WorkingInterval> {
    let mut out = list.to_vec();
    out.sort_by_key(|w| (w.day, minutes_of_day(&w.start)));
    out
}

pub fn artist_patch(p: &ArtistPatch) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let empty = p.name.is_none()
        && p.email.is_none()
        && p.skills.is_none()
        && p.timezone.is_none()
        && p.active.is_none()
        && p.working_hours.is_none();
    if empty {
        errs.push(FieldError::new("body", "nothing to change"));
    }
    if let Some(v) = p.version {
        version(v, &mut errs);
    }
    if let Some(n) = &p.name {
        name(n, &mut errs);
    }
    if let Some(Some(e)) = &p.email {
        email(e, &mut errs);
    }
    if let Some(s) = &p.skills {
        skills(s, &mut errs);
    }
    if let Some(tz) = &p.timezone {
        timezone(tz, &mut errs);
    }
    if let Some(Some(h)) = &p.working_hours {
        working_hours(h, &mut errs);
    }
    errs
}

/// Lower-cases, trims and de-duplicates skill tags, keeping first-seen order.
/// Tags that are empty after trimming are dropped.
pub fn normalize_skills(skills: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(skills.len());
    for s in skills {
        let s = s.trim().to_lowercase();
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Checks a booking's range: ordered and not longer than [`MAX_BOOKING_MICROS`].
/// Both errors name `endTime`, the field a client adjusts to fix either.
pub fn range(start: Timestamp, end: Timestamp, errs: &mut Vec<FieldError>) {
    if start >= end {
        errs.push(FieldError::new("endTime", END_BEFORE_START));
    } else if end.0.saturating_sub(start.0) > MAX_BOOKING_MICROS {
        errs.push(FieldError::new("endTime", TOO_LONG));
    }
}

fn title(t: &str, errs: &mut Vec<FieldError>) {
    let t = t.trim();
    if t.is_empty() {
        errs.push(FieldError::new("title", "title must not be empty"));
    } else if t.chars().count() > MAX_TITLE_CHARS {
        errs.push(FieldError::new("title", format!("title must be at most {MAX_TITLE_CHARS} characters")));
    } else if t.chars().any(char::is_control) {
        errs.push(FieldError::new("title", "title must be one line without control characters"));
    }
}

fn notes(n: &str, errs: &mut Vec<FieldError>) {
    if n.chars().count() > MAX_NOTES_CHARS {
        errs.push(FieldError::new("notes", format!("notes must be at most {MAX_NOTES_CHARS} characters")));
    }
}

/// The wire accepts any i64 in MessagePack; keep what we store within what JSON can say.
fn timestamp(field: &str, t: Timestamp, errs: &mut Vec<FieldError>) {
    if t < MIN_TIMESTAMP || t > MAX_TIMESTAMP {
        errs.push(FieldError::new(field, format!("{field} must be between 1970-01-01 and 9999-12-31")));
    }
}

fn expires_at(at: Timestamp, now: Timestamp, errs: &mut Vec<FieldError>) {
    if at <= now {
        errs.push(FieldError::new("expiresAt", "expiresAt must be in the future"));
    }
}

fn version(v: u64, errs: &mut Vec<FieldError>) {
    if v == 0 {
        errs.push(FieldError::new("version", "version must be the version you last read (1 or more)"));
    }
}

fn name(n: &str, errs: &mut Vec<FieldError>) {
    let n = n.trim();
    if n.is_empty() {
        errs.push(FieldError::new("name", "name must not be empty"));
    } else if n.chars().count() > MAX_NAME_CHARS {
        errs.push(FieldError::new("name", format!("name must be at most {MAX_NAME_CHARS} characters")));
    } else if n.chars().any(char::is_control) {
        errs.push(FieldError::new("name", "name must be one line without control characters"));
    }
}

/// Deliberately loose: the only real check of an address is a mail that arrives.
/// This catches typos (no `@`, no domain, spaces) without rejecting odd but valid ones.
fn email(e: &str, errs: &mut Vec<FieldError>) {
    let ok = e.chars().count() <= MAX_EMAIL_CHARS
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && match e.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && domain.split('.').all(|label| !label.is_empty())
            }
            None => false,
        };
    if !ok {
        errs.push(FieldError::new("email", "email must look like name@example.com"));
    }
}

fn skills(s: &[String], errs: &mut Vec<FieldError>) {
    if s.len() > MAX_SKILLS {
        errs.push(FieldError::new("skills", format!("at most {MAX_SKILLS} skills")));
    }
    if s.iter().any(|t| !(1..=MAX_SKILL_CHARS).contains(&t.trim().chars().count())) {
        errs.push(FieldError::new("skills", format!("each skill must be 1 to {MAX_SKILL_CHARS} characters")));
    }
}

pub(crate) fn timezone(tz: &str, errs: &mut Vec<FieldError>) {
    if tz != "UTC" && tz.parse::<chrono_tz::Tz>().is_err() {
        errs.push(FieldError::new("timezone", "timezone must be an IANA time zone such as Europe/London or UTC"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pt_protocol::time::MICROS_PER_DAY;
    use pt_protocol::{ArtistId, ProjectId};

    const NOW: Timestamp = Timestamp(1_000 * MICROS_PER_DAY);

    fn nb() -> NewBooking {
        NewBooking {
            artist_id: ArtistId::from_u128(1),
            project_id: Some(ProjectId::from_u128(2)),
            phase_id: None,
            title: "Comp shot 12".into(),
            notes: None,
            start_time: NOW,
            end_time: NOW.plus_micros(MICROS_PER_DAY),
            status: None,
            expires_at: None,
            allow_overtime: None,
            queue_if_busy: None,
        }
    }

    fn fields(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.field.as_str()).collect()
    }

    fn reasons(errs: &[FieldError]) -> Vec<&str> {
        errs.iter().map(|e| e.reason.as_str()).collect()
    }

    #[test]
    fn a_plain_booking_is_valid() {
        assert_eq!(new_booking(&nb(), NOW), vec![]);
        let hold = NewBooking { status: Some(BookingStatus::Hold), expires_at: Some(NOW.plus_micros(1)), ..nb() };
        assert_eq!(new_booking(&hold, NOW), vec![]);
    }

    #[test]
    fn titles() {
        for (t, want) in [
            ("   ", "title must not be empty"),
            ("a\u{7}b", "title must be one line without control characters"),
            ("two\nlines", "title must be one line without control characters"),
        ] {
            assert_eq!(reasons(&new_booking(&NewBooking { title: t.into(), ..nb() }, NOW)), vec![want]);
        }
        let long = "é".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(
            reasons(&new_booking(&NewBooking { title: long, ..nb() }, NOW)),
            vec!["title must be at most 255 characters"]
        );
        let ok = format!("  {}  ", "é".repeat(MAX_TITLE_CHARS));
        assert_eq!(new_booking(&NewBooking { title: ok, ..nb() }, NOW), vec![]);
    }

    #[test]
    fn notes_length() {
        let b = NewBooking { notes: Some("x".repeat(MAX_NOTES_CHARS + 1)), ..nb() };
        assert_eq!(fields(&new_booking(&b, NOW)), vec!["notes"]);
        let b = NewBooking { notes: Some("x".repeat(MAX_NOTES_CHARS)), ..nb() };
        assert_eq!(new_booking(&b, NOW), vec![]);
    }

    #[test]
    fn ranges() {
        let b = NewBooking { end_time: NOW, ..nb() };
        assert_eq!(new_booking(&b, NOW), vec![FieldError::new("endTime", "endTime must be after startTime")]);
        let b = NewBooking { end_time: NOW.plus_micros(366 * MICROS_PER_DAY + 1), ..nb() };
        assert_eq!(new_booking(&b, NOW), vec![FieldError::new("endTime", "a booking may last at most 366 days")]);
        let b = NewBooking { end_time: NOW.plus_micros(366 * MICROS_PER_DAY), ..nb() };
        assert_eq!(new_booking(&b, NOW), vec![]);
        let b = NewBooking { start_time: Timestamp(-5), end_time: Timestamp(5), ..nb() };
        assert_eq!(fields(&new_booking(&b, NOW)), vec!["startTime"]);
    }

    #[test]
    fn statuses_and_expiry() {
        for st in [BookingStatus::Cancelled, BookingStatus::Expired] {
            let b = NewBooking { status: Some(st), ..nb() };
            assert_eq!(
                new_booking(&b, NOW),
                vec![FieldError::new("status", "status must be hold, pencil or confirmed")]
            );
        }
        let b = NewBooking { expires_at: Some(NOW.plus_micros(1)), ..nb() };
        assert_eq!(new_booking(&b, NOW), vec![FieldError::new("expiresAt", "expiresAt is only allowed for holds")]);
        let b = NewBooking { status: Some(BookingStatus::Hold), expires_at: Some(NOW), ..nb() };
        assert_eq!(new_booking(&b, NOW), vec![FieldError::new("expiresAt", "expiresAt must be in the future")]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let b = NewBooking { title: "".into(), end_time: NOW, status: Some(BookingStatus::Expired), ..nb() };
        assert_eq!(fields(&new_booking(&b, NOW)), vec!["title", "endTime", "status"]);
    }

    #[test]
    fn patches() {
        let empty = BookingPatch { version: 3, ..Default::default() };
        assert_eq!(booking_patch(&empty, NOW), vec![FieldError::new("body", "nothing to change")]);
        let p = BookingPatch { version: 3, start_time: Some(NOW), ..Default::default() };
        assert_eq!(booking_patch(&p, NOW), vec![]);
        let p = BookingPatch { version: 3, start_time: Some(NOW), end_time: Some(NOW), ..Default::default() };
        assert_eq!(fields(&booking_patch(&p, NOW)), vec!["endTime"]);
        let p = BookingPatch { version: 0, title: Some(" ".into()), expires_at: Some(NOW), ..Default::default() };
        assert_eq!(fields(&booking_patch(&p, NOW)), vec!["version", "title", "expiresAt"]);
        // Clearing the notes is a change; null notes are not checked for length.
        let p = BookingPatch { version: 1, notes: Some(None), ..Default::default() };
        assert_eq!(booking_patch(&p, NOW), vec![]);
    }

    fn na() -> NewArtist {
        NewArtist {
            name: "Ada".into(),
            email: Some("ada@studio.example".into()),
            skills: vec!["Rigging".into()],
            timezone: Some("Europe/London".into()),
            active: None,
        }
    }

    #[test]
    fn artists() {
        assert_eq!(new_artist(&na()), vec![]);
        assert_eq!(new_artist(&NewArtist { email: None, timezone: Some("UTC".into()), ..na() }), vec![]);
        assert_eq!(fields(&new_artist(&NewArtist { name: " ".into(), ..na() })), vec!["name"]);
        assert_eq!(fields(&new_artist(&NewArtist { name: "x".repeat(201), ..na() })), vec!["name"]);
        assert_eq!(
            new_artist(&NewArtist { timezone: Some("Mars/Olympus".into()), ..na() }),
            vec![FieldError::new("timezone", "timezone must be an IANA time zone such as Europe/London or UTC")]
        );
        let many = NewArtist { skills: (0..51).map(|i| format!("s{i}")).collect(), ..na() };
        assert_eq!(fields(&new_artist(&many)), vec!["skills"]);
        let blank = NewArtist { skills: vec!["  ".into()], ..na() };
        assert_eq!(reasons(&new_artist(&blank)), vec!["each skill must be 1 to 64 characters"]);
        let long = NewArtist { skills: vec!["x".repeat(65)], ..na() };
        assert_eq!(fields(&new_artist(&long)), vec!["skills"]);
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "first.last+tag@mail.studio.example"] {
            assert_eq!(new_artist(&NewArtist { email: Some(ok.into()), ..na() }), vec![], "{ok}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in ["", "ada", "@b.co", "a@b", "a@@b.co", "a@b@c.co", "a b@c.co", "a@.co", "a@b.", &long] {
            let errs = new_artist(&NewArtist { email: Some(bad.into()), ..na() });
            assert_eq!(errs, vec![FieldError::new("email", "email must look like name@example.com")], "{bad}");
        }
    }

    #[test]
    fn artist_patches() {
        let empty = ArtistPatch { version: Some(2), ..Default::default() };
        assert_eq!(artist_patch(&empty), vec![FieldError::new("body", "nothing to change")]);
        let clear_email = ArtistPatch { email: Some(None), ..Default::default() };
        assert_eq!(artist_patch(&clear_email), vec![]);
        let bad = ArtistPatch { email: Some(Some("nope".into())), timezone: Some("x".into()), ..Default::default() };
        assert_eq!(fields(&artist_patch(&bad)), vec!["email", "timezone"]);
    }

    #[test]
    fn skills_are_normalized() {
        let s = ["  Rigging ", "rigging", "", "Comp", "COMP", " lighting"].map(String::from);
        assert_eq!(normalize_skills(&s), vec!["rigging", "comp", "lighting"]);
    }
}
