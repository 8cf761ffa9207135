// One watched view and its materialized state.
//
// Two layers, so a refused optimistic change can be undone exactly:
// * the server layer (`serverArtists`, `serverBookings`, `seq`): what the
//   server's snapshot and events said, nothing else. Events carry the whole
//   entity after the change, so applying one is "replace" (or "remove" when a
//   booking no longer matches the view, e.g. moved to another artist);
// * overlays: this client's booking commands, newest last. A pending overlay
//   is the expected result of a command not yet answered. When `accepted`
//   arrives before the event, the overlay becomes the server's result and
//   stays until the event (or any later event for that booking) arrives, so
//   the UI never flickers back. `rejected` drops the overlay.
//
// `bookings` (what callers read) = server layer + overlays, restricted to the
// view. `pending` names the bookings with unanswered changes. An optimistic
// create is keyed by its command id until the server's event names the real id.
//
// Project plans (`projects`, tenant and project views) have no optimistic
// layer: they change with the snapshot and the project events only
// (`projects.ts`).

import type { CommandError } from "./errors.js";
import type { Artist } from "./generated/Artist.js";
import type { ArtistId } from "./generated/ArtistId.js";
import type { Booking } from "./generated/Booking.js";
import type { BookingId } from "./generated/BookingId.js";
import type { ClientFrame } from "./generated/ClientFrame.js";
import type { EventEnvelope } from "./generated/EventEnvelope.js";
import type { PresenceEntry } from "./generated/PresenceEntry.js";
import type { PresenceState } from "./generated/PresenceState.js";
import type { ProjectId } from "./generated/ProjectId.js";
import type { ProjectPlan } from "./generated/ProjectPlan.js";
import type { View } from "./generated/View.js";
import { isNotificationEvent } from "./notifications.js";
import { applyPlanEvent } from "./projects.js";
import { bookingInView } from "./view.js";

/** At most this many presence updates per second leave a client (latest state wins). */
export const PRESENCE_MAX_PER_SECOND = 20;
const PRESENCE_MIN_GAP_MS = 1000 / PRESENCE_MAX_PER_SECOND;

export type ChangeCause =
  /** The state was replaced by the server's snapshot. */
  | "snapshot"
  /** Resumed after a reconnect: the missed events follow; presence was replaced. */
  | "resumed"
  /** One event was applied. */
  | "event"
  /** Presence joins/leaves. */
  | "presence"
  /** One of this client's commands changed the state ahead of the server. */
  | "optimistic"
  /** One of this client's commands was accepted: its optimistic state became the server's result. */
  | "accepted"
  /** One of this client's commands was refused (or reverted): its optimistic state is gone. */
  | "rollback";

/** What changed, passed to `onChange` listeners. Look the ids up in the maps: absent = removed. */
export interface Change {
  cause: ChangeCause;
  /** The subscription's `seq` after the change. */
  seq: number;
  artists: ArtistId[];
  bookings: BookingId[];
  /** Projects whose plan changed (absent from `projects` = no longer in the view). */
  projects: ProjectId[];
  /** Session ids that joined, changed state or left. */
  presence: string[];
  /** For `event`. */
  event?: EventEnvelope;
  /** For `optimistic`, `accepted` and `rollback`. */
  cmdId?: string;
  /** For `rollback`. */
  error?: CommandError;
}

export type ChangeListener = (change: Change, subscription: Subscription) => void;

/** What a subscription needs from its client. */
export interface SubscriptionHost {
  _sendFrame(frame: ClientFrame): boolean;
  _unsubscribe(sub: Subscription): Promise<void>;
}

interface Overlay {
  cmdId: string;
  /** The key in `bookings` (an optimistic create: the command id). */
  key: string;
  apply: (current: Booking | undefined) => Booking | undefined;
  /** Set once `accepted`: `apply` then yields the server's result. */
  acceptedSeq?: number;
}

