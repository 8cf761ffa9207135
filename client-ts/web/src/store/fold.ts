// Folding the subscriptions' changes into the store, at most once per frame:
// only the artists whose bookings changed are re-indexed, so a drag by
// someone else costs one row, not the whole studio. Bookings come from
// `live.sub` (a window, `window.ts`); artists, projects and presence from
// `live.studio` (`roster.ts`); a freelancer's one artist view is both.

import type { Artist, Booking, Change, Subscription } from "../../../src/index.js";
import { indexBookings, type ArtistBookings } from "../model.js";
import { followed, live } from "./live.js";
import { snapBack } from "./marks.js";
import { mergeArtist, refreshProject, rosterArtists } from "./roster.js";
import { get, set, type BoardState } from "./state.js";

/** The booking each key had at the last fold, to find the artist it left. */
const lastArtistOf = new Map<string, string>();
let dirtyKeys = new Set<string>();
let dirtyAll = false;
let dirtyArtists = false;
let dirtyPresence = false;
let foldScheduled = false;
/** The first snapshot of this page (for the performance marks). */
let marked = false;

/** Forgets the last fold (signed out: the next session starts from a snapshot). */
export function resetFold(): void {
  lastArtistOf.clear();
  dirtyKeys = new Set();
  dirtyAll = dirtyArtists = dirtyPresence = false;
}

/** The bookings subscription's listener (`live.sub`): notes what changed and schedules a fold. */
export function onChange(change: Change, sub: Subscription): void {
  if (change.cause === "snapshot") {
    dirtyAll = true;
    if (!marked) performance.mark("pt:snapshot");
  }
  for (const k of change.bookings) dirtyKeys.add(k);
  if (sub === live.studio) noteStudio(change, sub);
  if (change.cause === "rollback" && change.cmdId) {
    for (const k of change.bookings) snapBack(k);
  }
  schedule();
}

/** The studio subscription's listener (`live.studio`, when it is not also `live.sub`). */
export function onStudioChange(change: Change, sub: Subscription): void {
  noteStudio(change, sub);
  // Its bookings are not the board's (they come through windows).
  if (dirtyArtists || dirtyPresence) schedule();
}

/** Folds at once what is known (the roster read at sign-in). */
export function foldNow(): void {
  dirtyArtists = true;
  fold();
}

function noteStudio(change: Change, sub: Subscription): void {
  if (live.windowed) {
    // Artists: the newer of the event's and the REST roster's; projects: read again.
    for (const id of change.artists) {
      const a = sub.artists.get(id);
      if (a && mergeArtist(a)) dirtyArtists = true;
    }
    for (const id of change.projects) void refreshProject(id);
  } else if (change.artists.length > 0 || change.cause === "snapshot") dirtyArtists = true;
  if (change.presence.length > 0 || change.cause === "snapshot" || change.cause === "resumed") dirtyPresence = true;
}

function schedule(): void {
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

/** Folds the subscriptions' changes into the store. */
function fold(): void {
  foldScheduled = false;
  const s = live.sub;
  const studio = live.studio;
  if (!studio) return;
  // Windowed, the board is ready once the roster is read (`session.ts`), not at the first event.
  const patch: Partial<BoardState> = live.windowed ? {} : { ready: true };
  if (dirtyArtists) patch.artists = live.windowed ? rosterArtists() : artistsOf(studio);
  if (dirtyPresence) {
    const me = live.client?.sessionId ?? "";
    patch.others = new Map([...studio.presence].filter(([id]) => id !== me));
    patch.mySessionId = me;
  }
  dirtyArtists = dirtyPresence = false;
  if (!s) {
    set(patch);
    return;
  }
  patch.pending = new Set(s.pending);
  if (dirtyAll) {
    patch.index = keepUnchanged(get().index, indexBookings(s.bookings));
    if (!marked) performance.mark("pt:indexed");
    marked = true;
    lastArtistOf.clear();
    for (const [k, b] of s.bookings) lastArtistOf.set(k, b.artistId);
    patch.rev = get().rev + 1;
  } else if (dirtyKeys.size > 0) {
    patch.index = reindex(s, touchedArtists(s));
    patch.rev = get().rev + 1;
  }
  // A selected optimistic create that got its real id: follow it.
  const sel = get().selected;
  if (sel !== undefined && !s.bookings.has(sel)) {
    const to = followed.get(sel);
    if (to && s.bookings.has(to)) patch.selected = to;
  }
  dirtyKeys = new Set();
  dirtyAll = false;
  set(patch);
}

/**
 * `next`, with each artist's entry from `prev` where it holds the same
 * bookings (same keys, versions and lanes): a new window's snapshot then
 * re-renders only the rows whose bookings differ.
 */
function keepUnchanged(prev: ReadonlyMap<string, ArtistBookings>, next: Map<string, ArtistBookings>): Map<string, ArtistBookings> {
  for (const [artistId, entry] of next) {
    const old = prev.get(artistId);
    if (old && old.lanes === entry.lanes && old.placed.length === entry.placed.length && old.placed.every((p, i) => same(p, entry.placed[i]!))) next.set(artistId, old);
  }
  return next;
}

function same(a: ArtistBookings["placed"][number], b: ArtistBookings["placed"][number]): boolean {
  return a.key === b.key && a.booking.version === b.booking.version && a.lane === b.lane && a.lanes === b.lanes && a.booking.status === b.booking.status && a.holdRank === b.holdRank;
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
