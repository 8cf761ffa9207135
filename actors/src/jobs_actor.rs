//! The jobs actor: one per studio, the owner of its listings and the
//! applications to them. It serializes every marketplace command of the
//! studio — so "one live application per freelancer and listing" and
//! "filled once its positions are taken" are decided by one owner — and
//! decides from the store, like the inbox actor: before each decision it
//! waits until everything sequenced so far is durable, reads the rows, and
//! calls the pure rules (`domain/jobs/decide.rs`). A refused write leaves
//! the rows as they were, so nothing needs reverting here.
//!
//! Moves that the listing's poster should hear of (someone applied,
//! withdrew, accepted, declined) carry their `notificationCreated` in the
//! same command; the applicant, who may belong to another studio, is told by
//! the command layer in their own studio.

use crate::command::{Accepted, CmdMeta, CommandError, DurableWait, ask};
use crate::domain::jobs::decide::{self, Applicant};
use crate::domain::{Draft, user_of};
use crate::log::{LogMsg, Sequenced, sequence_all};
use crate::owners::Owners;
use crate::store::Store;
use crate::store::jobs::ApplicationFilter;
use pt_protocol::job::{
    ApplicationId, ApplicationStatus, JobApplication, JobId, JobListing, JobPatch, JobSide, NewApplication, NewJob,
};
use pt_protocol::ws::CommandResult;
use pt_protocol::{ArtistId, BookingId, Event, NotificationKind, TenantId, Timestamp, UserId};
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use std::sync::Arc;
use tokio::sync::watch;

/// A marketplace command, as the command layer authorized it.
#[derive(Clone, Debug)]
pub enum JobCommand {
    Create {
        id: JobId,
        new: NewJob,
    },
    Update {
        id: JobId,
        patch: JobPatch,
    },
    Delete {
        id: JobId,
    },
    Apply {
        id: ApplicationId,
        job: JobId,
        who: Applicant,
        new: NewApplication,
    },
    /// `booking`: the pencil an accept became (made before, by the command layer).
    Transition {
        id: ApplicationId,
        side: JobSide,
        to: ApplicationStatus,
        version: Option<u64>,
        booking: Option<(ArtistId, BookingId)>,
    },
}

pub enum JobsMsg {
    Decide {
        command: Box<JobCommand>,
        meta: CmdMeta,
        reply: RpcReplyPort<Result<Accepted<CommandResult>, CommandError>>,
    },
}

pub struct JobsArgs {
    pub tenant: TenantId,
    pub store: Arc<dyn Store>,
    pub log: ActorRef<LogMsg>,
    pub durable: watch::Receiver<u64>,
    pub owners: Arc<Owners>,
}

pub struct JobsActor;

fn unavailable(e: crate::store::StoreError) -> CommandError {
    CommandError::Unavailable(e.to_string())
}

impl JobsArgs {
    async fn job(&self, id: JobId) -> Result<JobListing, CommandError> {
        self.store.job(self.tenant, id).await.map_err(unavailable)?.ok_or(CommandError::not_found("job", id.0))
    }

    async fn applications(&self, f: ApplicationFilter) -> Result<Vec<JobApplication>, CommandError> {
        self.store.applications(self.tenant, f).await.map_err(unavailable)
    }

