// @production-tool/client: the TypeScript client of Production Tool's
// realtime protocol (MessagePack over one WebSocket at /api/v1/ws).
//
// Layout:
// * `client.ts` — `connect()`, the `Client`: commands, subscriptions, and the
//   server's answers to them;
// * `connection.ts` — the socket under a `Client`: token, `hello` handshake,
//   keepalive, reconnect with backoff;
// * `options.ts` — `ConnectOptions`, `ClientState`, `ClientEvents` and defaults;
// * `commands.ts` — the ledger of commands between sending and their final
//   word (`accepted` → `durable`, or `rejected`), re-sent after reconnects;
// * `subscription.ts` — a watched view's materialized state, optimistic
//   overlays, presence;
// * `projects.ts` — which project plans a view holds; project events applied to them;
// * `notifications.ts` — the signed-in user's notification events: not a
//   view's, passed on once as the client's `notification` / `notificationsRead`;
// * `view.ts` — which bookings belong to a view; expected command results;
// * `codec.ts` — the MessagePack codec (byte-identical to the server's);
// * `uuid.ts` — UUID v7 command ids; `socket.ts`, `emitter.ts`, `errors.ts`;
// * `generated/` — the wire types (ts-rs) and `PROTOCOL_VERSION`, generated
//   from the Rust protocol crate by `cargo test -p pt-protocol`.

export {
  connect,
  Client,
  PROTOCOL_VERSION,
  PING_EVERY_MS,
  type ClientEvents,
  type ClientState,
  type ConnectOptions,
  type ReconnectOptions,
  type SubscribeOptions,
} from "./client.js";
export type {
  Accepted,
  ArtistAccepted,
  BookingAccepted,
  CommandPromise,
  DependencyAccepted,
  DependencyRemovedAccepted,
  MilestoneAccepted,
  PhaseAccepted,
  ProjectAccepted,
  ReadAccepted,
  TimeOffAccepted,
} from "./commands.js";
export { isNotificationEvent, type NotificationEvent, type NotificationEvents, type NotificationsRead, type ViewEvent } from "./notifications.js";
export { applyPlanEvent, eventProjectId, planInView } from "./projects.js";
export { Subscription, PRESENCE_MAX_PER_SECOND, type Change, type ChangeCause, type ChangeListener } from "./subscription.js";
export { CommandError, ConnectionClosedError, HandshakeError, SubscriptionError } from "./errors.js";
export { bookingInView, expectedCreate, expectedTransition, expectedUpdate, nowMicros } from "./view.js";
export { decode, decodeClientFrame, decodeServerFrame, encode, encodeClientFrame, FrameDecodeError } from "./codec.js";
export { uuidv7 } from "./uuid.js";
export type { WebSocketConstructor, WebSocketLike } from "./socket.js";

