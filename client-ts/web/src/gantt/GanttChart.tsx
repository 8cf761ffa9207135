// The chart: a names column and a scrolling day axis with the phases as
// bars, dependency arrows, milestones (first lane), a today line and the
// critical path. Rows are virtual: only those in view (plus overscan) are in
// the DOM, so a plan of 300 phases scrolls as fast as one of 10.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { ProjectPlan } from "../../../src/index.js";
import { today as todayOf } from "../days.js";
import type { Schedule } from "../projects/schemas.js";
import { GANTT_ZOOMS, HEAD_H, ROW_H, chartSpan, ticks as ticksOf, visibleRows, xOf, type GanttZoom } from "./geometry.js";
import { Axis, Ghosts, Lines, MilestoneLane, arrowsFor } from "./parts.js";
import { PhaseBar } from "./PhaseBar.js";
import type { EditApi } from "./useEdit.js";

interface Props {
  plan: ProjectPlan;
  schedule: Schedule | undefined;
  zoom: GanttZoom;
  editApi: EditApi;
  canEdit: boolean;
  selected: string | undefined;
  onSelect: (id: string) => void;
  selectedMilestone: string | undefined;
  onSelectMilestone: (id: string) => void;
}

/** The scroll position and size, one update per frame. */
function useScrollView(ref: React.RefObject<HTMLDivElement | null>) {
  const [view, setView] = useState({ top: 0, left: 0, height: 600 });
  const frame = useRef(0);
  const measure = useCallback(() => {
    frame.current = 0;
    const el = ref.current;
    if (el) setView((v) => (v.top === el.scrollTop && v.left === el.scrollLeft && v.height === el.clientHeight ? v : { top: el.scrollTop, left: el.scrollLeft, height: el.clientHeight }));
  }, [ref]);
  useLayoutEffect(() => {
    measure();
    const ro = new ResizeObserver(measure);
    if (ref.current) ro.observe(ref.current);
    return () => ro.disconnect();
  }, [measure, ref]);
  return { view, onScroll: () => void (frame.current ||= requestAnimationFrame(measure)) };
}

export function GanttChart({ plan, schedule, zoom, editApi, canEdit, selected, onSelect, selectedMilestone, onSelectMilestone }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { view, onScroll } = useScrollView(scrollRef);
  const today = todayOf();
  const px = GANTT_ZOOMS[zoom].pxPerDay;
  const span = useMemo(() => chartSpan(plan.project, plan.phases, today), [plan, today]);
  const ticks = useMemo(() => ticksOf(span, zoom), [span, zoom]);
  const width = span.days * px;
  // Row 0 is the milestones lane; phase i is row i + 1.
  const rowOf = useMemo(() => new Map(plan.phases.map((p, i) => [p.id, i + 1])), [plan.phases]);
  const byId = useMemo(() => new Map(plan.phases.map((p) => [p.id, p])), [plan.phases]);
  const rowCount = plan.phases.length + 1;
  const height = rowCount * ROW_H;
  const [first, last] = visibleRows(view.top, view.height - HEAD_H, rowCount);
  const sched = useMemo(() => new Map((schedule?.phases ?? []).map((s) => [s.phaseId, s])), [schedule]);
  const critical = useMemo(() => new Set(schedule?.criticalPath ?? []), [schedule]);
  const todayX = xOf(span, px, today);
  const focusRow = useFocusRow(scrollRef, rowCount);
  // Opening (and zooming) shows today if it is within the project, else the project's start.
  const inProject = plan.project.startDate <= today && today < plan.project.endDate;
  useScrollToToday(scrollRef, inProject ? todayX : xOf(span, px, plan.project.startDate), todayX, zoom);

  const boxOf = (id: string) => {
    const p = byId.get(id);
    if (!p) return undefined;
    const d = editApi.datesOf(p);
    return { x0: xOf(span, px, d.startDate), x1: xOf(span, px, d.endDate), y: rowOf.get(id)! * ROW_H + ROW_H / 2 };
  };
  const arrows = arrowsFor({ deps: plan.dependencies, rowOf, boxOf, nameOf: (id) => byId.get(id)?.name ?? "?", critical, rows: [first, last] });
  const tabStop = selected && rowOf.has(selected) ? selected : plan.phases[0]?.id;
  const color = (c: string | null) => c ?? plan.project.color;

  return (
    <div className="gantt__frame">
      <Names plan={plan} top={view.top} first={first} last={last} critical={critical} />
      <div className="gantt__scroll" ref={scrollRef} onScroll={onScroll} data-testid="gantt" role="group" aria-label={`Gantt chart of ${plan.project.name}: phases by day`}>
        <div className="gantt__canvas" style={{ width, height: HEAD_H + height }}>
          <Axis ticks={ticks} width={width} todayX={todayX} />
          <div className="gantt__rows" style={{ top: HEAD_H, width, height }}>
            <Lines ticks={ticks} width={width} height={height} todayX={todayX} arrows={arrows} />
            <MilestoneLane milestones={plan.milestones} span={span} px={px} selected={selectedMilestone} onSelect={onSelectMilestone} />
            {plan.phases.slice(Math.max(0, first - 1), Math.max(0, last - 1)).map((phase) => (
              <PhaseBar
                key={phase.id}
                phase={phase}
                dates={editApi.datesOf(phase)}
                row={rowOf.get(phase.id)!}
                span={span}
                px={px}
                color={color(phase.color)}
                critical={critical.has(phase.id)}
                slack={sched.get(phase.id)?.slackDays}
                selected={selected === phase.id}
                tabbable={tabStop === phase.id}
                canEdit={canEdit}
                editApi={editApi}
                onSelect={onSelect}
                onFocusRow={(row) => focusRow(row, (id) => onSelect(id), plan.phases)}
              />
            ))}
            <Ghosts moves={editApi.preview} rowOf={rowOf} phases={byId} span={span} px={px} />
          </div>
        </div>
      </div>
    </div>
  );
}

