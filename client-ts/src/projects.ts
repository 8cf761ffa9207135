// Project plans in a view: which projects a view holds, and how each project
// event changes a plan.
//
// The server's snapshot carries every project's plan for the tenant view and
// the one plan for a project view (none for artist and window views). Events
// carry each entity whole, so applying one is "replace" (or "remove"). Every
// change makes a new `ProjectPlan` object (and new arrays), so a renderer can
// compare plans by identity.

import type { Dependency } from "./generated/Dependency.js";
import type { Event } from "./generated/Event.js";
import type { Milestone } from "./generated/Milestone.js";
import type { Phase } from "./generated/Phase.js";
import type { Project } from "./generated/Project.js";
import type { ProjectId } from "./generated/ProjectId.js";
import type { ProjectPlan } from "./generated/ProjectPlan.js";
import type { View } from "./generated/View.js";

/** Whether `view` holds the plan of `projectId` (the tenant view: every project's). */
export function planInView(view: View, projectId: ProjectId): boolean {
  if (view.kind === "tenant") return true;
  return view.kind === "project" && view.projectId === projectId;
}

/** Phases by start date, then id (the server's order). */
function byStart(a: Phase, b: Phase): number {
  return a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Milestones by date, then id (the server's order). */
function byDate(a: Milestone, b: Milestone): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `list` with `item` in place of the entry with its id (or added), re-sorted by `order`. */
function upsert<T extends { id: string }>(list: readonly T[], item: T, order?: (a: T, b: T) => number): T[] {
  const out = list.filter((x) => x.id !== item.id);
  out.push(item);
  if (order) out.sort(order);
  return out;
}

function withProject(plan: ProjectPlan | undefined, project: Project): ProjectPlan {
  return plan ? { ...plan, project } : { project, phases: [], dependencies: [], milestones: [] };
}

function withoutPhase(plan: ProjectPlan, phase: Phase): ProjectPlan {
  return {
    ...plan,
    phases: plan.phases.filter((p) => p.id !== phase.id),
    // The server removes the phase's dependencies first (each with its event)
    // and unlinks its milestones; do both here too, so the plan never points
    // at a phase that is gone whatever order events arrive in.
    dependencies: plan.dependencies.filter((d) => d.predecessorId !== phase.id && d.successorId !== phase.id),
    milestones: plan.milestones.map((m) => (m.phaseId === phase.id ? { ...m, phaseId: null } : m)),
  };
}

/** The plan after `event` (undefined when the event is not about a project). */
function nextPlan(plan: ProjectPlan | undefined, event: Event): ProjectPlan | undefined {
  switch (event.type) {
    case "projectCreated":
    case "projectUpdated":
    case "projectArchived":
      return withProject(plan, event.project);
    case "phaseCreated":
    case "phaseUpdated":
      return plan && { ...plan, phases: upsert(plan.phases, event.phase, byStart) };
    case "phaseDeleted":
      return plan && withoutPhase(plan, event.phase);
    case "dependencyAdded":
      return plan && { ...plan, dependencies: upsert<Dependency>(plan.dependencies, event.dependency) };
    case "dependencyRemoved":
      return plan && { ...plan, dependencies: plan.dependencies.filter((d) => d.id !== event.dependency.id) };
    case "milestoneCreated":
    case "milestoneUpdated":
      return plan && { ...plan, milestones: upsert(plan.milestones, event.milestone, byDate) };
    case "milestoneDeleted":
      return plan && { ...plan, milestones: plan.milestones.filter((m) => m.id !== event.milestone.id) };
    default:
      return undefined;
  }
}

/** The project an event is about or belongs to (not a booking's project). */
export function eventProjectId(event: Event): ProjectId | undefined {
  switch (event.type) {
    case "projectCreated":
    case "projectUpdated":
    case "projectArchived":
      return event.project.id;
    case "phaseCreated":
    case "phaseUpdated":
    case "phaseDeleted":
      return event.phase.projectId;
    case "dependencyAdded":
    case "dependencyRemoved":
      return event.dependency.projectId;
    case "milestoneCreated":
    case "milestoneUpdated":
    case "milestoneDeleted":
      return event.milestone.projectId;
    default:
      return undefined;
  }
}

/**
 * Applies a project event to `plans` (the plans a view holds). Returns the
 * project it changed, or undefined when the event is not about a project in
 * the view (or about a plan the view does not hold yet, e.g. a phase of a
 * project whose creation it never saw).
 */
export function applyPlanEvent(plans: Map<ProjectId, ProjectPlan>, view: View, event: Event): ProjectId | undefined {
  const id = eventProjectId(event);
  if (id === undefined || !planInView(view, id)) return undefined;
  const next = nextPlan(plans.get(id), event);
  if (next === undefined) return undefined;
  plans.set(id, next);
  return id;
}