export class Subscription {
  readonly subId: number;
  readonly view: View;
  /** Artists in the view. */
  readonly artists = new Map<ArtistId, Artist>();
  /** Bookings in the view, including this client's optimistic changes. */
  readonly bookings = new Map<BookingId, Booking>();
  /** Project plans in the view (tenant: every project; project view: that one), by project id. */
  readonly projects = new Map<ProjectId, ProjectPlan>();
  /** Keys of `bookings` with a change this client sent and the server has not answered. */
  readonly pending = new Set<BookingId>();
  /** Who else (and this session) is in the view, by session id. */
  readonly presence = new Map<string, PresenceState>();
  /** The `seq` of the last snapshot or event applied; resume point after a reconnect. */
  seq = 0;
  /** False after `unsubscribe()` or when the client closed. */
  live = true;
  /** Resolves when the first snapshot (or resume) has been applied. */
  readonly ready: Promise<void>;

  /** The server layer, without optimistic overlays. */
  readonly serverArtists = new Map<ArtistId, Artist>();
  readonly serverBookings = new Map<BookingId, Booking>();

  private synced = false;
  private overlays: Overlay[] = [];
  private listeners = new Set<ChangeListener>();
  private readyResolve!: () => void;
  private readyReject!: (e: unknown) => void;
  private presenceState: PresenceState | undefined;
  private presenceDirty = false;
  private presenceSentAt = -Infinity;
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;

  /** @internal Created by `Client.subscribe`. */
  constructor(
    private readonly host: SubscriptionHost,
    subId: number,
    view: View,
  ) {
    this.subId = subId;
    this.view = view;
    this.ready = new Promise<void>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    // Callers need not await `ready`; a close before it must not surface as unhandled.
    this.ready.catch(() => {});
  }

  /** Has a snapshot been applied (so a reconnect can resume instead)? */
  get hasSnapshot(): boolean {
    return this.synced;
  }

  /** Calls `listener` after every change; returns a function that removes it. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sets this connection's presence in the view. Updates are coalesced to at
   * most 20 per second; the latest state wins. Re-sent after a reconnect.
   */
  setPresence(state: PresenceState): void {
    if (!this.live) return;
    this.presenceState = state;
    this.presenceDirty = true;
    this.schedulePresence();
  }

  /** Stops watching. The maps keep their last state. */
  unsubscribe(): Promise<void> {
    if (!this.live) return Promise.resolve();
    this.live = false;
    this.clearPresenceTimer();
    return this.host._unsubscribe(this);
  }

  // ---- called by the client ----------------------------------------------

  /** @internal Starts without a snapshot, at `seq` (see `Client.subscribe`'s `fromSeq`). */
  _startAt(seq: number): void {
    this.seq = seq;
    this.synced = true;
  }

  /** @internal The frame that (re)starts this subscription on a new connection. */
  _subscribeFrame(): ClientFrame {
    return this.synced
      ? { type: "subscribe", subId: this.subId, view: this.view, resumeFromSeq: this.seq }
      : { type: "subscribe", subId: this.subId, view: this.view };
  }

  /** @internal After (re)subscribing on a new connection: the server forgot our presence. */
  _resendPresence(): void {
    if (this.presenceState !== undefined) {
      this.presenceDirty = true;
      this.presenceSentAt = -Infinity;
      this.schedulePresence();
    }
  }

  /** @internal */
  _snapshot(seq: number, artists: Artist[], bookings: Booking[], presence: PresenceEntry[], projects: ProjectPlan[] = []): void {
    const touchedProjects = new Set<string>([...this.projects.keys()]);
    this.projects.clear();
    for (const p of projects) {
      this.projects.set(p.project.id, p);
      touchedProjects.add(p.project.id);
    }
    const touchedArtists = new Set<string>([...this.artists.keys()]);
    const touchedBookings = new Set<string>([...this.bookings.keys()]);
    this.serverArtists.clear();
    this.artists.clear();
    for (const a of artists) {
      this.serverArtists.set(a.id, a);
      this.artists.set(a.id, a);
      touchedArtists.add(a.id);
    }
    this.serverBookings.clear();
    for (const b of bookings) {
      this.serverBookings.set(b.id, b);
      touchedBookings.add(b.id);
    }
    // Results already covered by the snapshot are in the server layer now.
    this.overlays = this.overlays.filter((o) => o.acceptedSeq === undefined || o.acceptedSeq > seq);
    for (const o of this.overlays) touchedBookings.add(o.key);
    for (const key of touchedBookings) this.recompute(key);
    const touchedPresence = this.replacePresence(presence);
    this.seq = seq;
    this.synced = true;
    this.emit({
      cause: "snapshot",
      seq,
      artists: [...touchedArtists],
      bookings: [...touchedBookings],
      projects: [...touchedProjects],
      presence: touchedPresence,
    });
    this.readyResolve();
  }

