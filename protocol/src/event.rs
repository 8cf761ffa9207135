//! What happened. Every accepted command becomes one or more events; each gets
//! the tenant-wide sequence number `seq` from the tenant's log. Events carry the
//! whole entity state *after* the change, so applying an event is "replace", and
//! replaying a log rebuilds exactly the same state.

use crate::artist::Artist;
use crate::booking::{Booking, BookingStatus};
use crate::ids::{
    ArtistId, BookingId, CmdId, DependencyId, MilestoneId, NotificationId, PhaseId, ProjectId, TimeOffId, UserId,
};
use crate::job::{ApplicationId, JobApplication, JobId, JobListing};
use crate::notification::Notification;
use crate::project::{Dependency, Milestone, Phase, Project};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum Event {
    ArtistCreated {
        artist: Artist,
    },
    ArtistUpdated {
        artist: Artist,
    },
    /// The artist was deleted through the API; history stays.
    ArtistArchived {
        artist: Artist,
    },
    /// Time off asked for (`requested`) or recorded by a manager (`approved`):
    /// the artist after the change and which entry it was.
    TimeOffRequested {
        artist: Artist,
        time_off_id: TimeOffId,
    },
    /// A request approved or declined.
    TimeOffDecided {
        artist: Artist,
        time_off_id: TimeOffId,
    },
    /// A request withdrawn or approved time off taken back.
    TimeOffCancelled {
        artist: Artist,
        time_off_id: TimeOffId,
    },
    /// Booking events share one `Arc` with the artist actor's and the view's
    /// copy of the booking: a booking is held once in memory, however many
    /// places (artist, view, resume tail, write batch) refer to it.
    BookingCreated {
        #[cfg_attr(feature = "openapi", schema(value_type = Booking))]
        booking: Arc<Booking>,
    },
    /// Title, notes, project, range or hold expiry changed.
    BookingUpdated {
        #[cfg_attr(feature = "openapi", schema(value_type = Booking))]
        booking: Arc<Booking>,
    },
    /// The booking now belongs to `booking.artist_id` (and maybe a new range).
    BookingMoved {
        #[cfg_attr(feature = "openapi", schema(value_type = Booking))]
        booking: Arc<Booking>,
        from_artist_id: ArtistId,
    },
    /// A status change: promotion, confirmation, cancellation, expiry.
    BookingStatusChanged {
        #[cfg_attr(feature = "openapi", schema(value_type = Booking))]
        booking: Arc<Booking>,
        from: BookingStatus,
    },
    /// The store refused a change to this booking (an invariant breach, see
    /// the runtime semantics): it is back to its durable state — `booking`,
    /// or gone when `None` (a refused creation). Published so every copy
    /// converges again.
    BookingRestored {
        booking_id: BookingId,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<Booking>))]
        booking: Option<Arc<Booking>>,
    },
    ProjectCreated {
        project: Project,
    },
    /// Any field, including its status.
    ProjectUpdated {
        project: Project,
    },
    /// Deleted through the API: status `archived`; history stays.
    ProjectArchived {
        project: Project,
    },
    PhaseCreated {
        phase: Phase,
    },
    /// Edited, moved or resized, or pushed by another phase's move (one event per phase).
    PhaseUpdated {
        phase: Phase,
    },
    /// The phase as it was when deleted (its dependencies go first, each with its event).
    PhaseDeleted {
        phase: Phase,
    },
    DependencyAdded {
        dependency: Dependency,
    },
    DependencyRemoved {
        dependency: Dependency,
    },
    MilestoneCreated {
        milestone: Milestone,
    },
    MilestoneUpdated {
        milestone: Milestone,
    },
    MilestoneDeleted {
        milestone: Milestone,
    },
    /// Someone is told about a change: decided with it, in the same command.
    /// Sent only to the recipient's own connections.
    NotificationCreated {
        notification: Notification,
    },
    /// The recipient read these notifications (all of them listed here were
    /// unread). Sent only to the recipient's own connections.
    /// A listing posted (as a draft or open).
    JobCreated {
        job: JobListing,
    },
    /// A listing's fields or status changed.
    JobUpdated {
        job: JobListing,
    },
    /// A draft listing removed, as it was.
    JobDeleted {
        job: JobListing,
    },
    /// Someone applied.
    ApplicationCreated {
        application: JobApplication,
    },
    /// An application moved (shortlisted, offered, accepted …).
    ApplicationUpdated {
        application: JobApplication,
    },
    NotificationsRead {
        user_id: UserId,
        ids: Vec<NotificationId>,
        read_at: Timestamp,
    },
}

/// Which entity an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntityRef {
    Artist(ArtistId),
    Booking(BookingId),
    Project(ProjectId),
    Phase(PhaseId),
    Dependency(DependencyId),
    Milestone(MilestoneId),
    Notification(NotificationId),
    /// A user's inbox (marking notifications read).
    Inbox(UserId),
    Job(JobId),
    Application(ApplicationId),
}

