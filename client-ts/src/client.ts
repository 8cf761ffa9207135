// The realtime client: one WebSocket to `/api/v1/ws`, the handshake, commands
// with their two acknowledgements, subscriptions, presence, keepalive, and
// reconnect-with-resume. The socket, handshake, keepalive and backoff live in
// `connection.ts`; this file is what a caller holds: commands, views, and the
// frames that answer them.
//
// Guarantees a caller can rely on (given the server's: events in `seq` order,
// a known `cmdId` answered with its original outcome):
// * a command's promise settles exactly once: `accepted` (then `durable`
//   settles later) or `rejected`, however many reconnects happen in between,
//   because unanswered commands are re-sent with the same `cmdId`;
// * after a reconnect every live subscription resumes from the last `seq` it
//   applied, so it neither misses nor re-applies an event and gets no snapshot;
// * only `close()`, `reconnect: false`, or a handshake refusal that retrying
//   cannot fix (e.g. an unsupported protocol version) end the client.

import {
  CommandLedger,
  type Accepted,
  type ArtistAccepted,
  type BookingAccepted,
  type CommandPromise,
  type DependencyAccepted,
  type DependencyRemovedAccepted,
  type MilestoneAccepted,
  type PhaseAccepted,
  type ProjectAccepted,
  type ReadAccepted,
  type TimeOffAccepted,
} from "./commands.js";
import { Connection } from "./connection.js";
import { Emitter } from "./emitter.js";
import { ConnectionClosedError, SubscriptionError } from "./errors.js";
import type { ArtistId } from "./generated/ArtistId.js";
import type { ArtistPatch } from "./generated/ArtistPatch.js";
import type { Booking } from "./generated/Booking.js";
import type { BookingAnswer } from "./generated/BookingAnswer.js";
import type { BookingId } from "./generated/BookingId.js";
import type { BookingPatch } from "./generated/BookingPatch.js";
import type { BookingStatus } from "./generated/BookingStatus.js";
import type { ClientFrame } from "./generated/ClientFrame.js";
import type { CmdId } from "./generated/CmdId.js";
import type { Command } from "./generated/Command.js";
import type { CommandResult } from "./generated/CommandResult.js";
import type { NewArtist } from "./generated/NewArtist.js";
import type { NewBooking } from "./generated/NewBooking.js";
import type { NewTimeOff } from "./generated/NewTimeOff.js";
import type { NotificationId } from "./generated/NotificationId.js";
import type { TimeOffDecision } from "./generated/TimeOffDecision.js";
import type { TimeOffId } from "./generated/TimeOffId.js";
import type { DependencyId } from "./generated/DependencyId.js";
import type { MilestoneId } from "./generated/MilestoneId.js";
import type { MilestonePatch } from "./generated/MilestonePatch.js";
import type { NewDependency } from "./generated/NewDependency.js";
import type { NewMilestone } from "./generated/NewMilestone.js";
import type { NewPhase } from "./generated/NewPhase.js";
import type { NewProject } from "./generated/NewProject.js";
import type { PhaseId } from "./generated/PhaseId.js";
import type { PhasePatch } from "./generated/PhasePatch.js";
import type { ProjectId } from "./generated/ProjectId.js";
import type { ProjectPatch } from "./generated/ProjectPatch.js";
import type { ServerFrame } from "./generated/ServerFrame.js";
import type { TenantId } from "./generated/TenantId.js";
import type { View } from "./generated/View.js";
import type { WireError } from "./generated/WireError.js";
import { NotificationRelay } from "./notifications.js";
import { errorText, type ClientEvents, type ClientState, type ConnectOptions } from "./options.js";
import { closeGracefully, resolveWebSocket, type WebSocketConstructor } from "./socket.js";
import { Subscription, type SubscriptionHost } from "./subscription.js";
import { uuidv7 } from "./uuid.js";
import { expectedChange } from "./view.js";