  /** @internal The missed events follow as `event` frames; `seq` advances with them. */
  _resumed(presence: PresenceEntry[]): void {
    const touchedPresence = this.replacePresence(presence);
    this.synced = true;
    this.emit({ cause: "resumed", seq: this.seq, artists: [], bookings: [], projects: [], presence: touchedPresence });
    this.readyResolve();
  }

  /** @internal */
  _event(envelope: EventEnvelope): void {
    const { event, seq, cmdId } = envelope;
    if (isNotificationEvent(event)) {
      // About the signed-in user, not this view (the client passes it on): only the resume point moves.
      if (seq > this.seq) this.seq = seq;
      return;
    }
    const duplicate = seq <= this.seq;
    const touchedBookings = new Set<string>();
    const touchedArtists: string[] = [];
    const touchedProjects: string[] = [];
    // Our own command's change has arrived: its overlay has done its job.
    for (const o of this.overlays) if (o.cmdId === cmdId) touchedBookings.add(o.key);
    this.overlays = this.overlays.filter((o) => o.cmdId !== cmdId);
    if (!duplicate) {
      if (event.type === "bookingRestored") {
        // The store refused a change: back to the durable state, or gone.
        const id = event.bookingId;
        const b = event.booking;
        if (b !== null && bookingInView(this.view, b)) this.serverBookings.set(id, b);
        else this.serverBookings.delete(id);
        this.overlays = this.overlays.filter((o) => !(o.key === id && o.acceptedSeq !== undefined));
        touchedBookings.add(id);
      } else if ("booking" in event) {
        const b = event.booking;
        if (bookingInView(this.view, b)) this.serverBookings.set(b.id, b);
        else this.serverBookings.delete(b.id);
        // Any result we were showing for this booking is at most this new.
        this.overlays = this.overlays.filter((o) => !(o.key === b.id && o.acceptedSeq !== undefined && o.acceptedSeq <= seq));
        touchedBookings.add(b.id);
      } else if ("artist" in event) {
        const a = event.artist;
        this.serverArtists.set(a.id, a);
        this.artists.set(a.id, a);
        touchedArtists.push(a.id);
      } else {
        const p = applyPlanEvent(this.projects, this.view, event);
        if (p !== undefined) touchedProjects.push(p);
      }
      this.seq = seq;
    }
    if (duplicate && touchedBookings.size === 0) return;
    for (const key of touchedBookings) this.recompute(key);
    this.emit({
      cause: "event",
      seq: this.seq,
      artists: touchedArtists,
      bookings: [...touchedBookings],
      projects: touchedProjects,
      presence: [],
      event: envelope,
    });
  }

  /** @internal */
  _presenceDiff(joins: PresenceEntry[], leaves: string[]): void {
    const touched: string[] = [];
    for (const j of joins) {
      this.presence.set(j.sessionId, j.state);
      touched.push(j.sessionId);
    }
    for (const l of leaves) {
      this.presence.delete(l);
      touched.push(l);
    }
    this.emit({ cause: "presence", seq: this.seq, artists: [], bookings: [], projects: [], presence: touched });
  }

  /**
   * @internal Shows a booking command's expected result at once, if the
   * booking is in this view now or will be after the change. `apply` maps the
   * booking's current state (maybe undefined) to the expected one.
   * Returns whether the view was affected.
   */
  _optimistic(cmdId: string, key: string, apply: (current: Booking | undefined) => Booking | undefined): boolean {
    if (!this.live) return false;
    const before = this.bookings.get(key);
    const after = apply(this.currentWithoutView(key));
    if (before === undefined && (after === undefined || !bookingInView(this.view, after))) return false;
    this.overlays.push({ cmdId, key, apply });
    this.recompute(key);
    this.emit({ cause: "optimistic", seq: this.seq, artists: [], bookings: [key], projects: [], presence: [], cmdId });
    return true;
  }