    /// The events a command makes, and what it answers.
    async fn decide(&mut self, command: JobCommand, by: &str) -> Result<(Vec<Event>, CommandResult), CommandError> {
        crate::log::settled(&self.log, &self.durable).await?;
        let now = Timestamp::now();
        let who = user_of(by).unwrap_or(UserId(uuid::Uuid::nil()));
        Ok(match command {
            JobCommand::Create { id, new } => {
                let job = decide::create(id, new, who, now)?;
                (vec![Event::JobCreated { job: job.clone() }], CommandResult::Job { job })
            }
            JobCommand::Update { id, patch } => {
                let cur = self.job(id).await?;
                let applied =
                    !self.applications(ApplicationFilter { job: Some(id), applicant: None }).await?.is_empty();
                let job = decide::update(&cur, patch, applied, now)?;
                let events = if job == cur { Vec::new() } else { vec![Event::JobUpdated { job: job.clone() }] };
                (events, CommandResult::Job { job })
            }
            JobCommand::Delete { id } => {
                let job = self.job(id).await?;
                decide::delete(&job)?;
                (vec![Event::JobDeleted { job: job.clone() }], CommandResult::Job { job })
            }
            JobCommand::Apply { id, job, who: applicant, new } => {
                let listing = self.job(job).await?;
                let theirs =
                    self.applications(ApplicationFilter { job: Some(job), applicant: Some(applicant.user) }).await?;
                let app = decide::apply(&listing, &theirs, id, applicant, new, now)?;
                let mut events = vec![Event::ApplicationCreated { application: app.clone() }];
                events.extend(self.tell_poster(&listing, &app, by, now));
                (events, CommandResult::Application { application: app })
            }
            JobCommand::Transition { id, side, to, version, booking } => {
                self.transition(id, side, to, version, booking, by, now).await?
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn transition(
        &mut self,
        id: ApplicationId,
        side: JobSide,
        to: ApplicationStatus,
        version: Option<u64>,
        booking: Option<(ArtistId, BookingId)>,
        by: &str,
        now: Timestamp,
    ) -> Result<(Vec<Event>, CommandResult), CommandError> {
        let app = self
            .store
            .application(self.tenant, id)
            .await
            .map_err(unavailable)?
            .ok_or(CommandError::not_found("application", id.0))?;
        let listing = self.job(app.job_id).await?;
        decide::listing_allows(&listing, to)?;
        let next = decide::transition(&app, side, to, version, booking, now)?;
        let mut events = vec![Event::ApplicationUpdated { application: next.clone() }];
        if to == ApplicationStatus::Accepted {
            let all = self.applications(ApplicationFilter { job: Some(app.job_id), applicant: None }).await?;
            let accepted = all.iter().filter(|a| a.status == ApplicationStatus::Accepted).count() + 1;
            if let Some(job) = decide::filled(&listing, accepted, now) {
                events.push(Event::JobUpdated { job });
            }
        }
        if side == JobSide::Applicant {
            events.extend(self.tell_poster(&listing, &next, by, now));
        }
        Ok((events, CommandResult::Application { application: next }))
    }

    /// The listing's poster hears of an applicant's move (not of their own).
    fn tell_poster(&self, job: &JobListing, app: &JobApplication, by: &str, now: Timestamp) -> Option<Event> {
        let poster = job.created_by;
        if poster.0.is_nil() || user_of(by) == Some(poster) {
            return None;
        }
        let what = match app.status {
            ApplicationStatus::Applied => "applied for",
            ApplicationStatus::Withdrawn => "withdrew from",
            ApplicationStatus::Accepted => "accepted your offer for",
            ApplicationStatus::Declined => "declined your offer for",
            _ => return None,
        };
        let draft = Draft {
            kind: NotificationKind::ApplicationChanged,
            title: format!("{} {what} {}", app.applicant_name, job.title),
            body: match app.status {
                ApplicationStatus::Accepted => "Their pencil booking is on the board.".to_owned(),
                _ => format!("Application {:?}.", app.status).to_lowercase(),
            },
            booking_id: app.booking_id,
            artist_id: app.artist_id,
        };
        let choice = self.owners.choice(poster, NotificationKind::ApplicationChanged);
        let n = draft.to(poster, pt_protocol::NotificationId::new(), choice, by, now)?;
        Some(Event::NotificationCreated { notification: n })
    }

    async fn run(&mut self, command: JobCommand, meta: CmdMeta) -> Result<Accepted<CommandResult>, CommandError> {
        let (events, answer) = self.decide(command, &meta.by).await?;
        if events.is_empty() {
            let seq = ask(&self.log, LogMsg::LastSeq).await?;
            return Ok(Accepted {
                first_seq: seq,
                last_seq: seq,
                value: answer,
                duplicate: false,
                durable: DurableWait::Done(seq),
            });
        }
        match sequence_all(&self.log, &self.durable, meta, events, &answer).await? {
            Sequenced::New { first_seq, last_seq, durable } => Ok(Accepted {
                first_seq,
                last_seq,
                value: answer,
                duplicate: false,
                durable: DurableWait::Channel(durable),
            }),
            Sequenced::Replay(acc) => Ok(acc),
        }
    }
}

impl Actor for JobsActor {
    type Msg = JobsMsg;
    type State = JobsArgs;
    type Arguments = JobsArgs;

    async fn pre_start(&self, _myself: ActorRef<JobsMsg>, args: JobsArgs) -> Result<JobsArgs, ActorProcessingErr> {
        Ok(args)
    }

    async fn handle(
        &self,
        _myself: ActorRef<JobsMsg>,
        msg: JobsMsg,
        s: &mut JobsArgs,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            JobsMsg::Decide { command, meta, reply } => {
                let _ = reply.send(s.run(*command, meta).await);
            }
        }
        Ok(())
    }
}
