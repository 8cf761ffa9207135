// Pointer interaction on the board: drag on empty space proposes a booking
// (released, the create dialog asks its status and title: `CreateDialog.tsx`),
// drag a bar moves it (also to another artist's row), drag its edges resizes
// it; a click opens the bar in the side panel (the focus stays on the bar).
// While dragging, the board scrolls when the pointer nears an edge, and the
// ghost follows (`drag.ts`). A move or resize is sent on release (a confirmed
// booking's after a question: `store/ask.ts`); Escape (the keyboard hook)
// cancels. Those who may not change bookings (freelancers) only click.

import { useCallback, useRef, useState, type MutableRefObject, type PointerEvent, type RefObject } from "react";
import { mayEditBookings, type Row } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import type { Scale } from "../time.js";
import { DRAG_SLOP_PX, EDGE_GRIP_PX, EDGE_PX, artistOfRow, ghostFor, type Drag } from "./drag.js";
import { HEADER_H, LEFT_W, rowAt, type RowLayout } from "./geometry.js";

export interface DragHandlers {
  onPointerDown: (e: PointerEvent<HTMLDivElement>) => void;
  onPointerMove: (e: PointerEvent<HTMLDivElement>) => void;
  onPointerUp: (e: PointerEvent<HTMLDivElement>) => void;
  onPointerCancel: (e: PointerEvent<HTMLDivElement>) => void;
}

/**
 * The board's drag: its state for rendering, the pointer handlers for the
 * scroll container, and `cancelDrag` (true if a drag was in progress).
 * `focusWanted` gets the key of a bar to focus once it re-renders.
 */
export function useDrag(
  scrollRef: RefObject<HTMLDivElement | null>,
  scale: Scale,
  layout: RowLayout,
  rows: Row[],
  focusWanted: MutableRefObject<string | undefined>,
  onCreate: (ghost: Drag["ghost"]) => void,
): { drag: Drag | null; handlers: DragHandlers; cancelDrag: () => boolean } {
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  dragRef.current = drag;
  const lastPointer = useRef<{ x: number; y: number } | null>(null);
  const autoScroll = useAutoScroll(
    scrollRef,
    () => dragRef.current !== null,
    () => {
      if (lastPointer.current) updateDrag(lastPointer.current.x, lastPointer.current.y);
    },
  );

  const pointerAt = useCallback(
    (clientX: number, clientY: number) => {
      const el = scrollRef.current!;
      const r = el.getBoundingClientRect();
      const x = clientX - r.left + el.scrollLeft - LEFT_W;
      const y = clientY - r.top + el.scrollTop - HEADER_H;
      return { x, y, t: scale.t(x), row: rowAt(layout, y) };
    },
    [scrollRef, scale, layout],
  );

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || dragRef.current) return;
    const target = e.target as HTMLElement;
    if (target.closest(".row-head, .axis, .group-row")) return;
    const p = pointerAt(e.clientX, e.clientY);
    if (p.x < 0 || p.y < 0) return;
    const d = dragFrom(target, e, p, rows, mayEditBookings(useBoard.getState().session));
    if (!d) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag(d);
  };

  const updateDrag = (clientX: number, clientY: number) => {
    const d = dragRef.current;
    if (!d || d.readOnly) return;
    const p = pointerAt(clientX, clientY);
    const moved = d.moved || Math.abs(p.x - d.x0) > DRAG_SLOP_PX || Math.abs(p.y - d.y0) > DRAG_SLOP_PX;
    if (!moved) return;
    const next = ghostFor({ ...d, moved }, p.t, p.row, scale, rows);
    dragRef.current = next;
    setDrag(next);
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    lastPointer.current = { x: e.clientX, y: e.clientY };
    updateDrag(e.clientX, e.clientY);
    autoScroll.aim(e.clientX, e.clientY, d.moved);
  };

  const endDrag = (e: PointerEvent<HTMLDivElement>, cancelled: boolean) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    autoScroll.stop();
    dragRef.current = null;
    setDrag(null);
    if (cancelled) return;
    if (!d.moved) {
      if (d.key) {
        store.select(d.key, true, false);
        (e.target as HTMLElement).closest<HTMLElement>("[data-key]")?.focus({ preventScroll: true });
      } else store.select(undefined);
      return;
    }
    if (d.kind === "create") return onCreate(d.ghost);
    const key = commitDrag(d);
    if (key) focusWanted.current = key;
  };

  const cancelDrag = (): boolean => {
    if (!dragRef.current) return false;
    autoScroll.stop();
    dragRef.current = null;
    setDrag(null);
    return true;
  };

  return {
    drag,
    handlers: { onPointerDown, onPointerMove, onPointerUp: (e) => endDrag(e, false), onPointerCancel: (e) => endDrag(e, true) },
    cancelDrag,
  };
}

