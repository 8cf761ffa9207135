//! The realtime protocol over one WebSocket at `/api/v1/ws`.
//!
//! Every frame is binary: one MessagePack map (rmp-serde `to_vec_named`), an
//! internally tagged enum whose `type` names the frame. Text frames are refused
//! with an [`ServerFrame::Error`] and the connection stays usable. Field names
//! are camelCase; ids are UUID strings; instants are i64 microseconds since the
//! Unix epoch (see [`crate::time`]).
//!
//! Tags are never reused: a change to this file is additive, and
//! [`PROTOCOL_VERSION`] goes up when it is not.

use crate::artist::Artist;
use crate::availability::{NewTimeOff, TimeOff, TimeOffDecision};
use crate::booking::{Booking, BookingStatus};
use crate::command::{ArtistPatch, BookingAnswer, BookingPatch, NewArtist, NewBooking};
use crate::error::ErrorCode;
use crate::event::EventEnvelope;
use crate::ids::{ArtistId, BookingId, CmdId, DependencyId, MilestoneId, PhaseId, ProjectId, TenantId, TimeOffId};
use crate::profile::ProfilePatch;
use crate::project::{Dependency, DependencyChange, Milestone, PhaseChange, Project, ProjectPlan};
use crate::project_command::{
    MilestonePatch, NewDependency, NewMilestone, NewPhase, NewProject, PhasePatch, ProjectPatch,
};
use crate::time::TimeRange;
use serde::{Deserialize, Serialize};

/// The version this build speaks.
/// 2: `unavailable` means the artist does not work the range; the store being
/// unreachable is `service_unavailable`; artists' `timeOff` entries are objects
/// with ids and statuses.
pub const PROTOCOL_VERSION: u32 = 2;
/// Every version this build accepts in `Hello`.
pub const SUPPORTED_VERSIONS: &[u32] = &[2];

/// A subscription's id, chosen by the client, unique per connection.
pub type SubId = u32;
/// A connection, as named in presence.
pub type SessionId = String;

/// Frames a client sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum ClientFrame {
    /// First frame of a connection. Answered by `Welcome`, or by `Error`
    /// (`unsupported_version`, `unauthorized`) and a close.
    Hello {
        protocol_version: u32,
        /// The bearer token: an access token from `/api/v1/auth/login`, an
        /// API token (`pt_…`) or an OIDC provider's JWT. It picks the studio
        /// and the role. Missing or invalid: `Error { unauthenticated }`, then
        /// `Goodbye`. The session closes with `Goodbye { unauthenticated }`
        /// when the token expires or its login session is revoked.
        token: String,
        /// Default `resumeFromSeq` for every `Subscribe` of this connection.
        #[ts(optional)]
        resume_from_seq: Option<u64>,
    },
    /// A command. Answered by `Accepted` (decided and sequenced) or `Rejected`;
    /// its durability is announced by the `Durable` watermark. Re-sending the
    /// same `cmdId` returns the original outcome.
    Command { cmd_id: CmdId, command: Command },
    /// Watch a view. Answered by `Snapshot` (or, with `resumeFromSeq`, by the
    /// missed events), then `Event`s touching the view, in `seq` order.
    Subscribe {
        sub_id: SubId,
        view: View,
        /// Resume instead of a snapshot: every event after this `seq` touching the view.
        #[ts(optional)]
        resume_from_seq: Option<u64>,
    },
    /// Stop watching. Answered by `Unsubscribed`.
    Unsubscribe { sub_id: SubId },
    /// Set this connection's presence state in a subscribed view (coalesced:
    /// at most 20 updates per second reach others). Answered by nothing.
    Presence { sub_id: SubId, state: PresenceState },
    /// Application-level keepalive. Answered by `Pong` with the same nonce.
    Ping { nonce: u64 },
}

