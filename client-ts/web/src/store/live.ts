// The live connection behind the store, kept outside the rendered state: the
// client, its one subscription, and what this tab sent that the view has not
// caught up with yet (a create's real id). Module state:
// set by `session.ts`, read by the commands and the fold.

import type { Booking, Client, Subscription } from "../../../src/index.js";

export const live: { client: Client | undefined; sub: Subscription | undefined } = { client: undefined, sub: undefined };

/** cmdId of a create → the booking id the server gave it. */
export const followed = new Map<string, string>();

/** The booking under `key` in the view (with this tab's optimistic changes). */
export function booking(key: string | undefined): Booking | undefined {
  return key === undefined ? undefined : live.sub?.bookings.get(key);
}
