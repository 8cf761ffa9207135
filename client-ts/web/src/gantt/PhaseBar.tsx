// One phase as a bar: its dates on the axis, its progress as a fill, the
// critical path in red. Who may edit drags it (the middle moves it, an edge
// resizes it) or uses the keys:
// * ← / → move it a day, Shift+← / Shift+→ move its end a day (the chart
//   shows what `push` would move), Enter saves, Escape cancels;
// * ↑ / ↓ go to the phase above or below; Enter (with nothing moved) or a
//   click selects it (the side panel shows it).

import type { KeyboardEvent, PointerEvent } from "react";
import { useRef } from "react";
import type { Phase } from "../../../src/index.js";
import { formatRange } from "../days.js";
import type { EditApi } from "./useEdit.js";
import { BAR_H, ROW_H, xOf, type DragMode, type Span } from "./geometry.js";

interface Props {
  phase: Phase;
  dates: { startDate: string; endDate: string };
  row: number;
  span: Span;
  px: number;
  color: string;
  critical: boolean;
  slack: number | undefined;
  selected: boolean;
  tabbable: boolean;
  canEdit: boolean;
  editApi: EditApi;
  onSelect: (id: string) => void;
  onFocusRow: (row: number) => void;
}

function label(p: Props, moving: boolean): string {
  const { phase, dates, critical, slack } = p;
  return [
    `${phase.name}, ${formatRange(dates.startDate, dates.endDate)}`,
    `${phase.progress}% done`,
    critical ? "on the critical path" : slack !== undefined ? `${slack} working days of slack` : "",
    moving ? "moving: Enter saves, Escape cancels" : "",
  ]
    .filter(Boolean)
    .join(", ");
}

export function PhaseBar(p: Props) {
  const { phase, dates, row, span, px, editApi, canEdit } = p;
  const start = useRef<{ x: number; mode: DragMode; moved: boolean } | undefined>(undefined);
  const editing = editApi.edit?.phaseId === phase.id ? editApi.edit : undefined;
  const x0 = xOf(span, px, dates.startDate);
  const width = Math.max(4, xOf(span, px, dates.endDate) - x0);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    p.onSelect(phase.id);
    if (!canEdit) return;
    const edge = (e.target as HTMLElement).dataset["edge"];
    start.current = { x: e.clientX, mode: edge === "start" || edge === "end" ? edge : "move", moved: false };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const s = start.current;
    if (!s) return;
    const delta = Math.round((e.clientX - s.x) / px);
    if (delta !== 0) s.moved = true;
    if (s.moved && (editing?.delta !== delta || editing.mode !== s.mode)) editApi.setEdit({ phaseId: phase.id, mode: s.mode, delta });
  };
  const onPointerUp = () => {
    const s = start.current;
    start.current = undefined;
    if (s?.moved) void editApi.commit();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (step !== 0 && canEdit) {
      const mode: DragMode = e.shiftKey ? "end" : "move";
      const delta = editing && editing.mode === mode ? editing.delta + step : step;
      editApi.setEdit({ phaseId: phase.id, mode, delta });
    } else if (e.key === "Enter") {
      if (editing && editing.delta !== 0) void editApi.commit();
      else p.onSelect(phase.id);
    } else if (e.key === "Escape" && editing) {
      editApi.setEdit(undefined);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      p.onFocusRow(row + (e.key === "ArrowDown" ? 1 : -1));
    } else return;
    e.preventDefault();
  };

  const cls = ["gantt-bar", p.critical && "gantt-bar--critical", p.selected && "gantt-bar--selected", editing && "gantt-bar--moving"].filter(Boolean).join(" ");
  return (
    <div
      className={cls}
      style={{ left: x0, width, top: row * ROW_H + (ROW_H - BAR_H) / 2, height: BAR_H, ["--bar-color" as string]: p.color }}
      role="button"
      tabIndex={p.tabbable ? 0 : -1}
      aria-label={label(p, editing !== undefined)}
      aria-pressed={p.selected}
      data-testid="phase-bar"
      data-phase={phase.id}
      data-row={row}
      data-name={phase.name}
      data-start={dates.startDate}
      data-end={dates.endDate}
      data-critical={p.critical}
      data-progress={phase.progress}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => (start.current = undefined)}
      onKeyDown={onKeyDown}
    >
      <span className="gantt-bar__progress" style={{ width: `${phase.progress}%` }} aria-hidden="true" />
      {canEdit ? <span className="gantt-bar__edge gantt-bar__edge--start" data-edge="start" aria-hidden="true" /> : null}
      <span className="gantt-bar__label" aria-hidden="true">
        {phase.name}
      </span>
      {canEdit ? <span className="gantt-bar__edge gantt-bar__edge--end" data-edge="end" aria-hidden="true" /> : null}
    </div>
  );
}
