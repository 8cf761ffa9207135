//! What each marketplace command does to the current rows, pure: a listing
//! created or changed, an application made or moved. The jobs actor reads
//! the rows, calls these, and sequences what they answer.

use super::{application, listing};
use crate::error::DomainError;
use pt_protocol::job::{
    ApplicationId, ApplicationStatus, JobApplication, JobId, JobListing, JobPatch, JobSide, JobStatus, JobVisibility,
    NewApplication, NewJob,
};
use pt_protocol::{ArtistId, BookingId, FieldError, TenantId, Timestamp, UserId};

/// Longest note an application may carry.
pub const MAX_NOTE: usize = 5_000;

fn invalid(errs: Vec<FieldError>) -> Result<(), DomainError> {
    if errs.is_empty() { Ok(()) } else { Err(DomainError::Invalid(errs)) }
}

/// A new listing, `draft` or `open`.
pub fn create(id: JobId, new: NewJob, by: UserId, now: Timestamp) -> Result<JobListing, DomainError> {
    let status = new.status.unwrap_or(JobStatus::Draft);
    if !matches!(status, JobStatus::Draft | JobStatus::Open) {
        return Err(DomainError::invalid("status", "a new listing is `draft` or `open`"));
    }
    let job = JobListing {
        id,
        title: new.title.trim().to_owned(),
        description: new.description.unwrap_or_default(),
        skills: normalized(new.skills),
        start_date: new.start_date,
        end_date: new.end_date,
        location: new.location.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()),
        remote: new.remote.unwrap_or(false),
        rate: new.rate,
        positions: new.positions.unwrap_or(1),
        project_id: new.project_id,
        status,
        visibility: new.visibility.unwrap_or(JobVisibility::Studio),
        created_by: by,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    invalid(listing::validate(&job))?;
    Ok(job)
}

fn normalized(mut skills: Vec<pt_protocol::job::SkillRequirement>) -> Vec<pt_protocol::job::SkillRequirement> {
    for s in &mut skills {
        s.skill = s.skill.trim().to_lowercase();
    }
    skills
}

/// The listing after `patch`; `applied`: someone applied already.
pub fn update(cur: &JobListing, patch: JobPatch, applied: bool, now: Timestamp) -> Result<JobListing, DomainError> {
    if let Some(v) = patch.version
        && v != cur.version
    {
        return Err(DomainError::VersionMismatch { expected: v, current: cur.version });
    }
    let mut job = cur.clone();
    if let Some(to) = patch.status
        && to != cur.status
    {
        listing::status_change(cur.status, to, applied).map_err(DomainError::Unprocessable)?;
        job.status = to;
    }
    if let Some(t) = patch.title {
        job.title = t.trim().to_owned();
    }
    if let Some(d) = patch.description {
        job.description = d;
    }
    if let Some(s) = patch.skills {
        job.skills = normalized(s);
    }
    job.start_date = patch.start_date.unwrap_or(job.start_date);
    job.end_date = patch.end_date.unwrap_or(job.end_date);
    if let Some(l) = patch.location {
        job.location = l.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
    }
    job.remote = patch.remote.unwrap_or(job.remote);
    if let Some(r) = patch.rate {
        job.rate = r;
    }
    job.positions = patch.positions.unwrap_or(job.positions);
    if let Some(p) = patch.project_id {
        job.project_id = p;
    }
    job.visibility = patch.visibility.unwrap_or(job.visibility);
    invalid(listing::validate(&job))?;
    if job == *cur {
        return Ok(job);
    }
    job.updated_at = now;
    job.version += 1;
    Ok(job)
}

/// Only a draft is removed; a listing once open keeps its history and is closed instead.
pub fn delete(cur: &JobListing) -> Result<(), DomainError> {
    if cur.status == JobStatus::Draft {
        Ok(())
    } else {
        Err(DomainError::Unprocessable(format!(
            "a {:?} listing is not deleted: close it (PATCH status `closed`) instead",
            cur.status
        )))
    }
}

/// Who applies, as the command layer found them.
#[derive(Clone, Debug)]
pub struct Applicant {
    pub user: UserId,
    pub name: String,
    pub from_studio: TenantId,
    /// Their artist in the listing's studio, if they have one.
    pub artist_id: Option<ArtistId>,
    /// Their skills, from their own artist's profile.
    pub skills: Vec<pt_protocol::SkillLevel>,
}

/// A new application to `job`; `theirs`: the applicant's earlier applications to it.
pub fn apply(
    job: &JobListing,
    theirs: &[JobApplication],
    id: ApplicationId,
    who: Applicant,
    new: NewApplication,
    now: Timestamp,
) -> Result<JobApplication, DomainError> {
    if job.status != JobStatus::Open {
        return Err(DomainError::Unprocessable(format!("this listing is {:?}: it takes no applications", job.status)));
    }
    if theirs.iter().any(|a| a.status.is_live()) {
        return Err(DomainError::Unprocessable(
            "you already have a live application for this listing: withdraw it to apply again".into(),
        ));
    }
    let note = new.note.unwrap_or_default();
    let mut errs = Vec::new();
    if note.chars().count() > MAX_NOTE {
        errs.push(FieldError::new("note", format!("at most {MAX_NOTE} characters")));
    }
    if new.rate.is_some_and(|r| r > 1_000_000) {
        errs.push(FieldError::new("rate", "at most 1,000,000"));
    }
    invalid(errs)?;
    Ok(JobApplication {
        id,
        job_id: job.id,
        applicant: who.user,
        applicant_name: who.name,
        from_studio: who.from_studio,
        artist_id: who.artist_id,
        booking_id: None,
        note,
        rate: new.rate,
        skills: who.skills,
        status: ApplicationStatus::Applied,
        created_at: now,
        updated_at: now,
        version: 1,
    })
}

