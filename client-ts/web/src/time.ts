// The board's time axis: zoom levels, the mapping between instants and
// pixels, and the calendar ticks (days, weeks, months) drawn in the header.
//
// Instants are the protocol's: microseconds since the Unix epoch (UTC). The
// board draws them in the browser's local time zone (day lines at local
// midnight), so a week starts on the local Monday. x is linear in time: a
// 23-hour DST day is a little narrower, which is what a timeline should show.

export const US_PER_MS = 1000;
export const US_PER_MIN = 60_000_000;
export const US_PER_HOUR = 3_600_000_000;
export const US_PER_DAY = 86_400_000_000;

export type Zoom = "day" | "week" | "month";

export interface ZoomSpec {
  /** Pixels per day. */
  pxPerDay: number;
  /** Drags and keyboard moves snap to this many microseconds. */
  snap: number;
  /** One keyboard step (Shift+←/→). */
  step: number;
  label: string;
}

export const ZOOMS: Record<Zoom, ZoomSpec> = {
  day: { pxPerDay: 960, snap: 15 * US_PER_MIN, step: US_PER_HOUR, label: "Day" },
  week: { pxPerDay: 140, snap: US_PER_HOUR, step: US_PER_DAY, label: "Week" },
  month: { pxPerDay: 34, snap: US_PER_DAY / 2, step: US_PER_DAY, label: "Month" },
};

/** The instants the board can show: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** Local midnight of the day holding `us`. */
export function dayStart(us: number): number {
  const d = new Date(us / US_PER_MS);
  d.setHours(0, 0, 0, 0);
  return d.getTime() * US_PER_MS;
}

/** Local midnight `n` days after the local day of `us` (DST-safe). */
export function addDays(us: number, n: number): number {
  const d = new Date(dayStart(us) / US_PER_MS);
  d.setDate(d.getDate() + n);
  return d.getTime() * US_PER_MS;
}

/** Local Monday 00:00 of the week holding `us`. */
export function weekStart(us: number): number {
  const d = new Date(dayStart(us) / US_PER_MS);
  const back = (d.getDay() + 6) % 7; // Monday = 0
  return addDays(d.getTime() * US_PER_MS, -back);
}

/** The board's span: from four weeks before `now` to a year after. */
export function boardSpan(now: number): Span {
  const start = weekStart(addDays(now, -28));
  return { start, end: addDays(start, 7 * 57) };
}

/**
 * The studio's working week (`GET /api/v1/studio`, `workingWeek`): ISO
 * weekdays (1 = Monday … 7 = Sunday) and, when known, the working hours on
 * the studio's clock. The board shades the other days, and at day zoom the
 * other hours.
 */
export interface WorkingWeek {
  days: ReadonlySet<number>;
  /** Minutes after midnight in `timeZone` (the browser's when absent); no hours are shaded when absent. */
  start?: number;
  end?: number;
  timeZone?: string;
}

/** Until the studio says otherwise (or if it may not be read): Monday to Friday, hours unknown. */
export const DEFAULT_WORKING_WEEK: WorkingWeek = { days: new Set([1, 2, 3, 4, 5]) };

/** The ISO weekday (1 = Monday … 7 = Sunday) of the local day holding `us`. */
export function isoWeekday(us: number): number {
  const d = new Date(us / US_PER_MS).getDay();
  return d === 0 ? 7 : d;
}

export function isWorkingDay(us: number, week: WorkingWeek): boolean {
  return week.days.has(isoWeekday(us));
}

/**
 * The working hours of the local day holding `us`, as instants: the studio's
 * start and end on that date, on the studio's clock. Undefined when the hours
 * are not known or the day is not a working day.
 */
export function workingHours(us: number, week: WorkingWeek): Span | undefined {
  if (week.start === undefined || week.end === undefined || week.end <= week.start || !isWorkingDay(us, week)) return undefined;
  const d = new Date(us / US_PER_MS);
  const at = (minutes: number) => zonedInstant(d.getFullYear(), d.getMonth(), d.getDate(), minutes, week.timeZone);
  return { start: at(week.start), end: at(week.end) };
}

