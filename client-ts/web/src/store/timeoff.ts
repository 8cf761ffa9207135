// Changing an artist's time off from the board. Artist commands have no
// optimistic state in the client, so what was sent is shown at once (see
// `timeOffSent` in `live.ts`) until the view has the server's version.

import { CommandError, type TimeRange } from "../../../src/index.js";
import { artistsOf } from "./fold.js";
import { live, timeOffSent } from "./live.js";
import { set } from "./state.js";

/**
 * Replaces an artist's time off with `timeOff` (the whole new list:
 * `UpdateArtist` with `patch.timeOff`). The board shows it at once; a
 * refusal puts the view's list back and rejects with a readable message.
 * Resolves when the server accepted it.
 */
export function setTimeOff(artistId: string, timeOff: TimeRange[]): Promise<void> {
  const client = live.client;
  if (!client || client.state === "closed") return Promise.reject(new Error("Not connected: the change was not sent."));
  const p = client.updateArtist(artistId, { timeOff });
  timeOffSent.set(artistId, { cmdId: p.cmdId, timeOff });
  const show = () => {
    if (live.sub) set({ artists: artistsOf(live.sub) });
  };
  show();
  return p.then(
    (acc) => {
      const sent = timeOffSent.get(artistId);
      if (sent?.cmdId === p.cmdId) {
        // What the server stored (merged); kept until the view has this version.
        sent.timeOff = acc.result.artist.timeOff;
        sent.version = acc.result.artist.version;
      }
      show();
    },
    (e: unknown) => {
      if (timeOffSent.get(artistId)?.cmdId === p.cmdId) timeOffSent.delete(artistId);
      show();
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
