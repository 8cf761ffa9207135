//! # The one command path
//!
//! Every write — from REST or from the WebSocket — runs through [`execute`]:
//!
//! ```text
//! transport adapter            command layer (here)                       actors
//! ─────────────────            ─────────────────────────────────────      ──────────────
//! decode the request    ──▶    authorize (role, ownership: access.rs) ──▶ owning actor decides
//! authenticate (token)         validate what needs current state          log sequences, writer
//! build the CmdInput           dispatch to the owning actor               persists, broadcast
//! encode the answer     ◀──    answer: Decision (accepted / unchanged)
//! ```
//!
//! The adapters (`crate::routes`, `crate::ws`) only translate their transport
//! to a [`Command`] plus a [`CmdInput`] and a [`Decision`] back to their
//! transport; a permission rule, a validation or a default lives once, in the
//! file of its aggregate ([`bookings`], [`artists`], [`availability`], [`projects`], [`notifications`], [`jobs`]). A new aggregate adds a
//! file here and its variants to [`Command`], and nothing in the adapters.
//! `server/tests/command_equivalence.rs` runs every command kind × role over
//! both transports and expects the same decision and error code.

pub mod access;
pub mod artists;
pub mod availability;
pub mod bookings;
pub mod job_accept;
pub mod job_alerts;
pub mod jobs;
pub mod notifications;
pub mod projects;

use crate::AppState;
use crate::auth::service::Authenticated;
use crate::error::ApiError;
use pt_actors::{Accepted, CmdInput, Tenant};
use pt_protocol::Artist;
use pt_protocol::booking::BookingView;
pub use pt_protocol::ws::Command;

/// What a command is run with: the server's services, who sends it (already
/// authenticated by the adapter) and their studio.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub state: &'a AppState,
    pub who: &'a Authenticated,
    pub tenant: &'a Tenant,
}

/// The answer to an authorized, valid command.
#[derive(Debug)]
pub enum Decision<T> {
    /// Decided and sequenced; its durability follows (REST waits for it, the
    /// WebSocket announces it with the watermark).
    Accepted(Accepted<T>),
    /// Nothing to change (cancelling a booking that is no longer active): the
    /// current state, with no new event.
    Unchanged(T),
}

/// A command's answer, by aggregate.
#[derive(Debug)]
pub enum Done {
    Booking(Decision<BookingView>),
    Artist(Decision<Artist>),
    /// Projects, phases, dependencies, milestones: the result as the WebSocket sends it.
    Project(Decision<pt_protocol::ws::CommandResult>),
    TimeOff(Decision<pt_protocol::TimeOffEntry>),
    Read(Decision<pt_protocol::notification::ReadReceipt>),
    /// Listings and applications, with the studio the command ran in.
    Job(jobs::JobDone),
}

/// Runs one command: authorize → validate → dispatch → answer. Refusals are
/// typed [`ApiError`]s (`forbidden` naming the missing permission,
/// `not_found` for ids the caller may not see, `invalid`, `conflict` …).
pub async fn execute(cx: Ctx<'_>, command: Command, input: CmdInput) -> Result<Done, ApiError> {
    let kind = kind(&command);
    let done = match command {
        Command::CreateArtist { .. } | Command::UpdateArtist { .. } | Command::ArchiveArtist { .. } => {
            artists::execute(cx, command, input).await.map(Done::Artist)
        }
        Command::UpdateArtistProfile { .. }
        | Command::RequestTimeOff { .. }
        | Command::DecideTimeOff { .. }
        | Command::CancelTimeOff { .. } => availability::execute(cx, command, input).await,
        Command::CreateBooking { .. }
        | Command::UpdateBooking { .. }
        | Command::TransitionBooking { .. }
        | Command::CancelBooking { .. }
        | Command::RespondToBooking { .. }
        | Command::ChallengeHold { .. } => bookings::execute(cx, command, input).await.map(Done::Booking),
        Command::ReadNotifications { .. } => notifications::execute(cx, command, input).await.map(Done::Read),
        Command::CreateJob { .. }
        | Command::UpdateJob { .. }
        | Command::DeleteJob { .. }
        | Command::ApplyToJob { .. }
        | Command::TransitionApplication { .. } => jobs::execute(cx, command, input).await.map(Done::Job),
        Command::CreateProject { .. }
        | Command::UpdateProject { .. }
        | Command::ArchiveProject { .. }
        | Command::CreatePhase { .. }
        | Command::UpdatePhase { .. }
        | Command::DeletePhase { .. }
        | Command::AddDependency { .. }
        | Command::RemoveDependency { .. }
        | Command::CreateMilestone { .. }
        | Command::UpdateMilestone { .. }
        | Command::DeleteMilestone { .. } => projects::execute(cx, command, input).await.map(Done::Project),
    };
    if let Err(e) = &done {
        tracing::debug!(actor = %cx.who.actor(), kind, code = %e.code, "command refused");
    }
    done
}

/// The command's kind as it appears on the wire (`createBooking` …), for logs.
pub fn kind(command: &Command) -> &'static str {
    match command {
        Command::CreateArtist { .. } => "createArtist",
        Command::UpdateArtist { .. } => "updateArtist",
        Command::ArchiveArtist { .. } => "archiveArtist",
        Command::UpdateArtistProfile { .. } => "updateArtistProfile",
        Command::RequestTimeOff { .. } => "requestTimeOff",
        Command::DecideTimeOff { .. } => "decideTimeOff",
        Command::CancelTimeOff { .. } => "cancelTimeOff",
        Command::CreateBooking { .. } => "createBooking",
        Command::UpdateBooking { .. } => "updateBooking",
        Command::TransitionBooking { .. } => "transitionBooking",
        Command::CancelBooking { .. } => "cancelBooking",
        Command::RespondToBooking { .. } => "respondToBooking",
        Command::ChallengeHold { .. } => "challengeHold",
        Command::ReadNotifications { .. } => "readNotifications",
        Command::CreateJob { .. } => "createJob",
        Command::UpdateJob { .. } => "updateJob",
        Command::DeleteJob { .. } => "deleteJob",
        Command::ApplyToJob { .. } => "applyToJob",
        Command::TransitionApplication { .. } => "transitionApplication",
        Command::CreateProject { .. } => "createProject",
        Command::UpdateProject { .. } => "updateProject",
        Command::ArchiveProject { .. } => "archiveProject",
        Command::CreatePhase { .. } => "createPhase",
        Command::UpdatePhase { .. } => "updatePhase",
        Command::DeletePhase { .. } => "deletePhase",
        Command::AddDependency { .. } => "addDependency",
        Command::RemoveDependency { .. } => "removeDependency",
        Command::CreateMilestone { .. } => "createMilestone",
        Command::UpdateMilestone { .. } => "updateMilestone",
        Command::DeleteMilestone { .. } => "deleteMilestone",
    }
}
