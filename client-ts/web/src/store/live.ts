// The live connection behind the store, kept outside the rendered state: the
// client, its subscriptions, and what this tab sent that the view has not
// caught up with yet (a create's real id). Module state: set by `session.ts`
// and `window.ts`, read by the commands and the fold.
//
// Two roles, one subscription each (the same one for a freelancer):
// * `sub`: the bookings the board shows — the current window (`window.ts`),
//   or a freelancer's own artist view;
// * `studio`: presence, and the artist and project events — a tenant view
//   started without a snapshot (`roster.ts`), or the freelancer's artist view.

import type { Booking, Client, Subscription } from "../../../src/index.js";

export const live: {
  client: Client | undefined;
  sub: Subscription | undefined;
  studio: Subscription | undefined;
  /** The bookings come through windows (everyone but a freelancer). */
  windowed: boolean;
} = { client: undefined, sub: undefined, studio: undefined, windowed: false };

/** cmdId of a create → the booking id the server gave it. */
export const followed = new Map<string, string>();

/** The booking under `key` in the view (with this tab's optimistic changes). */
export function booking(key: string | undefined): Booking | undefined {
  return key === undefined ? undefined : live.sub?.bookings.get(key);
}
