// The app's state (Zustand): the session, the live connection and its
// materialized tenant view, and the board's UI state (zoom, filters,
// selection, notices).
//
// The TypeScript client owns the data: one `tenant` subscription whose maps it
// keeps current (snapshot, events, this tab's optimistic changes). Its
// changes are folded into the store at most once per frame: only the artists
// whose bookings changed are re-indexed, so a drag by someone else costs one
// row, not the whole studio.
//
// Every command is tracked from send to durable: `sending` (the view shows
// the expected result, `pending`), `saving` (accepted and sequenced), then
// `saved` (the durable watermark passed it) for a moment. A refusal rolls the
// optimistic change back (the client does) and raises a notice with the
// server's reason, the bookings in the way and the nearest free windows.

import { create } from "zustand";
import { z } from "zod";
import {
  CommandError,
  connect,
  type Artist,
  type Booking,
  type BookingAccepted,
  type BookingPatch,
  type BookingStatus,
  type Change,
  type Client,
  type ClientState,
  type CommandPromise,
  type NewBooking,
  type PresenceState,
  type Subscription,
  type TimeRange,
} from "../../src/index.js";
import * as auth from "./auth.js";
import { ACTIVE, indexBookings, timeOffEntered, type ArtistBookings, type Filters } from "./model.js";
import { fetchWorkingWeek } from "./studio.js";
import { DEFAULT_WORKING_WEEK, formatTimeOff, type WorkingWeek, type Zoom } from "./time.js";

/** How long a "saved" mark stays on a bar. */
const SAVED_MARK_MS = 2_500;
/** How long a refused bar shakes. */
const SNAPBACK_MS = 700;

export interface Window {
  start: number;
  end: number;
}

export interface Notice {
  id: number;
  tone: "error" | "info";
  title: string;
  message: string;
  conflicts: { title: string; status: string; start: number; end: number }[];
  freeWindows: Window[];
  /** For a refused move/resize/create: re-issue it at a free window. */
  retry?: (w: Window) => void;
}

export interface BoardState {
  session: auth.Session | undefined;
  /** Why the sign-in screen is shown again (session expired …). */
  signInMessage: string | undefined;
  conn: ClientState | "idle";
  ready: boolean;
  /** Bumps whenever bookings change; components re-read `index`/`booking()`. */
  rev: number;
  artists: Artist[];
  index: Map<string, ArtistBookings>;
  pending: ReadonlySet<string>;
  /** Accepted, not yet durable: key → number of such commands. */
  unsaved: ReadonlyMap<string, number>;
  justSaved: ReadonlySet<string>;
  snapping: ReadonlySet<string>;
  /** Others in the view, by session id. */
  others: ReadonlyMap<string, PresenceState>;
  mySessionId: string;
  /** The studio's working days and hours (shading); Monday–Friday until the studio answers. */
  workingWeek: WorkingWeek;

  zoom: Zoom;
  filters: Filters;
  /** The focused/selected booking's key. */
  selected: string | undefined;
  panelOpen: boolean;
  /** The artist whose time off the side panel shows (instead of a booking). */
  artistPanel: string | undefined;
  notices: Notice[];
}

const initial: BoardState = {
  session: undefined,
  signInMessage: undefined,
  conn: "idle",
  ready: false,
  rev: 0,
  artists: [],
  index: new Map(),
  pending: new Set(),
  unsaved: new Map(),
  justSaved: new Set(),
  snapping: new Set(),
  others: new Map(),
  mySessionId: "",
  workingWeek: DEFAULT_WORKING_WEEK,
  zoom: "week",
  filters: { text: "", skill: "", project: "", groupBy: "none" },
  selected: undefined,
  panelOpen: false,
  artistPanel: undefined,
  notices: [],
};

export const useBoard = create<BoardState>(() => initial);
const set = useBoard.setState;
const get = useBoard.getState;

// ---- the live connection (module state: not rendered) ----------------------

let client: Client | undefined;
let sub: Subscription | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
/** The booking each key had at the last fold, to find the artist it left. */
const lastArtistOf = new Map<string, string>();
let dirtyKeys = new Set<string>();
let dirtyAll = false;
let dirtyArtists = false;
let dirtyPresence = false;
let foldScheduled = false;
let noticeId = 0;
/**
 * Time off sent and not yet seen back, by artist: shown at once (artist
 * commands have no optimistic state in the client). `version` is set when the
 * server accepted it: the override goes once the view has that version.
 */