/// `app` moved to `to` by `side`; an accept names the pencil booking it became.
pub fn transition(
    app: &JobApplication,
    side: JobSide,
    to: ApplicationStatus,
    version: Option<u64>,
    booking: Option<(ArtistId, BookingId)>,
    now: Timestamp,
) -> Result<JobApplication, DomainError> {
    if let Some(v) = version
        && v != app.version
    {
        return Err(DomainError::VersionMismatch { expected: v, current: app.version });
    }
    application::transition(side, app.status, to).map_err(|r| DomainError::Unprocessable(r.to_string()))?;
    let mut next = app.clone();
    if to == ApplicationStatus::Accepted {
        let Some((artist, booking)) = booking else {
            return Err(DomainError::Unprocessable("an accept needs its booking".into()));
        };
        next.artist_id = Some(artist);
        next.booking_id = Some(booking);
    }
    next.status = to;
    next.updated_at = now;
    next.version += 1;
    Ok(next)
}

/// A filled listing takes no more offers, and no more accepts: its
/// positions are taken (offers made before it filled stay open to decline).
pub fn listing_allows(job: &JobListing, to: ApplicationStatus) -> Result<(), DomainError> {
    if job.status == JobStatus::Filled && matches!(to, ApplicationStatus::Offered | ApplicationStatus::Accepted) {
        return Err(DomainError::Unprocessable(format!(
            "“{}” is filled: its {} position(s) are taken",
            job.title, job.positions
        )));
    }
    Ok(())
}

/// The listing as `filled` once `accepted` people took its positions (`None`: not yet, or not open).
pub fn filled(job: &JobListing, accepted: usize, now: Timestamp) -> Option<JobListing> {
    if job.status != JobStatus::Open || accepted < job.positions as usize {
        return None;
    }
    let mut j = job.clone();
    j.status = JobStatus::Filled;
    j.updated_at = now;
    j.version += 1;
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jobs::listing::tests::listing;

    fn applicant() -> Applicant {
        Applicant {
            user: UserId::new(),
            name: "Ana".into(),
            from_studio: TenantId::new(),
            artist_id: None,
            skills: Vec::new(),
        }
    }

    #[test]
    fn one_live_application_per_applicant() {
        let mut job = listing();
        job.status = JobStatus::Open;
        let who = applicant();
        let first =
            apply(&job, &[], ApplicationId::new(), who.clone(), NewApplication::default(), Timestamp(0)).unwrap();
        let again = apply(
            &job,
            std::slice::from_ref(&first),
            ApplicationId::new(),
            who.clone(),
            NewApplication::default(),
            Timestamp(0),
        );
        assert!(matches!(again, Err(DomainError::Unprocessable(_))));
        let gone =
            transition(&first, JobSide::Applicant, ApplicationStatus::Withdrawn, None, None, Timestamp(1)).unwrap();
        assert!(apply(&job, &[gone], ApplicationId::new(), who, NewApplication::default(), Timestamp(2)).is_ok());
    }

    #[test]
    fn drafts_take_no_applications_and_only_drafts_are_deleted() {
        let job = listing();
        assert!(apply(&job, &[], ApplicationId::new(), applicant(), NewApplication::default(), Timestamp(0)).is_err());
        assert!(delete(&job).is_ok());
        let open = update(&job, JobPatch { status: Some(JobStatus::Open), ..JobPatch::default() }, false, Timestamp(1));
        let open = open.unwrap();
        assert_eq!((open.status, open.version), (JobStatus::Open, 2));
        assert!(delete(&open).is_err());
    }

    #[test]
    fn an_accept_names_its_booking_and_fills_the_last_position() {
        let mut job = listing();
        job.status = JobStatus::Open;
        let app = apply(&job, &[], ApplicationId::new(), applicant(), NewApplication::default(), Timestamp(0)).unwrap();
        let offered =
            transition(&app, JobSide::Studio, ApplicationStatus::Offered, Some(1), None, Timestamp(1)).unwrap();
        assert!(
            transition(&offered, JobSide::Applicant, ApplicationStatus::Accepted, None, None, Timestamp(2)).is_err()
        );
        let b = (ArtistId::new(), BookingId::new());
        let accepted =
            transition(&offered, JobSide::Applicant, ApplicationStatus::Accepted, Some(2), Some(b), Timestamp(2))
                .unwrap();
        assert_eq!((accepted.artist_id, accepted.booking_id), (Some(b.0), Some(b.1)));
        let full = filled(&job, 1, Timestamp(3)).unwrap();
        assert_eq!(full.status, JobStatus::Filled);
        assert!(filled(&job, 0, Timestamp(3)).is_none());
        assert!(listing_allows(&full, ApplicationStatus::Accepted).is_err());
        assert!(listing_allows(&full, ApplicationStatus::Declined).is_ok());
    }

    #[test]
    fn a_stale_version_is_refused() {
        let job = listing();
        let stale = JobPatch { version: Some(9), title: Some("x".into()), ..JobPatch::default() };
        assert!(matches!(update(&job, stale, false, Timestamp(1)), Err(DomainError::VersionMismatch { .. })));
    }
}
