// Time-off commands from the web app: request (or, for owners and managers,
// record) time off, approve or decline a request, cancel or withdraw an entry.
// They have no optimistic state: the server's `timeOff…` event carries the
// whole artist, which the view applies like `artistUpdated` (the board and the
// approval queue re-render from it, in every tab).

import { CommandError, type NewTimeOff, type TimeOffDecision } from "../../../src/index.js";
import { live } from "./live.js";

/** Sends `command` on the live client; resolves when the server accepted it, rejects with a readable message. */
async function send(command: (c: NonNullable<typeof live.client>) => Promise<unknown>): Promise<void> {
  const client = live.client;
  if (!client || client.state === "closed") throw new Error("Not connected: the change was not sent.");
  try {
    await command(client);
  } catch (e) {
    throw new Error(timeOffReason(e));
  }
}

/** A freelancer asks for time off for their own artist; an owner or manager records it, approved. */
export function requestTimeOff(artistId: string, timeOff: NewTimeOff): Promise<void> {
  return send((c) => c.requestTimeOff(artistId, timeOff));
}

export function decideTimeOff(id: string, decision: TimeOffDecision): Promise<void> {
  return send((c) => c.decideTimeOff(id, decision));
}

/** Cancels an entry (owner, manager) or withdraws one's own request (freelancer). */
export function cancelTimeOff(id: string): Promise<void> {
  return send((c) => c.cancelTimeOff(id));
}

function timeOffReason(e: unknown): string {
  if (!(e instanceof CommandError)) return e instanceof Error ? e.message : String(e);
  switch (e.code) {
    case "forbidden":
      return "You may not change this time off.";
    case "not_found":
      return "This artist or time off no longer exists.";
    default:
      return `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}${/[.!?]$/.test(e.message) ? "" : "."}`;
  }
}
