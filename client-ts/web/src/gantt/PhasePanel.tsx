// The side panel of the selected phase: its dates, slack (or "on the
// critical path"), progress and planned effort per skill (editable by owners
// and managers), what it depends on and what follows it ("depends on Layout (finish to start, +2 d)"),
// each removable, and "Delete phase" after a confirmation. The server refuses
// to delete a phase that active bookings name (`422 unprocessable`); the
// dialog then shows its message. A deleted phase leaves the plan by the
// project view's event, and the panel with it.

import { useEffect, useState } from "react";
import { z } from "zod";
import type { Phase, ProjectPlan } from "../../../src/index.js";
import { ApiError, apiCall, errorMessage, type FieldProblem } from "../api.js";
import { Confirm } from "../Confirm.js";
import { formatRange } from "../days.js";
import { Phase as PhaseSchema, PhaseChange, type Schedule } from "../projects/schemas.js";
import { EffortEditor, effortBody, effortRows, explainWithEffort, type EffortRow } from "./effort.js";
import { dependencyTerms } from "./words.js";

interface Props {
  phase: Phase;
  plan: ProjectPlan;
  schedule: Schedule | undefined;
  canEdit: boolean;
}

export function PhasePanel({ phase, plan, schedule, canEdit }: Props) {
  const [confirming, setConfirming] = useState(false);
  const s = schedule?.phases.find((x) => x.phaseId === phase.id);
  return (
    <section className="phase-panel" aria-label={`Phase ${phase.name}`} data-testid="phase-panel">
      <h2>{phase.name}</h2>
      <p>{formatRange(phase.startDate, phase.endDate)}</p>
      {s ? <p>{s.critical ? "On the critical path" : `${s.slackDays} working days of slack`}</p> : null}
      {canEdit ? <ProgressForm phase={phase} /> : <p>{phase.progress}% done</p>}
      {canEdit ? <EffortForm phase={phase} /> : <EffortList phase={phase} />}
      <PhaseLinks phase={phase} plan={plan} canEdit={canEdit} />
      {canEdit ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete phase
        </button>
      ) : null}
      {confirming ? (
        <Confirm
          title={`Delete ${phase.name}?`}
          text="Its dependencies go with it, and its milestones are no longer tied to it. Bookings that name it must be moved or cancelled first."
          action="Delete phase"
          run={() => apiCall("DELETE", `/project-phases/${phase.id}`, PhaseSchema)}
          onDone={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}

function ProgressForm({ phase }: { phase: Phase }) {
  const [progress, setProgress] = useState(String(phase.progress));
  const [error, setError] = useState<string | undefined>();
  useEffect(() => setProgress(String(phase.progress)), [phase.progress]);
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
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** The planned effort, saved as a whole list (`PATCH` with `effort`); the form follows the phase's events. */
function EffortForm({ phase }: { phase: Phase }) {
  const [rows, setRows] = useState<EffortRow[]>(() => effortRows(phase.effort));
  const [error, setError] = useState<string | undefined>();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [saved, setSaved] = useState(false);
  const stored = JSON.stringify(phase.effort);
  useEffect(() => setRows(effortRows(phase.effort)), [stored]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = async () => {
    try {
      // No version, as for progress: the effort is set outright.
      await apiCall("PATCH", `/project-phases/${phase.id}`, PhaseChange, { effort: effortBody(rows) });
      setError(undefined);
      setProblems([]);
      setSaved(true);
    } catch (e) {
      setError(explainWithEffort(e, rows));
      setProblems(e instanceof ApiError ? e.fields : []);
      setSaved(false);
    }
  };
  return (
    <form
      aria-label={`Effort of ${phase.name}`}
      data-testid="phase-effort"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <EffortEditor
        rows={rows}
        onChange={(r) => {
          setRows(r);
          setSaved(false);
        }}
        problems={problems}
        label={`Planned effort of ${phase.name}`}
      />
      <button type="submit">Save effort</button>
      {saved ? (
        <p className="muted" role="status">
          Effort saved
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function EffortList({ phase }: { phase: Phase }) {
  if (phase.effort.length === 0) return null;
  return <p>Planned: {phase.effort.map((e) => `${e.skill} ${e.days} d`).join(", ")}</p>;
}

/** The selected phase's dependencies both ways, each with a Remove button for who may edit. */
function PhaseLinks({ phase, plan, canEdit }: { phase: Phase; plan: ProjectPlan; canEdit: boolean }) {
  const [error, setError] = useState<string | undefined>();
  const name = (id: string) => plan.phases.find((p) => p.id === id)?.name ?? "a deleted phase";
  const links = plan.dependencies
    .filter((d) => d.successorId === phase.id || d.predecessorId === phase.id)
    .map((d) => ({ d, text: d.successorId === phase.id ? `depends on ${name(d.predecessorId)}` : `followed by ${name(d.successorId)}` }));
  const remove = (id: string) => {
    apiCall("DELETE", `/project-dependencies/${id}`, z.unknown()).then(
      () => setError(undefined),
      (e: unknown) => setError(errorMessage(e)),
    );
  };
  if (links.length === 0) return <p className="muted">No dependencies.</p>;
  return (
    <div className="gantt-deps">
      <h3>Dependencies</h3>
      <ul aria-label={`Dependencies of ${phase.name}`}>
        {links.map(({ d, text }) => (
          <li key={d.id} data-testid="phase-dependency" data-id={d.id}>
            {text} <span className="muted">({dependencyTerms(d)})</span>
            {canEdit ? (
              <button type="button" className="link" aria-label={`Remove: ${phase.name} ${text}`} onClick={() => remove(d.id)}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