impl EntityRef {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Artist(_) => "artist",
            Self::Booking(_) => "booking",
            Self::Project(_) => "project",
            Self::Phase(_) => "phase",
            Self::Dependency(_) => "dependency",
            Self::Milestone(_) => "milestone",
            Self::Notification(_) => "notification",
            Self::Inbox(_) => "inbox",
            Self::Job(_) => "job",
            Self::Application(_) => "application",
        }
    }

    pub fn uuid(&self) -> uuid::Uuid {
        match self {
            Self::Artist(a) => a.0,
            Self::Booking(b) => b.0,
            Self::Project(p) => p.0,
            Self::Phase(p) => p.0,
            Self::Dependency(d) => d.0,
            Self::Milestone(m) => m.0,
            Self::Notification(n) => n.0,
            Self::Inbox(u) => u.0,
            Self::Job(j) => j.0,
            Self::Application(a) => a.0,
        }
    }
}

impl Event {
    pub fn entity(&self) -> EntityRef {
        match self {
            Self::ArtistCreated { artist }
            | Self::ArtistUpdated { artist }
            | Self::ArtistArchived { artist }
            | Self::TimeOffRequested { artist, .. }
            | Self::TimeOffDecided { artist, .. }
            | Self::TimeOffCancelled { artist, .. } => EntityRef::Artist(artist.id),
            Self::BookingCreated { booking }
            | Self::BookingUpdated { booking }
            | Self::BookingMoved { booking, .. }
            | Self::BookingStatusChanged { booking, .. } => EntityRef::Booking(booking.id),
            Self::BookingRestored { booking_id, .. } => EntityRef::Booking(*booking_id),
            Self::ProjectCreated { project } | Self::ProjectUpdated { project } | Self::ProjectArchived { project } => {
                EntityRef::Project(project.id)
            }
            Self::PhaseCreated { phase } | Self::PhaseUpdated { phase } | Self::PhaseDeleted { phase } => {
                EntityRef::Phase(phase.id)
            }
            Self::DependencyAdded { dependency } | Self::DependencyRemoved { dependency } => {
                EntityRef::Dependency(dependency.id)
            }
            Self::MilestoneCreated { milestone }
            | Self::MilestoneUpdated { milestone }
            | Self::MilestoneDeleted { milestone } => EntityRef::Milestone(milestone.id),
            Self::NotificationCreated { notification } => EntityRef::Notification(notification.id),
            Self::NotificationsRead { user_id, .. } => EntityRef::Inbox(*user_id),
            Self::JobCreated { job } | Self::JobUpdated { job } | Self::JobDeleted { job } => EntityRef::Job(job.id),
            Self::ApplicationCreated { application } | Self::ApplicationUpdated { application } => {
                EntityRef::Application(application.id)
            }
        }
    }

