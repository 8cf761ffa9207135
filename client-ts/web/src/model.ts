// What the board derives from the materialized view: bookings per artist
// (with lanes for overlaps and hold ranks), the rows after filtering and
// grouping, and the local availability check shown while dragging.
//
// Hold ranks follow the server's rule (actors/src/domain/artist_book.rs):
// a hold's rank is 1 + the active holds of the same artist that overlap it
// and were created before it, ordered by (createdAt, id). Snapshots and
// events carry `createdAt`, so the board computes exactly what
// `GET /bookings/{id}` reports as `holdRank`. An optimistic hold (not yet
// accepted) has `createdAt` = now and a temporary id, so it ranks last.

import type { Artist, Booking, BookingStatus, TimeOff, TimeOffKind, TimeOffStatus, TimeRange } from "../../src/index.js";

export const ACTIVE: ReadonlySet<BookingStatus> = new Set<BookingStatus>(["hold", "pencil", "confirmed"]);
export const EXCLUSIVE: ReadonlySet<BookingStatus> = new Set<BookingStatus>(["pencil", "confirmed"]);

/** The studio's projects the board names (from the tenant snapshot and events, live), by id. */
export type ProjectNames = ReadonlyMap<string, { name: string; color: string; status: string; phases?: readonly PhaseName[] }>;
/** A phase as the board names it (the tenant snapshot's plans carry them; a freelancer's REST list does not). */
export interface PhaseName {
  id: string;
  name: string;
}

export function projectName(id: string | null, projects?: ProjectNames): string {
  if (id === null) return "No project";
  return projects?.get(id)?.name ?? `Project ${id.slice(0, 8)}`;
}

