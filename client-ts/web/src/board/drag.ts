// A pointer drag on the board, as data: what is dragged (a new booking, a
// bar's body, or one of its ends), and the ghost — where it would land and
// whether that is free in the local view. Pure: `useDrag.ts` owns the
// pointer events, this file the arithmetic.

import type { BookingStatus, TimeRange } from "../../../src/index.js";
import { approvedOff, checkFree, EXCLUSIVE, timeOffIn, type FreeCheck, type Row } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { ZOOMS, type Scale } from "../time.js";

export type DragKind = "create" | "move" | "start" | "end";

export interface Drag {
  kind: DragKind;
  pointerId: number;
  key?: string;
  /** Where the pointer went down (content px) and the time there. */
  x0: number;
  y0: number;
  t0: number;
  moved: boolean;
  ghost: { artistId: string; start: number; end: number; status: BookingStatus };
  check: FreeCheck;
  /** The target artist's approved time off under the ghost (the server refuses pencil and confirmed over it, unless overtime; holds may). */
  timeOff: TimeRange[];
  /** A press by someone who may not change bookings: a click, never a drag. */
  readOnly: boolean;
}

/** A drag starts after the pointer moved this far (a click below it). */
export const DRAG_SLOP_PX = 4;
/** Pressing this close to a bar's end resizes it. */
export const EDGE_GRIP_PX = 8;
/** Auto-scroll when a drag comes this close to an edge. */
export const EDGE_PX = 36;

/** The artist shown in row `i`, if it is an artist's row. */
export function artistOfRow(rows: Row[], i: number): string | undefined {
  const row = rows[i];
  return row?.kind === "artist" ? row.artist.id : undefined;
}

/** The drag with its ghost moved to time `t` over row `rowIndex` (snapped to the zoom's unit). */
export function ghostFor(d: Drag, t: number, rowIndex: number, scale: Scale, rows: Row[]): Drag {
  const snap = (us: number) => scale.snap(us);
  const unit = ZOOMS[scale.zoom].snap;
  let { artistId, start, end } = d.ghost;
  const b = d.key ? store.booking(d.key) : undefined;
  if (d.kind === "create") {
    const a = snap(d.t0);
    const z = snap(t);
    start = Math.min(a, z);
    end = Math.max(a, z);
    if (end - start < unit) end = start + unit;
  } else if (b) {
    if (d.kind === "move") {
      const delta = snap(b.startTime + (t - d.t0)) - b.startTime;
      start = b.startTime + delta;
      end = b.endTime + delta;
      artistId = artistOfRow(rows, rowIndex) ?? artistId;
    } else if (d.kind === "start") {
      start = Math.min(snap(t), b.endTime - unit);
      end = b.endTime;
    } else {
      start = b.startTime;
      end = Math.max(snap(t), b.startTime + unit);
    }
  }
  const ghost = { ...d.ghost, artistId, start, end };
  const st = useBoard.getState();
  const check = checkFree(st.index, artistId, start, end, ghost.status, d.key);
  const timeOff = timeOffIn(approvedOff(st.artists.find((a) => a.id === artistId)?.timeOff ?? []), start, end);
  return { ...d, ghost, check, timeOff };
}

/** The ghost's state: busy (another booking in the way), time off (refused for pencil and confirmed, a warning for holds) or free. */
export function ghostState(d: Drag): "free" | "busy" | "timeoff" {
  return !d.check.free ? "busy" : d.timeOff.length > 0 ? "timeoff" : "free";
}

/** Whether the server would refuse the drop over time off (not a hold, not already busy). */
export function refusedForTimeOff(d: Drag): boolean {
  return ghostState(d) === "timeoff" && EXCLUSIVE.has(d.ghost.status);
}

/** The ghost's word: ✓ Free, ✕ Busy, ✕ Time off (refused) or ⚠ Time off (a hold: allowed). */
export function ghostText(d: Drag): string {
  const state = ghostState(d);
  return state === "free" ? "✓ Free" : state === "busy" ? "✕ Busy" : refusedForTimeOff(d) ? "✕ Time off" : "⚠ Time off";
}
