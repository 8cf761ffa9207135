//! Changes to an artist besides the basic fields: the profile (bio, skill
//! levels, portfolio, rate) and time off (request → approve / decline,
//! cancel). Pure: each function turns the current artist and a request into
//! the artist after it, or a [`DomainError`]; the tenant actor commits the
//! result as one event.

use crate::domain::validate::{self, MAX_BOOKING_MICROS};
use crate::error::DomainError;
use pt_protocol::{
    Artist, FieldError, NewTimeOff, PortfolioLink, ProfilePatch, SkillLevel, TimeOff, TimeOffDecision, TimeOffId,
    TimeOffKind, TimeOffStatus, Timestamp,
};

/// Most time-off entries (any status) an artist keeps.
pub const MAX_TIME_OFF: usize = 500;

/// `artist` with `new` time off added as entry `id`: `approved` at once when
/// `approve` (an owner or manager records it), else `requested`.
pub fn request_time_off(
    artist: &Artist,
    id: TimeOffId,
    new: &NewTimeOff,
    approve: bool,
    by: &str,
    now: Timestamp,
) -> Result<Artist, DomainError> {
    let mut errs = Vec::new();
    if new.end <= new.start {
        errs.push(FieldError::new("end", "end must be after start"));
    } else if new.end.0 - new.start.0 > MAX_BOOKING_MICROS {
        errs.push(FieldError::new("end", "time off may last at most 366 days"));
    }
    if new.start < pt_protocol::time::MIN_TIMESTAMP || new.end > pt_protocol::time::MAX_TIMESTAMP {
        errs.push(FieldError::new("start", "out of the supported time range"));
    }
    if new.note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
        errs.push(FieldError::new("note", "at most 1000 characters"));
    }
    if !errs.is_empty() {
        return Err(DomainError::Invalid(errs));
    }
    if artist.time_off.len() >= MAX_TIME_OFF {
        return Err(DomainError::Unprocessable(format!("an artist keeps at most {MAX_TIME_OFF} time-off entries")));
    }
    let live = |t: &&TimeOff| matches!(t.status, TimeOffStatus::Requested | TimeOffStatus::Approved);
    if let Some(clash) = artist.time_off.iter().filter(live).find(|t| t.start < new.end && t.end > new.start) {
        return Err(DomainError::Unprocessable(format!(
            "overlaps time off {} ({} – {}, {:?}); change or cancel that one instead",
            clash.id, clash.start, clash.end, clash.status
        )));
    }
    let entry = TimeOff {
        id,
        start: new.start,
        end: new.end,
        kind: new.kind.unwrap_or(TimeOffKind::Other),
        status: if approve { TimeOffStatus::Approved } else { TimeOffStatus::Requested },
        note: new.note.as_ref().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        requested_by: by.to_string(),
        decided_by: approve.then(|| by.to_string()),
        decided_at: approve.then_some(now),
        created_at: now,
    };
    let mut a = artist.clone();
    a.time_off.push(entry);
    a.time_off.sort_by_key(|t| (t.start, t.id));
    Ok(stamped(a, now))
}

/// Approves or declines a `requested` entry.
pub fn decide_time_off(
    artist: &Artist,
    id: TimeOffId,
    decision: TimeOffDecision,
    by: &str,
    now: Timestamp,
) -> Result<Artist, DomainError> {
    let mut a = artist.clone();
    let t = entry(&mut a, id)?;
    if t.status != TimeOffStatus::Requested {
        return Err(DomainError::Unprocessable(format!("time off {id} is {:?}, not requested", t.status)));
    }
    let status = match decision {
        TimeOffDecision::Approve => TimeOffStatus::Approved,
        TimeOffDecision::Decline => TimeOffStatus::Declined,
    };
    settle(t, status, by, now);
    Ok(stamped(a, now))
}

/// Cancels a requested or approved entry; `only_requested` (a freelancer
/// withdrawing their own request) refuses approved ones.
pub fn cancel_time_off(
    artist: &Artist,
    id: TimeOffId,
    only_requested: bool,
    by: &str,
    now: Timestamp,
) -> Result<Artist, DomainError> {
    let mut a = artist.clone();
    let t = entry(&mut a, id)?;
    let allowed = match t.status {
        TimeOffStatus::Requested => true,
        TimeOffStatus::Approved => !only_requested,
        TimeOffStatus::Declined | TimeOffStatus::Cancelled => false,
    };
    if !allowed {
        return Err(DomainError::Unprocessable(format!(
            "time off {id} is {:?} and cannot be cancelled here",
            t.status
        )));
    }
    settle(t, TimeOffStatus::Cancelled, by, now);
    Ok(stamped(a, now))
}

/// The entry's new status, and who decided it when.
fn settle(t: &mut TimeOff, status: TimeOffStatus, by: &str, now: Timestamp) {
    t.status = status;
    t.decided_by = Some(by.to_string());
    t.decided_at = Some(now);
}

fn entry(a: &mut Artist, id: TimeOffId) -> Result<&mut TimeOff, DomainError> {
    a.time_off.iter_mut().find(|t| t.id == id).ok_or(DomainError::NotFound { entity: "time off", id: id.0 })
}

