// Row geometry: fixed heights per row kind, prefix offsets, and the binary
// searches that make both directions virtual (only rows and days in view,
// plus some overscan, are in the DOM).

import type { Row } from "../model.js";

export const ROW_H = 52;
export const GROUP_H = 28;
export const HEADER_H = 52;
export const LEFT_W = 232;
/** Extra rows above and below the viewport. */
export const OVERSCAN_ROWS = 6;
/** Extra pixels left and right of the viewport. */
export const OVERSCAN_PX = 400;

export interface RowLayout {
  tops: number[];
  heights: number[];
  total: number;
}

export function layoutRows(rows: Row[]): RowLayout {
  const tops: number[] = new Array(rows.length);
  const heights: number[] = new Array(rows.length);
  let y = 0;
  for (let i = 0; i < rows.length; i++) {
    tops[i] = y;
    heights[i] = rows[i]!.kind === "group" ? GROUP_H : ROW_H;
    y += heights[i]!;
  }
  return { tops, heights, total: y };
}

/** Index of the row at body-relative `y` (clamped). */
export function rowAt(layout: RowLayout, y: number): number {
  const { tops } = layout;
  if (tops.length === 0) return -1;
  let lo = 0;
  let hi = tops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** [first, last] rows to render for a viewport at `scrollTop` of `height`. */
export function visibleRows(layout: RowLayout, scrollTop: number, height: number): [number, number] {
  if (layout.tops.length === 0) return [0, -1];
  const first = Math.max(0, rowAt(layout, Math.max(0, scrollTop - HEADER_H)) - OVERSCAN_ROWS);
  const last = Math.min(layout.tops.length - 1, rowAt(layout, scrollTop + height) + OVERSCAN_ROWS);
  return [first, last];
}
