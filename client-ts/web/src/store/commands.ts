// Booking commands from the board. Every command is tracked from send to
// durable: `sending` (the view shows the expected result, `pending`),
// `saving` (accepted and sequenced), then `saved` (the durable watermark
// passed it) for a moment. A refusal rolls the optimistic change back (the
// client does) and raises a notice (`notices.ts`); one refused as
// `unavailable` (time off, a holiday, outside working hours) can be re-sent
// with `allowOvertime` from the notice.

import type { Booking, BookingAccepted, BookingPatch, BookingStatus, Client, CommandPromise, NewBooking } from "../../../src/index.js";
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
function track(p: CommandPromise<BookingAccepted>, what: string, retry?: (w: Window) => void, overtime?: () => void): void {
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
    (e: unknown) => refused(e, what, retry, overtime),
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
  // Booked anyway: the new booking is selected (and its panel open) as the refused one was.
  const overtime = () => {
    const key = createBooking({ ...input, allowOvertime: true });
    if (key) select(key, true);
  };
  track(p, "create the booking", retry, overtime);
  return p.cmdId;
}

/**
 * Changes a booking (times, artist, title, notes, project) against the version
 * the view shows. Onto approved time off, a holiday or outside working hours
 * the server refuses a pencil or confirmed booking (`unavailable`); the notice
 * offers to re-send it as overtime.
 */
export function updateBooking(key: string, patch: Omit<BookingPatch, "version">, what = "change the booking"): void {
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
  track(p, what, retry, () => updateBooking(key, { ...patch, allowOvertime: true }, what));
}

/** Changes a booking's status; `allowOvertime` promotes it over time off, a holiday or non-working hours anyway. */
export function transitionBooking(key: string, to: BookingStatus, allowOvertime?: boolean): void {
  const b = booking(key);
  if (!b || b.status === to) return;
  const c = liveClient();
  if (!c) return;
  const what = to === "cancelled" ? "cancel the booking" : `make it ${to}`;
  track(c.transitionBooking(b.id, b.version, to, allowOvertime), what, undefined, () => transitionBooking(key, to, true));
  if (to === "cancelled" && get().selected === key) select(undefined, false);
}
