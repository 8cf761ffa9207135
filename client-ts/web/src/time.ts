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

export function isWeekend(us: number): boolean {
  const day = new Date(us / US_PER_MS).getDay();
  return day === 0 || day === 6;
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
  /** A day (or hour) on a weekend, for shading. */
  weekend?: boolean;
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
export function ticks(zoom: Zoom, from: number, to: number, now: number): { major: Tick[]; minor: Tick[] } {
  const major: Tick[] = [];
  const minor: Tick[] = [];
  const today = dayStart(now);
  if (zoom === "day") {
    for (let d = dayStart(from); d < to; d = addDays(d, 1)) {
      major.push({ at: d, label: F_DAY_LONG.format(d / US_PER_MS), weekend: isWeekend(d), today: d === today });
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
        weekend: isWeekend(d),
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
