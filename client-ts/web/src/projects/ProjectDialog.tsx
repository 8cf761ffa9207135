// Create or edit a project: every field of `NewProject`. Nothing is checked
// here that the server does not check too (the browser's `required` aside);
// the server's answer is shown as it is, each field error by its field.

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, apiCall, errorMessage } from "../api.js";
import { today } from "../days.js";
import { STATUSES, Project as ProjectSchema, type Project } from "./schemas.js";
import { STATUS_TEXT, emptyForm, formField, formOf, toNewProject, toPatch, type ProjectForm } from "./form.js";

interface Props {
  /** The project to edit, or undefined to create one. */
  project: Project | undefined;
  onClose: (saved?: Project) => void;
}

type Problems = Partial<Record<keyof ProjectForm, string>>;

export function ProjectDialog({ project, onClose }: Props) {
  const [form, setForm] = useState<ProjectForm>(() => (project ? formOf(project) : emptyForm(today())));
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = project
        ? await apiCall("PATCH", `/projects/${project.id}`, ProjectSchema, toPatch(project, form))
        : await apiCall("POST", "/projects", ProjectSchema, toNewProject(form));
      onClose(saved);
    } catch (err) {
      const byField: Problems = {};
      const rest: string[] = [];
      for (const f of err instanceof ApiError ? err.fields : []) {
        const key = formField(f.field);
        if (key) byField[key] = f.reason;
        else rest.push(`${f.field}: ${f.reason}`);
      }
      setProblems(byField);
      setError(err instanceof ApiError && err.fields.length > 0 ? [err.message, ...rest].join(" ") : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof ProjectForm, label: string, input: ReactNode) => (
    <label className={`field${problems[key] ? " field--invalid" : ""}`}>
      <span>{label}</span>
      {input}
      {problems[key] ? (
        <span className="field__error" id={`pf-${key}-error`} role="alert">
          {problems[key]}
        </span>
      ) : null}
    </label>
  );
  const bind = (key: keyof ProjectForm) => ({
    name: key,
    value: form[key],
    "aria-invalid": problems[key] ? true : undefined,
    "aria-describedby": problems[key] ? `pf-${key}-error` : undefined,
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <form className="dialog project-form" role="dialog" aria-modal="true" aria-labelledby="project-form-title" onSubmit={submit} data-testid="project-form">
        <h2 id="project-form-title">{project ? `Edit ${project.name}` : "New project"}</h2>
        <div className="form-grid">
          {field("name", "Name", <input ref={first} required {...bind("name")} />)}
          {field("code", "Code", <input required placeholder="NOVA" {...bind("code")} />)}
          {field("client", "Client", <input {...bind("client")} />)}
          {field("color", "Colour", <input type="color" {...bind("color")} />)}
          {field(
            "status",
            "Status",
            <select {...bind("status")}>
              {STATUSES.filter((s) => s !== "archived" || form.status === "archived").map((s) => (
                <option key={s} value={s}>
                  {STATUS_TEXT[s]}
                </option>
              ))}
            </select>,
          )}
          {field("startDate", "First day", <input type="date" required {...bind("startDate")} />)}
          {field("lastDay", "Last day", <input type="date" required {...bind("lastDay")} />)}
          {field("budgetDays", "Budget (artist-days)", <input type="number" inputMode="numeric" {...bind("budgetDays")} />)}
          {field("budgetAmount", "Budget (amount)", <input type="number" inputMode="numeric" {...bind("budgetAmount")} />)}
          {field("currency", "Currency", <input placeholder="EUR" {...bind("currency")} />)}
        </div>
        {field("description", "Description", <textarea rows={3} {...bind("description")} />)}
        {error ? (
          <p className="form-error" role="alert" data-testid="form-error">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {project ? "Save" : "Create project"}
          </button>
        </div>
      </form>
    </div>
  );
}
