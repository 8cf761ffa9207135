// The Gantt chart's drawn parts: the day axis, the SVG layer (grid lines,
// today line, dependency arrows), the milestones lane and ghost bars. The
// phase bars themselves (interactive) are in `PhaseBar.tsx`.

import { memo } from "react";
import type { Dependency, Milestone, Phase } from "../../../src/index.js";
import { formatDay, formatRange } from "../days.js";
import type { PhaseMove } from "../projects/schemas.js";
import { BAR_H, ROW_H, arrowPath, xOf, type BarBox, type Span, type Tick } from "./geometry.js";

export const Axis = memo(function Axis({ ticks, width, todayX }: { ticks: Tick[]; width: number; todayX: number }) {
  return (
    <div className="gantt__axis" style={{ width }} aria-hidden="true">
      {ticks.map((t) =>
        t.label ? (
          <span key={t.day} className="gantt__tick" style={{ left: t.x }} data-day={t.day}>
            {t.label}
          </span>
        ) : null,
      )}
      {ticks.map((t) =>
        t.month ? (
          <span key={`m${t.day}`} className="gantt__month" style={{ left: t.x }}>
            {t.month}
          </span>
        ) : null,
      )}
      <span className="gantt__today-label" style={{ left: todayX }}>
        Today
      </span>
    </div>
  );
});

interface LinesProps {
  ticks: Tick[];
  width: number;
  height: number;
  todayX: number;
  arrows: { id: string; d: string; critical: boolean; label: string }[];
}

/** Grid lines, the today line and the dependency arrows, under the bars. */
export function Lines({ ticks, width, height, todayX, arrows }: LinesProps) {
  return (
    <svg className="gantt__lines" width={width} height={height} aria-hidden="true">
      <defs>
        <marker id="gantt-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" className="gantt__arrowhead" />
        </marker>
        <marker id="gantt-arrow-critical" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" className="gantt__arrowhead gantt__arrowhead--critical" />
        </marker>
      </defs>
      {ticks.map((t) => (
        <line key={t.day} x1={t.x} x2={t.x} y1={0} y2={height} className={t.major ? "gantt__grid gantt__grid--major" : "gantt__grid"} />
      ))}
      {arrows.map((a) => (
        <path
          key={a.id}
          d={a.d}
          className={`gantt__dep${a.critical ? " gantt__dep--critical" : ""}`}
          markerEnd={`url(#gantt-arrow${a.critical ? "-critical" : ""})`}
          data-testid="dependency"
          data-id={a.id}
        >
          <title>{a.label}</title>
        </path>
      ))}
      <line x1={todayX} x2={todayX} y1={0} y2={height} className="gantt__today" data-testid="gantt-today" />
    </svg>
  );
}

export interface ArrowInput {
  deps: readonly Dependency[];
  rowOf: ReadonlyMap<string, number>;
  boxOf: (phaseId: string) => BarBox | undefined;
  nameOf: (id: string) => string;
  critical: ReadonlySet<string>;
  rows: [number, number];
}

/** The arrows with at least one end in (or crossing) the rendered rows. */
export function arrowsFor({ deps, rowOf, boxOf, nameOf, critical, rows: [first, last] }: ArrowInput) {
  const out: LinesProps["arrows"] = [];
  for (const d of deps) {
    const a = rowOf.get(d.predecessorId);
    const b = rowOf.get(d.successorId);
    if (a === undefined || b === undefined || Math.max(a, b) < first || Math.min(a, b) >= last) continue;
    const from = boxOf(d.predecessorId);
    const to = boxOf(d.successorId);
    if (!from || !to) continue;
    const lag = d.lagDays === 0 ? "" : `, lag ${d.lagDays} working days`;
    out.push({
      id: d.id,
      d: arrowPath(d.kind, from, to),
      critical: critical.has(d.predecessorId) && critical.has(d.successorId),
      label: `${nameOf(d.predecessorId)} → ${nameOf(d.successorId)} (${d.kind.replace(/_/g, " ")}${lag})`,
    });
  }
  return out;
}

interface LaneProps {
  milestones: readonly Milestone[];
  span: Span;
  px: number;
  selected: string | undefined;
  onSelect: (id: string) => void;
}

/**
 * Milestones as diamonds in the first lane: filled when done, hollow when
 * not, and their names say which. Each is a button (Tab, Enter or a click)
 * that opens it in the side panel.
 */
export const MilestoneLane = memo(function MilestoneLane({ milestones, span, px, selected, onSelect }: LaneProps) {
  return (
    <>
      {milestones.map((m) => {
        const name = `Milestone ${m.name}, ${formatDay(m.date)}, ${m.done ? "done" : "not done"}`;
        return (
          <button
            key={m.id}
            type="button"
            className={`gantt__milestone${m.done ? " gantt__milestone--done" : ""}${selected === m.id ? " gantt__milestone--selected" : ""}`}
            style={{ left: xOf(span, px, m.date) + px / 2, top: ROW_H / 2 }}
            aria-label={name}
            aria-pressed={selected === m.id}
            title={name}
            data-testid="milestone"
            data-id={m.id}
            data-date={m.date}
            data-done={m.done}
            onClick={() => onSelect(m.id)}
          >
            <span className="gantt__milestone-label" aria-hidden="true">
              {m.name}
            </span>
          </button>
        );
      })}
    </>
  );
});

/** Where `push` would move other phases (the server's preview of the current drag). */
export function Ghosts({ moves, rowOf, phases, span, px }: { moves: PhaseMove[]; rowOf: ReadonlyMap<string, number>; phases: ReadonlyMap<string, Phase>; span: Span; px: number }) {
  return (
    <>
      {moves.map((m) => {
        const row = rowOf.get(m.phaseId);
        if (row === undefined) return null;
        const x0 = xOf(span, px, m.newStart);
        const name = phases.get(m.phaseId)?.name ?? "Phase";
        return (
          <div
            key={m.phaseId}
            className="gantt__ghost"
            style={{ left: x0, width: xOf(span, px, m.newEnd) - x0, top: row * ROW_H + (ROW_H - BAR_H) / 2, height: BAR_H }}
            data-testid="ghost"
            data-phase={m.phaseId}
            data-start={m.newStart}
            data-end={m.newEnd}
            title={`${name} would move to ${formatRange(m.newStart, m.newEnd)}`}
          >
            <span>{name} → {formatDay(m.newStart, false)}</span>
          </div>
        );
      })}
    </>
  );
}