// Generated from the Rust protocol crate (protocol/tests/ts_constants.rs): never copied by hand.
export { PROTOCOL_VERSION } from "./generated/version.js";
export { PING_EVERY_MS, type ClientEvents, type ClientState, type ConnectOptions, type ReconnectOptions } from "./options.js";

/** Connects and completes the handshake; resolves once the server said `welcome`. */
export async function connect(url: string, options: ConnectOptions): Promise<Client> {
  const ctor = await resolveWebSocket(options.WebSocket);
  const client = new Client(url, ctor, options);
  await client._start();
  return client;
}

/** How `Client.subscribe` starts a view. */
export interface SubscribeOptions {
  /** Start at this `seq` without a snapshot: only the later events arrive. */
  fromSeq?: number;
}

export class Client implements SubscriptionHost {
  readonly url: string;
  state: ClientState = "connecting";
  /** This connection's name in presence (changes with every reconnect). */
  sessionId = "";
  tenant: TenantId = "";
  /** The highest `seq` this client has heard of. */
  serverSeq = 0;
  /** Every change up to here is durable. */
  durableSeq = 0;

  /** The socket, handshake, keepalive and reconnects. */
  private readonly connection: Connection;
  private nextSubId = 1;
  private startResolve: (() => void) | undefined;
  private startReject: ((e: unknown) => void) | undefined;

  /** Commands not yet settled for good: unanswered, or accepted and not yet durable. */
  private readonly ledger = new CommandLedger();
  private readonly subs = new Map<number, Subscription>();
  private readonly unsubWaiters = new Map<number, () => void>();
  private readonly events = new Emitter<ClientEvents>();
  /** Passes each notification event on once (`notifications.ts`), as this client's events. */
  private readonly notifications = new NotificationRelay();
  private readonly notificationSink = {
    notification: (n: ClientEvents["notification"]) => this.emit("notification", n),
    notificationsRead: (r: ClientEvents["notificationsRead"]) => this.emit("notificationsRead", r),
  };

  /** @internal Use `connect()`. */
  constructor(url: string, ctor: WebSocketConstructor, options: ConnectOptions) {
    this.url = url;
    this.connection = new Connection(url, ctor, options, {
      frame: (frame) => this.handle(frame),
      badFrame: (error) => this.emit("error", error),
      lost: () => this.resolveUnsubWaiters(),
      reconnecting: () => this.setState("reconnecting"),
      gaveUp: (reason) => this.shutDown(reason),
    });
  }