/// `artist` with `patch` applied. `may_set_rate` is false for a freelancer.
pub fn apply_profile(artist: &Artist, patch: &ProfilePatch, now: Timestamp) -> Result<Artist, DomainError> {
    if let Some(v) = patch.version.filter(|v| *v != artist.version) {
        return Err(DomainError::VersionMismatch { expected: v, current: artist.version });
    }
    let errs = check_profile(patch);
    if !errs.is_empty() {
        return Err(DomainError::Invalid(errs));
    }
    let mut a = artist.clone();
    let p = &mut a.profile;
    if let Some(bio) = &patch.bio {
        p.bio = bio.trim().to_string();
    }
    if let Some(skills) = &patch.skills {
        let mut levels: Vec<SkillLevel> = Vec::with_capacity(skills.len());
        for s in skills {
            let name = s.name.trim().to_lowercase();
            if !levels.iter().any(|l| l.name == name) {
                levels.push(SkillLevel { name, ..s.clone() });
            }
        }
        a.skills = levels.iter().map(|l| l.name.clone()).collect();
        a.profile.skills = levels;
    }
    let p = &mut a.profile;
    if let Some(links) = &patch.portfolio {
        p.portfolio = links
            .iter()
            .map(|l| PortfolioLink { url: l.url.trim().into(), title: l.title.trim().into(), kind: l.kind })
            .collect();
    }
    if let Some(loc) = &patch.location {
        p.location = loc.as_ref().map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    }
    if let Some(langs) = &patch.languages {
        p.languages = validate::normalize_skills(langs);
    }
    if let Some(url) = &patch.avatar_url {
        p.avatar_url = url.as_ref().map(|u| u.trim().to_string());
    }
    if let Some(tz) = &patch.timezone {
        a.timezone = tz.clone();
    }
    match (&patch.day_rate, &patch.currency) {
        (Some(None), _) => a.rate = None,
        (Some(Some(amount)), currency) => {
            let currency = currency.clone().or_else(|| a.rate.as_ref().map(|r| r.currency.clone()));
            let Some(currency) = currency else {
                return Err(DomainError::invalid(
                    "currency",
                    "a first dayRate needs its currency (ISO 4217, e.g. GBP)",
                ));
            };
            a.rate = Some(pt_protocol::DayRate { amount: *amount, currency });
        }
        (None, Some(currency)) => match &mut a.rate {
            Some(r) => r.currency = currency.clone(),
            None => return Err(DomainError::invalid("currency", "set dayRate with its currency")),
        },
        (None, None) => {}
    }
    // Levels of skills the artist no longer has go with them.
    let skills = a.skills.clone();
    a.profile.skills.retain(|l| skills.contains(&l.name));
    Ok(stamped(a, now))
}

/// Every field error of a profile patch.
fn check_profile(p: &ProfilePatch) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if p.bio.as_ref().is_some_and(|b| b.chars().count() > 5000) {
        errs.push(FieldError::new("bio", "at most 5000 characters"));
    }
    if let Some(skills) = &p.skills {
        if skills.len() > validate::MAX_SKILLS {
            errs.push(FieldError::new("skills", format!("at most {} skills", validate::MAX_SKILLS)));
        }
        for (i, s) in skills.iter().enumerate() {
            if !(1..=validate::MAX_SKILL_CHARS).contains(&s.name.trim().chars().count()) {
                errs.push(FieldError::new(format!("skills[{i}].name"), "1 to 64 characters"));
            }
            if !(1..=5).contains(&s.level) {
                errs.push(FieldError::new(format!("skills[{i}].level"), "1 (junior) to 5 (lead)"));
            }
            if s.years.is_some_and(|y| y > 80) {
                errs.push(FieldError::new(format!("skills[{i}].years"), "0 to 80"));
            }
        }
    }
    if let Some(links) = &p.portfolio {
        if links.len() > 20 {
            errs.push(FieldError::new("portfolio", "at most 20 links"));
        }
        for (i, l) in links.iter().enumerate() {
            if !is_url(&l.url) {
                errs.push(FieldError::new(format!("portfolio[{i}].url"), "an http or https URL"));
            }
            if !(1..=200).contains(&l.title.trim().chars().count()) {
                errs.push(FieldError::new(format!("portfolio[{i}].title"), "1 to 200 characters"));
            }
        }
    }
    if let Some(Some(l)) = &p.location
        && (l.chars().count() > 200 || l.chars().any(char::is_control))
    {
        errs.push(FieldError::new("location", "one line of at most 200 characters"));
    }
    if let Some(langs) = &p.languages
        && (langs.len() > 20 || langs.iter().any(|l| !(2..=35).contains(&l.trim().chars().count())))
    {
        errs.push(FieldError::new("languages", "at most 20, each 2 to 35 characters"));
    }
    if let Some(Some(u)) = &p.avatar_url
        && !is_url(u)
    {
        errs.push(FieldError::new("avatarUrl", "an http or https URL"));
    }
    if let Some(tz) = &p.timezone {
        validate::timezone(tz, &mut errs);
    }
    if let Some(Some(r)) = p.day_rate
        && r > 1_000_000
    {
        errs.push(FieldError::new("dayRate", "0 to 1000000"));
    }
    if let Some(c) = &p.currency
        && !(c.len() == 3 && c.chars().all(|c| c.is_ascii_uppercase()))
    {
        errs.push(FieldError::new("currency", "an ISO 4217 code such as GBP"));
    }
    errs
}

fn is_url(u: &str) -> bool {
    let u = u.trim();
    let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://"));
    u.chars().count() <= 2000
        && rest.is_some_and(|r| !r.is_empty() && !r.chars().any(|c| c.is_whitespace() || c.is_control()))
}

fn stamped(mut a: Artist, now: Timestamp) -> Artist {
    a.version += 1;
    a.updated_at = now;
    a
}
