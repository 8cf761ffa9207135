// The web app's job marketplace, its pure parts: the hash routes, who may do
// what, the buttons each listing and application state offers to whom, the
// job board's filters as a query string, the "Post a job" form's wire values,
// refusals with their free windows, the tabs by role, the job events, and
// where a job notification leads.

import { describe, expect, test } from "vitest";
import { ApiError, errorMessage } from "../../web/src/api.js";
import { jobPageOf } from "../../web/src/inbox/model.js";
import { kindLabel } from "../../web/src/inbox/preferences.js";
import { emptyJobForm, jobField, jobFormOf, rateOf, skillsOf, toJobPatch, toNewJob } from "../../web/src/jobs/form.js";
import {
  NO_FILTERS,
  applicantMoves,
  boardQuery,
  byFit,
  filtersSet,
  fitBand,
  isLive,
  listingMoves,
  mayApply,
  mayDeleteListing,
  mayEditListing,
  mayManageJobs,
  placeText,
  rateText,
  refusalOf,
  skillsText,
  studioMoves,
} from "../../web/src/jobs/model.js";
import { APPLICATION_STATUSES, JobListing, type ApplicationStatus } from "../../web/src/jobs/schemas.js";
import { jobsTabsFor } from "../../web/src/jobs/tabs.js";
import { eventJobId, isJobEvent } from "../../web/src/jobs/useJobEvents.js";
import { parseHash, routeHash, type Route } from "../../web/src/router.js";

const LISTING = JobListing.parse({
  id: "job-1",
  title: "Compositor",
  description: "Shots 010–040",
  skills: [{ skill: "compositing", minLevel: 3 }],
  startDate: "2027-01-04",
  endDate: "2027-01-09",
  location: "Paris",
  remote: true,
  rate: { min: 400, max: 550, currency: "EUR" },
  positions: 2,
  projectId: null,
  status: "open",
  visibility: "public",
  createdBy: "u-1",
  createdAt: "2026-12-01T10:00:00Z",
  updatedAt: 1_700_000_000_000_000,
  version: 3,
});

const moves = (list: { to: string }[]) => list.map((m) => m.to);

describe("routes", () => {
  test("the jobs pages' hashes read back as the same route", () => {
    const routes: Route[] = [{ page: "jobs" }, { page: "jobs", tab: "board" }, { page: "jobs", tab: "applications" }, { page: "job", jobId: "0192-ab" }];
    for (const r of routes) expect(parseHash(routeHash(r))).toEqual(r);
    expect(routeHash({ page: "jobs" })).toBe("#/jobs");
    expect(routeHash({ page: "jobs", tab: "saved" })).toBe("#/jobs/saved");
    expect(routeHash({ page: "job", jobId: "j1" })).toBe("#/jobs/listing/j1");
    expect(parseHash("#/jobs/listing")).toEqual({ page: "jobs", tab: "listing" });
    expect(parseHash("#/jobs/listing/a/b")).toEqual({ page: "board" });
  });
});

describe("roles and tabs", () => {
  test("owners and managers manage jobs; freelancers apply", () => {
    expect(mayManageJobs("studio_owner")).toBe(true);
    expect(mayManageJobs("studio_manager")).toBe(true);
    expect(mayManageJobs("freelancer")).toBe(false);
    expect(mayManageJobs(undefined)).toBe(false);
    expect(mayApply("freelancer")).toBe(true);
    expect(mayApply("studio_manager")).toBe(false);
  });

  test("managers start on their studio's jobs, freelancers on the board; only freelancers have My applications", () => {
    expect(jobsTabsFor("studio_manager").map((t) => t.tab)).toEqual(["studio", "board", "saved"]);
    expect(jobsTabsFor("studio_owner").map((t) => t.tab)).toEqual(["studio", "board", "saved"]);
    expect(jobsTabsFor("freelancer").map((t) => t.tab)).toEqual(["board", "studio", "applications", "saved"]);
    expect(jobsTabsFor(undefined)).toEqual([]);
  });
});

