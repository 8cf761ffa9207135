// Dropping a "Find someone" result on the board (HTML drag and drop from the
// panel): a result places a hold for its artist where it is dropped (from
// that time, snapped to the zoom, for `HOLD_US`); one of its free windows
// places a hold over exactly that window, wherever on the board it lands.
// While a result is over the board, a tip says what the drop will do.

import { useState, type DragEvent, type RefObject } from "react";
import * as store from "../store.js";
import { formatRange, US_PER_HOUR, type Scale } from "../time.js";
import { LEFT_W } from "./geometry.js";

/** The drag data type of a result (so other drags are not accepted). */
export const HOLD_MIME = "application/x-pt-hold";
/** How long a hold placed by dropping a whole result lasts. */
export const HOLD_US = 8 * US_PER_HOUR;

export interface HoldPayload {
  artistId: string;
  artistName: string;
  title: string;
  /** A free window: the hold covers it; absent: the hold starts where it is dropped. */
  window?: { start: number; end: number };
}

/** The payload being dragged (drag events other than `drop` may not read the data). */
let dragging: HoldPayload | undefined;

/** Starts dragging `p` from the panel. */
export function startHoldDrag(e: DragEvent<HTMLElement>, p: HoldPayload): void {
  dragging = p;
  e.dataTransfer.setData(HOLD_MIME, JSON.stringify(p));
  e.dataTransfer.setData("text/plain", `${p.artistName}${p.window ? `, ${formatRange(p.window.start, p.window.end)}` : ""}`);
  e.dataTransfer.effectAllowed = "copy";
}

export function endHoldDrag(): void {
  dragging = undefined;
}

/** The range a drop of `p` at time `t` books. */
export function holdRange(p: HoldPayload, t: number, scale: Scale): { start: number; end: number } {
  if (p.window) return { start: p.window.start, end: p.window.end };
  const start = scale.snap(t);
  return { start, end: start + HOLD_US };
}

export interface HoldDrop {
  /** What a drop here would book, while a result is over the board. */
  over: { payload: HoldPayload; start: number; end: number } | undefined;
  handlers: {
    onDragOver: (e: DragEvent<HTMLDivElement>) => void;
    onDragLeave: (e: DragEvent<HTMLDivElement>) => void;
    onDrop: (e: DragEvent<HTMLDivElement>) => void;
  };
}

export function useHoldDrop(scrollRef: RefObject<HTMLDivElement | null>, scale: Scale): HoldDrop {
  const [over, setOver] = useState<HoldDrop["over"]>();
  const timeAt = (clientX: number) => {
    const el = scrollRef.current!;
    return scale.t(clientX - el.getBoundingClientRect().left + el.scrollLeft - LEFT_W);
  };
  const onDragOver = (e: DragEvent<HTMLDivElement>) => {
    if (!e.dataTransfer.types.includes(HOLD_MIME) || !dragging) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    const r = holdRange(dragging, timeAt(e.clientX), scale);
    if (over?.start !== r.start || over.end !== r.end || over.payload !== dragging) setOver({ payload: dragging, ...r });
  };
  const onDragLeave = (e: DragEvent<HTMLDivElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(undefined);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    const raw = e.dataTransfer.getData(HOLD_MIME);
    if (!raw) return;
    e.preventDefault();
    setOver(undefined);
    const p = JSON.parse(raw) as HoldPayload;
    const r = holdRange(p, timeAt(e.clientX), scale);
    store.placeHold(p.artistId, r.start, r.end, p.title);
    dragging = undefined;
  };
  return { over, handlers: { onDragOver, onDragLeave, onDrop } };
}
