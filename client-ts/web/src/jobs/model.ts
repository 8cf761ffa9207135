// The job marketplace, pure: who may do what (roles), the words for each
// status, which buttons a listing or an application offers in each state and
// to whom, the job board's filters as a query string, rates and fits as
// people read them, job alerts as a sentence, and a refused change (an
// accept that would clash with a booking) as a message with what is in the
// way and what is free.

import { ApiError } from "../api.js";
import { formatRange } from "../days.js";
import { ConflictDetails, UnavailableDetails } from "../rest.js";
import type { ApplicationStatus, JobAlerts, JobMatch, JobStatus, RateRange } from "./schemas.js";

/** Owners and managers post listings and decide applications (`jobs:manage`). */
export function mayManageJobs(role: string | undefined): boolean {
  return role === "studio_owner" || role === "studio_manager";
}

/** Freelancers apply (`jobs:apply`). */
export function mayApply(role: string | undefined): boolean {
  return role === "freelancer";
}

export const JOB_STATUS_TEXT: Record<JobStatus, string> = {
  draft: "Draft",
  open: "Open",
  closed: "Closed",
  filled: "Filled",
};

export const APPLICATION_STATUS_TEXT: Record<ApplicationStatus, string> = {
  applied: "Applied",
  shortlisted: "Shortlisted",
  offered: "Offered",
  accepted: "Accepted",
  declined: "Declined",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
};

export function jobStatusText(s: string): string {
  return (JOB_STATUS_TEXT as Record<string, string>)[s] ?? s;
}

export function applicationStatusText(s: string): string {
  return (APPLICATION_STATUS_TEXT as Record<string, string>)[s] ?? s;
}

/** A status change a button asks for. */
export interface Move<S extends string> {
  to: S;
  label: string;
  /** Styled as the main action (`primary`) or a refusal (`danger`). */
  tone?: "primary" | "danger";
}

/** The listing's status buttons (`draft → open → closed | filled`, `closed → open`). */
export function listingMoves(status: JobStatus): Move<JobStatus>[] {
  switch (status) {
    case "draft":
      return [{ to: "open", label: "Open", tone: "primary" }];
    case "open":
      return [
        { to: "closed", label: "Close" },
        { to: "filled", label: "Mark filled", tone: "primary" },
      ];
    case "closed":
      return [{ to: "open", label: "Reopen", tone: "primary" }];
    case "filled":
      return [];
  }
}

/** Whether a listing may still be edited (a filled one is done). */
export function mayEditListing(status: JobStatus): boolean {
  return status !== "filled";
}

/** Only drafts are deleted; an open listing is closed instead. */
export function mayDeleteListing(status: JobStatus): boolean {
  return status === "draft";
}

/** Still in play: the applicant or the studio can still move it. */
export function isLive(status: ApplicationStatus): boolean {
  return status === "applied" || status === "shortlisted" || status === "offered";
}

/** The studio's buttons for an application: forward (shortlist, offer) or reject. */
export function studioMoves(status: ApplicationStatus): Move<ApplicationStatus>[] {
  const reject: Move<ApplicationStatus> = { to: "rejected", label: "Reject", tone: "danger" };
  switch (status) {
    case "applied":
      return [{ to: "shortlisted", label: "Shortlist" }, { to: "offered", label: "Offer", tone: "primary" }, reject];
    case "shortlisted":
      return [{ to: "offered", label: "Offer", tone: "primary" }, reject];
    case "offered":
      return [reject];
    default:
      return [];
  }
}

/** The applicant's buttons: accept or decline an offer, withdraw while it is live. */
export function applicantMoves(status: ApplicationStatus): Move<ApplicationStatus>[] {
  const withdraw: Move<ApplicationStatus> = { to: "withdrawn", label: "Withdraw", tone: "danger" };
  switch (status) {
    case "applied":
    case "shortlisted":
      return [withdraw];
    case "offered":
      return [{ to: "accepted", label: "Accept", tone: "primary" }, { to: "declined", label: "Decline" }, withdraw];
    default:
      return [];
  }
}

// ---- the job board's filters -------------------------------------------------------

export interface BoardFilters {
  skill: string;
  /** `YYYY-MM-DD` or empty. */
  from: string;
  to: string;
  remoteOnly: boolean;
  minRate: string;
  currency: string;
}