const timeOffSent = new Map<string, { cmdId: string; timeOff: TimeRange[]; version?: number }>();

/** The booking under `key` in the view (with this tab's optimistic changes). */
export function booking(key: string | undefined): Booking | undefined {
  return key === undefined ? undefined : sub?.bookings.get(key);
}

export function wsUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/ws`;
}

/** Signs in (or restores a stored session) and connects. */
export async function start(session: auth.Session): Promise<void> {
  auth.save(session);
  set({ session, signInMessage: undefined, conn: "connecting" });
  scheduleRefresh(session);
  loadWorkingWeek(session);
  try {
    await open(session);
  } catch (e) {
    // Back to the sign-in screen, saying why (a refused token, a refused view …).
    await signOut(`The board could not open: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
}

async function open(session: auth.Session): Promise<void> {
  // Marks for `npm run bench:web` (and the browser's performance panel).
  performance.mark("pt:connect");
  // A function: every (re)connect sends the newest access token (refreshes replace it).
  const c = await connect(wsUrl(), { token: () => get().session?.accessToken ?? "" });
  client = c;
  c.on("state", (conn) => {
    set({ conn });
    // Closed for good (a refused handshake: an expired or revoked session …): back to sign-in.
    if (conn === "closed" && client === c) void signOut("The server closed the session. Please sign in again.");
  });
  c.on("welcome", (w) => set({ mySessionId: w.sessionId }));
  c.on("goodbye", (g) => {
    if (g.code === "unsupported_version") notify({ tone: "error", title: "Connection refused", message: g.reason });
  });
  set({ conn: c.state, mySessionId: c.sessionId });
  // A freelancer may watch only their own artist; everyone else the whole studio.
  const s = c.subscribe(session.role === "freelancer" && session.artistId ? { kind: "artist", artistId: session.artistId } : { kind: "tenant" });
  sub = s;
  s.onChange(onChange);
  await s.ready;
  publishPresence();
}

/** Reads the studio's working week in the background; on failure the default stays. */
function loadWorkingWeek(session: auth.Session): void {
  fetchWorkingWeek(session.accessToken).then(
    (week) => {
      if (week && get().session?.tenant.id === session.tenant.id) set({ workingWeek: week });
    },
    () => undefined, // offline: the default (Monday to Friday) stays
  );
}

export async function signOut(message?: string): Promise<void> {
  const session = get().session;
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
  const c = client;
  client = undefined;
  sub = undefined;
  lastArtistOf.clear();
  timeOffSent.clear();
  set({ ...initial, signInMessage: message });
  await Promise.all([c?.close(), auth.logout(session)]);
}

function scheduleRefresh(session: auth.Session): void {
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  const delay = auth.refreshDelay(session);
  refreshTimer = setTimeout(async () => {
    try {
      const next = await auth.refresh(session);
      auth.save(next);
      set({ session: next });
      scheduleRefresh(next);
    } catch (e) {
      if (e instanceof auth.AuthError && e.status === 429) {
        refreshTimer = setTimeout(() => scheduleRefresh(session), (e.retryAfterSeconds ?? 5) * 1000);
        return;
      }
      if (e instanceof auth.AuthError) await signOut("Your session has ended. Please sign in again.");
      else refreshTimer = setTimeout(() => scheduleRefresh(session), 5_000); // offline: try again soon
    }
  }, delay);
}

function onChange(change: Change): void {
  if (change.cause === "snapshot") {
    dirtyAll = true;
    performance.mark("pt:snapshot");
  }
  for (const k of change.bookings) dirtyKeys.add(k);
  if (change.artists.length > 0) dirtyArtists = true;
  if (change.presence.length > 0 || change.cause === "snapshot" || change.cause === "resumed") dirtyPresence = true;
  if (change.cause === "rollback" && change.cmdId) {
    for (const k of change.bookings) snapBack(k);
  }
  if (!foldScheduled) {
    foldScheduled = true;
    // Once per frame; the timeout covers tabs where frames are throttled.
    let done = false;
    const run = () => {
      if (done) return;
      done = true;
      fold();
    };
    requestAnimationFrame(run);
    setTimeout(run, 100);
  }
}