  /** @internal The command was decided: show the server's result until its event arrives. */
  _accepted(cmdId: string, seq: number, result: Booking | undefined): void {
    const mine = this.overlays.filter((o) => o.cmdId === cmdId);
    if (mine.length === 0) return;
    const touched = new Set<string>(mine.map((o) => o.key));
    if (result === undefined || seq <= this.seq) {
      // Nothing to show in its place, or the event is already in the server layer.
      this.overlays = this.overlays.filter((o) => o.cmdId !== cmdId);
    } else {
      let first = true;
      this.overlays = this.overlays.flatMap((o) => {
        if (o.cmdId !== cmdId) return [o];
        if (!first) return [];
        first = false;
        return [{ cmdId, key: result.id, apply: () => result, acceptedSeq: seq }];
      });
      touched.add(result.id);
    }
    for (const key of touched) this.recompute(key);
    this.emit({ cause: "accepted", seq: this.seq, artists: [], bookings: [...touched], projects: [], presence: [], cmdId });
  }

  /** @internal The command was refused or reverted: drop what it showed. */
  _rejected(cmdId: string, error: CommandError): void {
    const mine = this.overlays.filter((o) => o.cmdId === cmdId);
    if (mine.length === 0) return;
    this.overlays = this.overlays.filter((o) => o.cmdId !== cmdId);
    const touched = [...new Set(mine.map((o) => o.key))];
    for (const key of touched) this.recompute(key);
    this.emit({ cause: "rollback", seq: this.seq, artists: [], bookings: touched, projects: [], presence: [], cmdId, error });
  }

  /** @internal The client closed for good. */
  _close(reason: unknown): void {
    this.live = false;
    this.clearPresenceTimer();
    this.readyReject(reason);
  }

  // ---- internals ---------------------------------------------------------

  /** The booking as server layer + overlays, before restricting it to the view. */
  private currentWithoutView(key: string): Booking | undefined {
    let b = this.serverBookings.get(key);
    for (const o of this.overlays) if (o.key === key) b = o.apply(b);
    return b;
  }

  private recompute(key: string): void {
    const b = this.currentWithoutView(key);
    if (b !== undefined && bookingInView(this.view, b)) this.bookings.set(key, b);
    else this.bookings.delete(key);
    if (this.overlays.some((o) => o.key === key && o.acceptedSeq === undefined)) this.pending.add(key);
    else this.pending.delete(key);
  }

  private replacePresence(entries: PresenceEntry[]): string[] {
    const touched = new Set<string>(this.presence.keys());
    this.presence.clear();
    for (const e of entries) {
      this.presence.set(e.sessionId, e.state);
      touched.add(e.sessionId);
    }
    return [...touched];
  }

  private schedulePresence(): void {
    if (this.presenceTimer !== undefined) return; // the pending send takes the latest state
    const wait = this.presenceSentAt + PRESENCE_MIN_GAP_MS - Date.now();
    if (wait <= 0) this.flushPresence();
    else this.presenceTimer = setTimeout(() => this.flushPresence(), wait);
  }

  private flushPresence(): void {
    this.presenceTimer = undefined;
    if (!this.live || !this.presenceDirty || this.presenceState === undefined) return;
    const sent = this.host._sendFrame({ type: "presence", subId: this.subId, state: this.presenceState });
    // Offline: keep it dirty; `_resendPresence` sends it after the reconnect.
    if (sent) {
      this.presenceDirty = false;
      this.presenceSentAt = Date.now();
    }
  }

  private clearPresenceTimer(): void {
    if (this.presenceTimer !== undefined) clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
  }

  private emit(change: Change): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change, this);
      } catch (err) {
        // A faulty listener must not corrupt the state machine; surface it anyway.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
