// The board's keyboard. On a focused bar: ←/→/↑/↓ move focus from bar to
// bar, Shift+arrows move the booking (a step in time, or to the artist
// above/below), Alt+Shift+←/→ shorten/lengthen it, Enter opens the panel,
// Delete cancels it. Escape cancels a drag, else closes/deselects. On an
// artist's name, Enter (or Space) creates a booking for today. Moving,
// resizing, cancelling and creating need `bookings:update` (not freelancers);
// a confirmed booking's move or resize asks first (`store/ask.ts`).
//
// Focus follows a moved bar: the move shows a frame later (the store folds
// changes once per frame), so `focusWanted` keeps the wish until the bar is
// drawn in its artist's row (`useFollowFocus`).

import { useLayoutEffect, type FocusEvent, type KeyboardEvent, type MutableRefObject, type RefObject } from "react";
import { mayEditBookings, type ArtistBookings, type Placed, type Row } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { US_PER_HOUR, ZOOMS, artistWorkday, dayStart, type Scale } from "../time.js";
import { artistOfRow } from "./drag.js";
import { HEADER_H, LEFT_W, ROW_H, type RowLayout } from "./geometry.js";

export interface KeysContext {
  scrollRef: RefObject<HTMLDivElement | null>;
  focusWanted: MutableRefObject<string | undefined>;
  scale: Scale;
  layout: RowLayout;
  rows: Row[];
  index: Map<string, ArtistBookings>;
  now: number;
  /** Cancels a drag in progress; false if there was none. */
  cancelDrag: () => boolean;
}

/** Focuses the bar `focusWanted` names once it is drawn in its artist's row. Runs after every render. */
export function useFollowFocus(scrollRef: RefObject<HTMLDivElement | null>, focusWanted: MutableRefObject<string | undefined>): void {
  useLayoutEffect(() => {
    const key = focusWanted.current;
    if (!key) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (el) {
      const rowArtist = el.closest(".row")?.querySelector<HTMLElement>("[data-artist-row]")?.dataset.artistRow;
      if (rowArtist === undefined || rowArtist === store.booking(key)?.artistId) focusWanted.current = undefined;
      if (document.activeElement !== el) el.focus({ preventScroll: true });
    }
  });
}

/** A focused bar becomes the selection (an open panel shows it, leaving the focus on the bar). */
export function onBoardFocus(e: FocusEvent<HTMLDivElement>): void {
  const key = (e.target as HTMLElement).dataset.key;
  if (key && key !== useBoard.getState().selected) store.select(key, undefined, false);
}

/** The board's `onKeyDown`. */
export function boardKeyHandler(cx: KeysContext): (e: KeyboardEvent<HTMLDivElement>) => void {
  const nav = navigation(cx);
  return (e) => {
    const target = e.target as HTMLElement;
    if (e.key === "Escape") {
      if (!cx.cancelDrag()) store.select(undefined, false);
      e.preventDefault();
      return;
    }
    // On the name itself (not on its "Time off" button, which Enter presses).
    const mayEdit = mayEditBookings(useBoard.getState().session);
    const head = target.closest<HTMLElement>("[data-artist-row]");
    if (mayEdit && head && head === target && (e.key === "Enter" || e.key === " ")) {
      bookToday(cx, head.dataset.artistRow!);
      e.preventDefault();
      return;
    }
    const key = target.dataset.key;
    if (!key || !store.booking(key)) return;
    const rowIndex = Number(target.closest<HTMLElement>("[data-row]")?.dataset.row ?? nav.rowOfKey(key, 0));
    if (e.key === "Enter") {
      store.select(key, true);
      e.preventDefault();
    } else if (!mayEdit) {
      if (ARROWS.has(e.key) && !e.shiftKey) {
        e.preventDefault();
        moveFocus(cx, nav, key, rowIndex, e.key);
      }
    } else if (e.key === "Delete" || e.key === "Backspace") {
      store.transitionBooking(key, "cancelled");
      e.preventDefault();
    } else if (ARROWS.has(e.key)) {
      e.preventDefault();
      if (e.shiftKey) moveBooking(cx, nav, key, rowIndex, e.key, e.altKey);
      else moveFocus(cx, nav, key, rowIndex, e.key);
    }
  };
}

const ARROWS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);

/**
 * A pencil for the artist's working hours today (their first interval, on
 * their clock; 09:00–17:00 local when they do not work today) on `artistId`'s
 * row, opened in the panel.
 */