export const NO_FILTERS: BoardFilters = { skill: "", from: "", to: "", remoteOnly: false, minRate: "", currency: "" };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /jobs/board`'s query string for `f`: only what is set (a skill
 * trimmed and lower-cased, as skills are stored; dates only when whole; the
 * minimum rate only as a whole number, with its currency upper-cased).
 */
export function boardQuery(f: BoardFilters): string {
  const q = new URLSearchParams();
  const skill = f.skill.trim().toLowerCase();
  if (skill) q.set("skill", skill);
  if (DAY.test(f.from)) q.set("from", f.from);
  if (DAY.test(f.to)) q.set("to", f.to);
  if (f.remoteOnly) q.set("remote", "true");
  const rate = f.minRate.trim();
  if (/^\d+$/.test(rate)) q.set("minRate", String(Number(rate)));
  const currency = f.currency.trim().toUpperCase();
  if (currency) q.set("currency", currency);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** How many filters are set (for "Clear filters"). */
export function filtersSet(f: BoardFilters): number {
  return [f.skill.trim(), f.from, f.to, f.remoteOnly ? "y" : "", f.minRate.trim(), f.currency.trim()].filter(Boolean).length;
}

// ---- words ---------------------------------------------------------------------

/** "400–550 EUR a day", "500 GBP a day"; "Rate not given". */
export function rateText(rate: RateRange | null): string {
  if (!rate) return "Rate not given";
  const n = (x: number) => x.toLocaleString("en-GB");
  return rate.min === rate.max ? `${n(rate.min)} ${rate.currency} a day` : `${n(rate.min)}–${n(rate.max)} ${rate.currency} a day`;
}

/** "Remote", "London", "London or remote", "On site". */
export function placeText(location: string | null, remote: boolean): string {
  const at = location?.trim();
  if (at && remote) return `${at} or remote`;
  if (at) return at;
  return remote ? "Remote" : "On site";
}

/** "compositing ≥ 3, nuke ≥ 2". */
export function skillsText(skills: readonly { skill: string; minLevel: number }[]): string {
  return skills.map((s) => `${s.skill} ≥ ${s.minLevel}`).join(", ");
}

/** The work's days as people read them (first to last). */
export function datesText(start: string, end: string): string {
  return formatRange(start, end);
}

/** "Fit 82 of 100". */
export function fitLabel(fit: JobMatch): string {
  return `Fit ${fit.score} of 100`;
}

/** A fit's band, for its colour (the number is always shown too). */
export function fitBand(score: number): "high" | "mid" | "low" {
  return score >= 70 ? "high" : score >= 40 ? "mid" : "low";
}

/** Ranked best fit first (no fit last), then by name: the order applicants and candidates are shown in. */
export function byFit<T extends { fit: JobMatch | null }>(list: readonly T[], name: (t: T) => string): T[] {
  return [...list].sort((a, b) => (b.fit?.score ?? -1) - (a.fit?.score ?? -1) || name(a).localeCompare(name(b)));
}

// ---- job alerts -------------------------------------------------------------------

/** "compositing 4, nuke 3": the skills job alerts match on, each with its level. */
export function alertSkillsText(skills: readonly { name: string; level: number }[]): string {
  return skills.map((s) => `${s.name} ${s.level}`).join(", ");
}

/**
 * The line under the job alerts checkbox: when on, the skills a new listing
 * is matched on (and a word if the alerts arrive in another studio of mine
 * than `studioId`, the one signed in to); when off, what turning them on takes.
 */
export function alertsNote(alerts: JobAlerts, studioId: string | undefined): string {
  if (!alerts.enabled) return "Off. Turning them on uses the skills of your artist profile in this studio.";
  const skills = alertSkillsText(alerts.skills);
  const on = skills ? `On, matching ${skills}.` : "On.";
  const elsewhere = alerts.studioId !== null && studioId !== undefined && alerts.studioId !== studioId;
  return elsewhere ? `${on} They arrive in the inbox of the other studio you turned them on in; turn them off and on again here to have them here.` : on;
}

// ---- a refused change ---------------------------------------------------------------

export interface Refusal {
  message: string;
  /** What is in the way ("Comp: shot 010 (pencil), 12 Jan 09:00 – 16 Jan 18:00"). */
  conflicts: string[];
  /** When the artist is free instead. */
  freeWindows: string[];
}

const WHEN = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/** An instant (µs) as people read it, in UTC (the listing's days are calendar days). */
export function whenText(us: number): string {
  return `${WHEN.format(new Date(us / 1000))} UTC`;
}

/** The server's message, plus a `conflict`'s bookings in the way and any free windows. */
export function refusalOf(e: unknown, message: (e: unknown) => string): Refusal {
  const r: Refusal = { message: message(e), conflicts: [], freeWindows: [] };
  if (!(e instanceof ApiError)) return r;
  const conflict = ConflictDetails.safeParse(e.details ?? {});
  if (conflict.success) {
    r.conflicts = conflict.data.conflicts.map((c) => `${c.title} (${c.status}), ${whenText(c.startTime)} – ${whenText(c.endTime)}`);
    r.freeWindows = conflict.data.freeWindows.map((w) => `${whenText(w.start)} – ${whenText(w.end)}`);
  }
  const unavailable = UnavailableDetails.safeParse(e.details ?? {});
  if (unavailable.success) {
    const why = { time_off: "Time off", holiday: "Holiday", outside_working_hours: "Outside working hours" };
    r.conflicts.push(...unavailable.data.unavailable.map((u) => `${u.holiday ?? why[u.reason]}, ${whenText(u.start)} – ${whenText(u.end)}`));
    if (r.freeWindows.length === 0) r.freeWindows = unavailable.data.freeWindows.map((w) => `${whenText(w.start)} – ${whenText(w.end)}`);
  }
  return r;
}