/// What a client asks for over the socket: the REST writes, one variant each,
/// decided by the server's one command layer whichever transport carries them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum Command {
    CreateArtist {
        artist: NewArtist,
    },
    UpdateArtist {
        id: ArtistId,
        patch: ArtistPatch,
    },
    ArchiveArtist {
        id: ArtistId,
    },
    /// `artists:update`, or a freelancer for their own artist (not the rate).
    UpdateArtistProfile {
        artist_id: ArtistId,
        patch: ProfilePatch,
    },
    /// A freelancer for their own artist (`requested`); an owner or manager
    /// for any artist (`approved` at once).
    RequestTimeOff {
        artist_id: ArtistId,
        time_off: NewTimeOff,
    },
    /// Owners and managers: approve or decline a `requested` entry.
    DecideTimeOff {
        id: TimeOffId,
        decision: TimeOffDecision,
    },
    /// Withdraw a request (its freelancer, or a manager) or take back
    /// approved time off (a manager).
    CancelTimeOff {
        id: TimeOffId,
    },
    CreateBooking {
        booking: NewBooking,
    },
    UpdateBooking {
        id: BookingId,
        patch: BookingPatch,
    },
    /// Change the status (`bookings:update`): `hold → pencil → confirmed`,
    /// any active status → `cancelled`, `hold → expired`.
    TransitionBooking {
        id: BookingId,
        version: u64,
        to: BookingStatus,
        /// To pencil or confirmed over time off, a holiday or non-working hours anyway.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        allow_overtime: Option<bool>,
    },
    /// Cancel a booking (`bookings:update`); without `version`, the current
    /// one. A booking already cancelled or expired answers its current state
    /// (`Accepted` at the studio's current `seq`, nothing changes).
    CancelBooking {
        id: BookingId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        version: Option<u64>,
    },
    /// Answer a booking offered to you (`bookings:respond`; a hold or pencil
    /// of your own artist): `accept` confirms it, `decline` cancels it.
    RespondToBooking {
        id: BookingId,
        response: BookingAnswer,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        version: Option<u64>,
    },
    /// Challenge the 1st hold `id` (`bookings:update`) with `by`, a hold of
    /// another project behind it on the same artist and slot: `id`'s holder
    /// gets until the challenge deadline (24 h, or sooner if the hold lapses
    /// sooner) to confirm or release; then `id` lapses and `by` moves up.
    ChallengeHold {
        id: BookingId,
        by: BookingId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        version: Option<u64>,
    },
    /// Mark the sender's own notifications read: `ids`, or every unread one
    /// when `ids` is absent. Any signed-in member; nobody else's.
    ReadNotifications {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        ids: Option<Vec<crate::notification::NotificationId>>,
    },
    /// Post a listing (`jobs:manage`).
    CreateJob {
        job: crate::job::NewJob,
    },
    /// `jobs:manage`.
    UpdateJob {
        id: crate::job::JobId,
        patch: crate::job::JobPatch,
    },
    /// Remove a draft listing (`jobs:manage`); a listing once open is closed instead.
    DeleteJob {
        id: crate::job::JobId,
    },
    /// Apply (`jobs:apply`): to a listing of the studio you are signed in
    /// to, or to a public listing of any studio.
    ApplyToJob {
        job_id: crate::job::JobId,
        application: crate::job::NewApplication,
    },
    /// Move an application: the listing's studio (`jobs:manage`) shortlists,
    /// offers or rejects; the applicant withdraws, accepts (which pencils
    /// them in) or declines.
    TransitionApplication {
        id: crate::job::ApplicationId,
        to: crate::job::ApplicationStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        version: Option<u64>,
    },
    /// `projects:write`.
    CreateProject {
        project: NewProject,
    },
    UpdateProject {
        id: ProjectId,
        patch: ProjectPatch,
    },
    /// Sets the status `archived`; the project takes no new bookings.
    ArchiveProject {
        id: ProjectId,
    },
    CreatePhase {
        project_id: ProjectId,
        phase: NewPhase,
    },
    /// Edit, move or resize (`patch.mode`: `push` or `strict`).
    UpdatePhase {
        id: PhaseId,
        patch: PhasePatch,
    },
    /// Also removes the phase's dependencies and unlinks its milestones;
    /// refused while active bookings name the phase.
    DeletePhase {
        id: PhaseId,
    },
    AddDependency {
        project_id: ProjectId,
        dependency: NewDependency,
    },
    RemoveDependency {
        id: DependencyId,
    },
    CreateMilestone {
        project_id: ProjectId,
        milestone: NewMilestone,
    },
    UpdateMilestone {
        id: MilestoneId,
        patch: MilestonePatch,
    },
    DeleteMilestone {
        id: MilestoneId,
    },
}

/// A part of a studio a client watches.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum View {
    /// Everything in the studio.
    Tenant,
    /// One artist and their bookings.
    Artist { artist_id: ArtistId },
    /// One project: its plan (phases, dependencies, milestones) and its bookings.
    Project { project_id: ProjectId },
    /// A board window: some artists over a time range.
    Window { artist_ids: Vec<ArtistId>, range: TimeRange },
}

/// What one user is doing in a view; small and free-form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, optional_fields)]
pub struct PresenceState {
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What they are looking at (e.g. a route or a date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub looking_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_booking: Option<BookingId>,
    /// The booking they have open for editing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing_booking: Option<BookingId>,
    /// Cursor on the board, in board coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<Cursor>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Cursor {
    pub x: f64,
    pub y: f64,
}

/// One connection in a view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PresenceEntry {
    pub session_id: SessionId,
    pub state: PresenceState,
}

/// The result of an accepted command.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum CommandResult {
    Booking {
        booking: Booking,
    },
    Artist {
        artist: Artist,
    },
    TimeOff {
        time_off: TimeOff,
    },
    Project {
        project: Project,
    },
    /// A phase after the change, and the phases `push` moved.
    Phase {
        change: PhaseChange,
    },
    Dependency {
        change: DependencyChange,
    },
    /// A removed dependency, as it was.
    DependencyRemoved {
        dependency: Dependency,
    },
    Milestone {
        milestone: Milestone,
    },
    /// A listing after the change (or as it was, when deleted).
    Job {
        job: crate::job::JobListing,
    },
    Application {
        application: crate::job::JobApplication,
    },
    /// Notifications marked read.
    Read {
        receipt: crate::notification::ReadReceipt,
    },
}