/** Phase names down the side, scrolled with the chart (virtual like the bars). */
function Names({ plan, top, first, last, critical }: { plan: ProjectPlan; top: number; first: number; last: number; critical: ReadonlySet<string> }) {
  return (
    <div className="gantt__names" aria-hidden="true">
      <div className="gantt__names-head">Phase</div>
      <div className="gantt__names-body">
        <div style={{ transform: `translateY(${-top}px)`, height: (plan.phases.length + 1) * ROW_H, position: "relative" }}>
          {first === 0 ? (
            <div className="gantt__name gantt__name--lane" style={{ top: 0 }}>
              Milestones
            </div>
          ) : null}
          {plan.phases.slice(Math.max(0, first - 1), Math.max(0, last - 1)).map((p, i) => (
            <div key={p.id} className={`gantt__name${critical.has(p.id) ? " gantt__name--critical" : ""}`} style={{ top: (Math.max(1, first) + i) * ROW_H }}>
              {p.name}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

/** ↑/↓ between bars: scroll the row into view, select it and focus its bar once rendered. */
function useFocusRow(scrollRef: React.RefObject<HTMLDivElement | null>, rowCount: number) {
  const wanted = useRef<number | undefined>(undefined);
  useEffect(() => {
    const row = wanted.current;
    if (row === undefined) return;
    const bar = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${row}"]`);
    if (bar) {
      wanted.current = undefined;
      bar.focus();
    }
  });
  return (row: number, select: (id: string) => void, phases: ProjectPlan["phases"]) => {
    if (row < 1 || row >= rowCount) return;
    const el = scrollRef.current;
    if (el && (row * ROW_H < el.scrollTop || (row + 1) * ROW_H > el.scrollTop + el.clientHeight - HEAD_H)) el.scrollTop = row * ROW_H - el.clientHeight / 3;
    wanted.current = row;
    const id = phases[row - 1]?.id;
    if (id) select(id);
  };
}

/** On opening and on zoom: `anchorX` a quarter of the way in; the page's "Today" button scrolls to today. */
function useScrollToToday(scrollRef: React.RefObject<HTMLDivElement | null>, anchorX: number, todayX: number, zoom: GanttZoom) {
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el) el.scrollLeft = Math.max(0, anchorX - el.clientWidth / 4);
    const go = () => el?.scrollTo({ left: Math.max(0, todayX - el.clientWidth / 4), behavior: "smooth" });
    window.addEventListener("pt:gantt-today", go);
    return () => window.removeEventListener("pt:gantt-today", go);
  }, [zoom]); // eslint-disable-line react-hooks/exhaustive-deps
}
