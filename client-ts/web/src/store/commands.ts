// Booking commands from the board. Every command is tracked from send to
// durable: `sending` (the view shows the expected result, `pending`),
// `saving` (accepted and sequenced), then `saved` (the durable watermark
// passed it) for a moment. A refusal rolls the optimistic change back (the
// client does) and raises a notice (`notices.ts`).

import type { Booking, BookingAccepted, BookingPatch, BookingStatus, Client, CommandPromise, NewBooking } from "../../../src/index.js";
import { ACTIVE, timeOffEntered } from "../model.js";
import { formatTimeOff } from "../time.js";
import { booking, followed, live } from "./live.js";
import { markSaved } from "./marks.js";
import { notify, refused } from "./notices.js";
import { publishPresence, select } from "./selection.js";
import { get, set, type Window } from "./state.js";

function bump<K>(m: ReadonlyMap<K, number>, k: K, by: number): Map<K, number> {
  const next = new Map(m);
  const n = (next.get(k) ?? 0) + by;
  if (n <= 0) next.delete(k);
  else next.set(k, n);
  return next;
}

/** Follows a command from accepted to durable; a refusal raises a notice. */
function track(p: CommandPromise<BookingAccepted>, what: string, retry?: (w: Window) => void): void {
  // The bar says "sending" in the same task as the gesture, not a frame later
  // (the fold): a "saved" mark seen after a change is that change's.
  if (live.sub) set({ pending: new Set(live.sub.pending) });
  p.then(
    (acc) => {
      const id = acc.result.booking.id;
      if (id !== p.cmdId) followed.set(p.cmdId, id);
      set({ unsaved: bump(get().unsaved, id, 1) });
      if (get().selected === p.cmdId) {
        set({ selected: id });
        publishPresence();
      }
      acc.durable.then(
        () => {
          set({ unsaved: bump(get().unsaved, id, -1) });
          markSaved(id);
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

function liveClient(): Client | undefined {
  const client = live.client;
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
  if (get().pending.has(key) && !live.sub?.serverBookings.has(b.id)) {
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
