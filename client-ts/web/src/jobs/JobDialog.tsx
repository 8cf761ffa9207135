// "Post a job" and "Edit" (owners and managers): title, description, skills
// with a minimum level (1 junior … 5 lead), first and last day, location,
// remote, day-rate range and currency, positions, and who sees it (this
// studio, or the public board). A new listing is saved as a draft or opened
// at once (`POST /jobs`); an edit sends the changed fields with the version
// it was opened on (`PATCH /jobs/{id}`). The server's field errors appear by
// their fields, anything else under the form.

import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError, apiCall } from "../api.js";
import { readable, sentence } from "../admin/readable.js";
import { today } from "../days.js";
import { emptyJobForm, jobField, jobFormOf, toJobPatch, toNewJob, type JobForm, type JobFormField, type SkillRow } from "./form.js";
import { JobListing } from "./schemas.js";

interface Props {
  /** The listing to edit, or undefined to post one. */
  job: JobListing | undefined;
  onClose: (saved?: JobListing) => void;
}

type Problems = Partial<Record<JobFormField, string>>;

const LEVELS = [
  ["1", "1 · junior"],
  ["2", "2"],
  ["3", "3 · experienced"],
  ["4", "4"],
  ["5", "5 · lead"],
] as const;

export function JobDialog({ job, onClose }: Props) {
  const [form, setForm] = useState<JobForm>(() => (job ? jobFormOf(job) : emptyJobForm(today())));
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const status = submitter?.value === "open" ? "open" : "draft";
    setBusy(true);
    try {
      const saved = job ? await apiCall("PATCH", `/jobs/${job.id}`, JobListing, toJobPatch(job, form)) : await apiCall("POST", "/jobs", JobListing, toNewJob(form, status));
      onClose(saved);
    } catch (err) {
      const byField: Problems = {};
      const rest: string[] = [];
      for (const f of err instanceof ApiError ? err.fields : []) {
        const key = jobField(f.field);
        if (key) byField[key] = [byField[key], sentence(f.reason)].filter(Boolean).join(" ");
        else rest.push(`${f.field}: ${f.reason}`);
      }
      setProblems(byField);
      setError(err instanceof ApiError && err.fields.length > 0 ? [Object.keys(byField).length > 0 ? "Check the marked fields." : "", ...rest].filter(Boolean).join(" ") : readable(err));
      setBusy(false);
    }
  };
  const field = (key: JobFormField, label: string, input: ReactNode) => (
    <label className={`field${problems[key] ? " field--invalid" : ""}`}>
      <span>{label}</span>
      {input}
      {problems[key] ? (
        <span className="field__error" id={`jf-${key}-error`} role="alert">
          {problems[key]}
        </span>
      ) : null}
    </label>
  );
  const bind = (key: Exclude<JobFormField, "skills" | "visibility">) => ({
    name: key,
    value: form[key],
    "aria-invalid": problems[key] ? true : undefined,
    "aria-describedby": problems[key] ? `jf-${key}-error` : undefined,
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const setSkills = (skills: SkillRow[]) => setForm({ ...form, skills });

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <form className="dialog job-form" role="dialog" aria-modal="true" aria-labelledby="job-form-title" onSubmit={submit} data-testid="job-form">
        <h2 id="job-form-title">{job ? `Edit ${job.title}` : "Post a job"}</h2>
        {field("title", "Title", <input ref={first} required maxLength={200} {...bind("title")} />)}
        {field("description", "Description", <textarea rows={3} {...bind("description")} />)}
        <SkillRows rows={form.skills} problem={problems.skills} onChange={setSkills} />
        <div className="form-grid">
          {field("startDate", "First day", <input type="date" required {...bind("startDate")} />)}
          {field("lastDay", "Last day", <input type="date" required {...bind("lastDay")} />)}
          {field("location", "Location", <input placeholder="City, or leave empty" {...bind("location")} />)}
          {field("positions", "Positions", <input type="number" min={1} max={100} inputMode="numeric" {...bind("positions")} />)}
          {field("rateMin", "Day rate from", <input type="number" min={0} inputMode="numeric" {...bind("rateMin")} />)}
          {field("rateMax", "Day rate to", <input type="number" min={0} inputMode="numeric" {...bind("rateMax")} />)}
          {field("currency", "Currency", <input placeholder="EUR" maxLength={3} {...bind("currency")} />)}
        </div>
        <label className="check">
          <input type="checkbox" name="remote" checked={form.remote} onChange={(e) => setForm({ ...form, remote: e.target.checked })} />
          Remote work is fine
        </label>
        <fieldset className="job-form__visibility">
          <legend>Who sees it</legend>
          <label className="check">
            <input type="radio" name="visibility" value="studio" checked={form.visibility === "studio"} onChange={() => setForm({ ...form, visibility: "studio" })} />
            This studio only
          </label>
          <label className="check">
            <input type="radio" name="visibility" value="public" checked={form.visibility === "public"} onChange={() => setForm({ ...form, visibility: "public" })} />
            The public job board (every studio’s freelancers)
          </label>
        </fieldset>
        {error ? (
          <p className="form-error" role="alert" data-testid="form-error">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          {job ? (
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
          ) : (
            <>
              <button type="submit" value="draft" disabled={busy}>
                Save as draft
              </button>
              <button type="submit" value="open" className="primary" disabled={busy}>
                Post and open
              </button>
            </>
          )}
        </div>
      </form>
    </div>
  );
}

/** The skills asked for: a name and a minimum level per row; Remove, Add skill. */
function SkillRows({ rows, problem, onChange }: { rows: SkillRow[]; problem: string | undefined; onChange: (rows: SkillRow[]) => void }) {
  const put = (i: number, row: SkillRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset className={`job-skills${problem ? " field--invalid" : ""}`} aria-describedby={problem ? "jf-skills-error" : undefined}>
      <legend>Skills</legend>
      {rows.map((r, i) => (
        <div className="job-skills__row" key={i}>
          <label className="field">
            <span>Skill {i + 1}</span>
            <input value={r.skill} placeholder="compositing" onChange={(e) => put(i, { ...r, skill: e.target.value })} />
          </label>
          <label className="field">
            <span>
              Minimum level<span className="visually-hidden"> for skill {i + 1}</span>
            </span>
            <select value={r.level} onChange={(e) => put(i, { ...r, level: e.target.value })}>
              {LEVELS.map(([v, text]) => (
                <option key={v} value={v}>
                  {text}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="link" aria-label={`Remove skill ${i + 1}${r.skill ? ` (${r.skill})` : ""}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" disabled={rows.length >= 20} onClick={() => onChange([...rows, { skill: "", level: "3" }])}>
        Add skill
      </button>
      {problem ? (
        <span className="field__error" id="jf-skills-error" role="alert">
          {problem}
        </span>
      ) : null}
    </fieldset>
  );
}
