// The project answers' zod schemas (REST, `{ data }` inner objects), each
// tied to the type generated from the server's DTO like those in `rest.ts`:
// `npm run typecheck` fails if the server could send something a schema would
// refuse. Dates stay `YYYY-MM-DD` strings; instants (`createdAt` …) are not read.

import { z } from "zod";
import type { Allocation as AllocationDto } from "../../../src/generated/Allocation.js";
import type { Dependency as DependencyDto } from "../../../src/generated/Dependency.js";
import type { DependencyChange as DependencyChangeDto } from "../../../src/generated/DependencyChange.js";
import type { Milestone as MilestoneDto } from "../../../src/generated/Milestone.js";
import type { Phase as PhaseDto } from "../../../src/generated/Phase.js";
import type { PhaseChange as PhaseChangeDto } from "../../../src/generated/PhaseChange.js";
import type { Project as ProjectDto } from "../../../src/generated/Project.js";
import type { ProjectPlan as ProjectPlanDto } from "../../../src/generated/ProjectPlan.js";
import type { Schedule as ScheduleDto } from "../../../src/generated/Schedule.js";
import type { Utilization as UtilizationDto } from "../../../src/generated/Utilization.js";
import type { Tie } from "../rest.js";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const STATUSES = ["planning", "active", "on_hold", "done", "archived"] as const;
export const ProjectStatus = z.enum(STATUSES);

export const Project = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  client: z.string().nullable(),
  color: z.string(),
  status: ProjectStatus,
  startDate: Day,
  endDate: Day,
  budgetDays: z.number().nullable(),
  budgetAmount: z.number().nullable(),
  currency: z.string().nullable(),
  description: z.string().nullable(),
  version: z.number(),
});
export type Project = z.output<typeof Project>;
export type ProjectTie = Tie<typeof Project, ProjectDto>;

export const Phase = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  startDate: Day,
  endDate: Day,
  progress: z.number(),
  color: z.string().nullable(),
  effort: z.array(z.object({ skill: z.string(), days: z.number() })),
  version: z.number(),
});
export type PhaseTie = Tie<typeof Phase, PhaseDto>;

export const DependencyKind = z.enum(["finish_to_start", "start_to_start", "finish_to_finish", "start_to_finish"]);
export const Dependency = z.object({
  id: z.string(),
  projectId: z.string(),
  predecessorId: z.string(),
  successorId: z.string(),
  kind: DependencyKind,
  lagDays: z.number(),
});
export type DependencyTie = Tie<typeof Dependency, DependencyDto>;

export const Milestone = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  date: Day,
  done: z.boolean(),
  phaseId: z.string().nullable(),
  version: z.number(),
});
export type MilestoneTie = Tie<typeof Milestone, MilestoneDto>;

export const ProjectPlan = z.object({ project: Project, phases: z.array(Phase), dependencies: z.array(Dependency), milestones: z.array(Milestone) });
export type ProjectPlanTie = Tie<typeof ProjectPlan, ProjectPlanDto>;

const PhaseMove = z.object({ phaseId: z.string(), oldStart: Day, oldEnd: Day, newStart: Day, newEnd: Day });
export type PhaseMove = z.output<typeof PhaseMove>;
export const PhaseChange = z.object({ phase: Phase, moved: z.array(PhaseMove) });
export type PhaseChange = z.output<typeof PhaseChange>;
export type PhaseChangeTie = Tie<typeof PhaseChange, PhaseChangeDto>;
export const DependencyChange = z.object({ dependency: Dependency, moved: z.array(PhaseMove) });
export type DependencyChangeTie = Tie<typeof DependencyChange, DependencyChangeDto>;

export const Schedule = z.object({
  projectId: z.string(),
  startDate: Day.nullable(),
  finishDate: Day.nullable(),
  progress: z.number(),
  phases: z.array(z.object({ phaseId: z.string(), startDate: Day, endDate: Day, latestStart: Day, slackDays: z.number(), critical: z.boolean() })),
  criticalPath: z.array(z.string()),
});
export type Schedule = z.output<typeof Schedule>;
export type ScheduleTie = Tie<typeof Schedule, ScheduleDto>;

const UtilizationCell = z.object({
  periodStart: Day,
  availableHours: z.number(),
  holdHours: z.number(),
  pencilHours: z.number(),
  confirmedHours: z.number(),
  utilization: z.number().nullable(),
});
export type UtilizationCell = z.output<typeof UtilizationCell>;
export const Utilization = z.object({
  from: Day,
  to: Day,
  granularity: z.enum(["day", "week"]),
  periods: z.array(Day),
  rows: z.array(z.object({ artistId: z.string(), artistName: z.string(), skills: z.array(z.string()), cells: z.array(UtilizationCell) })),
});
export type Utilization = z.output<typeof Utilization>;
export type UtilizationTie = Tie<typeof Utilization, UtilizationDto>;

export const Allocation = z.object({
  projectId: z.string(),
  rows: z.array(
    z.object({
      phaseId: z.string().nullable(),
      phaseName: z.string().nullable(),
      skill: z.string(),
      plannedDays: z.number(),
      bookedDays: z.number(),
      heldDays: z.number(),
      deltaDays: z.number(),
      status: z.enum(["under", "on_plan", "over"]),
    }),
  ),
  plannedDays: z.number(),
  bookedDays: z.number(),
  heldDays: z.number(),
});
export type Allocation = z.output<typeof Allocation>;
export type AllocationTie = Tie<typeof Allocation, AllocationDto>;

/** A refused dependency: the phases on the loop it would close (`dependency_cycle`). */
export const CycleDetails = z.object({ cycle: z.array(z.string()) });
