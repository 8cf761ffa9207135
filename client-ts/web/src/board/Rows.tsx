// The rows in view (plus overscan): group headers and artists' rows, with
// what every row needs from the board as a whole — who has which booking open
// (presence) and the one bar in the Tab order.

import { useMemo, type ReactElement } from "react";
import type { PresenceState } from "../../../src/index.js";
import type { ArtistBookings, Row } from "../model.js";
import * as store from "../store.js";
import type { Scale } from "../time.js";
import { ArtistRow, type PresenceByBooking } from "./ArtistRow.js";
import type { Drag } from "./drag.js";
import { GROUP_H, LEFT_W, rowAt, type RowLayout } from "./geometry.js";
import type { Viewport } from "./useViewport.js";

interface RowsProps {
  rows: Row[];
  layout: RowLayout;
  /** The rows to render, inclusive. */
  first: number;
  last: number;
  scale: Scale;
  /** The rendered time range. */
  visFrom: number;
  visTo: number;
  view: Viewport;
  drag: Drag | null;
  index: Map<string, ArtistBookings>;
  selected: string | undefined;
  others: ReadonlyMap<string, PresenceState>;
}

export function Rows({ rows, layout, first, last, scale, visFrom, visTo, view, drag, index, selected, others }: RowsProps) {
  const presence = useMemo(() => presenceByBooking(others), [others]);
  const tabStop = tabStopOf({ rows, layout, first, last, scale, visFrom, visTo, view, index, selected });
  const rendered: ReactElement[] = [];
  for (let i = first; i <= last; i++) {
    const row = rows[i]!;
    const top = layout.tops[i]!;
    if (row.kind === "group") {
      rendered.push(
        <div key={row.key} className="group-row" style={{ top, height: GROUP_H, width: LEFT_W + scale.width }} role="row">
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
        width={scale.width}
        scale={scale}
        visFrom={visFrom}
        visTo={visTo}
        drag={drag && (drag.ghost.artistId === row.artist.id || store.booking(drag.key)?.artistId === row.artist.id) ? drag : null}
        presence={presence}
        tabStop={tabStop?.row === i ? tabStop.key : undefined}
      />,
    );
  }
  return <>{rendered}</>;
}

function presenceByBooking(others: ReadonlyMap<string, PresenceState>): PresenceByBooking {
  const editing = new Map<string, string[]>();
  const viewing = new Map<string, string[]>();
  for (const st of others.values()) {
    const name = st.name ?? "Someone";
    if (st.editingBooking) (editing.get(st.editingBooking) ?? editing.set(st.editingBooking, []).get(st.editingBooking)!).push(name);
    else if (st.selectedBooking) (viewing.get(st.selectedBooking) ?? viewing.set(st.selectedBooking, []).get(st.selectedBooking)!).push(name);
  }
  return { editing, viewing };
}

/**
 * Roving tab stop: one bar is in the Tab order, the selected one while it is
 * drawn, else the earliest in the first row in view that shows one; the
 * arrows move focus from bar to bar (`useBoardKeys.ts`).
 */
function tabStopOf(p: Omit<RowsProps, "drag" | "others">): { row: number; key: string } | undefined {
  const { rows, layout, first, last, scale, visFrom, visTo, view, index, selected } = p;
  const barsIn = (i: number, from: number, to: number) => {
    const r = rows[i];
    return r?.kind === "artist" ? (index.get(r.artist.id)?.placed ?? []).filter((b) => b.booking.endTime > from && b.booking.startTime < to) : [];
  };
  if (selected !== undefined) {
    for (let i = first; i <= last; i++) if (barsIn(i, visFrom, visTo).some((b) => b.key === selected)) return { row: i, key: selected };
  }
  const viewFrom = scale.t(view.left);
  const viewTo = scale.t(view.left + view.width - LEFT_W);
  for (let i = Math.max(first, rowAt(layout, view.top)); i <= last; i++) {
    const inView = barsIn(i, viewFrom, viewTo);
    if (inView.length > 0) return { row: i, key: inView[0]!.key }; // placed bars are sorted by start
  }
  return undefined;
}
