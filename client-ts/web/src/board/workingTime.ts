// Working time, for durations ("2 d 4 h") and the rows' shading: an artist's
// working spans are their own weekly hours on their clock, else the studio's
// working week on the studio's clock (09:00–18:00 when its hours are not
// known), minus the studio's holidays and the artist's approved time off.
// Pure (no store): the board passes the calendar in.

import type { Artist, TimeRange } from "../../../src/index.js";
import { approvedOff } from "../model.js";
import { US_PER_MIN, addDays, dayKey, isoWeekday, zoneOffsetMs, zonedInstant, type Span, type WorkingWeek } from "../time.js";

export interface WorkCalendar {
  /** The artist's zone (their own hours are on its clock). */
  timeZone: string;
  /** The artist's own weekly hours; absent: the studio's week. */
  intervals?: readonly { day: number; start: string; end: string }[] | undefined;
  week: WorkingWeek;
  /** Studio holidays, "YYYY-MM-DD". */
  holidays: ReadonlySet<string>;
  /** Approved time off, sorted by start. */
  off?: readonly TimeRange[];
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** A zone's offset (ms) where it is the same all over a range (no clock change in it): the wall clock then maps to instants without asking Intl per time. */
type Offsets = Map<string, number | undefined>;

function steadyOffset(tz: string, from: number, to: number, offsets: Offsets): number | undefined {
  if (offsets.has(tz)) return offsets.get(tz);
  let off: number | undefined;
  try {
    const a = zoneOffsetMs(Math.floor(from / 1000) - 86_400_000, tz);
    off = a === zoneOffsetMs(Math.floor(to / 1000) + 86_400_000, tz) ? a : undefined;
  } catch {
    off = undefined; // an unknown zone: zonedInstant says so
  }
  offsets.set(tz, off);
  return off;
}

/** The instant the clock in `tz` reads `minutes` on that date (`off`: the zone's steady offset, when known). */
function wall(d: Date, minutes: number, tz: string, off: number | undefined): number {
  if (off === undefined) return zonedInstant(d.getFullYear(), d.getMonth(), d.getDate(), minutes, tz);
  return (Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), 0, minutes) - off) * 1000;
}