  /** @internal Opens the first connection; settles on `welcome` or a failure. */
  _start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.startResolve = resolve;
      this.startReject = reject;
      this.connection.open();
    });
  }

  // ---- public API ----------------------------------------------------------

  /**
   * Listens to `state`, `welcome`, `error`, `goodbye`, `notification` or
   * `notificationsRead`; returns a function that stops listening.
   */
  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Commands sent and not yet answered (`accepted` or `rejected`). */
  get unanswered(): number {
    return this.ledger.unanswered;
  }

  /**
   * Watches a view. Its state fills in with the snapshot (`await sub.ready`).
   *
   * With `options.fromSeq` there is no snapshot: the view starts empty at
   * that `seq` and only the events after it arrive (the server answers as it
   * does a resume). For a caller that has the view's state from elsewhere
   * (REST) as of `fromSeq` or later, e.g. the welcome's `serverSeq`.
   *
   * Commands sent before and still unanswered show their optimistic change in
   * the new view too, as they do in the views that existed when they were sent.
   */
  subscribe(view: View, options: SubscribeOptions = {}): Subscription {
    if (this.state === "closed") throw new ConnectionClosedError("the client is closed");
    const sub = new Subscription(this, this.nextSubId++, view);
    if (options.fromSeq !== undefined) sub._startAt(options.fromSeq);
    this.subs.set(sub.subId, sub);
    for (const c of this.ledger.unansweredCommands()) {
      const change = expectedChange(c.cmdId, c.command, (id) => this.knownBooking(id));
      if (change) sub._optimistic(c.cmdId, change.key, change.apply);
    }
    this._sendFrame(sub._subscribeFrame());
    return sub;
  }

  /**
   * Sends any command. Booking commands also change every matching
   * subscription's state at once (optimistically) until the server answers.
   */
  send(command: Command): CommandPromise<Accepted> {
    return this.sendCommand(command);
  }

  createBooking(booking: NewBooking): CommandPromise<BookingAccepted> {
    return this.sendCommand({ kind: "createBooking", booking }) as CommandPromise<BookingAccepted>;
  }

  updateBooking(id: BookingId, patch: BookingPatch): CommandPromise<BookingAccepted> {
    return this.sendCommand({ kind: "updateBooking", id, patch }) as CommandPromise<BookingAccepted>;
  }

  /** `allowOvertime`: to pencil or confirmed over time off, a holiday or non-working hours anyway. */
  transitionBooking(id: BookingId, version: number, to: BookingStatus, allowOvertime?: boolean): CommandPromise<BookingAccepted> {
    const command: Command =
      allowOvertime === undefined ? { kind: "transitionBooking", id, version, to } : { kind: "transitionBooking", id, version, to, allowOvertime };
    return this.sendCommand(command) as CommandPromise<BookingAccepted>;
  }

  /** Cancel a booking; without `version`, the current one. A booking no longer active is answered as it is. */
  cancelBooking(id: BookingId, version?: number): CommandPromise<BookingAccepted> {
    const command: Command = version === undefined ? { kind: "cancelBooking", id } : { kind: "cancelBooking", id, version };
    return this.sendCommand(command) as CommandPromise<BookingAccepted>;
  }

  /** A freelancer's answer to a hold or pencil offered to them: `accept` confirms it, `decline` cancels it. */
  respondToBooking(id: BookingId, response: BookingAnswer, version?: number): CommandPromise<BookingAccepted> {
    const command: Command =
      version === undefined ? { kind: "respondToBooking", id, response } : { kind: "respondToBooking", id, response, version };
    return this.sendCommand(command) as CommandPromise<BookingAccepted>;
  }

  /**
   * Challenge the 1st hold `id` with `by`, a later hold of another project on
   * its slot: its holder has until the answer's `expiresAt` (24 h at most) to
   * confirm or release, else it lapses and the holds behind move up.
   */
  challengeHold(id: BookingId, by: BookingId, version?: number): CommandPromise<BookingAccepted> {
    const command: Command = version === undefined ? { kind: "challengeHold", id, by } : { kind: "challengeHold", id, by, version };
    return this.sendCommand(command) as CommandPromise<BookingAccepted>;
  }

  createArtist(artist: NewArtist): CommandPromise<ArtistAccepted> {
    return this.sendCommand({ kind: "createArtist", artist }) as CommandPromise<ArtistAccepted>;
  }

  updateArtist(id: ArtistId, patch: ArtistPatch): CommandPromise<ArtistAccepted> {
    return this.sendCommand({ kind: "updateArtist", id, patch }) as CommandPromise<ArtistAccepted>;
  }

  archiveArtist(id: ArtistId): CommandPromise<ArtistAccepted> {
    return this.sendCommand({ kind: "archiveArtist", id }) as CommandPromise<ArtistAccepted>;
  }

  // Time-off commands have no optimistic state either: the artist (with all
  // its entries) comes back in a `timeOffRequested`, `timeOffDecided` or
  // `timeOffCancelled` event, which views apply like `artistUpdated`.

  /** A freelancer, for their own artist: a `requested` entry; an owner or manager: `approved` at once. */
  requestTimeOff(artistId: ArtistId, timeOff: NewTimeOff): CommandPromise<TimeOffAccepted> {
    return this.sendCommand({ kind: "requestTimeOff", artistId, timeOff }) as CommandPromise<TimeOffAccepted>;
  }

  /** An owner's or manager's answer to a `requested` entry. */
  decideTimeOff(id: TimeOffId, decision: TimeOffDecision): CommandPromise<TimeOffAccepted> {
    return this.sendCommand({ kind: "decideTimeOff", id, decision }) as CommandPromise<TimeOffAccepted>;
  }

  /** An owner or manager: any requested or approved entry; a freelancer: withdraws their own `requested` one. */
  cancelTimeOff(id: TimeOffId): CommandPromise<TimeOffAccepted> {
    return this.sendCommand({ kind: "cancelTimeOff", id }) as CommandPromise<TimeOffAccepted>;
  }

  // Project commands have no optimistic state: a view's plans change with
  // the server's events (the answer to the command arrives first).

  createProject(project: NewProject): CommandPromise<ProjectAccepted> {
    return this.sendCommand({ kind: "createProject", project }) as CommandPromise<ProjectAccepted>;
  }

  updateProject(id: ProjectId, patch: ProjectPatch): CommandPromise<ProjectAccepted> {
    return this.sendCommand({ kind: "updateProject", id, patch }) as CommandPromise<ProjectAccepted>;
  }

  /** Sets the status `archived`: the project stays readable and takes no new bookings. */
  archiveProject(id: ProjectId): CommandPromise<ProjectAccepted> {
    return this.sendCommand({ kind: "archiveProject", id }) as CommandPromise<ProjectAccepted>;
  }

  createPhase(projectId: ProjectId, phase: NewPhase): CommandPromise<PhaseAccepted> {
    return this.sendCommand({ kind: "createPhase", projectId, phase }) as CommandPromise<PhaseAccepted>;
  }

  /** Edits, moves or resizes a phase; `patch.mode` (`push`, the default, or `strict`) says what happens to its successors. */
  updatePhase(id: PhaseId, patch: PhasePatch): CommandPromise<PhaseAccepted> {
    return this.sendCommand({ kind: "updatePhase", id, patch }) as CommandPromise<PhaseAccepted>;
  }

  deletePhase(id: PhaseId): CommandPromise<PhaseAccepted> {
    return this.sendCommand({ kind: "deletePhase", id }) as CommandPromise<PhaseAccepted>;
  }

  /** Refused with `dependency_cycle` (details.cycle: the phase ids on the loop) when it would close a loop. */
  addDependency(projectId: ProjectId, dependency: NewDependency): CommandPromise<DependencyAccepted> {
    return this.sendCommand({ kind: "addDependency", projectId, dependency }) as CommandPromise<DependencyAccepted>;
  }

  removeDependency(id: DependencyId): CommandPromise<DependencyRemovedAccepted> {
    return this.sendCommand({ kind: "removeDependency", id }) as CommandPromise<DependencyRemovedAccepted>;
  }

  createMilestone(projectId: ProjectId, milestone: NewMilestone): CommandPromise<MilestoneAccepted> {
    return this.sendCommand({ kind: "createMilestone", projectId, milestone }) as CommandPromise<MilestoneAccepted>;
  }

  updateMilestone(id: MilestoneId, patch: MilestonePatch): CommandPromise<MilestoneAccepted> {
    return this.sendCommand({ kind: "updateMilestone", id, patch }) as CommandPromise<MilestoneAccepted>;
  }

  deleteMilestone(id: MilestoneId): CommandPromise<MilestoneAccepted> {
    return this.sendCommand({ kind: "deleteMilestone", id }) as CommandPromise<MilestoneAccepted>;
  }

  /**
   * Marks the signed-in user's own notifications read: `ids`, or every unread
   * one without them. The answer lists those it marked (not those already
   * read) and the unread count left; the user's other connections (and this
   * one) hear `notificationsRead`. No view changes.
   */
  readNotifications(ids?: NotificationId[]): CommandPromise<ReadAccepted> {
    const command: Command = ids === undefined ? { kind: "readNotifications" } : { kind: "readNotifications", ids };
    return this.sendCommand(command) as CommandPromise<ReadAccepted>;
  }

  /**
   * Closes the connection for good. Unsettled commands reject with
   * `ConnectionClosedError` (their outcome on the server is unknown).
   */
  async close(): Promise<void> {
    if (this.state === "closed") return;
    const ws = this.connection.release();
    this.shutDown(new ConnectionClosedError("the client was closed"));
    if (ws) await closeGracefully(ws);
  }

  /**
   * Test hook: drops the connection as a network failure would (no closing
   * handshake, frames in flight are lost); the client then reconnects.
   */
  _dropConnection(): void {
    this.connection.lose("dropped by _dropConnection()");
  }

  // ---- SubscriptionHost ------------------------------------------------------

  /** @internal Sends a frame if the connection is up; `false` means it will be re-sent on reconnect. */
  _sendFrame(frame: ClientFrame): boolean {
    return this.connection.send(frame);
  }

  /** @internal */
  _unsubscribe(sub: Subscription): Promise<void> {
    this.subs.delete(sub.subId);
    if (!this._sendFrame({ type: "unsubscribe", subId: sub.subId })) return Promise.resolve();
    return new Promise<void>((resolve) => this.unsubWaiters.set(sub.subId, resolve));
  }

  // ---- commands ----------------------------------------------------------------

  private sendCommand(command: Command): CommandPromise<Accepted> {
    const cmdId = uuidv7();
    let promise: Promise<Accepted>;
    if (this.state === "closed") {
      promise = Promise.reject(new ConnectionClosedError("the client is closed"));
    } else {
      promise = this.ledger.add(cmdId, command);
      // Show the expected change before the frame leaves, so the UI reacts at once.
      this.applyOptimistic(cmdId, command);
      this._sendFrame({ type: "command", cmdId, command });
    }
    return Object.assign(promise, { cmdId });
  }

  private applyOptimistic(cmdId: CmdId, command: Command): void {
    const change = expectedChange(cmdId, command, (id) => this.knownBooking(id));
    if (!change) return;
    for (const sub of this.subs.values()) sub._optimistic(cmdId, change.key, change.apply);
  }

  private knownBooking(id: BookingId): Booking | undefined {
    for (const sub of this.subs.values()) {
      const b = sub.bookings.get(id);
      if (b) return b;
    }
    return undefined;
  }

  // ---- the client's life ----------------------------------------------------------

  /** Ends the client: nothing will be retried. */
  private shutDown(reason: unknown): void {
    if (this.state === "closed") return;
    this.connection.stop();
    const closed = reason instanceof ConnectionClosedError ? reason : new ConnectionClosedError(errorText(reason));
    this.ledger.failAll(closed);
    for (const sub of this.subs.values()) sub._close(closed);
    this.subs.clear();
    this.resolveUnsubWaiters();
    this.setState("closed");
    this.startReject?.(reason);
    this.startResolve = this.startReject = undefined;
  }

  /** No `unsubscribed` will come for these (the socket is gone): stop waiting. */
  private resolveUnsubWaiters(): void {
    for (const resolve of this.unsubWaiters.values()) resolve();
    this.unsubWaiters.clear();
  }

  private setState(state: ClientState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit("state", state);
  }

  // ---- frames from the server ----------------------------------------------------

  private handle(frame: ServerFrame): void {
    switch (frame.type) {
      case "welcome":
        return this.onWelcome(frame);
      case "accepted":
        return this.onAccepted(frame.cmdId, frame.seq, frame.result);
      case "rejected":
        return this.onRejected(frame.cmdId, frame.error);
      case "durable":
        return this.onDurable(frame.durableSeq);
      case "snapshot":
        this.serverSeq = Math.max(this.serverSeq, frame.seq);
        this.subs.get(frame.subId)?._snapshot(frame.seq, frame.artists, frame.bookings, frame.presence, frame.projects ?? []);
        return;
      case "resumed":
        this.serverSeq = Math.max(this.serverSeq, frame.seq);
        this.subs.get(frame.subId)?._resumed(frame.presence);
        return;
      case "event":
        this.serverSeq = Math.max(this.serverSeq, frame.event.seq);
        for (const subId of frame.subIds) this.subs.get(subId)?._event(frame.event);
        // Not about a view (its subscription only moved its `seq` past it): the application's.
        this.notifications.relay(frame.event, this.notificationSink);
        return;
      case "presenceDiff":
        this.subs.get(frame.subId)?._presenceDiff(frame.joins, frame.leaves);
        return;
      case "unsubscribed": {
        const resolve = this.unsubWaiters.get(frame.subId);
        this.unsubWaiters.delete(frame.subId);
        resolve?.();
        return;
      }
      case "pong":
        return;
      case "error": {
        if (!this.connection.isWelcomed) return this.connection.refused(frame.error.code, frame.error.message);
        // A refused subscribe names its subscription: settle it instead of leaving `ready` pending.
        const refused = frame.subId === undefined ? undefined : this.subs.get(frame.subId);
        if (refused !== undefined && frame.subId !== undefined) {
          this.subs.delete(frame.subId);
          refused._close(new SubscriptionError(frame.error));
        }
        this.emit("error", frame.error);
        return;
      }
      case "goodbye":
        this.emit("goodbye", { code: frame.code, reason: frame.reason });
        if (!this.connection.isWelcomed) return this.connection.refused(frame.code, frame.reason);
        // The server closes the socket next; reconnect without waiting for it.
        this.connection.lose(`goodbye (${frame.code}: ${frame.reason})`);
        return;
    }
  }

  private onWelcome(frame: Extract<ServerFrame, { type: "welcome" }>): void {
    const reconnected = this.connection.welcomed();
    this.sessionId = frame.sessionId;
    this.tenant = frame.tenant;
    this.serverSeq = Math.max(this.serverSeq, frame.serverSeq);
    this.setState("connected");

    // Order matters: views first (each resumes from its own seq), then the
    // commands the server has not answered (same cmdId: a known one is answered
    // with its original outcome), then presence, which the old session took along.
    for (const sub of this.subs.values()) this._sendFrame(sub._subscribeFrame());
    this.durableSeq = frame.durableSeq;
    this.ledger.durable(this.durableSeq);
    for (const c of this.ledger.toResend()) {
      // Accepted but not yet durable is re-sent too: the server answers a
      // duplicate with the original outcome and then re-checks its durability,
      // so a revert that happened while we were away still reaches `durable`
      // (the old session, which would have been told, is gone).
      this._sendFrame({ type: "command", cmdId: c.cmdId, command: c.command });
    }
    for (const sub of this.subs.values()) sub._resendPresence();

    this.emit("welcome", {
      sessionId: frame.sessionId,
      serverSeq: frame.serverSeq,
      durableSeq: frame.durableSeq,
      reconnected,
    });
    this.startResolve?.();
    this.startResolve = this.startReject = undefined;
  }

  private onAccepted(cmdId: CmdId, seq: number, result: CommandResult): void {
    this.serverSeq = Math.max(this.serverSeq, seq);
    if (!this.ledger.accepted(cmdId, seq, result, this.durableSeq)) return;
    const booking = result.kind === "booking" ? result.booking : undefined;
    for (const sub of this.subs.values()) sub._accepted(cmdId, seq, booking);
  }

  private onRejected(cmdId: CmdId, error: WireError): void {
    const err = this.ledger.rejected(cmdId, error);
    if (!err) return;
    for (const sub of this.subs.values()) sub._rejected(cmdId, err);
  }

  private onDurable(durableSeq: number): void {
    this.durableSeq = Math.max(this.durableSeq, durableSeq);
    this.ledger.durable(this.durableSeq);
  }

  private emit<K extends keyof ClientEvents>(event: K, value: ClientEvents[K]): void {
    this.events.emit(event, value);
  }
}
