// The scheduler grid: a sticky time axis on top, sticky artist names on the
// left, and booking bars, virtual in both directions (only the rows and days
// in view plus some overscan are rendered).
//
// Pointer: drag on empty space creates, drag a bar moves it (also to another
// artist's row), drag its edges resizes. While dragging, a ghost shows the
// target and whether it is free in the local view. Keyboard (on a focused
// bar): ←/→/↑/↓ move focus, Shift+arrows move the booking (a step in time,
// or to the artist above/below), Alt+Shift+←/→ shorten/lengthen it, Enter
// opens the panel, Delete cancels it, Escape closes/deselects. On an artist's
// name, Enter creates a booking for today.

import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type PointerEvent, type ReactElement } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Booking, BookingStatus, TimeRange } from "../../../src/index.js";
import { ACTIVE, buildRows, checkFree, countArtists, initials, mayManageTimeOff, overlapsTimeOff, timeOffIn, type FreeCheck, type Placed, type Row } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { Scale, US_PER_HOUR, ZOOMS, addDays, boardSpan, dayKey, dayStart, formatRange, formatTimeOff, isWorkingDay, ticks, workingHours } from "../time.js";
import { Bar, MIN_BAR_PX, type SaveMark } from "./Bar.js";
import { GROUP_H, HEADER_H, LEFT_W, OVERSCAN_PX, ROW_H, layoutRows, rowAt, visibleRows, type RowLayout } from "./geometry.js";

type DragKind = "create" | "move" | "start" | "end";

interface Drag {
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
  /** The target artist's time off under the ghost (a warning, not a refusal: the server allows it). */
  timeOff: TimeRange[];
}

/** A drag starts after the pointer moved this far (a click below it). */
const DRAG_SLOP_PX = 4;
/** Pressing this close to a bar's end resizes it. */
const EDGE_GRIP_PX = 8;
/** Auto-scroll when a drag comes this close to an edge. */
const EDGE_PX = 36;