/** The working spans of the calendar day of local midnight `day` (before holidays and time off). */
function daySpans(day: number, cal: WorkCalendar, offsetOf: (tz: string) => number | undefined = () => undefined): Span[] {
  const weekday = isoWeekday(day);
  const own = cal.intervals?.filter((i) => i.day === weekday).map((i) => ({ start: minutes(i.start), end: minutes(i.end), tz: cal.timeZone }));
  const studio = cal.week.days.has(weekday) ? [{ start: cal.week.start ?? 9 * 60, end: cal.week.end ?? 18 * 60, tz: cal.week.timeZone ?? cal.timeZone }] : [];
  const d = new Date(day / 1000);
  const out: Span[] = [];
  for (const i of own ?? studio) {
    try {
      const off = offsetOf(i.tz);
      const start = wall(d, i.start, i.tz, off);
      const end = wall(d, i.end, i.tz, off);
      if (end > start) out.push({ start, end });
    } catch {
      // an unknown zone: no working time known that day
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * `daySpans`, remembered per hours (the artist's intervals, or the studio's
 * week: objects the store keeps while they do not change), zone and day — a
 * row re-rendered on scroll asks for the same days again and again.
 */
const remembered = new WeakMap<object, Map<string, Span[]>>();
function daySpansOnce(day: number, cal: WorkCalendar, offsetOf: (tz: string) => number | undefined): Span[] {
  const owner: object = cal.intervals ?? cal.week;
  let byDay = remembered.get(owner);
  if (!byDay || byDay.size > 4096) remembered.set(owner, (byDay = new Map()));
  const key = `${cal.timeZone}|${day}`;
  let spans = byDay.get(key);
  if (!spans) byDay.set(key, (spans = daySpans(day, cal, offsetOf)));
  return spans;
}

/** Per calendar day overlapping `[from, to)`: its working spans (holidays: none), in order. */
function days(from: number, to: number, cal: WorkCalendar): Span[][] {
  const out: Span[][] = [];
  const offsets: Offsets = new Map();
  const offsetOf = (tz: string) => steadyOffset(tz, from, to, offsets);
  // A day before and after: another zone's working day may reach into the range.
  for (let d = addDays(from, -1); d < addDays(to, 1); d = addDays(d, 1)) {
    if (cal.holidays.size > 0 && cal.holidays.has(dayKey(d))) continue;
    const spans = daySpansOnce(d, cal, offsetOf);
    if (spans.some((s) => s.end > from && s.start < to)) out.push(spans);
  }
  return out;
}

/** `spans` minus `off` (both sorted), clipped to `[from, to)`. */
function clip(spans: readonly Span[], from: number, to: number, off: readonly TimeRange[] = []): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    let start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    for (const o of off) {
      if (o.end <= start || o.start >= end) continue;
      if (o.start > start) out.push({ start, end: o.start });
      start = Math.max(start, o.end);
    }
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** The working spans in `[from, to)`, holidays and time off taken out. */
export function workingSpans(from: number, to: number, cal: WorkCalendar): Span[] {
  return days(from, to, cal).flatMap((d) => clip(d, from, to, cal.off));
}

/** The non-working parts of `[from, to)` (for shading), in order. */
export function offSpans(from: number, to: number, cal: WorkCalendar): Span[] {
  const out: Span[] = [];
  let at = from;
  for (const s of days(from, to, cal).flatMap((d) => clip(d, from, to))) {
    if (s.start > at) out.push({ start: at, end: s.start });
    at = Math.max(at, s.end);
  }
  if (to > at) out.push({ start: at, end: to });
  return out;
}

/** Working time in `[from, to)`: whole working days covered, and the minutes on the other days. */
export interface WorkingDuration {
  days: number;
  minutes: number;
  /** All of it, in minutes. */
  total: number;
}

export function workingDuration(from: number, to: number, cal: WorkCalendar): WorkingDuration {
  let whole = 0;
  let part = 0;
  let total = 0;
  for (const d of days(from, to, cal)) {
    const full = d.reduce((n, s) => n + (s.end - s.start), 0);
    const worked = clip(d, from, to, cal.off).reduce((n, s) => n + (s.end - s.start), 0);
    total += worked;
    if (worked === full && full > 0) whole++;
    else part += worked;
  }
  return { days: whole, minutes: Math.round(part / US_PER_MIN), total: Math.round(total / US_PER_MIN) };
}

/** "2 d 4 h", "3 h 30 min", "1 d", "no working time". */
export function formatWorking(w: WorkingDuration): string {
  const parts: string[] = [];
  if (w.days > 0) parts.push(`${w.days} d`);
  const h = Math.floor(w.minutes / 60);
  const m = w.minutes % 60;
  if (h > 0) parts.push(`${h} h`);
  if (m > 0) parts.push(`${m} min`);
  return parts.length > 0 ? parts.join(" ") : "no working time";
}

/** An artist's calendar: their hours (or the studio's week), the studio's holidays, their approved time off. */
export function calendarFor(artist: Pick<Artist, "timezone" | "workingHours" | "timeOff">, week: WorkingWeek, holidays: ReadonlySet<string>): WorkCalendar {
  return { timeZone: artist.timezone, intervals: artist.workingHours, week, holidays, off: approvedOff(artist.timeOff) };
}

/** "2 d 4 h of working time" for `[start, end)` on `artist`'s calendar. */
export function workingText(start: number, end: number, cal: WorkCalendar | undefined): string {
  if (!cal || end <= start) return "";
  const w = workingDuration(start, end, cal);
  return w.total === 0 ? "no working time" : `${formatWorking(w)} working`;
}