/// A typed failure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
    /// As in the REST error envelope (`conflicts`, `freeWindows`, `currentVersion` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, unknown>")]
    pub details: Option<serde_json::Value>,
}

/// Frames the server sends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum ServerFrame {
    /// Answers `Hello`.
    Welcome {
        session_id: SessionId,
        protocol_version: u32,
        tenant: TenantId,
        /// The last `seq` assigned in this studio.
        server_seq: u64,
        /// Every change up to here is durable.
        durable_seq: u64,
    },
    /// Answers `Command`: decided and sequenced (not yet durable).
    Accepted { cmd_id: CmdId, seq: u64, result: CommandResult },
    /// Answers `Command`: refused (or, after `Accepted`, `reverted`).
    Rejected { cmd_id: CmdId, error: WireError },
    /// Every change with `seq ≤ durableSeq` is durable. Sent when it moves.
    Durable { durable_seq: u64 },
    /// Answers `Subscribe`: the view's state as of `seq`; events after it follow.
    Snapshot {
        sub_id: SubId,
        seq: u64,
        artists: Vec<Artist>,
        bookings: Vec<std::sync::Arc<Booking>>,
        presence: Vec<PresenceEntry>,
        /// The studio's projects (the tenant view: every project's plan; a
        /// project view: that one). Absent for artist and window views.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        #[ts(as = "Option<Vec<ProjectPlan>>", optional)]
        projects: Vec<ProjectPlan>,
    },
    /// Answers `Subscribe` with `resumeFromSeq`: nothing is re-sent; the missed
    /// events follow as `Event`s, then live ones. `seq` is the last missed
    /// event's `seq` (or `resumeFromSeq` when nothing was missed).
    Resumed { sub_id: SubId, seq: u64, presence: Vec<PresenceEntry> },
    /// An event touching one or more of this connection's subscriptions.
    /// Events arrive in `seq` order, each at most once per connection.
    Event { sub_ids: Vec<SubId>, event: EventEnvelope },
    /// Presence changes in a view since the last diff. A connection joins a
    /// view's presence (with an empty state) when it subscribes and leaves when
    /// it unsubscribes or disconnects; a state change arrives as a join of the
    /// same session with its new state (joins are upserts).
    PresenceDiff { sub_id: SubId, joins: Vec<PresenceEntry>, leaves: Vec<SessionId> },
    /// Answers `Unsubscribe`.
    Unsubscribed { sub_id: SubId },
    /// Answers `Ping`.
    Pong { nonce: u64 },
    /// A protocol error (bad frame, frame before `Hello`, too many subscriptions …).
    /// `subId` names the subscription a refused `Subscribe`/`Unsubscribe`/`Presence`
    /// was about. The connection stays open unless a `Goodbye` follows.
    Error {
        error: WireError,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        sub_id: Option<SubId>,
    },
    /// The server is closing this connection, and why (shutdown, slow consumer,
    /// unsupported version, heartbeat timeout).
    Goodbye { code: ErrorCode, reason: String },
}

/// The one codec: MessagePack with named fields.
pub mod codec {
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    pub fn encode<T: Serialize>(frame: &T) -> Vec<u8> {
        // Our frame types always serialize (no maps with non-string keys).
        rmp_serde::to_vec_named(frame).unwrap_or_default()
    }

    pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
        rmp_serde::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// `ServerFrame::Event { sub_ids, event }`, byte for byte as [`encode`]
    /// writes it, around an envelope encoded once with [`encode`]: a
    /// studio's event goes to many sessions, each with its own `sub_ids`,
    /// and re-encoding the envelope per session was most of the fan-out's
    /// own CPU. (The test `event_frames_match_the_serde_encoding` holds the
    /// two together.)
    pub fn encode_event_frame(sub_ids: &[super::SubId], envelope: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(envelope.len() + 24 + 5 * sub_ids.len());
        out.push(0x83); // a map of 3 entries
        out.extend_from_slice(b"\xa4type\xa5event\xa6subIds");
        match sub_ids.len() {
            n @ 0..=15 => out.push(0x90 | n as u8),
            n @ 16..=0xffff => {
                out.push(0xdc);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                out.push(0xdd);
                out.extend_from_slice(&(n as u32).to_be_bytes());
            }
        }
        for &id in sub_ids {
            match id {
                0..=0x7f => out.push(id as u8),
                0x80..=0xff => out.extend_from_slice(&[0xcc, id as u8]),
                0x100..=0xffff => {
                    out.push(0xcd);
                    out.extend_from_slice(&(id as u16).to_be_bytes());
                }
                _ => {
                    out.push(0xce);
                    out.extend_from_slice(&id.to_be_bytes());
                }
            }
        }
        out.extend_from_slice(b"\xa5event");
        out.extend_from_slice(envelope);
        out
    }
}