export function Board() {
  const s = useBoard(
    useShallow((st) => ({
      artists: st.artists,
      index: st.index,
      zoom: st.zoom,
      filters: st.filters,
      selected: st.selected,
      pending: st.pending,
      unsaved: st.unsaved,
      justSaved: st.justSaved,
      snapping: st.snapping,
      others: st.others,
      workingWeek: st.workingWeek,
    })),
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const [now, setNow] = useState(() => Date.now() * 1000);
  const span = useMemo(() => boardSpan(now), [dayStart(now)]); // eslint-disable-line react-hooks/exhaustive-deps
  const scale = useMemo(() => new Scale(span, s.zoom), [span, s.zoom]);
  const rows = useMemo(() => buildRows(s.artists, s.index, s.filters), [s.artists, s.index, s.filters]);
  const layout = useMemo(() => layoutRows(rows), [rows]);
  const [view, setView] = useState({ left: 0, top: 0, width: 1200, height: 800 });
  const [drag, setDrag] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  dragRef.current = drag;
  const focusWanted = useRef<string | undefined>(undefined);
  const autoScroll = useRef<{ dx: number; dy: number; frame: number } | null>(null);
  const lastPointer = useRef<{ x: number; y: number } | null>(null);

  // The clock: the today marker moves.
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() * 1000), 60_000);
    return () => clearInterval(t);
  }, []);

  // Viewport tracking (rAF-coalesced) for virtualization.
  const frame = useRef(0);
  const measure = useCallback(() => {
    frame.current = 0;
    const el = scrollRef.current;
    if (!el) return;
    setView((v) =>
      v.left === el.scrollLeft && v.top === el.scrollTop && v.width === el.clientWidth && v.height === el.clientHeight
        ? v
        : { left: el.scrollLeft, top: el.scrollTop, width: el.clientWidth, height: el.clientHeight },
    );
  }, []);
  const onScroll = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(measure);
  }, [measure]);
  useLayoutEffect(() => {
    measure();
    const ro = new ResizeObserver(() => measure());
    if (scrollRef.current) ro.observe(scrollRef.current);
    return () => ro.disconnect();
  }, [measure]);

  // Start with now a third of the way in; keep the instant in the middle when zooming.
  const prevScale = useRef<Scale | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const before = prevScale.current;
    const width = el.clientWidth - LEFT_W;
    if (before === null) {
      el.scrollLeft = Math.max(0, scale.x(now) - width / 3); // now, a third of the way in
    } else if (before.zoom !== scale.zoom) {
      const center = before.t(el.scrollLeft + width / 2);
      el.scrollLeft = Math.max(0, scale.x(center) - width / 2);
    }
    prevScale.current = scale;
    measure();
  }, [scale]); // eslint-disable-line react-hooks/exhaustive-deps

  // "Today" and "Go to date" from the toolbar.
  useEffect(() => {
    const today = () => {
      const el = scrollRef.current;
      if (el) el.scrollTo({ left: Math.max(0, scale.x(now) - (el.clientWidth - LEFT_W) / 3), behavior: "smooth" });
    };
    const goto = (e: Event) => {
      const el = scrollRef.current;
      const at = (e as CustomEvent<number>).detail;
      if (el && Number.isFinite(at)) el.scrollLeft = Math.max(0, scale.x(dayStart(at)) - (scale.zoom === "day" ? 0 : scale.x(addDays(span.start, 1))));
    };
    window.addEventListener("pt:today", today);
    window.addEventListener("pt:goto", goto);
    return () => {
      window.removeEventListener("pt:today", today);
      window.removeEventListener("pt:goto", goto);
    };
  }, [scale, now, span]);

  // Focus a bar that re-rendered elsewhere (moved to another row by keyboard).
  // The move shows a frame later (the store folds changes once per frame), so
  // the wish stays until the bar is in its artist's row.
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

  const [first, last] = visibleRows(layout, view.top, view.height);
  // The rendered time range, in steps of a quarter of the overscan so rows
  // (memoized) re-render only when it moves a step, not on every scrolled pixel.
  const quantum = OVERSCAN_PX / 4;
  const visFrom = scale.t(Math.max(0, Math.floor((view.left - OVERSCAN_PX) / quantum) * quantum));
  const visTo = scale.t(Math.ceil((view.left + view.width + OVERSCAN_PX) / quantum) * quantum);
  const axis = useMemo(() => ticks(s.zoom, visFrom, visTo, now, s.workingWeek), [s.zoom, Math.floor(visFrom / (6 * US_PER_HOUR)), Math.floor(visTo / (6 * US_PER_HOUR)), dayStart(now), s.workingWeek]); // eslint-disable-line react-hooks/exhaustive-deps

  // Who has which booking open / selected (others only).
  const presenceByBooking = useMemo(() => {
    const editing = new Map<string, string[]>();
    const viewing = new Map<string, string[]>();
    for (const st of s.others.values()) {
      const name = st.name ?? "Someone";
      if (st.editingBooking) (editing.get(st.editingBooking) ?? editing.set(st.editingBooking, []).get(st.editingBooking)!).push(name);
      else if (st.selectedBooking) (viewing.get(st.selectedBooking) ?? viewing.set(st.selectedBooking, []).get(st.selectedBooking)!).push(name);
    }
    return { editing, viewing };
  }, [s.others]);

  // ---- geometry helpers ----------------------------------------------------------

  const pointerAt = useCallback(
    (clientX: number, clientY: number) => {
      const el = scrollRef.current!;
      const r = el.getBoundingClientRect();
      const x = clientX - r.left + el.scrollLeft - LEFT_W;
      const y = clientY - r.top + el.scrollTop - HEADER_H;
      return { x, y, t: scale.t(x), row: rowAt(layout, y) };
    },
    [scale, layout],
  );

  const artistOfRow = (i: number): string | undefined => {
    const row = rows[i];
    return row?.kind === "artist" ? row.artist.id : undefined;
  };

  const ghostFor = useCallback(
    (d: Drag, t: number, rowIndex: number): Drag => {
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
          artistId = artistOfRow(rowIndex) ?? artistId;
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
      const timeOff = timeOffIn(st.artists.find((a) => a.id === artistId)?.timeOff ?? [], start, end);
      return { ...d, ghost, check, timeOff };
    },
    [scale, rows], // eslint-disable-line react-hooks/exhaustive-deps
  );

  // ---- pointer -------------------------------------------------------------------

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || dragRef.current) return;
    const target = e.target as HTMLElement;
    if (target.closest(".row-head, .axis, .group-row")) return;
    const p = pointerAt(e.clientX, e.clientY);
    if (p.x < 0 || p.y < 0) return;
    const barEl = target.closest<HTMLElement>("[data-key]");
    let d: Drag | null = null;
    if (barEl) {
      const key = barEl.dataset.key!;
      const b = store.booking(key);
      if (!b) return;
      // Near an end: resize (by distance, so the bar's border counts too).
      const r = barEl.getBoundingClientRect();
      const grip = Math.min(EDGE_GRIP_PX, r.width / 4);
      const edge = e.clientX - r.left <= grip ? "start" : r.right - e.clientX <= grip ? "end" : undefined;
      d = {
        kind: edge ?? "move",
        pointerId: e.pointerId,
        key,
        x0: p.x,
        y0: p.y,
        t0: p.t,
        moved: false,
        ghost: { artistId: b.artistId, start: b.startTime, end: b.endTime, status: b.status },
        check: { free: true, conflicts: [], holds: 0 },
        timeOff: [],
      };
    } else {
      const artistId = artistOfRow(p.row);
      if (!artistId) return;
      d = {
        kind: "create",
        pointerId: e.pointerId,
        x0: p.x,
        y0: p.y,
        t0: p.t,
        moved: false,
        ghost: { artistId, start: p.t, end: p.t, status: "pencil" },
        check: { free: true, conflicts: [], holds: 0 },
        timeOff: [],
      };
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag(d);
  };

  const updateDrag = (clientX: number, clientY: number) => {
    const d = dragRef.current;
    if (!d) return;
    const p = pointerAt(clientX, clientY);
    const moved = d.moved || Math.abs(p.x - d.x0) > DRAG_SLOP_PX || Math.abs(p.y - d.y0) > DRAG_SLOP_PX;
    if (!moved) return;
    const next = ghostFor({ ...d, moved }, p.t, p.row);
    dragRef.current = next;
    setDrag(next);
  };

  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    lastPointer.current = { x: e.clientX, y: e.clientY };
    updateDrag(e.clientX, e.clientY);
    // Near an edge: keep scrolling while the pointer stays there.
    const el = scrollRef.current!;
    const r = el.getBoundingClientRect();
    const dx = e.clientX < r.left + LEFT_W + EDGE_PX ? -1 : e.clientX > r.right - EDGE_PX ? 1 : 0;
    const dy = e.clientY < r.top + HEADER_H + EDGE_PX ? -1 : e.clientY > r.bottom - EDGE_PX ? 1 : 0;
    if ((dx || dy) && d.moved) {
      if (!autoScroll.current) {
        const tick = () => {
          const a = autoScroll.current;
          if (!a || !dragRef.current) return;
          el.scrollLeft += a.dx * 16;
          el.scrollTop += a.dy * 12;
          if (lastPointer.current) updateDrag(lastPointer.current.x, lastPointer.current.y);
          a.frame = requestAnimationFrame(tick);
        };
        autoScroll.current = { dx, dy, frame: requestAnimationFrame(tick) };
      } else {
        autoScroll.current.dx = dx;
        autoScroll.current.dy = dy;
      }
    } else stopAutoScroll();
  };

  const stopAutoScroll = () => {
    if (autoScroll.current) cancelAnimationFrame(autoScroll.current.frame);
    autoScroll.current = null;
  };

  const endDrag = (e: PointerEvent<HTMLDivElement>, cancelled: boolean) => {
    const d = dragRef.current;
    if (!d || d.pointerId !== e.pointerId) return;
    stopAutoScroll();
    dragRef.current = null;
    setDrag(null);
    if (cancelled) return;
    if (!d.moved) {
      if (d.key) {
        store.select(d.key);
        (e.target as HTMLElement).closest<HTMLElement>("[data-key]")?.focus({ preventScroll: true });
      } else store.select(undefined);
      return;
    }
    commitDrag(d);
  };

  const commitDrag = (d: Drag) => {
    const g = d.ghost;
    if (d.kind === "create") {
      const project = useBoard.getState().filters.project;
      const key = store.createBooking({
        artistId: g.artistId,
        title: "New booking",
        startTime: g.start,
        endTime: g.end,
        status: "pencil",
        ...(project ? { projectId: project } : {}),
      });
      if (key) {
        focusWanted.current = key;
        store.select(key, true);
      }
      return;
    }
    const b = d.key ? store.booking(d.key) : undefined;
    if (!b || !d.key) return;
    const patch: { startTime?: number; endTime?: number; artistId?: string } = {};
    if (g.start !== b.startTime) patch.startTime = g.start;
    if (g.end !== b.endTime) patch.endTime = g.end;
    if (g.artistId !== b.artistId) patch.artistId = g.artistId;
    if (Object.keys(patch).length === 0) return;
    // The ghost already warned about time off: no notice on top.
    store.updateBooking(d.key, patch, d.kind === "move" ? "move the booking" : "resize the booking", false);
    focusWanted.current = d.key;
    store.select(d.key);
  };

  // ---- keyboard ------------------------------------------------------------------

  const barsOfRow = (i: number): Placed[] => {
    const id = artistOfRow(i);
    return id ? (s.index.get(id)?.placed ?? []) : [];
  };

  const rowOfKey = (key: string, near: number): number => {
    const b = store.booking(key);
    if (!b) return -1;
    // The row nearest `near` showing this artist (an artist may appear in several groups).
    let best = -1;
    rows.forEach((r, i) => {
      if (r.kind === "artist" && r.artist.id === b.artistId && (best < 0 || Math.abs(i - near) < Math.abs(best - near))) best = i;
    });
    return best;
  };

  const focusKey = (key: string, rowIndex: number) => {
    focusWanted.current = key;
    store.select(key);
    scrollIntoView(key, rowIndex);
  };

  const scrollIntoView = (key: string, rowIndex: number) => {
    const el = scrollRef.current;
    const b = store.booking(key);
    if (!el || !b) return;
    const top = (layout.tops[rowIndex] ?? 0) + HEADER_H;
    if (top < el.scrollTop + HEADER_H) el.scrollTop = top - HEADER_H - ROW_H;
    else if (top + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * ROW_H - el.clientHeight;
    const x0 = scale.x(b.startTime);
    const width = el.clientWidth - LEFT_W;
    if (x0 < el.scrollLeft || x0 > el.scrollLeft + width - 40) el.scrollLeft = Math.max(0, x0 - width / 4);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (e.key === "Escape") {
      if (dragRef.current) {
        stopAutoScroll();
        dragRef.current = null;
        setDrag(null);
      } else store.select(undefined, false);
      e.preventDefault();
      return;
    }
    // On the name itself (not on its "Time off" button, which Enter presses).
    const head = target.closest<HTMLElement>("[data-artist-row]");
    if (head && head === target && (e.key === "Enter" || e.key === " ")) {
      const artistId = head.dataset.artistRow!;
      const start = dayStart(now) + 9 * US_PER_HOUR;
      const project = useBoard.getState().filters.project;
      const key = store.createBooking({ artistId, title: "New booking", startTime: start, endTime: start + 8 * US_PER_HOUR, status: "pencil", ...(project ? { projectId: project } : {}) });
      if (key) {
        focusWanted.current = key;
        store.select(key, true);
      }
      e.preventDefault();
      return;
    }
    const key = target.dataset.key;
    if (!key) return;
    const b = store.booking(key);
    if (!b) return;
    const rowIndex = Number(target.closest<HTMLElement>("[data-row]")?.dataset.row ?? rowOfKey(key, 0));
    const step = ZOOMS[s.zoom].step;
    const arrows = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];
    if (e.key === "Enter") {
      store.select(key, true);
      e.preventDefault();
    } else if (e.key === "Delete" || e.key === "Backspace") {
      store.transitionBooking(key, "cancelled");
      e.preventDefault();
    } else if (arrows.includes(e.key) && e.shiftKey) {
      e.preventDefault();
      const dir = e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 1;
      if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        if (e.altKey) {
          const end = Math.max(b.startTime + ZOOMS[s.zoom].snap, b.endTime + dir * step);
          if (end !== b.endTime) store.updateBooking(key, { endTime: end }, "resize the booking");
        } else store.updateBooking(key, { startTime: b.startTime + dir * step, endTime: b.endTime + dir * step }, "move the booking");
        focusKey(key, rowIndex);
      } else {
        let i = rowIndex + dir;
        while (i >= 0 && i < rows.length && rows[i]!.kind !== "artist") i += dir;
        const to = artistOfRow(i);
        if (to && to !== b.artistId) {
          store.updateBooking(key, { artistId: to }, "move the booking");
          focusKey(key, i);
        }
      }
    } else if (arrows.includes(e.key)) {
      e.preventDefault();
      if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        const list = barsOfRow(rowIndex);
        const at = list.findIndex((p) => p.key === key);
        const next = list[at + (e.key === "ArrowLeft" ? -1 : 1)];
        if (next) focusKey(next.key, rowIndex);
      } else {
        const dir = e.key === "ArrowUp" ? -1 : 1;
        for (let i = rowIndex + dir; i >= 0 && i < rows.length; i += dir) {
          const list = barsOfRow(i);
          if (list.length === 0) continue;
          const mid = (b.startTime + b.endTime) / 2;
          const nearest = list.reduce((best, p) => (Math.abs((p.booking.startTime + p.booking.endTime) / 2 - mid) < Math.abs((best.booking.startTime + best.booking.endTime) / 2 - mid) ? p : best));
          focusKey(nearest.key, i);
          break;
        }
      }
    }
  };

  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    const key = (e.target as HTMLElement).dataset.key;
    if (key && key !== useBoard.getState().selected) store.select(key);
  };

  // ---- render --------------------------------------------------------------------

  const width = scale.width;
  const totalH = layout.total;
  const nowX = scale.x(now);

  // Day columns, shaded on days off the studio's working week; at day zoom,
  // the hours outside its working hours are shaded lightly too.
  const days: { x: number; w: number; off: boolean; today: boolean }[] = [];
  const offHours: { x: number; w: number }[] = [];
  for (let d = dayStart(visFrom); d < visTo; d = addDays(d, 1)) {
    const next = addDays(d, 1);
    days.push({ x: scale.x(d), w: scale.x(next) - scale.x(d), off: !isWorkingDay(d, s.workingWeek), today: d === dayStart(now) });
    const hours = s.zoom === "day" ? workingHours(d, s.workingWeek) : undefined;
    if (hours) {
      for (const [a, b] of [
        [d, Math.min(hours.start, next)],
        [Math.max(hours.end, d), next],
      ] as const) {
        if (b > a) offHours.push({ x: scale.x(a), w: scale.x(b) - scale.x(a) });
      }
    }
  }

  // Roving tab stop: one bar is in the Tab order, the selected one while it is
  // drawn, else the earliest in the first row in view that shows one; the
  // arrows move focus from bar to bar (onKeyDown).
  const tabStop = ((): { row: number; key: string } | undefined => {
    const barsIn = (i: number, from: number, to: number) => {
      const r = rows[i];
      return r?.kind === "artist" ? (s.index.get(r.artist.id)?.placed ?? []).filter((p) => p.booking.endTime > from && p.booking.startTime < to) : [];
    };
    const sel = s.selected;
    if (sel !== undefined) {
      for (let i = first; i <= last; i++) if (barsIn(i, visFrom, visTo).some((p) => p.key === sel)) return { row: i, key: sel };
    }
    const viewFrom = scale.t(view.left);
    const viewTo = scale.t(view.left + view.width - LEFT_W);
    for (let i = Math.max(first, rowAt(layout, view.top)); i <= last; i++) {
      const inView = barsIn(i, viewFrom, viewTo);
      if (inView.length > 0) return { row: i, key: inView[0]!.key }; // placed bars are sorted by start
    }
    return undefined;
  })();

  const rendered: ReactElement[] = [];
  for (let i = first; i <= last; i++) {
    const row = rows[i]!;
    const top = layout.tops[i]!;
    if (row.kind === "group") {
      rendered.push(
        <div key={row.key} className="group-row" style={{ top, height: GROUP_H, width: LEFT_W + width }} role="row">
          <div className="group-row__label" role="rowheader">
            {row.label} <span className="muted">· {row.count}</span>
          </div>
        </div>,
      );
      continue;
    }
    rendered.push(
      <ArtistRow
        key={row.key}
        index={i}
        row={row}
        top={top}
        width={width}
        scale={scale}
        visFrom={visFrom}
        visTo={visTo}
        drag={drag && (drag.ghost.artistId === row.artist.id || store.booking(drag.key)?.artistId === row.artist.id) ? drag : null}
        presence={presenceByBooking}
        tabStop={tabStop?.row === i ? tabStop.key : undefined}
      />,
    );
  }

  return (
    <div
      className={`board board--${s.zoom}${drag?.moved ? " board--dragging" : ""}`}
      ref={scrollRef}
      onScroll={onScroll}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={(e) => endDrag(e, false)}
      onPointerCancel={(e) => endDrag(e, true)}
      // The browser's own drag (of a selection from elsewhere) would cancel ours.
      onDragStart={(e) => e.preventDefault()}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      role="grid"
      aria-label="Scheduler board: artists by time"
      aria-rowcount={rows.length}
      data-testid="board"
    >
      <div className="canvas" style={{ width: LEFT_W + width, height: HEADER_H + totalH }}>
        <div className="axis" style={{ width: LEFT_W + width }} role="row">
          <div className="axis__corner" role="columnheader">
            {/* One inline box: the flex corner would drop the space between two items. */}
            <span>
              Artists <span className="muted">· {countArtists(rows)}</span>
            </span>
          </div>
          {axis.major.map((t, i) => (
            <div
              key={`M${t.at}`}
              className={`axis__major${t.today ? " axis__major--today" : ""}`}
              style={{ left: LEFT_W + scale.x(t.at), width: scale.x(axis.major[i + 1]?.at ?? visTo) - scale.x(t.at) }}
              data-day={s.zoom === "day" ? dayKey(t.at) : undefined}
            >
              <span className="axis__sticky">{t.label}</span>
            </div>
          ))}
          {axis.minor.map((t) => (
            <div
              key={`m${t.at}`}
              className={`axis__minor${t.off ? " axis__minor--off" : ""}${t.today ? " axis__minor--today" : ""}`}
              style={{ left: LEFT_W + scale.x(t.at), width: s.zoom === "day" ? scale.x(t.at + 2 * US_PER_HOUR) - scale.x(t.at) : scale.x(addDays(t.at, 1)) - scale.x(t.at) }}
              role="columnheader"
              data-day={s.zoom === "day" ? undefined : dayKey(t.at)}
            >
              {t.label}
            </div>
          ))}
        </div>
        <div className="body" style={{ top: HEADER_H, width: LEFT_W + width, height: totalH }}>
          <div className="days" aria-hidden="true">
            {days.map((d) => (
              <div key={d.x} className={`day${d.off ? " day--off" : ""}${d.today ? " day--today" : ""}`} style={{ left: LEFT_W + d.x, width: d.w, height: totalH }} />
            ))}
            {offHours.map((h) => (
              <div key={`h${h.x}`} className="off-hours" style={{ left: LEFT_W + h.x, width: h.w, height: totalH }} />
            ))}
          </div>
          {rendered}
          {nowX >= 0 && nowX <= width ? <div className="now" style={{ left: LEFT_W + nowX, height: totalH }} aria-hidden="true" data-testid="today-marker" /> : null}
        </div>
      </div>
      {drag?.moved ? <DragTip drag={drag} /> : null}
    </div>
  );
}