describe("listing status buttons", () => {
  test("draft → open → closed | filled; closed → open; filled is done", () => {
    expect(listingMoves("draft").map((m) => [m.to, m.label])).toEqual([["open", "Open"]]);
    expect(listingMoves("open").map((m) => [m.to, m.label])).toEqual([
      ["closed", "Close"],
      ["filled", "Mark filled"],
    ]);
    expect(listingMoves("closed").map((m) => [m.to, m.label])).toEqual([["open", "Reopen"]]);
    expect(listingMoves("filled")).toEqual([]);
  });

  test("only drafts are deleted; a filled listing is no longer edited", () => {
    expect(["draft", "open", "closed", "filled"].filter((s) => mayDeleteListing(s as never))).toEqual(["draft"]);
    expect(["draft", "open", "closed", "filled"].filter((s) => mayEditListing(s as never))).toEqual(["draft", "open", "closed"]);
  });
});

describe("application buttons by state and side", () => {
  test("the studio shortlists, offers or rejects a live application", () => {
    expect(moves(studioMoves("applied"))).toEqual(["shortlisted", "offered", "rejected"]);
    expect(moves(studioMoves("shortlisted"))).toEqual(["offered", "rejected"]);
    expect(moves(studioMoves("offered"))).toEqual(["rejected"]);
    expect(studioMoves("applied").map((m) => m.label)).toEqual(["Shortlist", "Offer", "Reject"]);
  });

  test("the applicant withdraws while live, and accepts or declines an offer", () => {
    expect(moves(applicantMoves("applied"))).toEqual(["withdrawn"]);
    expect(moves(applicantMoves("shortlisted"))).toEqual(["withdrawn"]);
    expect(moves(applicantMoves("offered"))).toEqual(["accepted", "declined", "withdrawn"]);
    expect(applicantMoves("offered").map((m) => m.label)).toEqual(["Accept", "Decline", "Withdraw"]);
  });

  test("final states offer nothing to anyone; each side keeps to its own moves", () => {
    const finals: ApplicationStatus[] = ["accepted", "declined", "rejected", "withdrawn"];
    for (const s of finals) {
      expect(isLive(s)).toBe(false);
      expect(studioMoves(s)).toEqual([]);
      expect(applicantMoves(s)).toEqual([]);
    }
    for (const s of APPLICATION_STATUSES) {
      for (const m of studioMoves(s)) expect(["shortlisted", "offered", "rejected"]).toContain(m.to);
      for (const m of applicantMoves(s)) expect(["withdrawn", "accepted", "declined"]).toContain(m.to);
      expect(moves(studioMoves(s))).not.toContain("applied");
    }
  });
});

describe("job board filters", () => {
  test("nothing set: no query", () => {
    expect(boardQuery(NO_FILTERS)).toBe("");
    expect(filtersSet(NO_FILTERS)).toBe(0);
  });

  test("each filter becomes its parameter, tidied", () => {
    const q = boardQuery({ skill: "  Compositing ", from: "2027-01-04", to: "2027-01-31", remoteOnly: true, minRate: " 450 ", currency: "eur" });
    expect(q).toBe("?skill=compositing&from=2027-01-04&to=2027-01-31&remote=true&minRate=450&currency=EUR");
    expect(filtersSet({ ...NO_FILTERS, skill: "nuke", remoteOnly: true })).toBe(2);
  });

  test("half-typed values are left out; remote off is no filter", () => {
    expect(boardQuery({ ...NO_FILTERS, from: "2027-01", to: "", minRate: "4.5e2", remoteOnly: false })).toBe("");
    expect(boardQuery({ ...NO_FILTERS, minRate: "0" })).toBe("?minRate=0");
    expect(boardQuery({ ...NO_FILTERS, skill: "3d lighting" })).toBe("?skill=3d+lighting");
  });
});

