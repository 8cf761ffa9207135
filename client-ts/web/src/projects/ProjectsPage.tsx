// The projects page: the studio's projects (`GET /api/v1/projects`) with
// filters (status, client, a search), and for owners and managers a form to
// create or edit one and an archive button (with a confirmation). A freelancer
// sees the projects they are booked on and no edit controls. The list reloads
// whenever the tenant view says a project changed (live).

import { useEffect, useState } from "react";
import { z } from "zod";
import { apiCall, errorMessage, query } from "../api.js";
import { formatRange } from "../days.js";
import { routeHash } from "../router.js";
import { useBoard } from "../store.js";
import { mayEditProjects } from "../store/projects.js";
import { ProjectDialog } from "./ProjectDialog.js";
import { STATUS_TEXT } from "./form.js";
import { Project as ProjectSchema, STATUSES, type Project } from "./schemas.js";
import "./projects.css";

interface Filters {
  status: string;
  client: string;
  q: string;
}

/** The list for `filters`, reloaded when they change (typing settles first) or a project changes live. */
function useProjectList(filters: Filters): { list: Project[] | undefined; error: string | undefined; reload: () => void } {
  const live = useBoard((st) => st.projects);
  const [list, setList] = useState<Project[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stale = false;
    const t = setTimeout(() => {
      apiCall("GET", `/projects${query({ status: filters.status, client: filters.client, q: filters.q, limit: 200 })}`, z.array(ProjectSchema)).then(
        (l) => {
          if (stale) return;
          setList(l);
          setError(undefined);
        },
        (e) => !stale && setError(errorMessage(e)),
      );
    }, 150);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [filters, live, tick]);
  return { list, error, reload: () => setTick((n) => n + 1) };
}

export function ProjectsPage() {
  const role = useBoard((st) => st.session?.role);
  const canEdit = mayEditProjects(role);
  const [filters, setFilters] = useState<Filters>({ status: "", client: "", q: "" });
  const { list, error, reload } = useProjectList(filters);
  const [editing, setEditing] = useState<Project | "new" | undefined>();
  const [archiving, setArchiving] = useState<Project | undefined>();

  return (
    <section className="projects" aria-labelledby="projects-title">
      <div className="page__head">
        <h1 id="projects-title">Projects</h1>
        {canEdit ? (
          <button type="button" className="primary" onClick={() => setEditing("new")}>
            New project
          </button>
        ) : null}
      </div>
      <div className="filters" role="search" aria-label="Filter projects">
        <label htmlFor="projects-status">Status</label>
        <select id="projects-status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
            <option value="">All but archived</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_TEXT[s]}
            </option>
          ))}
        </select>
        <label htmlFor="projects-client">Client</label>
        <input id="projects-client" value={filters.client} onChange={(e) => setFilters({ ...filters, client: e.target.value })} />
        <label htmlFor="projects-q">Search</label>
        <input id="projects-q" type="search" value={filters.q} placeholder="Name or code" onChange={(e) => setFilters({ ...filters, q: e.target.value })} />
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {list === undefined ? <p className="muted">Loading…</p> : <ProjectTable list={list} canEdit={canEdit} onEdit={setEditing} onArchive={setArchiving} />}
      {editing ? (
        <ProjectDialog
          project={editing === "new" ? undefined : editing}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) reload();
          }}
        />
      ) : null}
      {archiving ? (
        <ArchiveConfirm
          project={archiving}
          onDone={() => {
            setArchiving(undefined);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

interface TableProps {
  list: Project[];
  canEdit: boolean;
  onEdit: (p: Project) => void;
  onArchive: (p: Project) => void;
}

function ProjectTable({ list, canEdit, onEdit, onArchive }: TableProps) {
  if (list.length === 0) return <p className="muted">No projects match.</p>;
  const budgets = list.some((p) => p.budgetDays !== null || p.budgetAmount !== null);
  return (
    <table className="project-table" data-testid="projects">
      <thead>
        <tr>
          <th scope="col">Project</th>
          <th scope="col">Client</th>
          <th scope="col">Status</th>
          <th scope="col">Dates</th>
          {budgets ? <th scope="col">Budget</th> : null}
          {canEdit ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
        </tr>
      </thead>
      <tbody>
        {list.map((p) => (
          <tr key={p.id} data-testid="project-row" data-id={p.id} data-status={p.status}>
            <td>
              <span className="swatch-dot" style={{ background: p.color }} aria-hidden="true" />
              <a href={routeHash({ page: "gantt", projectId: p.id })}>{p.name}</a> <span className="code">{p.code}</span>
            </td>
            <td>{p.client ?? ""}</td>
            <td>
              <span className={`status status--${p.status}`}>{STATUS_TEXT[p.status]}</span>
            </td>
            <td>{formatRange(p.startDate, p.endDate)}</td>
            {budgets ? <td>{budgetText(p)}</td> : null}
            {canEdit ? (
              <td className="actions">
                <button type="button" onClick={() => onEdit(p)} aria-label={`Edit ${p.name}`}>
                  Edit
                </button>
                {p.status !== "archived" ? (
                  <button type="button" className="danger" onClick={() => onArchive(p)} aria-label={`Archive ${p.name}`}>
                    Archive
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function budgetText(p: Project): string {
  const parts: string[] = [];
  if (p.budgetDays !== null) parts.push(`${p.budgetDays} days`);
  if (p.budgetAmount !== null) parts.push(`${p.budgetAmount.toLocaleString("en-GB")} ${p.currency ?? ""}`.trim());
  return parts.join(" · ");
}

/** "Archive X?" — archiving is `DELETE /projects/{id}`: the project stays readable and takes no new bookings. */
function ArchiveConfirm({ project, onDone }: { project: Project; onDone: () => void }) {
  const [error, setError] = useState<string | undefined>();
  const archive = async () => {
    try {
      await apiCall("DELETE", `/projects/${project.id}`, ProjectSchema);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === "Escape" && onDone()}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="archive-title" aria-describedby="archive-text">
        <h2 id="archive-title">Archive {project.name}?</h2>
        <p id="archive-text">It stays readable, with its bookings, but takes no new bookings.</p>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button type="button" onClick={onDone} autoFocus>
            Keep it
          </button>
          <button type="button" className="danger" onClick={() => void archive()}>
            Archive
          </button>
        </div>
      </div>
    </div>
  );
}
