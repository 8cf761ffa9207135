// The "Post a job" form's values and what they become on the wire: a
// `NewJob` to post (as a draft or open), or a patch of the changed fields to
// edit. The form shows the *last* day of the work; the API's `endDate` is the
// day after it. Nothing is checked here that the server does not check too:
// its field errors are shown by their fields (`jobField`).

import type { NewJob } from "../../../src/generated/NewJob.js";
import { addDays } from "../days.js";
import type { JobListing, JobStatus, JobVisibility, RateRange, SkillRequirement } from "./schemas.js";

export interface SkillRow {
  skill: string;
  /** "1" to "5". */
  level: string;
}

export interface JobForm {
  title: string;
  description: string;
  skills: SkillRow[];
  startDate: string;
  /** Inclusive: the API's `endDate` minus a day. */
  lastDay: string;
  location: string;
  remote: boolean;
  rateMin: string;
  rateMax: string;
  currency: string;
  positions: string;
  visibility: JobVisibility;
}

export type JobFormField = Exclude<keyof JobForm, "remote">;

export function emptyJobForm(start: string): JobForm {
  return {
    title: "",
    description: "",
    skills: [{ skill: "", level: "3" }],
    startDate: start,
    lastDay: addDays(start, 4),
    location: "",
    remote: false,
    rateMin: "",
    rateMax: "",
    currency: "EUR",
    positions: "1",
    visibility: "studio",
  };
}

export function jobFormOf(j: JobListing): JobForm {
  return {
    title: j.title,
    description: j.description,
    skills: j.skills.map((s) => ({ skill: s.skill, level: String(s.minLevel) })),
    startDate: j.startDate,
    lastDay: addDays(j.endDate, -1),
    location: j.location ?? "",
    remote: j.remote,
    rateMin: j.rate ? String(j.rate.min) : "",
    rateMax: j.rate ? String(j.rate.max) : "",
    currency: j.rate?.currency ?? "EUR",
    positions: String(j.positions),
    visibility: j.visibility,
  };
}

/** The rows with a skill named (blank rows are left out), lower-cased as skills are stored. */
export function skillsOf(rows: readonly SkillRow[]): SkillRequirement[] {
  return rows.filter((r) => r.skill.trim() !== "").map((r) => ({ skill: r.skill.trim().toLowerCase(), minLevel: Number(r.level) }));
}

/** The rate range, when a minimum or a maximum is given (one alone is both ends). */
export function rateOf(f: Pick<JobForm, "rateMin" | "rateMax" | "currency">): RateRange | null {
  const min = f.rateMin.trim();
  const max = f.rateMax.trim();
  if (min === "" && max === "") return null;
  const lo = Number(min === "" ? max : min);
  const hi = Number(max === "" ? min : max);
  return { min: lo, max: hi, currency: f.currency.trim().toUpperCase() };
}

function lastToEnd(lastDay: string): string {
  return lastDay ? addDays(lastDay, 1) : "";
}

/** `POST /jobs`: the form as a listing, saved as a draft or open at once. */
export function toNewJob(f: JobForm, status: Extract<JobStatus, "draft" | "open">): NewJob {
  const job: NewJob = {
    title: f.title,
    skills: skillsOf(f.skills),
    startDate: f.startDate,
    endDate: lastToEnd(f.lastDay),
    remote: f.remote,
    positions: f.positions.trim() === "" ? 1 : Number(f.positions),
    visibility: f.visibility,
    status,
  };
  if (f.description.trim() !== "") job.description = f.description;
  if (f.location.trim() !== "") job.location = f.location.trim();
  const rate = rateOf(f);
  if (rate) job.rate = rate;
  return job;
}

/**
 * `PATCH /jobs/{id}`: a listing's fields, each optional; `null` clears
 * `location` and `rate`. (The generated `JobPatch` marks those two as
 * required; the server reads them as optional, as here.)
 */
export interface JobPatchBody {
  version?: number;
  title?: string;
  description?: string;
  skills?: SkillRequirement[];
  startDate?: string;
  endDate?: string;
  location?: string | null;
  remote?: boolean;
  rate?: RateRange | null;
  positions?: number;
  visibility?: JobVisibility;
  status?: JobStatus;
}

function sameSkills(a: readonly SkillRequirement[], b: readonly SkillRequirement[]): boolean {
  return a.length === b.length && a.every((s, i) => s.skill === b[i]!.skill && s.minLevel === b[i]!.minLevel);
}

function sameRate(a: RateRange | null, b: RateRange | null): boolean {
  return a === b || (a !== null && b !== null && a.min === b.min && a.max === b.max && a.currency === b.currency);
}

/** The fields that differ from `before`, with its version (a stale one is refused). */
export function toJobPatch(before: JobListing, f: JobForm): JobPatchBody {
  const was = jobFormOf(before);
  const patch: JobPatchBody = { version: before.version };
  if (f.title !== was.title) patch.title = f.title;
  if (f.description !== was.description) patch.description = f.description;
  const skills = skillsOf(f.skills);
  if (!sameSkills(skills, before.skills)) patch.skills = skills;
  if (f.startDate !== was.startDate) patch.startDate = f.startDate;
  if (f.lastDay !== was.lastDay) patch.endDate = lastToEnd(f.lastDay);
  if (f.location.trim() !== was.location) patch.location = f.location.trim() === "" ? null : f.location.trim();
  if (f.remote !== was.remote) patch.remote = f.remote;
  const rate = rateOf(f);
  if (!sameRate(rate, before.rate)) patch.rate = rate;
  if (f.positions !== was.positions) patch.positions = Number(f.positions);
  if (f.visibility !== was.visibility) patch.visibility = f.visibility;
  return patch;
}

/** The form field a server field error is about (`endDate` is shown as the last day; `skills[2].minLevel` by the skills). */
export function jobField(serverField: string): JobFormField | undefined {
  const f = serverField.replace(/^job\./, "");
  if (f === "endDate") return "lastDay";
  if (f === "skills" || f.startsWith("skills[")) return "skills";
  if (f === "rate" || f === "rate.min") return "rateMin";
  if (f === "rate.max") return "rateMax";
  if (f === "rate.currency") return "currency";
  const known: JobFormField[] = ["title", "description", "startDate", "location", "positions", "visibility"];
  return known.find((k) => k === f);
}
