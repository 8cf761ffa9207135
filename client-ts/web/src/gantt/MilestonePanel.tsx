// The side panel of the selected milestone: its date, phase and whether it
// is done. Owners and managers tick "Done" (saved at once), rename it, move
// its date or tie it to another phase (saved with its `version`), or delete
// it after a confirmation. Changes come back through the project view.

import { useEffect, useState } from "react";
import { z } from "zod";
import type { Milestone, ProjectPlan } from "../../../src/index.js";
import { apiCall, errorMessage } from "../api.js";
import { Confirm } from "../Confirm.js";
import { formatDay } from "../days.js";
import { Milestone as MilestoneSchema } from "../projects/schemas.js";
import { MilestoneFields, type MilestoneValues } from "./forms.js";

interface Props {
  milestone: Milestone;
  plan: ProjectPlan;
  canEdit: boolean;
}

export function MilestonePanel({ milestone: m, plan, canEdit }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // Ticked at once; the view's event (or a refusal) sets it to what the server has.
  const [done, setDone] = useState(m.done);
  useEffect(() => setDone(m.done), [m.done]);
  const phase = plan.phases.find((p) => p.id === m.phaseId);
  const patch = (body: Record<string, unknown>) =>
    apiCall("PATCH", `/milestones/${m.id}`, MilestoneSchema, { version: m.version, ...body }).then(
      () => setError(undefined),
      (e: unknown) => {
        setError(errorMessage(e));
        setDone(m.done);
      },
    );
  return (
    <section className="phase-panel" aria-label={`Milestone ${m.name}`} data-testid="milestone-panel">
      <h2>
        <span className={`gantt-legend__diamond${m.done ? " gantt-legend__diamond--done" : ""}`} aria-hidden="true" /> {m.name}
      </h2>
      <p>
        {formatDay(m.date)}
        {phase ? ` · ${phase.name}` : ""} · {m.done ? "done" : "not done yet"}
      </p>
      {canEdit ? (
        <>
          <label className="check">
            <input type="checkbox" name="done" checked={done} onChange={(e) => (setDone(e.target.checked), void patch({ done: e.target.checked }))} /> Done
          </label>
          <MilestoneForm key={`${m.id}:${m.version}`} milestone={m} plan={plan} save={patch} />
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete milestone
          </button>
        </>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {confirming ? (
        <Confirm
          title={`Delete ${m.name}?`}
          text={`The milestone on ${formatDay(m.date)} leaves the plan.`}
          action="Delete milestone"
          run={() => apiCall("DELETE", `/milestones/${m.id}`, z.unknown())}
          onDone={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}

/** Name, date and phase; only the changed fields are sent. (Keyed by version: a change from anywhere reloads it.) */
function MilestoneForm({ milestone: m, plan, save }: { milestone: Milestone; plan: ProjectPlan; save: (body: Record<string, unknown>) => Promise<void> }) {
  const [f, setF] = useState<MilestoneValues>({ name: m.name, date: m.date, phaseId: m.phaseId ?? "" });
  const body: Record<string, unknown> = {};
  if (f.name.trim() !== m.name) body["name"] = f.name.trim();
  if (f.date !== m.date) body["date"] = f.date;
  if ((f.phaseId || null) !== m.phaseId) body["phaseId"] = f.phaseId || null;
  return (
    <form
      aria-label="Edit milestone"
      onSubmit={(e) => {
        e.preventDefault();
        void save(body);
      }}
    >
      <MilestoneFields plan={plan} f={f} setF={setF} />
      <button type="submit" disabled={Object.keys(body).length === 0}>
        Save milestone
      </button>
    </form>
  );
}
