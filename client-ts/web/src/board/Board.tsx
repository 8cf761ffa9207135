// The scheduler grid: a sticky time axis on top, sticky artist names on the
// left, and booking bars, virtual in both directions (only the rows and days
// in view plus some overscan are rendered).
//
// This file puts the parts together; each concern has its own file:
// * `useViewport.ts` — scroll position and size, zoom anchoring, "Today";
// * `useDrag.ts`, `drag.ts` — pointer: drag on empty space proposes a booking
//   (`CreateDialog.tsx` asks its status and title), drag a bar moves it (also
//   to another artist's row), drag its edges resizes, a click opens it; a
//   ghost shows the target and whether it is free in the local view;
// * `AskDialog.tsx` — the question before moving a confirmed booking;
// * `useUndoKeys.ts` — Ctrl+Z / Ctrl+Shift+Z (undo, redo: `store/undo.ts`);
// * `useBoardKeys.ts` — keyboard on bars and artists' names;
// * `useHoldDrop.ts` — a "Find someone" result dropped here places a hold;
// * `useReveal.ts` — scrolls to a booking opened from elsewhere (a notification);
// * `Axis.tsx` — the time axis and the day shading; `Rows.tsx`,
//   `ArtistRow.tsx`, `Bar.tsx` — the rows and their bars; `DragTip.tsx`.

import { useEffect, useMemo, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { buildRows, countArtists, mayEditBookings } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { Scale, boardSpan, dayStart, formatRange } from "../time.js";
import { AskDialog } from "./AskDialog.js";
import "./board-edit.css";
import { DayShading, TimeAxis } from "./Axis.js";
import { CreateDialog, type Draft } from "./CreateDialog.js";
import { DragTip } from "./DragTip.js";
import { HEADER_H, LEFT_W, OVERSCAN_PX, layoutRows, visibleRows, type RowLayout } from "./geometry.js";
import { Rows } from "./Rows.js";
import { boardKeyHandler, onBoardFocus, useFollowFocus } from "./useBoardKeys.js";
import { useDrag } from "./useDrag.js";
import { useHoldDrop } from "./useHoldDrop.js";
import { useReveal } from "./useReveal.js";
import { useUndoKeys } from "./useUndoKeys.js";
import { useNow, useViewport } from "./useViewport.js";

export function Board() {
  const s = useBoard(
    useShallow((st) => ({
      artists: st.artists,
      index: st.index,
      zoom: st.zoom,
      filters: st.filters,
      selected: st.selected,
      others: st.others,
      workingWeek: st.workingWeek,
      projects: st.projects,
      holidays: st.studio.holidays,
      readOnly: !mayEditBookings(st.session),
    })),
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const now = useNow();
  const span = useMemo(() => boardSpan(now), [dayStart(now)]); // eslint-disable-line react-hooks/exhaustive-deps
  const scale = useMemo(() => new Scale(span, s.zoom), [span, s.zoom]);
  const rows = useMemo(() => buildRows(s.artists, s.index, s.filters, s.projects), [s.artists, s.index, s.filters, s.projects]);
  const layout = useMemo(() => layoutRows(rows), [rows]);
  const { view, onScroll } = useViewport(scrollRef, scale, now, span);
  const focusWanted = useRef<string | undefined>(undefined);
  const [draft, setDraft] = useState<Draft | undefined>();
  const { drag, handlers, cancelDrag } = useDrag(scrollRef, scale, layout, rows, focusWanted, (g) => setDraft({ artistId: g.artistId, start: g.start, end: g.end }));
  useUndoKeys();
  const created = (key?: string) => {
    setDraft(undefined);
    if (key) {
      focusWanted.current = key;
      store.select(key, true);
    } else scrollRef.current?.focus({ preventScroll: true });
  };
  const hold = useHoldDrop(scrollRef, scale);
  useFollowFocus(scrollRef, focusWanted);
  useReveal(scrollRef, scale, layout, rows, focusWanted);
  const onKeyDown = boardKeyHandler({ scrollRef, focusWanted, scale, layout, rows, index: s.index, now, cancelDrag });

  const [first, last] = visibleRows(layout, view.top, view.height);
  // The rendered time range, in steps of a quarter of the overscan so rows
  // (memoized) re-render only when it moves a step, not on every scrolled pixel.
  const quantum = OVERSCAN_PX / 4;
  const visFrom = scale.t(Math.max(0, Math.floor((view.left - OVERSCAN_PX) / quantum) * quantum));
  const visTo = scale.t(Math.ceil((view.left + view.width + OVERSCAN_PX) / quantum) * quantum);
  const width = scale.width;
  const totalH = layout.total;
  const nowX = scale.x(now);
  const time = { scale, zoom: s.zoom, visFrom, visTo, now, workingWeek: s.workingWeek };
  // The bookings held are those of the rows and days shown plus a margin: moves them when this leaves it.
  useEffect(() => store.showRegion(rows, first, last, visFrom, visTo), [rows, first, last, visFrom, visTo]);

  return (
    <>
      <div
        className={`board board--${s.zoom}${s.readOnly ? " board--readonly" : ""}${drag?.moved ? " board--dragging" : ""}${hold.over ? " board--drop" : ""}`}
        ref={scrollRef}
        onScroll={onScroll}
        {...handlers}
        {...hold.handlers}
        // The browser's own drag (of a selection from elsewhere) would cancel ours.
        onDragStart={(e) => e.preventDefault()}
        onKeyDown={onKeyDown}
        onFocus={onBoardFocus}
        role="grid"
        aria-label="Scheduler board: artists by time"
        aria-rowcount={rows.length}
        data-testid="board"
      >
        <div className="canvas" style={{ width: LEFT_W + width, height: HEADER_H + totalH }}>
          <TimeAxis {...time} artistCount={countArtists(rows)} />
          <div className="body" style={{ top: HEADER_H, width: LEFT_W + width, height: totalH }}>
            <DayShading {...time} height={totalH} holidays={s.holidays} />
            <Rows rows={rows} layout={layout} first={first} last={last} scale={scale} visFrom={visFrom} visTo={visTo} view={view} drag={drag} index={s.index} selected={s.selected} others={s.others} />
            {nowX >= 0 && nowX <= width ? <div className="now" style={{ left: LEFT_W + nowX, height: totalH }} aria-hidden="true" data-testid="today-marker" /> : null}
          </div>
        </div>
        {drag?.moved ? <DragTip drag={drag} /> : null}
        {hold.over ? (
          <div className="drag-tip drag-tip--free" role="status" data-testid="drop-tip">
            <strong>Hold</strong> · {hold.over.payload.artistName} · {formatRange(hold.over.start, hold.over.end)}
          </div>
        ) : null}
      </div>
      {draft ? <CreateDialog draft={draft} onDone={created} /> : null}
      <AskDialog />
    </>
  );
}

export type { RowLayout };
