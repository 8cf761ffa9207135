// Booking commands from the board. Every command is tracked from send to
// durable: `sending` (the view shows the expected result, `pending`),
// `saving` (accepted and sequenced), then `saved` (the durable watermark
// passed it) for a moment. A refusal rolls the optimistic change back (the
// client does) and raises a notice (`notices.ts`); one refused as
// `unavailable` (time off, a holiday, outside working hours) can be re-sent
// with `allowOvertime` from the notice. Each command is recorded in this
// session's undo history (`history.ts`) unless it is itself an undo or redo
// (`undoable: false`); a refused one is forgotten there.

import type { Booking, BookingAccepted, BookingAnswer, BookingPatch, BookingStatus, Client, CommandPromise, NewBooking } from "../../../src/index.js";
import { record } from "./history.js";
import { booking, followed, live } from "./live.js";
import { markSaved } from "./marks.js";
import { notify, refused } from "./notices.js";
import { publishPresence, select } from "./selection.js";
import { get, set, type Window } from "./state.js";
import { fieldsOf, type Edit, type Fields } from "./undoPlan.js";

/** Options of a command: `undoable: false` for undo's own compensations (not recorded). */
export interface SendOptions {
  undoable?: boolean;
}

/** Records `edit` unless told not to; returns what forgets it. */
function recorded(label: string, edit: Edit, opts?: SendOptions): (() => void) | undefined {
  return opts?.undoable === false ? undefined : record({ label, edit });
}

function bump<K>(m: ReadonlyMap<K, number>, k: K, by: number): Map<K, number> {
  const next = new Map(m);
  const n = (next.get(k) ?? 0) + by;
  if (n <= 0) next.delete(k);
  else next.set(k, n);
  return next;
}

/** Follows a command from accepted to durable; a refusal raises a notice. */
function track(p: CommandPromise<BookingAccepted>, what: string, retry?: (w: Window) => void, overtime?: () => void, forget?: () => void, queue?: () => void): void {
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
          forget?.();
          refused(e, what);
        },
      );
    },
    (e: unknown) => {
      forget?.();
      refused(e, what, retry, overtime, queue);
    },
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

export function createBooking(input: NewBooking, opts?: SendOptions): string | undefined {
  const c = liveClient();
  if (!c) return undefined;
  const p = c.createBooking(input);
  const retry = (w: Window) => createBooking({ ...input, startTime: w.start, endTime: w.end }, opts);
  // Booked anyway: the new booking is selected (and its panel open) as the refused one was.
  const overtime = () => {
    const key = createBooking({ ...input, allowOvertime: true }, opts);
    if (key) select(key, true);
  };
  const shown = booking(p.cmdId);
  const after: Fields = shown
    ? fieldsOf(shown)
    : { ...input, projectId: input.projectId ?? null, notes: input.notes ?? null, status: input.status ?? "pencil", expiresAt: input.expiresAt ?? null };
  // Busy: wait as the next hold, and take the slot when it frees (the hold queue).
  const queue =
    (input.status ?? "pencil") === "hold"
      ? undefined
      : () => {
          const key = createBooking({ ...input, queueIfBusy: true }, opts);
          if (key) select(key, true);
        };
  const forget = recorded("create the booking", { kind: "create", key: p.cmdId, after }, opts);
  track(p, "create the booking", retry, overtime, forget, queue);
  return p.cmdId;
}

/** The input that creates a booking with `f` again (an expired hold's lapse time is left to the studio's default). */
export function inputOf(f: Fields): NewBooking {
  const now = Date.now() * 1000;
  return {
    artistId: f.artistId,
    title: f.title,
    startTime: f.startTime,
    endTime: f.endTime,
    status: f.status,
    ...(f.projectId ? { projectId: f.projectId } : {}),
    ...(f.projectId && f.phaseId ? { phaseId: f.phaseId } : {}),
    ...(f.notes ? { notes: f.notes } : {}),
    ...(f.status === "hold" && f.expiresAt !== null && f.expiresAt > now ? { expiresAt: f.expiresAt } : {}),
    ...(f.allowOvertime ? { allowOvertime: true } : {}),
  };
}

/**
 * Changes a booking (times, artist, title, notes, project) against the version
 * the view shows. Onto approved time off, a holiday or outside working hours
 * the server refuses a pencil or confirmed booking (`unavailable`); the notice
 * offers to re-send it as overtime.
 */
export function updateBooking(key: string, patch: Omit<BookingPatch, "version">, what = "change the booking", opts?: SendOptions): void {
  const b = booking(key);
  if (!b) return;
  if (get().pending.has(key) && !live.sub?.serverBookings.has(b.id)) {
    notify({ tone: "info", title: "Still saving", message: "This booking is still being created; try again in a moment." });
    return;
  }
  const c = liveClient();
  if (!c) return;
  const before = fieldsOf(b);
  const p = c.updateBooking(b.id, { version: b.version, ...patch });
  const duration = (patch.endTime ?? b.endTime) - (patch.startTime ?? b.startTime);
  const retry =
    patch.startTime !== undefined || patch.endTime !== undefined
      ? (w: Window) => updateBooking(key, { ...patch, startTime: w.start, endTime: w.start + duration }, what, opts)
      : undefined;
  const after: Fields = { ...before };
  for (const [k, v] of Object.entries(patch)) if (k !== "allowOvertime") (after as unknown as Record<string, unknown>)[k] = v;
  // Another project clears the phase on the server unless the patch names one: undo puts it back too.
  if (patch.projectId !== undefined && patch.projectId !== before.projectId && patch.phaseId === undefined) after.phaseId = undefined;
  const forget = recorded(what, { kind: "update", key, before, after }, opts);
  track(p, what, retry, () => updateBooking(key, { ...patch, allowOvertime: true }, what, opts), forget);
}

/** Changes a booking's status; `allowOvertime` promotes it over time off, a holiday or non-working hours anyway. */
export function transitionBooking(key: string, to: BookingStatus, allowOvertime?: boolean, opts?: SendOptions): void {
  const b = booking(key);
  if (!b || b.status === to) return;
  const c = liveClient();
  if (!c) return;
  const what = to === "cancelled" ? "cancel the booking" : `make it ${to}`;
  const before = fieldsOf(b);
  const edit: Edit = to === "cancelled" ? { kind: "cancel", key, before } : { kind: "status", key, before, after: { ...before, status: to } };
  const forget = recorded(what, edit, opts);
  track(c.transitionBooking(b.id, b.version, to, allowOvertime), what, undefined, () => transitionBooking(key, to, true, opts), forget);
  if (to === "cancelled" && get().selected === key) select(undefined, false);
}

/** A freelancer's answer to a hold or pencil offered to them: accept confirms it, decline cancels it (not undoable). */
export function respondToBooking(key: string, answer: BookingAnswer): void {
  const b = booking(key);
  if (!b) return;
  const c = liveClient();
  if (!c) return;
  track(c.respondToBooking(b.id, answer, b.version), answer === "accept" ? "accept the booking" : "decline the booking");
  if (answer === "decline" && get().selected === key) select(undefined, false);
}

/** Challenge the 1st hold `firstKey` with the hold `byKey` behind it (not undoable: its holder is given a deadline). */
export function challengeHold(firstKey: string, byKey: string): void {
  const first = booking(firstKey);
  const by = booking(byKey);
  if (!first || !by) return;
  const c = liveClient();
  if (!c) return;
  track(c.challengeHold(first.id, by.id, first.version), "challenge the 1st hold");
}
