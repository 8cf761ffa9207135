//! [`Tenant`]'s marketplace side: commands go to the studio's jobs actor
//! (idempotency first, like every command); reads come from the store once
//! everything sequenced so far is durable; and the two things only the
//! studio's other owners know — how well an artist fits a listing (their
//! skills, rate and free days, from the artist actors) and the working time
//! a listing's dates cover on an artist's calendar (for the pencil an
//! accepted offer becomes).

use crate::command::{Accepted, CommandError, ask};
use crate::domain::availability::Week;
use crate::domain::jobs::matching::{Candidate, score};
use crate::jobs_actor::{JobCommand, JobsMsg};
use crate::store::jobs::ApplicationFilter;
use crate::tenant::{CmdInput, Tenant};
use pt_protocol::job::{ApplicationId, JobApplication, JobCandidate, JobId, JobListing, JobMatch};
use pt_protocol::ws::CommandResult;
use pt_protocol::{Artist, ArtistId, Day, TimeRange, Timestamp};
use ractor::ActorRef;

fn unavailable(e: crate::store::StoreError) -> CommandError {
    CommandError::Unavailable(e.to_string())
}

impl Tenant {
    fn jobs_actor(&self) -> Result<ActorRef<JobsMsg>, CommandError> {
        self.owners.jobs.get().cloned().ok_or_else(|| CommandError::Unavailable("the studio is starting".into()))
    }

    /// Runs a marketplace command (authorized by the command layer).
    pub async fn job_command(
        &self,
        command: JobCommand,
        input: CmdInput,
    ) -> Result<Accepted<CommandResult>, CommandError> {
        if let Some(prev) = self.stored::<CommandResult>(&input).await? {
            return Ok(prev);
        }
        let actor = self.jobs_actor()?;
        ask(&actor, |reply| JobsMsg::Decide { command: Box::new(command), meta: input.meta(), reply }).await?
    }

    /// Waits until everything sequenced so far is durable (reads from the
    /// store then include every change already answered).
    async fn settled(&self) -> Result<(), CommandError> {
        crate::log::settled(&self.log, &self.durable).await
    }

    /// Every listing of the studio, newest first.
    pub async fn jobs(&self) -> Result<Vec<JobListing>, CommandError> {
        self.settled().await?;
        self.store.jobs(self.id).await.map_err(unavailable)
    }

    pub async fn job(&self, id: JobId) -> Result<JobListing, CommandError> {
        self.settled().await?;
        self.store.job(self.id, id).await.map_err(unavailable)?.ok_or(CommandError::not_found("job", id.0))
    }

    /// The studio's applications, newest first.
    pub async fn job_applications(&self, f: ApplicationFilter) -> Result<Vec<JobApplication>, CommandError> {
        self.settled().await?;
        self.store.applications(self.id, f).await.map_err(unavailable)
    }

    pub async fn job_application(&self, id: ApplicationId) -> Result<JobApplication, CommandError> {
        self.settled().await?;
        self.store
            .application(self.id, id)
            .await
            .map_err(unavailable)?
            .ok_or(CommandError::not_found("application", id.0))
    }

    /// How well each of `artists` fits `job` (skills and levels, free
    /// working days in its dates, day rate), asked of the artist actors at once.
    pub async fn job_fits(&self, job: &JobListing, artists: &[Artist]) -> Vec<(ArtistId, JobMatch)> {
        let range = TimeRange {
            start: Timestamp::from_micros(job.start_date.start_micros()),
            end: Timestamp::from_micros(job.end_date.start_micros()),
        };
        let ids: Vec<ArtistId> = artists.iter().map(|a| a.id).collect();
        let fits = self.fits(&ids, range).await;
        artists
            .iter()
            .filter_map(|a| {
                let fit = fits.iter().find(|(id, _)| *id == a.id).map(|(_, f)| f)?;
                let skills = Candidate::with_tags(&a.profile.skills, &a.skills);
                let c = Candidate {
                    skills: &skills,
                    free: Some((fit.free_days, fit.working_days)),
                    rate: a.rate.as_ref().map(|r| (r.amount, r.currency.as_str())),
                };
                Some((a.id, score(job, &c)))
            })
            .collect()
    }

    /// The studio's live artists ranked against `job`, best first (then by name).
    pub async fn job_candidates(&self, job: &JobListing) -> Result<Vec<JobCandidate>, CommandError> {
        let artists: Vec<Artist> = self.list_artists().await?.into_iter().filter(|a| a.active).collect();
        let fits = self.job_fits(job, &artists).await;
        let mut out: Vec<JobCandidate> = fits
            .into_iter()
            .filter_map(|(id, fit)| {
                let a = artists.iter().find(|a| a.id == id)?;
                Some(JobCandidate { artist_id: id, name: a.name.clone(), user_id: self.owners.linked(id), fit })
            })
            .collect();
        out.sort_by(|a, b| b.fit.score.cmp(&a.fit.score).then_with(|| a.name.cmp(&b.name)));
        Ok(out)
    }

    /// The working time `[start, end)` covers on `artist`'s calendar: from
    /// the start of their first working day in it to the end of their last
    /// (`None`: they work none of those days).
    pub fn work_range(&self, artist: &Artist, start: Day, end: Day) -> Option<TimeRange> {
        let week = Week::of(artist, &self.settings());
        let day = pt_protocol::time::MICROS_PER_DAY;
        let spans = week.spans(start.start_micros() - day, end.start_micros() + day);
        let inside = |d: Day| d >= start && d < end;
        let first = spans.iter().find(|s| inside(s.day))?;
        let last = spans.iter().rfind(|s| inside(s.day))?;
        Some(TimeRange { start: Timestamp(first.start), end: Timestamp(last.end) })
    }

    /// The freelancer linked to `artist`, if any.
    pub fn linked_user(&self, artist: ArtistId) -> Option<pt_protocol::UserId> {
        self.owners.linked(artist)
    }
}