/** Folds the subscription's changes into the store. */
function fold(): void {
  foldScheduled = false;
  const s = sub;
  if (!s) return;
  const patch: Partial<BoardState> = { ready: true, pending: new Set(s.pending) };
  if (dirtyArtists || dirtyAll) patch.artists = artistsOf(s);
  if (dirtyAll) {
    patch.index = indexBookings(s.bookings);
    performance.mark("pt:indexed");
    lastArtistOf.clear();
    for (const [k, b] of s.bookings) lastArtistOf.set(k, b.artistId);
    patch.rev = get().rev + 1;
  } else if (dirtyKeys.size > 0) {
    const touched = new Set<string>();
    for (const k of dirtyKeys) {
      const before = lastArtistOf.get(k);
      if (before !== undefined) touched.add(before);
      const now = s.bookings.get(k);
      if (now) {
        touched.add(now.artistId);
        lastArtistOf.set(k, now.artistId);
      } else lastArtistOf.delete(k);
    }
    const index = new Map(get().index);
    for (const artistId of touched) {
      const mine = new Map<string, Booking>();
      // Bookings of this artist: every key whose last known artist it is.
      for (const p of index.get(artistId)?.placed ?? []) {
        const b = s.bookings.get(p.key);
        if (b && b.artistId === artistId) mine.set(p.key, b);
      }
      for (const k of dirtyKeys) {
        const b = s.bookings.get(k);
        if (b && b.artistId === artistId) mine.set(k, b);
      }
      const one = indexBookings(mine).get(artistId);
      if (one) index.set(artistId, one);
      else index.delete(artistId);
    }
    patch.index = index;
    patch.rev = get().rev + 1;
  }
  if (dirtyPresence) {
    const me = client?.sessionId ?? "";
    patch.others = new Map([...s.presence].filter(([id]) => id !== me));
    patch.mySessionId = me;
  }
  // A selected optimistic create that got its real id: follow it.
  const sel = get().selected;
  if (sel !== undefined && !s.bookings.has(sel)) {
    const followed = followed_.get(sel);
    if (followed && s.bookings.has(followed)) patch.selected = followed;
  }
  dirtyKeys = new Set();
  dirtyAll = dirtyArtists = dirtyPresence = false;
  set(patch);
}

/** The view's artists, by name, with time off this tab sent and has not seen back yet. */
function artistsOf(s: Subscription): Artist[] {
  for (const [id, sent] of timeOffSent) {
    const a = s.artists.get(id);
    if (sent.version !== undefined && (!a || a.version >= sent.version)) timeOffSent.delete(id);
  }
  return [...s.artists.values()]
    .filter((a) => !a.archivedAt)
    .map((a) => {
      const sent = timeOffSent.get(a.id);
      return sent ? { ...a, timeOff: sent.timeOff } : a;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** cmdId of a create → the booking id the server gave it. */
const followed_ = new Map<string, string>();

// ---- presence ---------------------------------------------------------------

export function publishPresence(): void {
  const { session, selected, panelOpen } = get();
  if (!sub || !session) return;
  const state: PresenceState = { name: session.user.displayName, lookingAt: "board" };
  // Only ids the server knows (an unanswered create is still keyed by its command id).
  const id = selected === undefined ? undefined : (followed_.get(selected) ?? selected);
  const real = id !== undefined && (sub.serverBookings.has(id) || followed_.has(selected!)) ? id : undefined;
  if (real) state.selectedBooking = real;
  if (real && panelOpen) state.editingBooking = real;
  sub.setPresence(state);
}

export function select(key: string | undefined, panelOpen?: boolean): void {
  const st = get();
  const open = panelOpen ?? (key === undefined ? false : st.panelOpen);
  if (st.selected === key && st.panelOpen === open) return;
  set({ selected: key, panelOpen: open, ...(open ? { artistPanel: undefined } : {}) });
  publishPresence();
}

// ---- commands -----------------------------------------------------------------

function bump<K>(m: ReadonlyMap<K, number>, k: K, by: number): Map<K, number> {
  const next = new Map(m);
  const n = (next.get(k) ?? 0) + by;
  if (n <= 0) next.delete(k);
  else next.set(k, n);
  return next;
}

/** The timer that ends each key's flash: a new flash restarts it, so a later mark gets its full time. */
const flashTimers = { justSaved: new Map<string, ReturnType<typeof setTimeout>>(), snapping: new Map<string, ReturnType<typeof setTimeout>>() };

function flash(setKey: "justSaved" | "snapping", key: string, ms: number): void {
  const on = new Set(get()[setKey]);
  on.add(key);
  set({ [setKey]: on } as Partial<BoardState>);
  const timers = flashTimers[setKey];
  clearTimeout(timers.get(key));
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      const off = new Set(get()[setKey]);
      off.delete(key);
      set({ [setKey]: off } as Partial<BoardState>);
    }, ms),
  );
}

