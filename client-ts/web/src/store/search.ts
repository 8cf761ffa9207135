// "Find someone": the search (`GET /api/v1/artists/search`, owners and
// managers) and the hold a result places when it is dropped on the board.
// The panel keeps the search's answer; this module only asks and books.

import { z } from "zod";
import { apiCall, query } from "../api.js";
import { ArtistMatch } from "../rest.js";
import { fromLocalInput } from "../time.js";
import { createBooking } from "./commands.js";
import { select } from "./selection.js";
import { get, set } from "./state.js";

/** A skill asked for, with the least level (1–5) it must have, if any. */
export interface WantedSkill {
  name: string;
  level?: number;
}

export interface SearchQuery {
  skills: WantedSkill[];
  /** First and last day, inclusive (`YYYY-MM-DD`, the board's local calendar). */
  from: string;
  to: string;
  minFreeDays?: number;
}

/** `compositing:3,nuke`: the route's `skills` parameter. */
export function skillsParam(skills: readonly WantedSkill[]): string {
  return skills.map((s) => (s.level ? `${s.name}:${s.level}` : s.name)).join(",");
}

/** The ranked matches for `q` (the server ranks them). */
export function searchArtists(q: SearchQuery): Promise<ArtistMatch[]> {
  const from = fromLocalInput(`${q.from}T00:00`);
  const last = fromLocalInput(`${q.to}T00:00`);
  if (from === undefined || last === undefined || last < from) return Promise.reject(new Error("The last day must not be before the first."));
  const to = new Date(last / 1000);
  to.setDate(to.getDate() + 1);
  const params = {
    skills: skillsParam(q.skills),
    from: new Date(from / 1000).toISOString(),
    to: to.toISOString(),
    minFreeDays: q.minFreeDays,
    limit: 20,
  };
  return apiCall("GET", `/artists/search${query(params)}`, z.array(ArtistMatch));
}

/** Opens (or closes) the "Find someone" panel; a booking's or an artist's panel closes. */
export function openFind(open: boolean): void {
  set(open ? { findOpen: true, panelOpen: false, artistPanel: undefined } : { findOpen: false });
}

/**
 * Places a hold for `artistId` over `[start, end)` (holds may sit anywhere:
 * over time off or outside working hours they only warn), selected but with
 * the "Find someone" panel kept open. Returns the bar's key.
 */
export function placeHold(artistId: string, start: number, end: number, title: string): string | undefined {
  const project = get().filters.project;
  const key = createBooking({ artistId, title, startTime: start, endTime: end, status: "hold", ...(project ? { projectId: project } : {}) });
  if (key) select(key, false);
  return key;
}
