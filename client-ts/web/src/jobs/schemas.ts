// The job marketplace's REST answers as zod schemas (the inner objects of
// `{ data }`), each tied to the type generated from the server's DTO like
// those in `rest.ts`: `npm run typecheck` fails if the server could send
// something a schema would refuse. Days stay `YYYY-MM-DD` strings; instants
// are read as microseconds (REST sends RFC 3339, events numbers).

import { z } from "zod";
import type { ApplicationView as ApplicationViewDto } from "../../../src/generated/ApplicationView.js";
import type { JobAlerts as JobAlertsDto } from "../../../src/generated/JobAlerts.js";
import type { JobApplication as JobApplicationDto } from "../../../src/generated/JobApplication.js";
import type { JobBoardItem as JobBoardItemDto } from "../../../src/generated/JobBoardItem.js";
import type { JobCandidate as JobCandidateDto } from "../../../src/generated/JobCandidate.js";
import type { JobListing as JobListingDto } from "../../../src/generated/JobListing.js";
import type { JobMatch as JobMatchDto } from "../../../src/generated/JobMatch.js";
import type { RateRange as RateRangeDto } from "../../../src/generated/RateRange.js";
import type { SkillLevel as SkillLevelDto } from "../../../src/generated/SkillLevel.js";
import type { SkillRequirement as SkillRequirementDto } from "../../../src/generated/SkillRequirement.js";
import { Instant, type Tie } from "../rest.js";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const JOB_STATUSES = ["draft", "open", "closed", "filled"] as const;
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.output<typeof JobStatus>;

export const JobVisibility = z.enum(["studio", "public"]);
export type JobVisibility = z.output<typeof JobVisibility>;

export const APPLICATION_STATUSES = ["applied", "shortlisted", "offered", "accepted", "declined", "rejected", "withdrawn"] as const;
export const ApplicationStatus = z.enum(APPLICATION_STATUSES);
export type ApplicationStatus = z.output<typeof ApplicationStatus>;

export const SkillRequirement = z.object({ skill: z.string(), minLevel: z.number() });
export type SkillRequirementTie = Tie<typeof SkillRequirement, SkillRequirementDto>;
export type SkillRequirement = z.output<typeof SkillRequirement>;

export const RateRange = z.object({ min: z.number(), max: z.number(), currency: z.string() });
export type RateRangeTie = Tie<typeof RateRange, RateRangeDto>;
export type RateRange = z.output<typeof RateRange>;

export const JobListing = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  skills: z.array(SkillRequirement),
  startDate: Day,
  endDate: Day,
  location: z.string().nullable(),
  remote: z.boolean(),
  rate: RateRange.nullable(),
  positions: z.number(),
  projectId: z.string().nullable(),
  status: JobStatus,
  visibility: JobVisibility,
  createdBy: z.string(),
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number(),
});
export type JobListingTie = Tie<typeof JobListing, JobListingDto>;
export type JobListing = z.output<typeof JobListing>;

export const JobMatch = z.object({ score: z.number(), reasons: z.array(z.string()) });
export type JobMatchTie = Tie<typeof JobMatch, JobMatchDto>;
export type JobMatch = z.output<typeof JobMatch>;

export const JobBoardItem = z.object({ job: JobListing, studioName: z.string(), saved: z.boolean(), fit: JobMatch.nullable() });
export type JobBoardItemTie = Tie<typeof JobBoardItem, JobBoardItemDto>;
export type JobBoardItem = z.output<typeof JobBoardItem>;

export const JobApplication = z.object({
  id: z.string(),
  jobId: z.string(),
  applicant: z.string(),
  applicantName: z.string(),
  fromStudio: z.string(),
  artistId: z.string().nullable(),
  bookingId: z.string().nullable(),
  note: z.string(),
  rate: z.number().nullable(),
  status: ApplicationStatus,
  createdAt: Instant,
  updatedAt: Instant,
  version: z.number(),
});
export type JobApplicationTie = Tie<typeof JobApplication, JobApplicationDto>;
export type JobApplication = z.output<typeof JobApplication>;

export const ApplicationView = z.object({
  application: JobApplication,
  jobTitle: z.string(),
  startDate: Day,
  endDate: Day,
  studioName: z.string(),
  fit: JobMatch.nullable(),
});
export type ApplicationViewTie = Tie<typeof ApplicationView, ApplicationViewDto>;
export type ApplicationView = z.output<typeof ApplicationView>;

export const JobCandidate = z.object({ artistId: z.string(), name: z.string(), userId: z.string().nullable(), fit: JobMatch });
export type JobCandidateTie = Tie<typeof JobCandidate, JobCandidateDto>;
export type JobCandidate = z.output<typeof JobCandidate>;

/** A skill of an artist's profile: its level 1 (junior) to 5 (lead), and maybe years. */
export const SkillLevel = z.object({ name: z.string(), level: z.number(), years: z.number().nullish() });
export type SkillLevelTie = Tie<typeof SkillLevel, SkillLevelDto>;
export type SkillLevel = z.output<typeof SkillLevel>;

/**
 * `GET`/`PUT /me/job-alerts`: on or off, the skills new public listings are
 * matched against (none when off), and the studio whose inbox the alerts
 * arrive in (`null` when off).
 */
export const JobAlerts = z.object({ enabled: z.boolean(), skills: z.array(SkillLevel), studioId: z.string().nullable() });
export type JobAlertsTie = Tie<typeof JobAlerts, JobAlertsDto>;
export type JobAlerts = z.output<typeof JobAlerts>;
