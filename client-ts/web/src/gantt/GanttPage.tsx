// One project's Gantt page (`#/projects/<id>`): its name, dates and
// progress, who else has it open, the zoom, the chart, and a side panel with
// the selected phase (`PhasePanel`) or milestone (`MilestonePanel`) and the
// forms to add phases, dependencies and milestones. Owners and managers edit,
// and have a second tab, "Allocation" (planned vs booked days); a freelancer
// only looks.

import { useState } from "react";
import type { ProjectPlan } from "../../../src/index.js";
import { formatRange } from "../days.js";
import { initials } from "../model.js";
import type { Schedule } from "../projects/schemas.js";
import { routeHash } from "../router.js";
import { useBoard } from "../store.js";
import { mayEditProjects } from "../store/projects.js";
import { AllocationView } from "./Allocation.js";
import { AddDependency, AddMilestone, AddPhase, DependencyList } from "./forms.js";
import { GANTT_ZOOMS, type GanttZoom } from "./geometry.js";
import { GanttChart } from "./GanttChart.js";
import { MilestonePanel } from "./MilestonePanel.js";
import { PhasePanel } from "./PhasePanel.js";
import { useEdit } from "./useEdit.js";
import { usePlan, useSchedule, type Viewer } from "./usePlan.js";
import "./gantt.css";

type Tab = "chart" | "allocation";

export function GanttPage({ projectId }: { projectId: string }) {
  const canEdit = mayEditProjects(useBoard((st) => st.session?.role));
  const { plan, error, others } = usePlan(projectId);
  const schedule = useSchedule(projectId, plan);
  const [zoom, setZoom] = useState<GanttZoom>("week");
  const [tab, setTab] = useState<Tab>("chart");
  const sel = useSelection();
  const editApi = useEdit(plan?.phases ?? []);

  if (error) return <PageError message={error} />;
  if (!plan) return <p className="muted">Loading the project…</p>;
  const shown: Tab = canEdit ? tab : "chart";
  return (
    <section className="gantt" aria-labelledby="gantt-title">
      <div className="page__head">
        <a href={routeHash({ page: "projects" })}>← Projects</a>
        <h1 id="gantt-title">
          <span className="swatch-dot" style={{ background: plan.project.color }} aria-hidden="true" /> {plan.project.name} <span className="code">{plan.project.code}</span>
        </h1>
        <span className="muted">{formatRange(plan.project.startDate, plan.project.endDate)}</span>
        {schedule ? <span data-testid="gantt-progress">{Math.round(schedule.progress)}% done</span> : null}
        {canEdit ? <Tabs tab={shown} setTab={setTab} /> : null}
        <div className="toolbar__spacer" />
        <Viewers others={others} />
        {shown === "chart" ? <ZoomButtons zoom={zoom} setZoom={setZoom} /> : null}
      </div>
      {shown === "allocation" ? (
        <div role="tabpanel" id="gantt-tab-allocation" aria-labelledby="gantt-tab-allocation-tab">
          <AllocationView plan={plan} />
        </div>
      ) : (
        <div className="gantt__body" {...(canEdit ? { role: "tabpanel", id: "gantt-tab-chart", "aria-labelledby": "gantt-tab-chart-tab" } : {})}>
          {plan.phases.length === 0 ? <p className="muted gantt__empty">No phases yet.{canEdit ? " Add one in the panel." : ""}</p> : null}
          <GanttChart plan={plan} schedule={schedule} zoom={zoom} editApi={editApi} canEdit={canEdit} {...sel.chartProps} />
          <SidePanel plan={plan} schedule={schedule} canEdit={canEdit} phaseId={sel.phase} milestoneId={sel.milestone} />
        </div>
      )}
    </section>
  );
}

/** One selection at a time: a phase or a milestone. */
function useSelection() {
  const [phase, setPhase] = useState<string | undefined>();
  const [milestone, setMilestone] = useState<string | undefined>();
  const chartProps = {
    selected: phase,
    onSelect: (id: string) => (setPhase(id), setMilestone(undefined)),
    selectedMilestone: milestone,
    onSelectMilestone: (id: string) => (setMilestone(id), setPhase(undefined)),
  };
  return { phase, milestone, chartProps };
}