    /// The event's name as stored in the `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ArtistCreated { .. } => "artistCreated",
            Self::ArtistUpdated { .. } => "artistUpdated",
            Self::ArtistArchived { .. } => "artistArchived",
            Self::TimeOffRequested { .. } => "timeOffRequested",
            Self::TimeOffDecided { .. } => "timeOffDecided",
            Self::TimeOffCancelled { .. } => "timeOffCancelled",
            Self::BookingCreated { .. } => "bookingCreated",
            Self::BookingUpdated { .. } => "bookingUpdated",
            Self::BookingMoved { .. } => "bookingMoved",
            Self::BookingStatusChanged { .. } => "bookingStatusChanged",
            Self::BookingRestored { .. } => "bookingRestored",
            Self::ProjectCreated { .. } => "projectCreated",
            Self::ProjectUpdated { .. } => "projectUpdated",
            Self::ProjectArchived { .. } => "projectArchived",
            Self::PhaseCreated { .. } => "phaseCreated",
            Self::PhaseUpdated { .. } => "phaseUpdated",
            Self::PhaseDeleted { .. } => "phaseDeleted",
            Self::DependencyAdded { .. } => "dependencyAdded",
            Self::DependencyRemoved { .. } => "dependencyRemoved",
            Self::MilestoneCreated { .. } => "milestoneCreated",
            Self::MilestoneUpdated { .. } => "milestoneUpdated",
            Self::MilestoneDeleted { .. } => "milestoneDeleted",
            Self::NotificationCreated { .. } => "notificationCreated",
            Self::NotificationsRead { .. } => "notificationsRead",
            Self::JobCreated { .. } => "jobCreated",
            Self::JobUpdated { .. } => "jobUpdated",
            Self::JobDeleted { .. } => "jobDeleted",
            Self::ApplicationCreated { .. } => "applicationCreated",
            Self::ApplicationUpdated { .. } => "applicationUpdated",
        }
    }

    /// Every name [`Event::kind`] gives, in declaration order.
    pub const KINDS: [&'static str; 29] = [
        "artistCreated",
        "artistUpdated",
        "artistArchived",
        "timeOffRequested",
        "timeOffDecided",
        "timeOffCancelled",
        "bookingCreated",
        "bookingUpdated",
        "bookingMoved",
        "bookingStatusChanged",
        "bookingRestored",
        "projectCreated",
        "projectUpdated",
        "projectArchived",
        "phaseCreated",
        "phaseUpdated",
        "phaseDeleted",
        "dependencyAdded",
        "dependencyRemoved",
        "milestoneCreated",
        "milestoneUpdated",
        "milestoneDeleted",
        "notificationCreated",
        "jobCreated",
        "jobUpdated",
        "jobDeleted",
        "applicationCreated",
        "applicationUpdated",
        "notificationsRead",
    ];

    /// A job-marketplace event: only those who manage the studio's listings
    /// (owners and managers) hear of it live; applicants hear through their
    /// notifications.
    pub fn is_job(&self) -> bool {
        matches!(
            self,
            Self::JobCreated { .. }
                | Self::JobUpdated { .. }
                | Self::JobDeleted { .. }
                | Self::ApplicationCreated { .. }
                | Self::ApplicationUpdated { .. }
        )
    }

    pub fn booking(&self) -> Option<&Booking> {
        self.shared_booking().map(|b| &**b)
    }

    /// The booking state this event carries, as the one shared copy.
    pub fn shared_booking(&self) -> Option<&Arc<Booking>> {
        match self {
            Self::BookingCreated { booking }
            | Self::BookingUpdated { booking }
            | Self::BookingMoved { booking, .. }
            | Self::BookingStatusChanged { booking, .. } => Some(booking),
            Self::BookingRestored { booking, .. } => booking.as_ref(),
            _ => None,
        }
    }

    /// A booking this event removes from the state (a refused creation).
    pub fn removed_booking(&self) -> Option<BookingId> {
        match self {
            Self::BookingRestored { booking_id, booking: None } => Some(*booking_id),
            _ => None,
        }
    }

    /// The artist state an artist event carries (every kind replaces the whole artist).
    pub fn artist(&self) -> Option<&Artist> {
        match self {
            Self::ArtistCreated { artist }
            | Self::ArtistUpdated { artist }
            | Self::ArtistArchived { artist }
            | Self::TimeOffRequested { artist, .. }
            | Self::TimeOffDecided { artist, .. }
            | Self::TimeOffCancelled { artist, .. } => Some(artist),
            _ => None,
        }
    }

    /// The same event without what only owners and managers may see (an
    /// artist's day rate); `None` when there is nothing to take out.
    pub fn redacted(&self) -> Option<Event> {
        if self.artist().is_none_or(|a| a.rate.is_none()) {
            return None;
        }
        let mut e = self.clone();
        if let Some(artist) = e.artist_mut() {
            artist.rate = None;
        }
        Some(e)
    }

    /// [`Event::artist`], to change.
    fn artist_mut(&mut self) -> Option<&mut Artist> {
        match self {
            Self::ArtistCreated { artist }
            | Self::ArtistUpdated { artist }
            | Self::ArtistArchived { artist }
            | Self::TimeOffRequested { artist, .. }
            | Self::TimeOffDecided { artist, .. }
            | Self::TimeOffCancelled { artist, .. } => Some(artist),
            _ => None,
        }
    }

    /// The one user a notification event is for (it goes to nobody else).
    pub fn addressee(&self) -> Option<UserId> {
        match self {
            Self::NotificationCreated { notification } => Some(notification.user_id),
            Self::NotificationsRead { user_id, .. } => Some(*user_id),
            _ => None,
        }
    }

    /// The project this event is about or belongs to (not a booking's project).
    pub fn project_id(&self) -> Option<ProjectId> {
        match self {
            Self::ProjectCreated { project } | Self::ProjectUpdated { project } | Self::ProjectArchived { project } => {
                Some(project.id)
            }
            Self::PhaseCreated { phase } | Self::PhaseUpdated { phase } | Self::PhaseDeleted { phase } => {
                Some(phase.project_id)
            }
            Self::DependencyAdded { dependency } | Self::DependencyRemoved { dependency } => {
                Some(dependency.project_id)
            }
            Self::MilestoneCreated { milestone }
            | Self::MilestoneUpdated { milestone }
            | Self::MilestoneDeleted { milestone } => Some(milestone.project_id),
            _ => None,
        }
    }
}

/// An event with its place in the tenant's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EventEnvelope {
    /// Tenant-wide, gap-free, strictly increasing.
    pub seq: u64,
    /// The command that caused it.
    pub cmd_id: CmdId,
    pub at: Timestamp,
    /// Who acted: a user id, an API token, or `system:<what>`.
    pub by: String,
    pub event: Event,
}
