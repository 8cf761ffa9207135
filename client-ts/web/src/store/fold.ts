// Folding the subscription's changes into the store, at most once per frame:
// only the artists whose bookings changed are re-indexed, so a drag by
// someone else costs one row, not the whole studio.

import type { Artist, Booking, Change, Subscription } from "../../../src/index.js";
import { indexBookings } from "../model.js";
import { followed, live } from "./live.js";
import { snapBack } from "./marks.js";
import { get, set, type BoardState } from "./state.js";

/** The booking each key had at the last fold, to find the artist it left. */
const lastArtistOf = new Map<string, string>();
let dirtyKeys = new Set<string>();
let dirtyAll = false;
let dirtyArtists = false;
let dirtyPresence = false;
let dirtyProjects = false;
let foldScheduled = false;

/** Forgets the last fold (signed out: the next session starts from a snapshot). */
export function resetFold(): void {
  lastArtistOf.clear();
}

/** The subscription's listener: notes what changed and schedules a fold. */
export function onChange(change: Change): void {
  if (change.cause === "snapshot") {
    dirtyAll = true;
    performance.mark("pt:snapshot");
  }
  for (const k of change.bookings) dirtyKeys.add(k);
  if (change.artists.length > 0) dirtyArtists = true;
  if (change.projects.length > 0) dirtyProjects = true;
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
  const s = live.sub;
  if (!s) return;
  const patch: Partial<BoardState> = { ready: true, pending: new Set(s.pending) };
  if (dirtyArtists || dirtyAll) patch.artists = artistsOf(s);
  // An artist view (a freelancer's) has no plans: its names come from REST (`session.ts`).
  if (dirtyProjects) patch.projects = new Map([...s.projects].map(([id, plan]) => [id, { ...plan.project, phases: plan.phases }]));
  if (dirtyAll) {
    patch.index = indexBookings(s.bookings);
    performance.mark("pt:indexed");
    lastArtistOf.clear();
    for (const [k, b] of s.bookings) lastArtistOf.set(k, b.artistId);
    patch.rev = get().rev + 1;
  } else if (dirtyKeys.size > 0) {
    patch.index = reindex(s, touchedArtists(s));
    patch.rev = get().rev + 1;
  }
  if (dirtyPresence) {
    const me = live.client?.sessionId ?? "";
    patch.others = new Map([...s.presence].filter(([id]) => id !== me));
    patch.mySessionId = me;
  }
  // A selected optimistic create that got its real id: follow it.
  const sel = get().selected;
  if (sel !== undefined && !s.bookings.has(sel)) {
    const to = followed.get(sel);
    if (to && s.bookings.has(to)) patch.selected = to;
  }
  dirtyKeys = new Set();
  dirtyAll = dirtyArtists = dirtyPresence = dirtyProjects = false;
  set(patch);
}

/** The artists a changed booking left or joined (and remembers where each is now). */
function touchedArtists(s: Subscription): Set<string> {
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
  return touched;
}

/** The index with only `touched` artists' rows rebuilt. */
function reindex(s: Subscription, touched: Set<string>): BoardState["index"] {
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
  return index;
}

/** The view's artists (not archived), by name. */
export function artistsOf(s: Subscription): Artist[] {
  return [...s.artists.values()].filter((a) => !a.archivedAt).sort((a, b) => a.name.localeCompare(b.name));
}
