// The heat map's scale, pure: the default range, a cell's colour band by
// utilization ((pencil + confirmed) ÷ available), its holds (shown apart: a
// hold does not count as utilization), and its text.

import { addDays, mondayOf } from "../days.js";
import type { UtilizationCell } from "../projects/schemas.js";

export const WEEK_CHOICES = [4, 8, 12, 26] as const;

/** This week and the `weeks` after it (half-open: `to` is a Monday after the last week). */
export function defaultRange(today: string, weeks = 12): { from: string; to: string } {
  const from = mondayOf(today);
  return { from, to: addDays(from, weeks * 7) };
}

export interface Band {
  /** CSS class suffix. */
  key: "none" | "low" | "mid" | "high" | "full" | "over";
  label: string;
}

/** The legend, low to high. Colours (in CSS) go from pale to deep, and red beyond 100 %. */
export const BANDS: Band[] = [
  { key: "none", label: "Not available" },
  { key: "low", label: "Under 40 %" },
  { key: "mid", label: "40–70 %" },
  { key: "high", label: "70–90 %" },
  { key: "full", label: "90–100 %" },
  { key: "over", label: "Over 100 %" },
];

export function band(utilization: number | null): Band {
  const key: Band["key"] =
    utilization === null ? "none" : utilization > 1.0001 ? "over" : utilization >= 0.9 ? "full" : utilization >= 0.7 ? "high" : utilization >= 0.4 ? "mid" : "low";
  return BANDS.find((b) => b.key === key)!;
}

/** The share of the available hours that holds take (0–1), drawn as a hatched stripe. */
export function holdShare(cell: UtilizationCell): number {
  if (cell.availableHours <= 0) return cell.holdHours > 0 ? 1 : 0;
  return Math.min(1, cell.holdHours / cell.availableHours);
}

const hours = (h: number) => `${Math.round(h * 10) / 10} h`;

/** "85 %" (or "—" when nothing is available). */
export function percent(utilization: number | null): string {
  return utilization === null ? "—" : `${Math.round(utilization * 100)} %`;
}

/** What a cell shows: the percentage, and the holds' hours apart ("+27 h hold"). */
export function cellText(cell: UtilizationCell): { pct: string; hold: string } {
  return { pct: percent(cell.utilization), hold: cell.holdHours > 0 ? `+${Math.round(cell.holdHours)} h hold` : "" };
}

/**
 * What a cell says to assistive technology and in its tooltip: its visible
 * text first (so speech input can name it by what it shows), then the detail.
 */
export function cellLabel(artist: string, cell: UtilizationCell): string {
  const { pct, hold } = cellText(cell);
  const booked = hours(cell.pencilHours + cell.confirmedHours);
  return `${hold ? `${pct} ${hold}` : pct}: ${artist}, week of ${cell.periodStart}, ${booked} of ${hours(cell.availableHours)} booked`;
}
