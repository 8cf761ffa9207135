// The board's bookings: a `window` view of the rows and weeks on screen plus
// a margin, moved as the user scrolls, zooms, filters or jumps to a date. So
// the first bar waits for one small snapshot, whatever the studio's size.
//
// The board reports what it shows (`showRegion`, on every render that moves
// it). While that stays inside the current window (or the one being opened),
// nothing happens. Otherwise a new window is subscribed around it: the rows
// in view ± ROW_MARGIN (every row when the studio is small) over the days in
// view ± max(TIME_MARGIN, the days in view). The old window keeps feeding the
// board until the new one's snapshot is applied; then, in that same task, the
// board switches to the new one and the old is unsubscribed.
//
// Live guarantees, from the client's subscriptions (`src/subscription.ts`):
// * no gap: the new window's snapshot is its state as of its `seq`, and every
//   later event touching it follows (the server looks at a booking before and
//   after each change, so one moving into the window arrives, and one moving
//   out arrives and leaves it);
// * no duplicate: each subscription applies an event once (`seq` at most
//   once); the board reads one subscription at a time, never a merge of two;
// * resume: after a reconnect each live window resumes from its own `seq`; a
//   window still waiting for its snapshot asks for it again;
// * this tab's unanswered commands show in a new window too (the client
//   re-applies their optimistic changes when it subscribes).

import type { Change, Subscription, View } from "../../../src/index.js";
import type { Row } from "../model.js";
import { onChange } from "./fold.js";
import { live } from "./live.js";

/** Rows above and below those in view that the window holds. */
const ROW_MARGIN = 40;
/** Rows beyond those in view that must be held before the window moves. */
const ROW_NEED = 8;
/** A studio with at most this many artists in the rows gets all of them in every window. */
const ALL_ROWS_UP_TO = 150;
const DAY = 86_400_000_000; // µs
/** Days before and after those in view that the window holds (at least). */
const TIME_MARGIN = 21 * DAY;
/** Days beyond those in view that must be held before the window moves. */
const TIME_NEED = 2 * DAY;
/** After a refused window (an artist archived meanwhile …), try again this much later, */
const RETRY_MS = 500;
/** … at most this many times in a row (the board's next move tries again anyway). */
const MAX_RETRIES = 5;

interface Win {
  sub: Subscription;
  artists: ReadonlySet<string>;
  start: number;
  end: number;
}

/** The window the board reads, and the one whose snapshot it waits for. */
let current: Win | undefined;
let pending: Win | undefined;
let lastRegion: Parameters<typeof showRegion> | undefined;
/** `lastRegion` has been looked at (else a check is scheduled). */
let checked = true;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
/** Windows refused since the last snapshot. */
let refusals = 0;

/** The artist ids of `rows[from..to]`, in order, once each. */
function artistsOf(rows: readonly Row[], from: number, to: number): string[] {
  const out = new Set<string>();
  for (let i = Math.max(0, from); i <= Math.min(rows.length - 1, to); i++) {
    const r = rows[i]!;
    if (r.kind === "artist") out.add(r.artist.id);
  }
  return [...out];
}

/** How many artists the rows show, remembered per `rows` (the same array while nothing changes). */
const artistCounts = new WeakMap<readonly Row[], number>();
function artistCount(rows: readonly Row[]): number {
  let n = artistCounts.get(rows);
  if (n === undefined) {
    n = artistsOf(rows, 0, rows.length - 1).length;
    artistCounts.set(rows, n);
  }
  return n;
}

function covers(w: Win | undefined, artists: readonly string[], start: number, end: number): boolean {
  return w !== undefined && w.start <= start && end <= w.end && artists.every((a) => w.artists.has(a));
}

/**
 * The board shows `rows[first..last]` over `[from, to)` (µs): moves the
 * window if that is not held (or being fetched) with enough margin.
 */
export function showRegion(rows: readonly Row[], first: number, last: number, from: number, to: number): void {
  const scheduled = lastRegion !== undefined && !checked;
  lastRegion = [rows, first, last, from, to];
  checked = false;
  // Once per task, with the last region: the board's first renders (before
  // and after it measures its viewport) come in one task.
  if (!scheduled) queueMicrotask(check);
}

function check(): void {
  if (checked || lastRegion === undefined) return;
  checked = true;
  const [rows, first, last, from, to] = lastRegion;
  const client = live.client;
  if (!live.windowed || !client || client.state === "closed") return;
  const all = artistCount(rows) <= ALL_ROWS_UP_TO;
  const need = all ? artistsOf(rows, 0, rows.length - 1) : artistsOf(rows, first - ROW_NEED, last + ROW_NEED);
  if (need.length === 0) return;
  const target = pending ?? current;
  if (covers(target, need, from - TIME_NEED, to + TIME_NEED)) return;

  const artists = all ? need : artistsOf(rows, first - ROW_MARGIN, last + ROW_MARGIN);
  const margin = Math.max(TIME_MARGIN, to - from);
  const start = Math.floor((from - margin) / DAY) * DAY;
  const end = Math.ceil((to + margin) / DAY) * DAY;
  const view: View = { kind: "window", artistIds: artists, range: { start, end } };
  const sub = client.subscribe(view);
  const win: Win = { sub, artists: new Set(artists), start, end };
  if (pending) void pending.sub.unsubscribe(); // overtaken before its snapshot came
  pending = win;
  sub.onChange(onWindowChange);
  sub.ready.catch(() => {
    // Refused (an artist archived since the rows were drawn …): ask again shortly, with the rows then.
    if (pending !== win) return;
    pending = undefined;
    if (retryTimer === undefined && refusals++ < MAX_RETRIES)
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        checked = false;
        check();
      }, RETRY_MS);
  });
}

/**
 * After a reconnect: opens a fresh window around the last region shown. The
 * current one resumes meanwhile, but a resume is refused if one of its
 * artists was archived while the connection was down; the fresh one names the
 * rows as they are now and replaces it once its snapshot is in.
 */
export function reopenWindow(): void {
  if (pending) void pending.sub.unsubscribe();
  pending = undefined;
  const w = current;
  if (w) current = { ...w, artists: new Set(), start: 0, end: 0 }; // covers nothing: the next region opens a window
  checked = false;
  check();
}

/** A window's change: the current one's go to the board; the pending one's snapshot makes it current. */
function onWindowChange(change: Change, sub: Subscription): void {
  if (pending?.sub === sub && change.cause === "snapshot") {
    const old = current;
    current = pending;
    pending = undefined;
    refusals = 0;
    live.sub = sub;
    if (old) void old.sub.unsubscribe();
  }
  if (current?.sub === sub) onChange(change, sub);
}

/** Forgets the windows (signed out; the client is closed with them). */
export function resetWindows(): void {
  current = pending = undefined;
  lastRegion = undefined;
  refusals = 0;
  checked = true;
  if (retryTimer !== undefined) clearTimeout(retryTimer);
  retryTimer = undefined;
}