function bookToday(cx: KeysContext, artistId: string): void {
  const st = useBoard.getState();
  const artist = st.artists.find((a) => a.id === artistId);
  const fallback = { start: dayStart(cx.now) + 9 * US_PER_HOUR, end: dayStart(cx.now) + 17 * US_PER_HOUR };
  const span = (artist && artistWorkday(cx.now, artist.timezone, artist.workingHours, st.workingWeek)) ?? fallback;
  const project = st.filters.project;
  const key = store.createBooking({ artistId, title: "New booking", startTime: span.start, endTime: span.end, status: "pencil", ...(project ? { projectId: project } : {}) });
  if (key) {
    cx.focusWanted.current = key;
    store.select(key, true);
  }
}

/** Shift+arrows: a step in time (with Alt: the end only), or to the artist above/below. */
function moveBooking(cx: KeysContext, nav: Navigation, key: string, rowIndex: number, arrow: string, alt: boolean): void {
  const b = store.booking(key)!;
  const zoom = ZOOMS[cx.scale.zoom];
  const dir = arrow === "ArrowLeft" || arrow === "ArrowUp" ? -1 : 1;
  if (arrow === "ArrowLeft" || arrow === "ArrowRight") {
    if (alt) {
      const end = Math.max(b.startTime + zoom.snap, b.endTime + dir * zoom.step);
      if (end !== b.endTime) store.guardedUpdate(key, { endTime: end }, "resize the booking");
    } else store.guardedUpdate(key, { startTime: b.startTime + dir * zoom.step, endTime: b.endTime + dir * zoom.step }, "move the booking");
    nav.focusKey(key, rowIndex);
    return;
  }
  let i = rowIndex + dir;
  while (i >= 0 && i < cx.rows.length && cx.rows[i]!.kind !== "artist") i += dir;
  const to = artistOfRow(cx.rows, i);
  if (to && to !== b.artistId) {
    store.guardedUpdate(key, { artistId: to }, "move the booking");
    nav.focusKey(key, i);
  }
}

/** Plain arrows: the next bar in the row, or the nearest bar in the next row that has one. */
function moveFocus(cx: KeysContext, nav: Navigation, key: string, rowIndex: number, arrow: string): void {
  if (arrow === "ArrowLeft" || arrow === "ArrowRight") {
    const list = nav.barsOfRow(rowIndex);
    const at = list.findIndex((p) => p.key === key);
    const next = list[at + (arrow === "ArrowLeft" ? -1 : 1)];
    if (next) nav.focusKey(next.key, rowIndex);
    return;
  }
  const b = store.booking(key)!;
  const dir = arrow === "ArrowUp" ? -1 : 1;
  const mid = (b.startTime + b.endTime) / 2;
  const distance = (p: Placed) => Math.abs((p.booking.startTime + p.booking.endTime) / 2 - mid);
  for (let i = rowIndex + dir; i >= 0 && i < cx.rows.length; i += dir) {
    const list = nav.barsOfRow(i);
    if (list.length === 0) continue;
    const nearest = list.reduce((best, p) => (distance(p) < distance(best) ? p : best));
    nav.focusKey(nearest.key, i);
    return;
  }
}

interface Navigation {
  barsOfRow(i: number): Placed[];
  rowOfKey(key: string, near: number): number;
  focusKey(key: string, rowIndex: number): void;
}

function navigation(cx: KeysContext): Navigation {
  const barsOfRow = (i: number): Placed[] => {
    const id = artistOfRow(cx.rows, i);
    return id ? (cx.index.get(id)?.placed ?? []) : [];
  };

  const rowOfKey = (key: string, near: number): number => {
    const b = store.booking(key);
    if (!b) return -1;
    // The row nearest `near` showing this artist (an artist may appear in several groups).
    let best = -1;
    cx.rows.forEach((r, i) => {
      if (r.kind === "artist" && r.artist.id === b.artistId && (best < 0 || Math.abs(i - near) < Math.abs(best - near))) best = i;
    });
    return best;
  };

  const scrollIntoView = (key: string, rowIndex: number) => {
    const el = cx.scrollRef.current;
    const b = store.booking(key);
    if (!el || !b) return;
    const top = (cx.layout.tops[rowIndex] ?? 0) + HEADER_H;
    if (top < el.scrollTop + HEADER_H) el.scrollTop = top - HEADER_H - ROW_H;
    else if (top + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * ROW_H - el.clientHeight;
    const x0 = cx.scale.x(b.startTime);
    const width = el.clientWidth - LEFT_W;
    if (x0 < el.scrollLeft || x0 > el.scrollLeft + width - 40) el.scrollLeft = Math.max(0, x0 - width / 4);
  };

  const focusKey = (key: string, rowIndex: number) => {
    cx.focusWanted.current = key;
    store.select(key);
    scrollIntoView(key, rowIndex);
  };

  return { barsOfRow, rowOfKey, focusKey };
}