describe("words", () => {
  test("rates, places, skills", () => {
    expect(rateText({ min: 400, max: 1550, currency: "EUR" })).toBe("400–1,550 EUR a day");
    expect(rateText({ min: 500, max: 500, currency: "GBP" })).toBe("500 GBP a day");
    expect(rateText(null)).toBe("Rate not given");
    expect(placeText("Paris", true)).toBe("Paris or remote");
    expect(placeText("  ", true)).toBe("Remote");
    expect(placeText(null, false)).toBe("On site");
    expect(skillsText(LISTING.skills)).toBe("compositing ≥ 3");
  });

  test("fits rank best first, no fit last; bands", () => {
    const list = [
      { name: "B", fit: { score: 40, reasons: [] } },
      { name: "A", fit: null },
      { name: "C", fit: { score: 90, reasons: [] } },
      { name: "A2", fit: { score: 40, reasons: [] } },
    ];
    expect(byFit(list, (x) => x.name).map((x) => x.name)).toEqual(["C", "A2", "B", "A"]);
    expect([fitBand(95), fitBand(50), fitBand(10)]).toEqual(["high", "mid", "low"]);
  });

  test("the new notification kinds have labels", () => {
    expect(kindLabel("applicationChanged")).toBe("An application you made or received moved");
    expect(kindLabel("jobInvited")).toBe("A studio invites you to apply");
    expect(kindLabel("jobMatched")).toBe("A new public job matches your skills");
  });
});

describe("the Post a job form", () => {
  test("a new listing: the last day becomes the exclusive end; blanks are left out", () => {
    const f = { ...emptyJobForm("2027-01-04"), title: "Comp", skills: [{ skill: " Nuke ", level: "4" }, { skill: "", level: "3" }] };
    expect(f.lastDay).toBe("2027-01-08");
    expect(toNewJob(f, "open")).toEqual({
      title: "Comp",
      skills: [{ skill: "nuke", minLevel: 4 }],
      startDate: "2027-01-04",
      endDate: "2027-01-09",
      remote: false,
      positions: 1,
      visibility: "studio",
      status: "open",
    });
    const full = { ...f, description: "Shots", location: " Paris ", rateMin: "400", rateMax: "550", currency: "eur", positions: "2", visibility: "public" as const, remote: true };
    expect(toNewJob(full, "draft")).toMatchObject({ description: "Shots", location: "Paris", rate: { min: 400, max: 550, currency: "EUR" }, positions: 2, visibility: "public", remote: true, status: "draft" });
  });

  test("a rate with one end given is that rate", () => {
    expect(rateOf({ rateMin: "", rateMax: "", currency: "EUR" })).toBeNull();
    expect(rateOf({ rateMin: "500", rateMax: "", currency: "gbp" })).toEqual({ min: 500, max: 500, currency: "GBP" });
    expect(rateOf({ rateMin: "", rateMax: "600", currency: "EUR" })).toEqual({ min: 600, max: 600, currency: "EUR" });
    expect(skillsOf([{ skill: "  ", level: "2" }])).toEqual([]);
  });

  test("an edit sends the changed fields only, with the version; cleared fields are null", () => {
    const f = jobFormOf(LISTING);
    expect(f.lastDay).toBe("2027-01-08");
    expect(toJobPatch(LISTING, f)).toEqual({ version: 3 });
    const changed = { ...f, title: "Senior compositor", location: "", rateMin: "", rateMax: "", lastDay: "2027-01-15", skills: [...f.skills, { skill: "nuke", level: "2" }] };
    expect(toJobPatch(LISTING, changed)).toEqual({
      version: 3,
      title: "Senior compositor",
      endDate: "2027-01-16",
      location: null,
      rate: null,
      skills: [
        { skill: "compositing", minLevel: 3 },
        { skill: "nuke", minLevel: 2 },
      ],
    });
  });

  test("the server's field names find their inputs", () => {
    expect(jobField("endDate")).toBe("lastDay");
    expect(jobField("skills[1].minLevel")).toBe("skills");
    expect(jobField("rate.max")).toBe("rateMax");
    expect(jobField("rate.currency")).toBe("currency");
    expect(jobField("job.title")).toBe("title");
    expect(jobField("nonsense")).toBeUndefined();
  });
});