/** Who else has this chart open, by name (the project view's presence). */
function Viewers({ others }: { others: Viewer[] }) {
  if (others.length === 0) return null;
  const names = [...new Set(others.map(([, p]) => p.name ?? "Someone"))];
  return (
    <ul className="gantt-viewers" aria-label={`Also on this project: ${names.join(", ")}`} data-testid="gantt-presence">
      {names.map((n) => (
        <li key={n} className="gantt-viewer" data-name={n}>
          <span className="avatar avatar--xs" aria-hidden="true">
            {initials(n)}
          </span>{" "}
          {n} is here
        </li>
      ))}
    </ul>
  );
}

function Tabs({ tab, setTab }: { tab: Tab; setTab: (t: Tab) => void }) {
  const tabs: [Tab, string][] = [
    ["chart", "Chart"],
    ["allocation", "Allocation"],
  ];
  return (
    <div className="segmented" role="tablist" aria-label="View">
      {tabs.map(([t, label]) => (
        <button key={t} type="button" role="tab" id={`gantt-tab-${t}-tab`} aria-controls={tab === t ? `gantt-tab-${t}` : undefined} aria-selected={tab === t} onClick={() => setTab(t)}>
          {label}
        </button>
      ))}
    </div>
  );
}

function ZoomButtons({ zoom, setZoom }: { zoom: GanttZoom; setZoom: (z: GanttZoom) => void }) {
  return (
    <>
      <div className="segmented" role="group" aria-label="Zoom">
        {(Object.keys(GANTT_ZOOMS) as GanttZoom[]).map((z) => (
          <button key={z} type="button" aria-pressed={zoom === z} onClick={() => setZoom(z)}>
            {GANTT_ZOOMS[z].label}
          </button>
        ))}
      </div>
      <button type="button" onClick={() => window.dispatchEvent(new Event("pt:gantt-today"))}>
        Today
      </button>
    </>
  );
}

interface SideProps {
  plan: ProjectPlan;
  schedule: Schedule | undefined;
  canEdit: boolean;
  phaseId: string | undefined;
  milestoneId: string | undefined;
}

/** The selected phase or milestone (gone from the plan: nothing), the legend, the dependencies and the forms. */
function SidePanel({ plan, schedule, canEdit, phaseId, milestoneId }: SideProps) {
  const phase = plan.phases.find((p) => p.id === phaseId);
  const milestone = plan.milestones.find((m) => m.id === milestoneId);
  return (
    <aside className="gantt__panel" aria-label="Project details">
      {phase ? (
        <PhasePanel key={phase.id} phase={phase} plan={plan} schedule={schedule} canEdit={canEdit} />
      ) : milestone ? (
        <MilestonePanel key={milestone.id} milestone={milestone} plan={plan} canEdit={canEdit} />
      ) : (
        <p className="muted">Select a phase or a milestone to see its details.</p>
      )}
      <GanttLegend />
      <DependencyList plan={plan} canEdit={canEdit} />
      {canEdit ? <EditForms plan={plan} /> : null}
    </aside>
  );
}

function EditForms({ plan }: { plan: ProjectPlan }) {
  return (
    <>
      <AddPhase plan={plan} />
      <AddDependency plan={plan} />
      <AddMilestone plan={plan} />
    </>
  );
}

function PageError({ message }: { message: string }) {
  return (
    <section className="gantt">
      <a href={routeHash({ page: "projects" })}>← Projects</a>
      <p className="form-error" role="alert">
        {message}
      </p>
    </section>
  );
}

function GanttLegend() {
  return (
    <ul className="gantt-legend" aria-label="Legend">
      <li>
        <span className="gantt-legend__bar" aria-hidden="true" /> Phase (darker part: progress)
      </li>
      <li>
        <span className="gantt-legend__bar gantt-legend__bar--critical" aria-hidden="true" /> Critical path
      </li>
      <li>
        <span className="gantt-legend__diamond" aria-hidden="true" /> Milestone (hollow: to do) <span className="gantt-legend__diamond gantt-legend__diamond--done" aria-hidden="true" /> done
      </li>
      <li>
        <span className="gantt-legend__ghost" aria-hidden="true" /> Where a move would push a phase
      </li>
      <li className="muted">Drag a bar to move it, its ends to resize · ←/→ a day, Shift+←/→ the end, Enter saves, Esc cancels · click a diamond (or Tab to it) to open a milestone</li>
    </ul>
  );
}