/** The ghost's state: busy (the server would refuse), time off (allowed, a warning) or free. */
function ghostState(d: Drag): "free" | "busy" | "timeoff" {
  return !d.check.free ? "busy" : d.timeOff.length > 0 ? "timeoff" : "free";
}

const GHOST_TEXT = { free: "✓ Free", busy: "✕ Busy", timeoff: "⚠ Time off" };

function DragTip({ drag }: { drag: Drag }) {
  const artist = useBoard.getState().artists.find((a) => a.id === drag.ghost.artistId);
  const c = drag.check;
  const state = ghostState(drag);
  return (
    <div className={`drag-tip drag-tip--${state}`} role="status" aria-live="polite" data-testid="drag-tip">
      <strong>{state === "busy" ? "Busy" : state === "timeoff" ? "Time off" : "Free"}</strong> · {artist?.name} · {formatRange(drag.ghost.start, drag.ghost.end)}
      {!c.free ? <div>In the way: {c.conflicts.map((b) => `${b.title} (${b.status})`).join(", ")}</div> : null}
      {drag.timeOff.length > 0 ? (
        <div>
          {c.free ? "Allowed, but it overlaps" : "Also overlaps"} {artist ? `${artist.name}'s` : "their"} time off: {drag.timeOff.map((r) => formatTimeOff(r.start, r.end)).join("; ")}
        </div>
      ) : null}
      {c.free && c.holds > 0 && drag.ghost.status !== "hold" ? <div>Overlaps {c.holds} hold(s)</div> : null}
    </div>
  );
}

