// The Gantt side panel's forms: add a phase (with its planned effort), add a dependency (predecessor,
// successor, kind, lag) and add a milestone. Each posts to the REST API; the
// new entity reaches the chart through the project view's events. A refused
// dependency loop is told by the names of the phases on it.

import { useState, type FormEvent, type ReactNode } from "react";
import { z } from "zod";
import type { ProjectPlan } from "../../../src/index.js";
import { ApiError, apiCall, errorMessage, type FieldProblem } from "../api.js";
import { addDays, today } from "../days.js";
import { CycleDetails, DependencyChange, Milestone, Phase } from "../projects/schemas.js";
import { EffortEditor, effortBody, explainWithEffort, type EffortRow } from "./effort.js";
import { KIND_TEXT, cycleMessage } from "./geometry.js";

/** A form with a busy state and the server's refusal shown under it. */
function useSubmit(run: () => Promise<unknown>, explain: (e: unknown) => string = errorMessage) {
  const [error, setError] = useState<string | undefined>();
  const [fields, setFields] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await run();
      setError(undefined);
      setFields([]);
    } catch (err) {
      setError(explain(err));
      setFields(err instanceof ApiError ? err.fields : []);
    } finally {
      setBusy(false);
    }
  };
  return { error, fields, busy, onSubmit };
}

function Form({ title, testId, submit, children }: { title: string; testId: string; submit: ReturnType<typeof useSubmit>; children: ReactNode }) {
  return (
    <form className="gantt-form" onSubmit={submit.onSubmit} aria-label={title} data-testid={testId}>
      <h3>{title}</h3>
      {children}
      {submit.error ? (
        <p className="form-error" role="alert">
          {submit.error}
        </p>
      ) : null}
      <button type="submit" disabled={submit.busy}>
        {title}
      </button>
    </form>
  );
}

export function AddPhase({ plan }: { plan: ProjectPlan }) {
  const start = plan.phases.length > 0 ? plan.phases[plan.phases.length - 1]!.endDate : plan.project.startDate;
  const [f, setF] = useState({ name: "", startDate: start, lastDay: addDays(start, 4) });
  const [effort, setEffort] = useState<EffortRow[]>([]);
  const submit = useSubmit(
    async () => {
      await apiCall("POST", `/projects/${plan.project.id}/phases`, Phase, { name: f.name, startDate: f.startDate, endDate: addDays(f.lastDay, 1), effort: effortBody(effort) });
      setF({ ...f, name: "" });
      setEffort([]);
    },
    (e) => explainWithEffort(e, effort),
  );
  return (
    <Form title="Add phase" testId="add-phase" submit={submit}>
      <label>
        Name <input name="name" required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
      </label>
      <label>
        First day <input type="date" name="startDate" required value={f.startDate} onChange={(e) => setF({ ...f, startDate: e.target.value })} />
      </label>
      <label>
        Last day <input type="date" name="lastDay" required value={f.lastDay} onChange={(e) => setF({ ...f, lastDay: e.target.value })} />
      </label>
      <EffortEditor rows={effort} onChange={setEffort} problems={submit.fields} label="Planned effort of the new phase" />
    </Form>
  );
}

export function AddDependency({ plan }: { plan: ProjectPlan }) {
  const [f, setF] = useState({ predecessorId: "", successorId: "", kind: "finish_to_start", lagDays: "0" });
  const nameOf = (id: string) => plan.phases.find((p) => p.id === id)?.name;
  const explain = (e: unknown) => {
    const cycle = e instanceof ApiError && e.code === "dependency_cycle" ? CycleDetails.safeParse(e.details) : undefined;
    return cycle?.success ? cycleMessage(cycle.data.cycle, nameOf) : errorMessage(e);
  };
  const submit = useSubmit(async () => {
    const body = { predecessorId: f.predecessorId, successorId: f.successorId, kind: f.kind, lagDays: Number(f.lagDays || "0"), mode: "push" };
    await apiCall("POST", `/projects/${plan.project.id}/dependencies`, DependencyChange, body);
  }, explain);
  const options = plan.phases.map((p) => (
    <option key={p.id} value={p.id}>
      {p.name}
    </option>
  ));
  return (
    <Form title="Add dependency" testId="add-dependency" submit={submit}>
      <label>
        Predecessor
        <select name="predecessor" required value={f.predecessorId} onChange={(e) => setF({ ...f, predecessorId: e.target.value })}>
          <option value="">Choose…</option>
          {options}
        </select>
      </label>
      <label>
        Successor
        <select name="successor" required value={f.successorId} onChange={(e) => setF({ ...f, successorId: e.target.value })}>
          <option value="">Choose…</option>
          {options}
        </select>
      </label>
      <label>
        Kind
        <select name="kind" value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value })}>
          {Object.entries(KIND_TEXT).map(([k, t]) => (
            <option key={k} value={k}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        Lag (working days) <input type="number" name="lag" value={f.lagDays} onChange={(e) => setF({ ...f, lagDays: e.target.value })} />
      </label>
    </Form>
  );
}

export function AddMilestone({ plan }: { plan: ProjectPlan }) {
  const [f, setF] = useState<MilestoneValues>({ name: "", date: plan.project.startDate > today() ? plan.project.startDate : today(), phaseId: "" });
  const submit = useSubmit(async () => {
    await apiCall("POST", `/projects/${plan.project.id}/milestones`, Milestone, { name: f.name, date: f.date, ...(f.phaseId ? { phaseId: f.phaseId } : {}) });
    setF({ ...f, name: "" });
  });
  return (
    <Form title="Add milestone" testId="add-milestone" submit={submit}>
      <MilestoneFields plan={plan} f={f} setF={setF} />
    </Form>
  );
}

/** A milestone's form values: `phaseId` is `""` for none. */
export interface MilestoneValues {
  name: string;
  date: string;
  phaseId: string;
}

/** Name, date and phase of a milestone: the add form's and the edit panel's fields. */
export function MilestoneFields({ plan, f, setF }: { plan: ProjectPlan; f: MilestoneValues; setF: (f: MilestoneValues) => void }) {
  return (
    <>
      <label>
        Name <input name="name" required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
      </label>
      <label>
        Date <input type="date" name="date" required value={f.date} onChange={(e) => setF({ ...f, date: e.target.value })} />
      </label>
      <label>
        Phase
        <select name="phase" value={f.phaseId} onChange={(e) => setF({ ...f, phaseId: e.target.value })}>
          <option value="">None</option>
          {plan.phases.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/** The plan's dependencies, each removable by who may edit. */
export function DependencyList({ plan, canEdit }: { plan: ProjectPlan; canEdit: boolean }) {
  const [error, setError] = useState<string | undefined>();
  const name = (id: string) => plan.phases.find((p) => p.id === id)?.name ?? "?";
  if (plan.dependencies.length === 0) return null;
  return (
    <section className="gantt-deps" aria-label="Dependencies">
      <h3>Dependencies</h3>
      <ul>
        {plan.dependencies.map((d) => (
          <li key={d.id}>
            {name(d.predecessorId)} → {name(d.successorId)} <span className="muted">({KIND_TEXT[d.kind]}{d.lagDays ? `, lag ${d.lagDays}` : ""})</span>
            {canEdit ? (
              <button type="button" className="link" aria-label={`Remove ${name(d.predecessorId)} → ${name(d.successorId)}`} onClick={() => apiCall("DELETE", `/project-dependencies/${d.id}`, z.unknown()).catch((e: unknown) => setError(errorMessage(e)))}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
    </section>
  );
}
