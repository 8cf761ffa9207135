// The project form's values and what they become on the wire: a `NewProject`
// to create, or a `ProjectPatch` of the changed fields to edit. The form shows
// the last day of the project (inclusive, as people count); the API's
// `endDate` is the first day after it. No other checks here: what is wrong is
// for the server to say (its field errors are shown by the fields).

import type { NewProject, ProjectPatch, ProjectStatus } from "../../../src/index.js";
import { addDays } from "../days.js";
import type { Project } from "./schemas.js";

export interface ProjectForm {
  name: string;
  code: string;
  client: string;
  color: string;
  status: ProjectStatus;
  startDate: string;
  /** Inclusive: the API's `endDate` minus a day. */
  lastDay: string;
  budgetDays: string;
  budgetAmount: string;
  currency: string;
  description: string;
}

export function emptyForm(start: string): ProjectForm {
  return { name: "", code: "", client: "", color: "#3b6fd8", status: "planning", startDate: start, lastDay: addDays(start, 27), budgetDays: "", budgetAmount: "", currency: "", description: "" };
}

export function formOf(p: Project): ProjectForm {
  return {
    name: p.name,
    code: p.code,
    client: p.client ?? "",
    color: p.color,
    status: p.status,
    startDate: p.startDate,
    lastDay: addDays(p.endDate, -1),
    budgetDays: p.budgetDays === null ? "" : String(p.budgetDays),
    budgetAmount: p.budgetAmount === null ? "" : String(p.budgetAmount),
    currency: p.currency ?? "",
    description: p.description ?? "",
  };
}

/** A number field: empty is null; anything else is sent as typed (the server says if it is wrong). */
function num(s: string): number | null {
  return s.trim() === "" ? null : Number(s);
}

function text(s: string): string | null {
  return s.trim() === "" ? null : s;
}

export function toNewProject(f: ProjectForm): NewProject {
  const p: NewProject = { name: f.name, code: f.code, startDate: f.startDate, endDate: f.lastDay ? addDays(f.lastDay, 1) : "", color: f.color, status: f.status };
  if (text(f.client) !== null) p.client = f.client;
  const days = num(f.budgetDays);
  const amount = num(f.budgetAmount);
  if (days !== null) p.budgetDays = days;
  if (amount !== null) p.budgetAmount = amount;
  if (text(f.currency) !== null) p.currency = f.currency;
  if (text(f.description) !== null) p.description = f.description;
  return p;
}

/** The fields that differ from `before`, with its version (a stale one is refused). */
export function toPatch(before: Project, f: ProjectForm): ProjectPatch {
  const was = formOf(before);
  const patch: ProjectPatch = { version: before.version };
  if (f.name !== was.name) patch.name = f.name;
  if (f.code !== was.code) patch.code = f.code;
  if (f.client !== was.client) patch.client = text(f.client);
  if (f.color !== was.color) patch.color = f.color;
  if (f.status !== was.status) patch.status = f.status;
  if (f.startDate !== was.startDate) patch.startDate = f.startDate;
  if (f.lastDay !== was.lastDay) patch.endDate = f.lastDay ? addDays(f.lastDay, 1) : "";
  if (f.budgetDays !== was.budgetDays) patch.budgetDays = num(f.budgetDays);
  if (f.budgetAmount !== was.budgetAmount) patch.budgetAmount = num(f.budgetAmount);
  if (f.currency !== was.currency) patch.currency = text(f.currency);
  if (f.description !== was.description) patch.description = text(f.description);
  return patch;
}

/** The form field a server field error is about (`endDate` is shown as the last day). */
export function formField(serverField: string): keyof ProjectForm | undefined {
  const f = serverField.replace(/^project\./, "");
  if (f === "endDate") return "lastDay";
  const known: (keyof ProjectForm)[] = ["name", "code", "client", "color", "status", "startDate", "budgetDays", "budgetAmount", "currency", "description"];
  return known.find((k) => k === f);
}

export const STATUS_TEXT: Record<ProjectStatus, string> = {
  planning: "Planning",
  active: "Active",
  on_hold: "On hold",
  done: "Done",
  archived: "Archived",
};
