// A project's allocation (the "Allocation" tab beside the Gantt chart, for
// owners and managers): planned vs booked artist-days per phase and skill,
// from `GET /projects/{id}/allocation`. Over and under are said in words and
// marked with a sign (▲ over, ▼ under, ✓ on plan), not by colour alone; holds
// are a column apart. "Download CSV" fetches the same report as CSV.

import { useEffect, useState } from "react";
import type { ProjectPlan } from "../../../src/index.js";
import { apiCall, errorMessage } from "../api.js";
import { downloadCsv } from "../download.js";
import { Allocation as AllocationSchema, type Allocation as AllocationData } from "../projects/schemas.js";
import { days, statusText } from "./words.js";

/** The report, read again whenever the plan changes (a phase's effort or dates). */
function useAllocation(projectId: string, plan: ProjectPlan) {
  const [data, setData] = useState<AllocationData | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let stale = false;
    apiCall("GET", `/projects/${projectId}/allocation`, AllocationSchema).then(
      (a) => !stale && (setData(a), setError(undefined)),
      (e: unknown) => !stale && setError(errorMessage(e)),
    );
    return () => {
      stale = true;
    };
  }, [projectId, plan]);
  return { data, error };
}

export function AllocationView({ plan }: { plan: ProjectPlan }) {
  const { data, error } = useAllocation(plan.project.id, plan);
  const [csvError, setCsvError] = useState<string | undefined>();
  const download = () => {
    downloadCsv(`/projects/${plan.project.id}/allocation`, `allocation-${plan.project.code}.csv`).then(
      () => setCsvError(undefined),
      (e: unknown) => setCsvError(errorMessage(e)),
    );
  };
  return (
    <div className="allocation" data-testid="allocation">
      <div className="allocation__head">
        <p className="muted">Planned vs booked artist-days (pencil + confirmed, in working days; time off excluded). Holds are counted apart.</p>
        <button type="button" onClick={download}>
          Download CSV
        </button>
      </div>
      {error || csvError ? (
        <p className="form-error" role="alert">
          {error ?? csvError}
        </p>
      ) : null}
      {data ? <AllocationTable data={data} /> : error ? null : <p className="muted">Loading…</p>}
    </div>
  );
}

function AllocationTable({ data }: { data: AllocationData }) {
  if (data.rows.length === 0) return <p className="muted">Nothing planned or booked yet: give phases an effort, or book artists on the project.</p>;
  return (
    <table className="project-table allocation-table">
      <caption className="visually-hidden">Allocation by phase and skill</caption>
      <thead>
        <tr>
          <th scope="col">Phase</th>
          <th scope="col">Skill</th>
          <th scope="col">Planned (d)</th>
          <th scope="col">Booked (d)</th>
          <th scope="col">Held (d)</th>
          <th scope="col">Booked − planned (d)</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {data.rows.map((r) => (
          <tr key={`${r.phaseId ?? ""}:${r.skill}`} className={`allocation--${r.status}`} data-testid="allocation-row" data-phase={r.phaseName ?? ""} data-skill={r.skill} data-status={r.status}>
            <th scope="row">{r.phaseName ?? <span className="muted">No phase</span>}</th>
            <td>{r.skill}</td>
            <td>{days(r.plannedDays)}</td>
            <td>{days(r.bookedDays)}</td>
            <td>{days(r.heldDays)}</td>
            <td>{`${r.deltaDays > 0 ? "+" : ""}${days(r.deltaDays)}`}</td>
            <td>
              <span className={`allocation-status allocation-status--${r.status}`}>{statusText(r)}</span>
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>
            Total
          </th>
          <td>{days(data.plannedDays)}</td>
          <td>{days(data.bookedDays)}</td>
          <td>{days(data.heldDays)}</td>
          <td>{`${data.bookedDays - data.plannedDays > 0 ? "+" : ""}${days(data.bookedDays - data.plannedDays)}`}</td>
          <td />
        </tr>
      </tfoot>
    </table>
  );
}