/**
 * Scrolls the board while a drag's pointer stays near an edge: `aim` with
 * each pointer move, `stop` when the drag ends. Each frame, while `active()`,
 * it scrolls a step and calls `scrolled` (which moves the ghost along).
 */
function useAutoScroll(scrollRef: RefObject<HTMLDivElement | null>, active: () => boolean, scrolled: () => void): { aim: (clientX: number, clientY: number, moved: boolean) => void; stop: () => void } {
  const state = useRef<{ dx: number; dy: number; frame: number } | null>(null);
  const stop = () => {
    if (state.current) cancelAnimationFrame(state.current.frame);
    state.current = null;
  };
  const aim = (clientX: number, clientY: number, moved: boolean) => {
    const el = scrollRef.current!;
    const r = el.getBoundingClientRect();
    const dx = clientX < r.left + LEFT_W + EDGE_PX ? -1 : clientX > r.right - EDGE_PX ? 1 : 0;
    const dy = clientY < r.top + HEADER_H + EDGE_PX ? -1 : clientY > r.bottom - EDGE_PX ? 1 : 0;
    if (!(dx || dy) || !moved) return stop();
    if (state.current) {
      state.current.dx = dx;
      state.current.dy = dy;
      return;
    }
    const tick = () => {
      const a = state.current;
      if (!a || !active()) return;
      el.scrollLeft += a.dx * 16;
      el.scrollTop += a.dy * 12;
      scrolled();
      a.frame = requestAnimationFrame(tick);
    };
    state.current = { dx, dy, frame: requestAnimationFrame(tick) };
  };
  return { aim, stop };
}

/**
 * The drag a press starts: on a bar (its body moves it, its ends resize it) or
 * on an artist's empty row (creates). Without `mayEdit`, a press on a bar is a
 * click only (`readOnly`) and one on empty space nothing.
 */
function dragFrom(target: HTMLElement, e: PointerEvent<HTMLDivElement>, p: { x: number; y: number; t: number; row: number }, rows: Row[], mayEdit: boolean): Drag | null {
  const start = { pointerId: e.pointerId, x0: p.x, y0: p.y, t0: p.t, moved: false, check: { free: true, conflicts: [], holds: 0 }, timeOff: [], readOnly: !mayEdit };
  const barEl = target.closest<HTMLElement>("[data-key]");
  if (!barEl) {
    if (!mayEdit) return null;
    const artistId = artistOfRow(rows, p.row);
    return artistId ? { ...start, kind: "create", ghost: { artistId, start: p.t, end: p.t, status: "pencil" } } : null;
  }
  const key = barEl.dataset.key!;
  const b = store.booking(key);
  if (!b) return null;
  // Near an end: resize (by distance, so the bar's border counts too).
  const r = barEl.getBoundingClientRect();
  const grip = Math.min(EDGE_GRIP_PX, r.width / 4);
  const edge = e.clientX - r.left <= grip ? "start" : r.right - e.clientX <= grip ? "end" : undefined;
  return { ...start, kind: edge ?? "move", key, ghost: { artistId: b.artistId, start: b.startTime, end: b.endTime, status: b.status } };
}

/** Sends the move or resize a finished drag made (a confirmed booking's after asking); returns the key of the bar to focus (and selects it). */
function commitDrag(d: Drag): string | undefined {
  const g = d.ghost;
  const b = d.key ? store.booking(d.key) : undefined;
  if (!b || !d.key) return undefined;
  const patch: { startTime?: number; endTime?: number; artistId?: string } = {};
  if (g.start !== b.startTime) patch.startTime = g.start;
  if (g.end !== b.endTime) patch.endTime = g.end;
  if (g.artistId !== b.artistId) patch.artistId = g.artistId;
  if (Object.keys(patch).length === 0) return undefined;
  store.guardedUpdate(d.key, patch, d.kind === "move" ? "move the booking" : "resize the booking");
  store.select(d.key);
  return d.key;
}