describe("refusals", () => {
  test("an accept that clashes: the message, what is in the way, when the artist is free", () => {
    const e = new ApiError(409, "conflict", "the artist is not free then", {
      conflicts: [{ id: "b1", title: "Comp: shot 010", status: "confirmed", startTime: "2027-01-05T09:00:00Z", endTime: "2027-01-05T17:00:00Z" }],
      freeWindows: [{ start: "2027-01-11T00:00:00Z", end: "2027-01-16T00:00:00Z" }],
    });
    const r = refusalOf(e, errorMessage);
    expect(r.message).toBe("the artist is not free then");
    expect(r.conflicts).toEqual(["Comp: shot 010 (confirmed), Tue, 5 Jan 2027, 09:00 UTC – Tue, 5 Jan 2027, 17:00 UTC"]);
    expect(r.freeWindows).toEqual(["Mon, 11 Jan 2027, 00:00 UTC – Sat, 16 Jan 2027, 00:00 UTC"]);
  });

  test("unavailable: the reasons and the free windows; anything else: the message alone", () => {
    const e = new ApiError(422, "unprocessable", "unavailable", {
      unavailable: [{ reason: "holiday", holiday: "New Year", start: "2027-01-01T00:00:00Z", end: "2027-01-02T00:00:00Z" }],
      freeWindows: [{ start: "2027-01-04T00:00:00Z", end: "2027-01-09T00:00:00Z" }],
    });
    const r = refusalOf(e, errorMessage);
    expect(r.conflicts).toEqual(["New Year, Fri, 1 Jan 2027, 00:00 UTC – Sat, 2 Jan 2027, 00:00 UTC"]);
    expect(r.freeWindows).toHaveLength(1);
    expect(refusalOf(new Error("offline"), errorMessage)).toEqual({ message: "offline", conflicts: [], freeWindows: [] });
    expect(refusalOf(new ApiError(409, "conflict", "you already applied", undefined), errorMessage)).toEqual({ message: "you already applied", conflicts: [], freeWindows: [] });
  });
});

describe("live", () => {
  test("job events and the listing each is about", () => {
    const application = { id: "a1", jobId: "job-9" } as never;
    expect(isJobEvent({ type: "applicationCreated", application })).toBe(true);
    expect(eventJobId({ type: "applicationUpdated", application })).toBe("job-9");
    expect(eventJobId({ type: "jobUpdated", job: { id: "job-1" } as never })).toBe("job-1");
    expect(isJobEvent({ type: "bookingCreated", booking: {} as never })).toBe(false);
  });

  test("a job notification opens its Jobs page", () => {
    expect(jobPageOf({ kind: "applicationChanged" }, "freelancer")).toEqual({ page: "jobs", tab: "applications" });
    expect(jobPageOf({ kind: "applicationChanged" }, "studio_manager")).toEqual({ page: "jobs", tab: "studio" });
    expect(jobPageOf({ kind: "applicationChanged", bookingId: "b1" }, "studio_manager")).toBeUndefined();
    expect(jobPageOf({ kind: "applicationChanged", bookingId: "b1" }, "freelancer")).toEqual({ page: "jobs", tab: "applications" });
    expect(jobPageOf({ kind: "jobInvited" }, "freelancer")).toEqual({ page: "jobs", tab: "studio" });
    expect(jobPageOf({ kind: "jobMatched" }, "freelancer")).toEqual({ page: "jobs", tab: "board" });
    expect(jobPageOf({ kind: "bookingOffered", bookingId: "b1" }, "freelancer")).toBeUndefined();
  });

  test("instants are read from RFC 3339 (REST) or numbers (events)", () => {
    expect(LISTING.createdAt).toBe(Date.parse("2026-12-01T10:00:00Z") * 1000);
    expect(LISTING.updatedAt).toBe(1_700_000_000_000_000);
  });
});