function snapBack(key: string): void {
  flash("snapping", key, SNAPBACK_MS);
}

/** Follows a command from accepted to durable; a refusal raises a notice. */
function track(p: CommandPromise<BookingAccepted>, what: string, retry?: (w: Window) => void): void {
  // The bar says "sending" in the same task as the gesture, not a frame later
  // (the fold): a "saved" mark seen after a change is that change's.
  if (sub) set({ pending: new Set(sub.pending) });
  p.then(
    (acc) => {
      const id = acc.result.booking.id;
      if (id !== p.cmdId) followed_.set(p.cmdId, id);
      set({ unsaved: bump(get().unsaved, id, 1) });
      if (get().selected === p.cmdId) {
        set({ selected: id });
        publishPresence();
      }
      acc.durable.then(
        () => {
          set({ unsaved: bump(get().unsaved, id, -1) });
          flash("justSaved", id, SAVED_MARK_MS);
        },
        (e: unknown) => {
          set({ unsaved: bump(get().unsaved, id, -1) });
          refused(e, what);
        },
      );
    },
    (e: unknown) => refused(e, what, retry),
  );
}

const Instant = z.union([z.number(), z.string().transform((s) => Date.parse(s) * 1000)]);
const ConflictDetails = z.object({
  conflicts: z
    .array(z.object({ title: z.string(), status: z.string(), startTime: Instant, endTime: Instant }).passthrough())
    .optional()
    .default([]),
  freeWindows: z.array(z.object({ start: Instant, end: Instant })).optional().default([]),
});

