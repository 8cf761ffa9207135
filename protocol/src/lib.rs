//! # pt-protocol — the vocabulary every other crate speaks
//!
//! ## Layout
//! * [`ids`] — newtype ids (`TenantId`, `ArtistId`, `BookingId`, …) from one macro.
//! * [`time`] — [`Timestamp`] (UTC microseconds) and half-open [`TimeRange`].
//! * [`artist`] / [`booking`] — entity states as they travel on the wire and in events.
//! * [`availability`] — working hours, time off, holidays, unavailability reasons.
//! * [`profile`] — artist profiles (bio, skill levels, portfolio, day rate).
//! * [`day`] — [`Day`], a calendar date (`YYYY-MM-DD`) for day-granular plans.
//! * [`project`] / [`project_command`] — projects, phases, dependencies,
//!   milestones, schedules, and what clients ask of them.
//! * [`command`] — what a client asks for (create, update, transition …).
//! * [`event`] — what happened, in tenant-wide `seq` order.
//! * [`job`] — the job marketplace: listings, applications, matches.
//! * [`notification`] — what a person is told about a change that concerns them.
//! * [`error`] — stable error codes and their details.
//! * [`ws`] — the realtime protocol: client and server frames, views, presence, the codec.
//! * `openapi` (feature `openapi`, the server's) — OpenAPI schemas of constrained strings.
//!   The wire types derive `utoipa::ToSchema` only with that feature: HTTP
//!   documentation is the server's concern, not the wire's.
//!
//! ## One encoding choice, made once
//! Timestamps are RFC 3339 strings in human-readable formats (JSON) and i64
//! microseconds since the Unix epoch in binary formats (MessagePack); see
//! [`time::Timestamp`]. Field names are camelCase everywhere.
//!
//! Nothing here knows about actors, sockets or SQL.

pub mod artist;
pub mod availability;
pub mod booking;
pub mod command;
pub mod day;
pub mod error;
pub mod event;
pub mod ids;
pub mod job;
pub mod notification;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod profile;
pub mod project;
pub mod project_command;
pub mod report;
pub mod time;
pub mod ws;

pub use artist::Artist;
pub use availability::{
    ArtistMatch, Holiday, NewTimeOff, TimeOff, TimeOffDecision, TimeOffEntry, TimeOffKind, TimeOffStatus,
    Unavailability, UnavailableReason, WorkingInterval,
};
pub use booking::{Booking, BookingStatus};
pub use command::{ArtistPatch, BookingAnswer, BookingPatch, NewArtist, NewBooking};
pub use day::Day;
pub use error::{ErrorCode, FieldError};
pub use event::{Event, EventEnvelope};
pub use ids::{ArtistId, BookingId, CmdId, DependencyId, MilestoneId, PhaseId, ProjectId, TenantId, TimeOffId, UserId};
pub use notification::{Notification, NotificationId, NotificationKind};
pub use profile::{ArtistProfile, DayRate, PortfolioKind, PortfolioLink, ProfilePatch, ProfileView, SkillLevel};
pub use project::{Dependency, DependencyKind, Milestone, Phase, Project, ProjectPlan, ProjectStatus, ReplanMode};
pub use time::{TimeRange, Timestamp};

/// The tenant used when a request names none (until authentication lands).
pub const DEMO_TENANT_ID: TenantId = TenantId(uuid::Uuid::from_u128(0xde30_0000_0000_4000_8000_0000_0000_0001));

/// FNV-1a 64: a tiny hash that is stable across processes, platforms and
/// versions, for values that are stored and compared later (request hashes,
/// snapshot checksums). Not cryptographic.
pub fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
