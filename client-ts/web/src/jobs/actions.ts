// The job calls the pages share: an application's status change, and a
// listing's (both answer the changed record); my job alerts, read and set.

import { apiCall } from "../api.js";
import { JobAlerts, JobApplication, JobListing, type ApplicationStatus, type JobStatus } from "./schemas.js";

/** `POST /job-applications/{id}/transition`, with the version last seen (a stale one is refused). */
export function transition(id: string, to: ApplicationStatus, version?: number): Promise<JobApplication> {
  return apiCall("POST", `/job-applications/${id}/transition`, JobApplication, version === undefined ? { to } : { to, version });
}

/** `PATCH /jobs/{id}` with only the status. */
export function moveListing(job: JobListing, to: JobStatus): Promise<JobListing> {
  return apiCall("PATCH", `/jobs/${job.id}`, JobListing, { version: job.version, status: to });
}

/** `GET /me/job-alerts`: whether I am told of new public listings that match my skills. */
export function loadJobAlerts(): Promise<JobAlerts> {
  return apiCall("GET", "/me/job-alerts", JobAlerts);
}

/** `PUT /me/job-alerts`: on (with my own artist's skills in this studio; refused, 422, without any) or off. */
export function setJobAlerts(enabled: boolean): Promise<JobAlerts> {
  return apiCall("PUT", "/me/job-alerts", JobAlerts, { enabled });
}
