//! The job marketplace's rows (issue 18): listings and applications, each a
//! projection of its events (`jobCreated` … `applicationUpdated`) written in
//! the append transaction, like notifications, and read back under the
//! studio's row-level security.
//!
//! Two small tables cross studios on purpose, without row-level security:
//!
//! * `public_jobs` — the cross-studio board: an open public listing and its
//!   studio's name, nothing else of the studio; written by the same append,
//!   so a listing is on the board exactly while it is open and public;
//! * `application_index` — which studio holds an application, and whose it
//!   is (ids only, like `auth_token_index`), so a freelancer's applications
//!   to other studios can be found and read there.
//!
//! Job alerts (`job_alerts`) are a person's own setting, global like `users`:
//! who, the studio they are told in, and their skill tags with levels.
//!
//! Saved listings are a member's setting in the studio they are signed in
//! to (`saved_jobs`, under that studio's row-level security), written directly.

use crate::store::{CommandRecord, StoreError};
use async_trait::async_trait;
use pt_protocol::job::{ApplicationId, JobApplication, JobId, JobListing};
use pt_protocol::{Event, SkillLevel, TenantId, Timestamp, UserId};

/// The rows a batch writes, in `seq` order.
#[derive(Debug, Default)]
pub struct JobWrites {
    /// A listing's state, and whether it was deleted.
    pub jobs: Vec<(JobListing, bool)>,
    pub applications: Vec<JobApplication>,
}

impl JobWrites {
    pub fn of(batch: &[CommandRecord]) -> Self {
        let mut w = Self::default();
        for env in batch.iter().flat_map(|r| &r.events) {
            match &env.event {
                Event::JobCreated { job } | Event::JobUpdated { job } => w.jobs.push((job.clone(), false)),
                Event::JobDeleted { job } => w.jobs.push((job.clone(), true)),
                Event::ApplicationCreated { application } | Event::ApplicationUpdated { application } => {
                    w.applications.push(application.clone())
                }
                _ => {}
            }
        }
        w
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty() && self.applications.is_empty()
    }
}

/// Whether a listing belongs on the cross-studio board.
pub fn on_board(job: &JobListing) -> bool {
    job.visibility == pt_protocol::job::JobVisibility::Public && job.status == pt_protocol::job::JobStatus::Open
}

/// Which applications of a studio.
#[derive(Clone, Copy, Debug, Default)]
pub struct ApplicationFilter {
    pub job: Option<JobId>,
    pub applicant: Option<UserId>,
}

#[async_trait]
pub trait JobStore {
    /// Every listing of the studio, newest first.
    async fn jobs(&self, tenant: TenantId) -> Result<Vec<JobListing>, StoreError>;

    async fn job(&self, tenant: TenantId, id: JobId) -> Result<Option<JobListing>, StoreError>;

    /// The studio's applications, newest first.
    async fn applications(&self, tenant: TenantId, f: ApplicationFilter) -> Result<Vec<JobApplication>, StoreError>;

    async fn application(&self, tenant: TenantId, id: ApplicationId) -> Result<Option<JobApplication>, StoreError>;

    /// The cross-studio board: every open public listing with its studio's
    /// id and name, newest first.
    async fn board(&self) -> Result<Vec<(TenantId, String, JobListing)>, StoreError>;

    /// The studio of an open public listing (`None`: no such listing on the board).
    async fn board_studio(&self, job: JobId) -> Result<Option<TenantId>, StoreError>;

    /// The studios holding `applicant`'s applications.
    async fn application_studios(&self, applicant: UserId) -> Result<Vec<TenantId>, StoreError>;

    /// The studio holding an application, and whose it is.
    async fn application_home(&self, id: ApplicationId) -> Result<Option<(TenantId, UserId)>, StoreError>;

    /// The listings `user` saved while signed in to `tenant`, newest first.
    async fn saved_jobs(&self, tenant: TenantId, user: UserId) -> Result<Vec<JobId>, StoreError>;

    /// Saves (`at: Some`) or forgets (`None`) a listing; idempotent.
    async fn set_saved(
        &self,
        tenant: TenantId,
        user: UserId,
        job: JobId,
        at: Option<Timestamp>,
    ) -> Result<(), StoreError>;

    /// Turns `user`'s job alerts on (told in `tenant`, for `skills`) or off (`None`).
    async fn set_job_alert(
        &self,
        user: UserId,
        alert: Option<(TenantId, Vec<SkillLevel>)>,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// `user`'s job alert: the studio they are told in and their skills (`None`: off).
    async fn job_alert(&self, user: UserId) -> Result<Option<(TenantId, Vec<SkillLevel>)>, StoreError>;

    /// Everyone with job alerts on: who, the studio they are told in, their skills.
    async fn job_alerts(&self) -> Result<Vec<(UserId, TenantId, Vec<SkillLevel>)>, StoreError>;
}
