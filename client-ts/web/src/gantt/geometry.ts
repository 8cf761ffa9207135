// The Gantt chart's geometry, pure (unit-tested): zooms, the day axis, rows
// and which of them are in view (virtual rows), dependency arrows, what a drag
// makes of a phase's dates, and the message for a refused loop.

import { addDays, dayNum, dayStr, weekday } from "../days.js";

export type GanttZoom = "week" | "month" | "quarter";

/** Pixels per day at each zoom: a week shows days, a month weeks, a quarter months. */
export const GANTT_ZOOMS: Record<GanttZoom, { label: string; pxPerDay: number }> = {
  week: { label: "Week", pxPerDay: 40 },
  month: { label: "Month", pxPerDay: 14 },
  quarter: { label: "Quarter", pxPerDay: 5 },
};

export const ROW_H = 36;
export const BAR_H = 22;
export const HEAD_H = 44;
/** Rows rendered above and below the ones in view. */
export const OVERSCAN_ROWS = 8;

/** The days the chart spans: `start` and how many days. */
export interface Span {
  start: string;
  days: number;
}

/**
 * From a week before the earliest of the project's start, its phases and
 * today's week, to four weeks after the latest end: room to drag into.
 */
export function chartSpan(project: { startDate: string; endDate: string }, phases: readonly { startDate: string; endDate: string }[], today: string): Span {
  let first = Math.min(dayNum(project.startDate), dayNum(today));
  let last = Math.max(dayNum(project.endDate), dayNum(today) + 1);
  for (const p of phases) {
    first = Math.min(first, dayNum(p.startDate));
    last = Math.max(last, dayNum(p.endDate));
  }
  const start = dayNum(addDays(dayStr(first), 1 - weekday(dayStr(first)))) - 7;
  return { start: dayStr(start), days: last + 28 - start };
}

/** The x of the start of `day` (its left edge). */
export function xOf(span: Span, pxPerDay: number, day: string): number {
  return (dayNum(day) - dayNum(span.start)) * pxPerDay;
}

/** The day drawn at `x`. */
export function dayAt(span: Span, pxPerDay: number, x: number): string {
  return addDays(span.start, Math.floor(x / pxPerDay));
}

export interface Tick {
  day: string;
  x: number;
  /** The day of the month (week zoom: every day; month zoom: Mondays), or "". */
  label: string;
  /** A month boundary (a stronger line, and the month's name: `Dec 2026`). */
  major: boolean;
  month?: string;
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Header ticks: every day (week zoom), Mondays (month zoom), and at every zoom each month's first. */
export function ticks(span: Span, zoom: GanttZoom): Tick[] {
  const px = GANTT_ZOOMS[zoom].pxPerDay;
  const out: Tick[] = [];
  for (let i = 0; i < span.days; i++) {
    const day = addDays(span.start, i);
    const first = day.endsWith("-01");
    const labelled = zoom === "week" || (zoom === "month" && weekday(day) === 1);
    if (!labelled && !first) continue;
    const tick: Tick = { day, x: i * px, label: labelled ? String(Number(day.slice(8))) : "", major: first };
    if (first) tick.month = `${MONTH_NAMES[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
    out.push(tick);
  }
  return out;
}

/** The rows `[first, last)` to render for a viewport (virtual rows, plus overscan). */
export function visibleRows(scrollTop: number, height: number, count: number, overscan = OVERSCAN_ROWS): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_H) + overscan);
  return [first, Math.max(first, last)];
}

export interface BarBox {
  x0: number;
  x1: number;
  /** The row's vertical middle. */
  y: number;
}

/**
 * An arrow from predecessor to successor, by the dependency's kind: it
 * leaves the predecessor's end (finish) or start, and enters the successor's
 * start or end (for *_to_finish), with right-angled steps.
 */
export function arrowPath(kind: string, from: BarBox, to: BarBox): string {
  const fromX = kind.startsWith("finish") ? from.x1 : from.x0;
  const toX = kind.endsWith("finish") ? to.x1 : to.x0;
  const gap = 8;
  const out = fromX + (kind.startsWith("finish") ? gap : -gap);
  const into = toX - gap;
  const midY = from.y + (to.y > from.y ? ROW_H / 2 : -ROW_H / 2);
  if (into >= out || !kind.startsWith("finish")) {
    const turn = Math.min(out, into);
    return `M${fromX},${from.y} H${turn} V${to.y} H${toX}`;
  }
  // The successor starts left of where the arrow leaves: go round, between the rows.
  return `M${fromX},${from.y} H${out} V${midY} H${into} V${to.y} H${toX}`;
}

export type DragMode = "move" | "start" | "end";

/** A phase's dates after moving it (or one edge) by `delta` days; a phase keeps at least one day. */
export function dragDates(phase: { startDate: string; endDate: string }, mode: DragMode, delta: number): { startDate: string; endDate: string } {
  const s = dayNum(phase.startDate);
  const e = dayNum(phase.endDate);
  if (mode === "move") return { startDate: dayStr(s + delta), endDate: dayStr(e + delta) };
  if (mode === "start") return { startDate: dayStr(Math.min(s + delta, e - 1)), endDate: phase.endDate };
  return { startDate: phase.startDate, endDate: dayStr(Math.max(e + delta, s + 1)) };
}

/**
 * "Can't add: Layout → Animation → Layout would form a loop": the phases on
 * the refused dependency's cycle by name, back to the first (the server may
 * or may not repeat it at the end).
 */
export function cycleMessage(cycle: readonly string[], nameOf: (id: string) => string | undefined): string {
  if (cycle.length === 0) return "Can't add: the dependency would form a loop.";
  const ids = cycle[cycle.length - 1] === cycle[0] && cycle.length > 1 ? cycle : [...cycle, cycle[0]!];
  return `Can't add: ${ids.map((id) => nameOf(id) ?? "a phase").join(" → ")} would form a loop`;
}

export const KIND_TEXT: Record<string, string> = {
  finish_to_start: "Finish → start",
  start_to_start: "Start → start",
  finish_to_finish: "Finish → finish",
  start_to_finish: "Start → finish",
};
