// One project's Gantt page (`#/projects/<id>`): its name, dates and
// progress, the zoom, the chart, and a side panel with the selected phase
// (progress editable) and the forms to add phases, dependencies and
// milestones. Owners and managers edit; a freelancer only looks.

import { useEffect, useState } from "react";
import type { Phase, ProjectPlan } from "../../../src/index.js";
import { apiCall, errorMessage } from "../api.js";
import { formatRange } from "../days.js";
import { PhaseChange, type Schedule } from "../projects/schemas.js";
import { routeHash } from "../router.js";
import { useBoard } from "../store.js";
import { mayEditProjects } from "../store/projects.js";
import { AddDependency, AddMilestone, AddPhase, DependencyList } from "./forms.js";
import { GANTT_ZOOMS, type GanttZoom } from "./geometry.js";
import { GanttChart } from "./GanttChart.js";
import { useEdit } from "./useEdit.js";
import { usePlan, useSchedule } from "./usePlan.js";
import "./gantt.css";

export function GanttPage({ projectId }: { projectId: string }) {
  const canEdit = mayEditProjects(useBoard((st) => st.session?.role));
  const { plan, error } = usePlan(projectId);
  const schedule = useSchedule(projectId, plan);
  const [zoom, setZoom] = useState<GanttZoom>("week");
  const [selected, setSelected] = useState<string | undefined>();
  const editApi = useEdit(plan?.phases ?? []);

  if (error) return <PageError message={error} />;
  if (!plan) return <p className="muted">Loading the project…</p>;
  const phase = plan.phases.find((p) => p.id === selected);
  return (
    <section className="gantt" aria-labelledby="gantt-title">
      <div className="page__head">
        <a href={routeHash({ page: "projects" })}>← Projects</a>
        <h1 id="gantt-title">
          <span className="swatch-dot" style={{ background: plan.project.color }} aria-hidden="true" /> {plan.project.name} <span className="code">{plan.project.code}</span>
        </h1>
        <span className="muted">{formatRange(plan.project.startDate, plan.project.endDate)}</span>
        {schedule ? <span data-testid="gantt-progress">{Math.round(schedule.progress)}% done</span> : null}
        <div className="toolbar__spacer" />
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
      </div>
      <div className="gantt__body">
        {plan.phases.length === 0 ? <p className="muted gantt__empty">No phases yet.{canEdit ? " Add one in the panel." : ""}</p> : null}
        <GanttChart plan={plan} schedule={schedule} zoom={zoom} editApi={editApi} canEdit={canEdit} selected={selected} onSelect={setSelected} />
        <aside className="gantt__panel" aria-label="Project details">
          {phase ? <PhasePanel key={phase.id} phase={phase} schedule={schedule} canEdit={canEdit} /> : <p className="muted">Select a phase to see its details.</p>}
          <GanttLegend />
          <DependencyList plan={plan} canEdit={canEdit} />
          {canEdit ? <EditForms plan={plan} /> : null}
        </aside>
      </div>
    </section>
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

/** The selected phase: dates, slack, and its progress (a number input for who may edit). */
function PhasePanel({ phase, schedule, canEdit }: { phase: Phase; schedule: Schedule | undefined; canEdit: boolean }) {
  const [progress, setProgress] = useState(String(phase.progress));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => setProgress(String(phase.progress)), [phase.progress]);
  const s = schedule?.phases.find((x) => x.phaseId === phase.id);
  const save = async () => {
    try {
      // No version: progress is one number set outright, and a move just made
      // (whose event may not be here yet) must not make it a conflict.
      await apiCall("PATCH", `/project-phases/${phase.id}`, PhaseChange, { progress: Number(progress) });
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section className="phase-panel" aria-label={`Phase ${phase.name}`} data-testid="phase-panel">
      <h2>{phase.name}</h2>
      <p>{formatRange(phase.startDate, phase.endDate)}</p>
      {s ? <p>{s.critical ? "On the critical path" : `${s.slackDays} working days of slack`}</p> : null}
      {canEdit ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            Progress (%) <input type="number" name="progress" min={0} max={100} value={progress} onChange={(e) => setProgress(e.target.value)} />
          </label>
          <button type="submit">Save progress</button>
        </form>
      ) : (
        <p>{phase.progress}% done</p>
      )}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
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
        <span className="gantt-legend__diamond" aria-hidden="true" /> Milestone
      </li>
      <li>
        <span className="gantt-legend__ghost" aria-hidden="true" /> Where a move would push a phase
      </li>
      <li className="muted">Drag a bar to move it, its ends to resize · ←/→ a day, Shift+←/→ the end, Enter saves, Esc cancels</li>
    </ul>
  );
}