/**
 * An artist's first working interval on the local day holding `us`, on their
 * own clock (`timeZone`): from their `workingHours`, else the studio's days and
 * hours (09:00–18:00 when the studio's are not known). Undefined when they do
 * not work that weekday, or the zone is unknown.
 */
export function artistWorkday(us: number, timeZone: string, intervals: readonly { day: number; start: string; end: string }[] | undefined, week: WorkingWeek): Span | undefined {
  const weekday = isoWeekday(us);
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const own = intervals?.filter((i) => i.day === weekday).map((i) => ({ start: minutes(i.start), end: minutes(i.end) }));
  const studio = week.days.has(weekday) ? [{ start: week.start ?? 9 * 60, end: week.end ?? 18 * 60 }] : [];
  const first = (own ?? studio).sort((a, b) => a.start - b.start)[0];
  if (!first) return undefined;
  const d = new Date(us / US_PER_MS);
  try {
    return { start: zonedInstant(d.getFullYear(), d.getMonth(), d.getDate(), first.start, timeZone), end: zonedInstant(d.getFullYear(), d.getMonth(), d.getDate(), first.end, timeZone) };
  } catch {
    return undefined; // an unknown zone
  }
}

/** The instant at which the clock in `timeZone` (the browser's when absent) reads that date and time. */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone?: string): number {
  if (timeZone === undefined) return new Date(year, month, day, 0, minutes).getTime() * US_PER_MS;
  const wall = Date.UTC(year, month, day, 0, minutes);
  // The zone's offset at a first guess, then at the instant found (right across a DST change).
  let ms = wall - zoneOffsetMs(wall, timeZone);
  ms = wall - zoneOffsetMs(ms, timeZone);
  return ms * US_PER_MS;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** How far the clock in `timeZone` is ahead of UTC at `ms`. Throws a RangeError for an unknown zone. */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    zoneFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour") % 24, get("minute"), get("second"));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Maps instants to x pixels (0 at `span.start`) and back. */
export class Scale {
  readonly pxPerUs: number;
  constructor(
    readonly span: Span,
    readonly zoom: Zoom,
  ) {
    this.pxPerUs = ZOOMS[zoom].pxPerDay / US_PER_DAY;
  }
  get width(): number {
    return Math.ceil((this.span.end - this.span.start) * this.pxPerUs);
  }
  x(us: number): number {
    return (us - this.span.start) * this.pxPerUs;
  }
  t(x: number): number {
    return this.span.start + x / this.pxPerUs;
  }
  /** `us` rounded to the zoom's snap, on the local clock (so a day snap lands on local midnight/noon). */
  snap(us: number): number {
    const s = ZOOMS[this.zoom].snap;
    const base = dayStart(us);
    return base + Math.round((us - base) / s) * s;
  }
}

/** The local date of `us` as YYYY-MM-DD (a day's stable name in the DOM). */
export function dayKey(us: number): string {
  return toLocalInput(us).slice(0, 10);
}

export interface Tick {
  at: number;
  label: string;
  /** A day that is not in the studio's working week, for shading. */
  off?: boolean;
  today?: boolean;
}

const fmt = (opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(undefined, opts);
const F_MONTH = fmt({ month: "long", year: "numeric" });
const F_WEEK = fmt({ day: "numeric", month: "short" });
const F_DAY = fmt({ weekday: "short", day: "numeric" });
const F_DAY_LONG = fmt({ weekday: "long", day: "numeric", month: "long" });
const F_DATE_TIME = fmt({ weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const F_TIME = fmt({ hour: "2-digit", minute: "2-digit" });

/** The header's two rows for [from, to): coarse (months / weeks / days) and fine (days / hours). */
export function ticks(zoom: Zoom, from: number, to: number, now: number, week: WorkingWeek = DEFAULT_WORKING_WEEK): { major: Tick[]; minor: Tick[] } {
  const major: Tick[] = [];
  const minor: Tick[] = [];
  const today = dayStart(now);
  if (zoom === "day") {
    for (let d = dayStart(from); d < to; d = addDays(d, 1)) {
      major.push({ at: d, label: F_DAY_LONG.format(d / US_PER_MS), off: !isWorkingDay(d, week), today: d === today });
      for (let h = 0; h < 24; h += 2) minor.push({ at: d + h * US_PER_HOUR, label: `${String(h).padStart(2, "0")}:00` });
    }
  } else {
    const firstMajor = zoom === "week" ? weekStart(from) : monthStart(from);
    for (let m = firstMajor; m < to; m = zoom === "week" ? addDays(m, 7) : nextMonth(m)) {
      major.push({ at: m, label: zoom === "week" ? `Week of ${F_WEEK.format(m / US_PER_MS)}` : F_MONTH.format(m / US_PER_MS) });
    }
    for (let d = dayStart(from); d < to; d = addDays(d, 1)) {
      const date = new Date(d / US_PER_MS);
      minor.push({
        at: d,
        label: zoom === "week" ? F_DAY.format(date) : String(date.getDate()),
        off: !isWorkingDay(d, week),
        today: d === today,
      });
    }
  }
  return { major, minor };
}

function monthStart(us: number): number {
  const d = new Date(us / US_PER_MS);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime() * US_PER_MS;
}

function nextMonth(us: number): number {
  const d = new Date(us / US_PER_MS);
  return new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime() * US_PER_MS;
}

/** "Mon 3 Mar, 09:00 – Wed 5 Mar, 18:00" (the end's date is left out when it is the same day). */
export function formatRange(start: number, end: number): string {
  const sameDay = dayStart(start) === dayStart(end - 1);
  return `${F_DATE_TIME.format(start / US_PER_MS)} – ${sameDay ? F_TIME.format(end / US_PER_MS) : F_DATE_TIME.format(end / US_PER_MS)}`;
}

export function formatDuration(us: number): string {
  const hours = us / US_PER_HOUR;
  if (hours < 24) return `${+hours.toFixed(2)} h`;
  const days = us / US_PER_DAY;
  return `${+days.toFixed(1)} d`;
}

/** For `<input type="datetime-local">`: local "YYYY-MM-DDTHH:MM". */
export function toLocalInput(us: number): string {
  const d = new Date(us / US_PER_MS);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | undefined {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms * US_PER_MS : undefined;
}

const F_DATE = fmt({ weekday: "short", day: "numeric", month: "short", year: "numeric" });

/**
 * Time off, for labels: whole local days as "Fri 12 Dec 2025" or
 * "Thu 4 Dec 2025 – Fri 5 Dec 2025" (the last day, inclusive); other ranges
 * with their times.
 */
export function formatTimeOff(start: number, end: number): string {
  if (dayStart(start) !== start || dayStart(end) !== end) return formatRange(start, end);
  const last = addDays(end, -1);
  return last <= start ? F_DATE.format(start / US_PER_MS) : `${F_DATE.format(start / US_PER_MS)} – ${F_DATE.format(last / US_PER_MS)}`;
}

/**
 * Whole local days from `<input type="date">` values ("YYYY-MM-DD"), the
 * last one inclusive: `[first day's midnight, the midnight after the last)`.
 * Undefined when a date is missing or the last is before the first.
 */
export function daysRange(first: string, last: string): Span | undefined {
  const start = fromLocalInput(`${first}T00:00`);
  const lastDay = fromLocalInput(`${last}T00:00`);
  if (start === undefined || lastDay === undefined || lastDay < start) return undefined;
  return { start, end: addDays(lastDay, 1) };
}

const F_EXPIRY = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });

/** A hold's lapse time, in the viewer's zone ("Thu 10 Dec 2026, 14:00 UTC"). */
export function expiryText(us: number): string {
  return F_EXPIRY.format(us / US_PER_MS);
}

const F_AGO_DATE = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

/** How long ago `us` was, at `now` (µs): "just now", "5 min ago", "3 h ago", "2 d ago", else the date ("4 Dec 2026"). */
export function agoText(us: number, now: number): string {
  const min = Math.floor((now - us) / US_PER_MIN);
  if (min < 1) return "just now";
  if (min < 60) return `${min} min ago`;
  if (min < 24 * 60) return `${Math.floor(min / 60)} h ago`;
  if (min < 7 * 24 * 60) return `${Math.floor(min / (24 * 60))} d ago`;
  return F_AGO_DATE.format(us / US_PER_MS);
}
