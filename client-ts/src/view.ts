// Which bookings a view holds, and the expected result of a booking command
// (what optimistic state shows until the server answers).
//
// View membership mirrors the server's: the whole studio; one artist's
// bookings; one project's bookings; a board window = some artists over a
// half-open range `[start, end)`. A booking that stops matching (moved to
// another artist, out of the window) leaves the view.

import type { Booking } from "./generated/Booking.js";
import type { BookingPatch } from "./generated/BookingPatch.js";
import type { BookingStatus } from "./generated/BookingStatus.js";
import type { Command } from "./generated/Command.js";
import type { NewBooking } from "./generated/NewBooking.js";
import type { View } from "./generated/View.js";

/** Whether `booking` belongs in `view`. */
export function bookingInView(view: View, booking: Booking): boolean {
  switch (view.kind) {
    case "tenant":
      return true;
    case "artist":
      return booking.artistId === view.artistId;
    case "project":
      return booking.projectId === view.projectId;
    case "window":
      return (
        view.artistIds.includes(booking.artistId) &&
        booking.startTime < view.range.end &&
        view.range.start < booking.endTime
      );
  }
}

/** Now, in the protocol's unit (microseconds since the Unix epoch). */
export function nowMicros(): number {
  return Date.now() * 1000;
}

/**
 * The booking a `createBooking` is expected to produce. The server picks the
 * real id; until it answers, the optimistic booking goes by the command's id.
 */
export function expectedCreate(tempId: string, input: NewBooking, now: number = nowMicros()): Booking {
  const status: BookingStatus = input.status ?? "pencil";
  return {
    id: tempId,
    artistId: input.artistId,
    projectId: input.projectId ?? null,
    title: input.title,
    notes: input.notes ?? null,
    startTime: input.startTime,
    endTime: input.endTime,
    status,
    // The server fills in the studio's default hold duration; unknown here.
    expiresAt: status === "hold" ? (input.expiresAt ?? null) : null,
    version: 1,
    createdAt: now,
    createdBy: "",
    updatedAt: now,
    updatedBy: "",
  };
}

/** The booking an `updateBooking` is expected to produce from `current`. */
export function expectedUpdate(current: Booking, patch: BookingPatch, now: number = nowMicros()): Booking {
  const next: Booking = { ...current, version: current.version + 1, updatedAt: now };
  if (patch.artistId !== undefined) next.artistId = patch.artistId;
  if (patch.projectId !== undefined) {
    // Another project clears the phase unless the patch names one (the server's rule).
    if (patch.projectId !== current.projectId) delete next.phaseId;
    next.projectId = patch.projectId;
  }
  if (patch.phaseId !== undefined) {
    if (patch.phaseId === null) delete next.phaseId;
    else next.phaseId = patch.phaseId;
  }
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.notes !== undefined) next.notes = patch.notes;
  if (patch.startTime !== undefined) next.startTime = patch.startTime;
  if (patch.endTime !== undefined) next.endTime = patch.endTime;
  if (patch.expiresAt !== undefined && current.status === "hold") next.expiresAt = patch.expiresAt;
  return next;
}

/** The booking a `transitionBooking` is expected to produce from `current`. */
export function expectedTransition(current: Booking, to: BookingStatus, now: number = nowMicros()): Booking {
  const next: Booking = {
    ...current,
    status: to,
    expiresAt: to === "hold" ? current.expiresAt : null,
    version: current.version + 1,
    updatedAt: now,
  };
  // Any change of status answers a challenge and takes a hold off the waiting list (the server's rule).
  delete next.challengedBy;
  delete next.queuedFor;
  return next;
}

function isActive(b: Booking): boolean {
  return b.status === "hold" || b.status === "pencil" || b.status === "confirmed";
}

/** Where a command's expected result goes in a view's `bookings`, and how to compute it. */
export interface ExpectedChange {
  key: string;
  apply: (current: Booking | undefined) => Booking | undefined;
}

/**
 * The optimistic effect of a booking command (`undefined` for the others).
 * `known` looks a booking up in any view: a booking moving into a view is not
 * in that view yet, and its expected state starts from what another view holds.
 */
export function expectedChange(
  cmdId: string,
  command: Command,
  known: (id: string) => Booking | undefined,
): ExpectedChange | undefined {
  switch (command.kind) {
    case "createBooking": {
      const expected = expectedCreate(cmdId, command.booking);
      return { key: cmdId, apply: (cur) => cur ?? expected };
    }
    case "updateBooking": {
      const before = known(command.id);
      const patch = command.patch;
      return {
        key: command.id,
        apply: (cur) => {
          const base = cur ?? before;
          return base ? expectedUpdate(base, patch) : undefined;
        },
      };
    }
    case "transitionBooking": {
      const to = command.to;
      return { key: command.id, apply: (cur) => (cur ? expectedTransition(cur, to) : undefined) };
    }
    case "cancelBooking":
      return { key: command.id, apply: (cur) => (cur && isActive(cur) ? expectedTransition(cur, "cancelled") : cur) };
    case "respondToBooking": {
      const to = command.response === "accept" ? "confirmed" : "cancelled";
      return { key: command.id, apply: (cur) => (cur ? expectedTransition(cur, to) : undefined) };
    }
    default:
      return undefined;
  }
}
