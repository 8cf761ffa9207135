// Calendar days as the project API has them: `YYYY-MM-DD` strings with no
// time or zone, every range half-open (`endDate` is the first day after).
// Arithmetic goes through day numbers (days since 1970-01-01, UTC), so no
// clock or time zone can shift a day.

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a `YYYY-MM-DD` string. */
export function dayNum(day: string): number {
  return Math.round(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / MS_PER_DAY);
}

/** The `YYYY-MM-DD` of a day number. */
export function dayStr(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayStr(dayNum(day) + n);
}

/** Days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return dayNum(b) - dayNum(a);
}

/** Today on the browser's calendar. */
export function today(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(day: string): number {
  return ((((dayNum(day) + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
}

/** The Monday of the ISO week `day` is in. */
export function mondayOf(day: string): string {
  return addDays(day, 1 - weekday(day));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `7 Dec 2026` (or `7 Dec` without the year). */
export function formatDay(day: string, withYear = true): string {
  const d = `${Number(day.slice(8, 10))} ${MONTHS[Number(day.slice(5, 7)) - 1]}`;
  return withYear ? `${d} ${day.slice(0, 4)}` : d;
}

/** A half-open range as people read it: first to last day, both included (`7 Dec – 11 Dec 2026`). */
export function formatRange(start: string, end: string): string {
  const last = addDays(end, -1);
  if (last === start) return formatDay(start);
  return `${formatDay(start, start.slice(0, 4) !== last.slice(0, 4))} – ${formatDay(last)}`;
}

export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && dayStr(dayNum(s)) === s;
}