interface ArtistRowProps {
  index: number;
  row: Extract<Row, { kind: "artist" }>;
  top: number;
  width: number;
  scale: Scale;
  visFrom: number;
  visTo: number;
  drag: Drag | null;
  presence: { editing: Map<string, string[]>; viewing: Map<string, string[]> };
  /** The key of the board's one tabbable bar, when it is in this row. */
  tabStop: string | undefined;
}

/** Shared empty list, so memoized bars see an unchanged prop. */
const NOBODY: string[] = [];

/** Memoized: a vertical scroll renders only the rows that come into view. */
const ArtistRow = memo(function ArtistRow({ index, row, top, width, scale, visFrom, visTo, drag, presence, tabStop }: ArtistRowProps) {
  const a = row.artist;
  const entry = useBoard((st) => st.index.get(a.id));
  const { selected, pending, unsaved, justSaved, snapping, project, groupBy } = useBoard(
    useShallow((st) => ({
      selected: st.selected,
      pending: st.pending,
      unsaved: st.unsaved,
      justSaved: st.justSaved,
      snapping: st.snapping,
      project: st.filters.project,
      groupBy: st.filters.groupBy,
    })),
  );
  const mayManage = useBoard((st) => mayManageTimeOff(st.session, a.id));
  const ownRow = useBoard((st) => st.session?.artistId === a.id);
  const focusProject = groupBy === "project" ? (row.group ?? "") : project;
  const bars: ReactElement[] = [];
  for (const p of entry?.placed ?? []) {
    const b: Booking = p.booking;
    if (b.endTime <= visFrom || b.startTime >= visTo) continue;
    const left = LEFT_W + scale.x(b.startTime);
    const w = Math.max(MIN_BAR_PX, scale.x(b.endTime) - scale.x(b.startTime));
    const laneH = (ROW_H - 6) / p.lanes;
    const save: SaveMark = pending.has(p.key) ? "sending" : unsaved.has(p.key) ? "saving" : justSaved.has(p.key) ? "saved" : undefined;
    bars.push(
      <Bar
        key={p.key}
        placed={p}
        artistName={a.name}
        left={left}
        width={w}
        top={3 + p.lane * laneH}
        height={laneH - 1}
        selected={selected === p.key}
        tabbable={tabStop === p.key}
        save={save}
        snapping={snapping.has(p.key)}
        dragging={drag?.moved === true && drag.key === p.key}
        dimmed={focusProject !== "" && (b.projectId ?? "") !== focusProject}
        editors={presence.editing.get(b.id) ?? NOBODY}
        viewers={presence.viewing.get(b.id) ?? NOBODY}
        timeOff={ACTIVE.has(b.status) && overlapsTimeOff(a.timeOff, b.startTime, b.endTime)}
      />,
    );
  }
  const ghost = drag?.moved && drag.ghost.artistId === a.id ? drag.ghost : undefined;
  const state = drag ? ghostState(drag) : "free";
  // Time off in the rendered window only (virtual like the bars), clipped to it.
  const off: ReactElement[] = [];
  for (const r of timeOffIn(a.timeOff, visFrom, visTo)) {
    const x0 = scale.x(Math.max(r.start, visFrom));
    const w = scale.x(Math.min(r.end, visTo)) - x0;
    const label = `Time off, ${formatTimeOff(r.start, r.end)}`;
    off.push(
      <div key={r.start} className="time-off" style={{ left: LEFT_W + x0, width: w }} role="img" aria-label={label} title={label} data-start={r.start} data-end={r.end}>
        {w >= 64 ? <span className="time-off__label" aria-hidden="true">Time off</span> : null}
      </div>,
    );
  }
  return (
    <div className={`row${index % 2 ? " row--odd" : ""}`} style={{ top, height: ROW_H, width: LEFT_W + width }} role="row" data-row={index} aria-rowindex={index + 1}>
      <div className="row-head" role="rowheader" tabIndex={0} data-artist-row={a.id} aria-label={`${a.name}, ${a.skills.join(", ")}. Press Enter to book today.`}>
        <span className="avatar" style={{ ["--hue" as string]: hueOf(a.name) }} aria-hidden="true">
          {initials(a.name)}
        </span>
        <span className="row-head__text">
          <span className="row-head__name">{a.name}</span>
          <span className="row-head__skills">{a.skills.join(" · ")}</span>
        </span>
        {mayManage ? (
          <button type="button" className={`row-head__timeoff${ownRow ? " row-head__timeoff--own" : ""}`} aria-label={`Time off for ${a.name}`} title={`Time off for ${a.name}`} onClick={() => store.openArtistPanel(a.id)}>
            Time off
          </button>
        ) : null}
      </div>
      {/* One cell holds the row's timeline (time off and bars position against the row). */}
      <div className="row__timeline" role="gridcell">
        {off}
        {bars}
      </div>
      {ghost ? (
        <div
          className={`ghost ghost--${state}`}
          data-testid="ghost"
          data-free={drag!.check.free}
          data-time-off={drag!.timeOff.length > 0}
          style={{ left: LEFT_W + scale.x(ghost.start), width: Math.max(MIN_BAR_PX, scale.x(ghost.end) - scale.x(ghost.start)), top: 2, height: ROW_H - 4 }}
          aria-hidden="true"
        >
          <span>{GHOST_TEXT[state]}</span>
        </div>
      ) : null}
    </div>
  );
});

function hueOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 33 + s.charCodeAt(i)) >>> 0;
  return h % 360;
}

export type { RowLayout };