/** The hue of a `#rrggbb` colour (0–360), or undefined when it is grey or malformed. */
export function hueOf(color: string): number | undefined {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return undefined;
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((x) => parseInt(x, 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return undefined;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return Math.round((h * 60 + 360) % 360);
}

/** A small palette for projects the board does not know (yet); a project keeps its colour (by id) everywhere. */
const PROJECT_HUES = [214, 152, 28, 280, 345, 190, 95, 12];
/** The hue bars of a project are drawn in: its own colour's, or a stable one by id. */
export function projectHue(id: string | null, projects?: ProjectNames): number {
  if (id === null) return 220;
  const own = projects?.get(id);
  const hue = own ? hueOf(own.color) : undefined;
  if (hue !== undefined) return hue;
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PROJECT_HUES[h % PROJECT_HUES.length]!;
}

/** The projects a booking may be put on (not archived), by name; `keep` stays listed (a booking's current one). */
export function bookableProjects(projects: ProjectNames, keep?: string | null): string[] {
  const ids = [...projects.entries()].filter(([id, p]) => p.status !== "archived" || id === keep).map(([id]) => id);
  return ids.sort((a, b) => projectName(a, projects).localeCompare(projectName(b, projects)));
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? parts[parts.length - 1]![0]! : "";
  return (first + last).toUpperCase();
}

export function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${s}`;
}

export const STATUS_LABEL: Record<BookingStatus, string> = {
  hold: "Hold",
  pencil: "Pencil",
  confirmed: "Confirmed",
  cancelled: "Cancelled",
  expired: "Expired",
};

/** Status changes the server allows (README, Booking rules). */
export function nextStatuses(from: BookingStatus): BookingStatus[] {
  switch (from) {
    case "hold":
      return ["pencil", "confirmed", "cancelled"];
    case "pencil":
      return ["confirmed", "cancelled"];
    case "confirmed":
      return ["cancelled"];
    default:
      return [];
  }
}

/** One booking as drawn: its key in the view (a temporary id while a create is unanswered), lane and rank. */
export interface Placed {
  key: string;
  booking: Booking;
  lane: number;
  lanes: number;
  holdRank?: number;
}

export interface ArtistBookings {
  /** Active bookings by start. */
  placed: Placed[];
  /** The most lanes any cluster of overlapping bookings needs. */
  lanes: number;
}

/** Active bookings per artist, with lanes (greedy interval partitioning per overlapping cluster) and hold ranks. */
export function indexBookings(bookings: ReadonlyMap<string, Booking>): Map<string, ArtistBookings> {
  const by = new Map<string, { key: string; booking: Booking }[]>();
  for (const [key, b] of bookings) {
    if (!ACTIVE.has(b.status)) continue;
    let list = by.get(b.artistId);
    if (!list) by.set(b.artistId, (list = []));
    list.push({ key, booking: b });
  }
  const out = new Map<string, ArtistBookings>();
  for (const [artistId, list] of by) {
    list.sort((a, b) => a.booking.startTime - b.booking.startTime || a.booking.endTime - b.booking.endTime || cmp(a.key, b.key));
    // Lanes per cluster of overlapping bookings: a booking that overlaps
    // nothing keeps the full row height.
    const placed: Placed[] = [];
    let laneEnds: number[] = [];
    let cluster: Placed[] = [];
    let clusterEnd = -Infinity;
    let maxLanes = 1;
    const close = () => {
      for (const p of cluster) p.lanes = laneEnds.length;
      maxLanes = Math.max(maxLanes, laneEnds.length);
      cluster = [];
      laneEnds = [];
    };
    for (const { key, booking } of list) {
      if (booking.startTime >= clusterEnd) close();
      let lane = laneEnds.findIndex((end) => end <= booking.startTime);
      if (lane < 0) lane = laneEnds.push(booking.endTime) - 1;
      else laneEnds[lane] = booking.endTime;
      const p: Placed = { key, booking, lane, lanes: 1 };
      cluster.push(p);
      placed.push(p);
      clusterEnd = Math.max(clusterEnd, booking.endTime);
    }
    close();
    // Hold ranks: holds only, in (createdAt, id) order.
    const holds = placed.filter((p) => p.booking.status === "hold");
    for (const h of holds) {
      let earlier = 0;
      for (const o of holds) {
        if (o === h) continue;
        if (o.booking.startTime < h.booking.endTime && h.booking.startTime < o.booking.endTime && createdBefore(o.booking, h.booking)) earlier++;
      }
      h.holdRank = earlier + 1;
    }
    out.set(artistId, { placed, lanes: maxLanes });
  }
  return out;
}

function createdBefore(a: Booking, b: Booking): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type GroupBy = "none" | "skill" | "project";

export interface Filters {
  text: string;
  skill: string;
  project: string;
  groupBy: GroupBy;
}

export type Row =
  | { kind: "group"; key: string; label: string; count: number }
  | { kind: "artist"; key: string; artist: Artist; group?: string };

/**
 * Rows after filtering and grouping. Skill groups use an artist's first
 * (primary) skill; project groups list an artist under every project they
 * have an active booking in, then "No project" for the rest.
 */
export function buildRows(artists: Artist[], index: Map<string, ArtistBookings>, f: Filters, projects?: ProjectNames): Row[] {
  const text = f.text.trim().toLowerCase();
  const visible = artists.filter(
    (a) =>
      !a.archivedAt &&
      (f.skill === "" || a.skills.includes(f.skill)) &&
      (text === "" || a.name.toLowerCase().includes(text) || a.skills.some((s) => s.includes(text))) &&
      (f.project === "" || (index.get(a.id)?.placed.some((p) => (p.booking.projectId ?? "") === f.project) ?? false)),
  );
  if (f.groupBy === "none") return visible.map((artist) => ({ kind: "artist", key: artist.id, artist }));
  const groups = new Map<string, Artist[]>();
  const add = (g: string, a: Artist) => {
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(a);
  };
  for (const a of visible) {
    if (f.groupBy === "skill") add(a.skills[0] ?? "", a);
    else {
      const projects = new Set((index.get(a.id)?.placed ?? []).map((p) => p.booking.projectId ?? ""));
      if (projects.size === 0) add("", a);
      for (const p of projects) add(p, a);
    }
  }
  const label = (g: string) => (f.groupBy === "skill" ? g || "No skill" : projectName(g || null, projects));
  const keys = [...groups.keys()].sort((a, b) => (a === "" ? 1 : b === "" ? -1 : label(a).localeCompare(label(b))));
  const rows: Row[] = [];
  for (const g of keys) {
    const list = groups.get(g)!;
    rows.push({ kind: "group", key: `g:${g}`, label: label(g), count: list.length });
    for (const artist of list) rows.push({ kind: "artist", key: `${g}:${artist.id}`, artist, group: g });
  }
  return rows;
}

/** How many artists the rows show: grouped by project, one artist may have a row in several groups. */
export function countArtists(rows: Row[]): number {
  const ids = new Set<string>();
  for (const r of rows) if (r.kind === "artist") ids.add(r.artist.id);
  return ids.size;
}

export interface FreeCheck {
  free: boolean;
  /** Exclusive bookings in the way. */
  conflicts: Booking[];
  /** Holds overlapping the range (a hold would queue behind them). */
  holds: number;
}

/**
 * Whether `[start, end)` is free for a booking of `status` on `artistId`,
 * against the local view (ignoring `ignoreKey`, the booking being dragged).
 * Holds may overlap anything; pencil and confirmed must not overlap another
 * pencil or confirmed booking. The server decides for real.
 */
export function checkFree(
  index: Map<string, ArtistBookings>,
  artistId: string,
  start: number,
  end: number,
  status: BookingStatus,
  ignoreKey?: string,
): FreeCheck {
  const conflicts: Booking[] = [];
  let holds = 0;
  for (const p of index.get(artistId)?.placed ?? []) {
    if (p.key === ignoreKey || p.booking.id === ignoreKey) continue;
    const b = p.booking;
    if (!(b.startTime < end && start < b.endTime)) continue;
    if (EXCLUSIVE.has(b.status)) conflicts.push(b);
    else if (b.status === "hold") holds++;
  }
  const free = status === "hold" || conflicts.length === 0;
  return { free, conflicts, holds };
}

// ---- time off ------------------------------------------------------------------
//
// An artist's `timeOff` is a list of entries (requested, approved, declined,
// cancelled), by start. Only approved ones count: the server refuses pencil
// and confirmed bookings over them (`unavailable`, unless `allowOvertime`);
// holds may sit anywhere. The board shades approved time off, and hatches
// requested time off lighter.

/** An artist's approved time off as ranges: sorted by start, overlapping or touching ones merged. */
export function approvedOff(timeOff: readonly TimeOff[]): TimeRange[] {
  return normalizeTimeOff(timeOff.filter((e) => e.status === "approved"));
}

/** The entries with `status` that overlap `[from, to)`, by start. */
export function entriesIn(timeOff: readonly TimeOff[], status: TimeOffStatus, from: number, to: number): TimeOff[] {
  return timeOff.filter((e) => e.status === status && e.start < to && e.end > from && e.end > e.start).sort((a, b) => a.start - b.start);
}

/** The ranges that overlap `[from, to)` (half-open: touching is not overlapping), in order. */
export function timeOffIn(timeOff: readonly TimeRange[], from: number, to: number): TimeRange[] {
  const out: TimeRange[] = [];
  for (const r of timeOff) {
    if (r.start >= to) break; // sorted by start
    if (r.end > from && r.end > r.start) out.push(r);
  }
  return out;
}

/** Whether `[start, end)` overlaps any of the time off. */
export function overlapsTimeOff(timeOff: readonly TimeRange[], start: number, end: number): boolean {
  return end > start && timeOffIn(timeOff, start, end).length > 0;
}

/** Sorted by start, overlapping or touching ranges merged, empty ones dropped. */
export function normalizeTimeOff(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

type Who = { role: string; artistId?: string } | undefined;

/** Whether the signed-in user approves and records time off (`time_off:approve`): owners and managers. */
export function mayApproveTimeOff(session: Who): boolean {
  return session?.role === "studio_owner" || session?.role === "studio_manager";
}

/** Whether the signed-in user changes bookings (`bookings:update`: create, move, resize, edit, cancel): owners and managers. */
export function mayEditBookings(session: Who): boolean {
  return mayApproveTimeOff(session);
}

/**
 * Whether the signed-in user answers `b` (`bookings:respond`): a freelancer,
 * on a hold or pencil of their own artist (accept confirms, decline cancels).
 */
export function mayRespond(session: Who, b: Pick<Booking, "artistId" | "status">): boolean {
  return session?.role === "freelancer" && session.artistId === b.artistId && (b.status === "hold" || b.status === "pencil");
}

/**
 * Whether the signed-in user may open `artistId`'s time off: owners and
 * managers anyone's (recorded approved), a freelancer their own (requests).
 */
export function mayManageTimeOff(session: Who, artistId: string): boolean {
  if (mayApproveTimeOff(session)) return true;
  return session?.role === "freelancer" && session.artistId === artistId;
}

/**
 * What the signed-in user may do to an entry of `artistId`: owners and
 * managers cancel requested or approved entries; a freelancer withdraws their
 * own requested ones.
 */
export function timeOffAction(session: Who, artistId: string, entry: TimeOff): "cancel" | "withdraw" | undefined {
  if (entry.status !== "requested" && entry.status !== "approved") return undefined;
  if (mayApproveTimeOff(session)) return "cancel";
  return session?.role === "freelancer" && session.artistId === artistId && entry.status === "requested" ? "withdraw" : undefined;
}

export const TIME_OFF_KIND: Record<TimeOffKind, string> = { vacation: "Vacation", sick: "Sick", other: "Other" };
export const TIME_OFF_STATUS: Record<TimeOffStatus, string> = {
  requested: "Requested — awaiting approval",
  approved: "Approved",
  declined: "Declined",
  cancelled: "Cancelled",
};