export type { Artist } from "./generated/Artist.js";
export type { ArtistId } from "./generated/ArtistId.js";
export type { ArtistPatch } from "./generated/ArtistPatch.js";
export type { Booking } from "./generated/Booking.js";
export type { BookingId } from "./generated/BookingId.js";
export type { BookingPatch } from "./generated/BookingPatch.js";
export type { BookingAnswer } from "./generated/BookingAnswer.js";
export type { BookingStatus } from "./generated/BookingStatus.js";
export type { BookingView } from "./generated/BookingView.js";
export type { CheckAvailability } from "./generated/CheckAvailability.js";
export type { ClientFrame } from "./generated/ClientFrame.js";
export type { CmdId } from "./generated/CmdId.js";
export type { Command } from "./generated/Command.js";
export type { CommandResult } from "./generated/CommandResult.js";
export type { Cursor } from "./generated/Cursor.js";
export type { ErrorCode } from "./generated/ErrorCode.js";
export type { Event } from "./generated/Event.js";
export type { EventEnvelope } from "./generated/EventEnvelope.js";
export type { FieldError } from "./generated/FieldError.js";
export type { NewArtist } from "./generated/NewArtist.js";
export type { NewBooking } from "./generated/NewBooking.js";
export type { Notification } from "./generated/Notification.js";
export type { NotificationId } from "./generated/NotificationId.js";
export type { NotificationKind } from "./generated/NotificationKind.js";
export type { NotificationPage } from "./generated/NotificationPage.js";
export type { ReadReceipt } from "./generated/ReadReceipt.js";
export type { UserId } from "./generated/UserId.js";
export type { PresenceEntry } from "./generated/PresenceEntry.js";
export type { PresenceState } from "./generated/PresenceState.js";
export type { ProjectId } from "./generated/ProjectId.js";
export type { Dependency } from "./generated/Dependency.js";
export type { DependencyChange } from "./generated/DependencyChange.js";
export type { DependencyId } from "./generated/DependencyId.js";
export type { DependencyKind } from "./generated/DependencyKind.js";
export type { Granularity } from "./generated/Granularity.js";
export type { Milestone } from "./generated/Milestone.js";
export type { MilestoneId } from "./generated/MilestoneId.js";
export type { MilestonePatch } from "./generated/MilestonePatch.js";
export type { NewDependency } from "./generated/NewDependency.js";
export type { NewMilestone } from "./generated/NewMilestone.js";
export type { NewPhase } from "./generated/NewPhase.js";
export type { NewProject } from "./generated/NewProject.js";
export type { Phase } from "./generated/Phase.js";
export type { PhaseChange } from "./generated/PhaseChange.js";
export type { PhaseId } from "./generated/PhaseId.js";
export type { PhaseMove } from "./generated/PhaseMove.js";
export type { PhasePatch } from "./generated/PhasePatch.js";
export type { Project } from "./generated/Project.js";
export type { ProjectPatch } from "./generated/ProjectPatch.js";
export type { ProjectPlan } from "./generated/ProjectPlan.js";
export type { ProjectStatus } from "./generated/ProjectStatus.js";
export type { ReplanMode } from "./generated/ReplanMode.js";
export type { Schedule } from "./generated/Schedule.js";
export type { ScheduledPhase } from "./generated/ScheduledPhase.js";
export type { SkillEffort } from "./generated/SkillEffort.js";
export type { Utilization } from "./generated/Utilization.js";
export type { UtilizationCell } from "./generated/UtilizationCell.js";
export type { UtilizationRow } from "./generated/UtilizationRow.js";
export type { Violation } from "./generated/Violation.js";
export type { Allocation } from "./generated/Allocation.js";
export type { AllocationRow } from "./generated/AllocationRow.js";
export type { AllocationStatus } from "./generated/AllocationStatus.js";
export type { ServerFrame } from "./generated/ServerFrame.js";
export type { TenantId } from "./generated/TenantId.js";
export type { TimeRange } from "./generated/TimeRange.js";
export type { ArtistMatch } from "./generated/ArtistMatch.js";
export type { NewTimeOff } from "./generated/NewTimeOff.js";
export type { SkillLevel } from "./generated/SkillLevel.js";
export type { TimeOff } from "./generated/TimeOff.js";
export type { TimeOffDecision } from "./generated/TimeOffDecision.js";
export type { TimeOffEntry } from "./generated/TimeOffEntry.js";
export type { TimeOffId } from "./generated/TimeOffId.js";
export type { TimeOffKind } from "./generated/TimeOffKind.js";
export type { TimeOffStatus } from "./generated/TimeOffStatus.js";
export type { Unavailability } from "./generated/Unavailability.js";
export type { UnavailableDetails } from "./generated/UnavailableDetails.js";
export type { UnavailableReason } from "./generated/UnavailableReason.js";
export type { WorkingInterval } from "./generated/WorkingInterval.js";
export type { Timestamp } from "./generated/Timestamp.js";
export type { Transition } from "./generated/Transition.js";
export type { View } from "./generated/View.js";
export type { WireError } from "./generated/WireError.js";