function refused(e: unknown, what: string, retry?: (w: Window) => void): void {
  if (!(e instanceof CommandError)) {
    notify({ tone: "error", title: `Could not ${what}`, message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const parsed = ConflictDetails.safeParse(e.details ?? {});
  const d = parsed.success ? parsed.data : { conflicts: [], freeWindows: [] };
  notify({
    tone: "error",
    title: `Could not ${what}`,
    message: reason(e),
    conflicts: d.conflicts.map((c) => ({ title: c.title, status: c.status, start: c.startTime, end: c.endTime })),
    freeWindows: d.freeWindows.slice(0, 4),
    ...(retry && d.freeWindows.length > 0 ? { retry } : {}),
  });
}

function reason(e: CommandError): string {
  switch (e.code) {
    case "conflict":
      return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.`;
    case "version_mismatch":
      return "Someone changed this booking first; the board now shows their version.";
    default:
      return e.message;
  }
}

export function notify(n: Omit<Notice, "id" | "conflicts" | "freeWindows"> & Partial<Pick<Notice, "conflicts" | "freeWindows">>): void {
  const notice: Notice = { conflicts: [], freeWindows: [], ...n, id: ++noticeId };
  set({ notices: [...get().notices.slice(-2), notice] });
}

export function dismiss(id: number): void {
  set({ notices: get().notices.filter((n) => n.id !== id) });
}

function liveClient(): Client | undefined {
  if (!client || client.state === "closed") {
    notify({ tone: "error", title: "Not connected", message: "The change was not sent: the connection is closed." });
    return undefined;
  }
  return client;
}

export function createBooking(input: NewBooking): string | undefined {
  const c = liveClient();
  if (!c) return undefined;
  const p = c.createBooking(input);
  const retry = (w: Window) => createBooking({ ...input, startTime: w.start, endTime: w.end });
  track(p, "create the booking", retry);
  return p.cmdId;
}

/**
 * Changes a booking (times, artist, title, notes, project) against the version
 * the view shows. If the change lands it on its artist's time off, an info
 * notice says so (the server allows it, so the change still goes); a mouse
 * drag, whose ghost already warned, passes `warnTimeOff` false.
 */
export function updateBooking(key: string, patch: Omit<BookingPatch, "version">, what = "change the booking", warnTimeOff = true): void {
  const b = booking(key);
  if (!b) return;
  if (get().pending.has(key) && !sub?.serverBookings.has(b.id)) {
    notify({ tone: "info", title: "Still saving", message: "This booking is still being created; try again in a moment." });
    return;
  }
  const c = liveClient();
  if (!c) return;
  const p = c.updateBooking(b.id, { version: b.version, ...patch });
  const duration = (patch.endTime ?? b.endTime) - (patch.startTime ?? b.startTime);
  const retry =
    patch.startTime !== undefined || patch.endTime !== undefined
      ? (w: Window) => updateBooking(key, { ...patch, startTime: w.start, endTime: w.start + duration }, what)
      : undefined;
  track(p, what, retry);
  if (warnTimeOff) warnIfTimeOff(b, patch);
}

/** The info notice for a change that lands `b` on its (new) artist's time off. */
function warnIfTimeOff(b: Booking, patch: Omit<BookingPatch, "version">): void {
  if (!ACTIVE.has(b.status)) return;
  const artistId = patch.artistId ?? b.artistId;
  const artist = get().artists.find((a) => a.id === artistId);
  if (!artist) return;
  const to = { start: patch.startTime ?? b.startTime, end: patch.endTime ?? b.endTime };
  const from = artistId === b.artistId ? { start: b.startTime, end: b.endTime } : undefined;
  const entered = timeOffEntered(artist.timeOff, to, from);
  if (entered.length === 0) return;
  notify({
    tone: "info",
    title: "Overlaps time off",
    message: `“${b.title}” now overlaps ${artist.name}'s time off (${entered.map((r) => formatTimeOff(r.start, r.end)).join("; ")}). Bookings over time off are allowed; the change was sent.`,
  });
}

export function transitionBooking(key: string, to: BookingStatus): void {
  const b = booking(key);
  if (!b || b.status === to) return;
  const c = liveClient();
  if (!c) return;
  track(c.transitionBooking(b.id, b.version, to), to === "cancelled" ? "cancel the booking" : `make it ${to}`);
  if (to === "cancelled" && get().selected === key) select(undefined, false);
}

// ---- UI setters -----------------------------------------------------------------

export function setZoom(zoom: Zoom): void {
  set({ zoom });
}

export function setFilters(patch: Partial<Filters>): void {
  set({ filters: { ...get().filters, ...patch } });
}

/** Opens (or, with undefined, closes) the side panel on an artist's time off; a booking's panel closes. */
export function openArtistPanel(artistId: string | undefined): void {
  const st = get();
  if (st.artistPanel === artistId && (artistId === undefined || !st.panelOpen)) return;
  set({ artistPanel: artistId, ...(artistId !== undefined ? { panelOpen: false } : {}) });
  publishPresence();
}

// ---- time off -------------------------------------------------------------------

/**
 * Replaces an artist's time off with `timeOff` (the whole new list:
 * `UpdateArtist` with `patch.timeOff`). The board shows it at once; a
 * refusal puts the view's list back and rejects with a readable message.
 * Resolves when the server accepted it.
 */
export function setTimeOff(artistId: string, timeOff: TimeRange[]): Promise<void> {
  if (!client || client.state === "closed") return Promise.reject(new Error("Not connected: the change was not sent."));
  const p = client.updateArtist(artistId, { timeOff });
  timeOffSent.set(artistId, { cmdId: p.cmdId, timeOff });
  if (sub) set({ artists: artistsOf(sub) });
  return p.then(
    (acc) => {
      const sent = timeOffSent.get(artistId);
      if (sent?.cmdId === p.cmdId) {
        // What the server stored (merged); kept until the view has this version.
        sent.timeOff = acc.result.artist.timeOff;
        sent.version = acc.result.artist.version;
      }
      if (sub) set({ artists: artistsOf(sub) });
    },
    (e: unknown) => {
      if (timeOffSent.get(artistId)?.cmdId === p.cmdId) timeOffSent.delete(artistId);
      if (sub) set({ artists: artistsOf(sub) });
      throw new Error(timeOffReason(e));
    },
  );
}

function timeOffReason(e: unknown): string {
  if (!(e instanceof CommandError)) return e instanceof Error ? e.message : String(e);
  switch (e.code) {
    case "forbidden":
      return "You may not change this artist's time off.";
    case "not_found":
      return "This artist no longer exists.";
    default:
      return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}${/[.!?]$/.test(e.message) ? "" : "."}`;
  }
}
