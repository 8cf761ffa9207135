// The job marketplace in the browser, across two studios.
// Set over REST: studio B (a sign-up) with an artist who has compositing 4,
// and a freelancer invited as that artist (their own account).
// In the browser: the demo studio's manager, who has no artist of their own,
// is refused job alerts (the server's message shown); B's freelancer turns
// them on (the skills they match on shown). The manager posts a public, open
// listing ("Post a job"); B's freelancer is told of it (a `jobMatched`
// notification "New job: …", the board reads it in live, the notification
// opens the board), finds it on the job board (filtered by
// skill and rate; their fit shown with its reasons), saves it and applies;
// the manager, on the listing's page, sees the application arrive live,
// ranked with its fit, shortlists it and makes an offer; the freelancer sees
// the offer under My applications and accepts: "Pencilled in". The pencil
// booking appears live on the demo studio's board in another browser
// context (no reload), and the freelancer's inbox has a notification for
// each step. A second offer over the same days: the accept is refused with
// the free windows, nothing changes. A draft's status buttons, an invitation
// to apply, an edit, a deleted draft. axe checks every new screen.

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { audit, serious } from "./axe.js";
import { MANAGER, OWNER, PASSWORD, api, baseUrl, goToDate, launch, mondayUtc, openTab, shot, signIn, waitFor, withToken, type Api, type Tab } from "./helpers.js";
import { FREELANCER, day } from "./project-helpers.js";

/** Weeks ahead, so that nothing else is booked then. */
const WEEK = 47;
const RUN = Date.now().toString(36);
const TITLE = `E2E compositor ${RUN}`;
const FREELANCER_B = `kai.${RUN}@e2e.test`;
const FREELANCER_NAME = "Aalto Kai";
const ALERTS = "Tell me about new public jobs that match my skills";

let browser: Browser;
let studioB: Api;
let freelancerB: Api;
const tabs: Tab[] = [];

interface RestApplicationView {
  application: { id: string; status: string; bookingId: string | null; artistId: string | null; applicantName: string };
  jobTitle: string;
}

interface RestNotification {
  kind: string;
  title: string;
  body: string;
}

/** Signs up a new studio with its owner; REST as that owner. */
async function signUp(studioName: string, email: string, displayName: string): Promise<Api> {
  const res = await fetch(`${baseUrl()}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ studioName, email, password: PASSWORD, displayName }),
  });
  if (!res.ok) throw new Error(`signup ${email}: ${res.status} ${await res.text()}`);
  return withToken(((await res.json()) as { data: { accessToken: string } }).data.accessToken);
}

/** Studio B's artist with compositing 4, and a freelancer account linked to them (by invitation). */
async function freelancerOfStudioB(): Promise<Api> {
  studioB = await signUp(`E2E Second Shop ${RUN}`, `bea.${RUN}@e2e.test`, "Bea Owner");
  const artist = (await studioB.call<{ data: { id: string } }>("POST", "/artists", { name: FREELANCER_NAME, email: FREELANCER_B, skills: ["compositing", "nuke"], timezone: "UTC" })).data;
  await studioB.call("PATCH", `/artist-profiles/${artist.id}`, { skills: [{ name: "compositing", level: 4 }, { name: "nuke", level: 3 }] });
  const inv = (await studioB.call<{ data: { token: string } }>("POST", "/studio/invitations", { email: FREELANCER_B, role: "freelancer", artistId: artist.id })).data;
  const res = await fetch(`${baseUrl()}/api/v1/auth/accept-invitation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: inv.token, password: PASSWORD, displayName: FREELANCER_NAME }),
  });
  if (!res.ok) throw new Error(`accept invitation: ${res.status} ${await res.text()}`);
  return withToken(((await res.json()) as { data: { accessToken: string } }).data.accessToken);
}

beforeAll(async () => {
  browser = await launch();
  freelancerB = await freelancerOfStudioB();
});

/** What the accept made in the demo studio: taken away afterwards, as the other files count the demo's artists. */
const made: { bookingId?: string; artistId?: string } = {};

afterAll(async () => {
  await browser?.close();
  const owner = await api(OWNER);
  if (made.bookingId) await owner.call("DELETE", `/bookings/${made.bookingId}`);
  if (made.artistId) await owner.call("DELETE", `/artists/${made.artistId}`);
});

async function tab(email: string): Promise<Tab> {
  const t = await openTab(browser);
  tabs.push(t);
  await signIn(t.page, email);
  return t;
}

/** Follows the toolbar's Jobs link (on the board, under the user's name; elsewhere among the page links), then a tab of the Jobs page. */
async function openJobs(page: Page, section: string): Promise<void> {
  await page.locator("header.toolbar").getByRole("link", { name: "Jobs", exact: true }).click();
  await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
  await page.getByRole("navigation", { name: "Jobs sections" }).getByRole("link", { name: section }).click();
  await page.getByRole("heading", { name: section, level: 2 }).waitFor();
}

async function noSeriousFindings(page: Page, what: string): Promise<void> {
  expect(serious(await audit(page, what)), what).toEqual([]);
}

/** What the bell shows: its badge's number (0 when there is none). */
async function bellCount(page: Page): Promise<number> {
  const badge = page.locator("[data-testid=bell-count]");
  return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
}

async function applicationNotices(a: Api): Promise<RestNotification[]> {
  const list = await a.call<{ data: { items: RestNotification[] } }>("GET", "/notifications?limit=50");
  return list.data.items.filter((n) => n.kind === "applicationChanged");
}

test("a public listing: posted, found on the board, applied for from another studio, shortlisted, offered, accepted — pencilled in live", async () => {
  const start = day(7 * WEEK);
  const lastDay = day(7 * WEEK + 4);

  // ---- job alerts: refused to the manager (no artist of theirs), on for B's freelancer -----
  const m = await tab(MANAGER);
  await openJobs(m.page, "Job board");
  const refused = m.page.locator("[data-testid=job-alerts]");
  await expect.poll(() => refused.getAttribute("data-enabled")).toBe("false");
  await refused.getByRole("checkbox", { name: ALERTS }).click();
  await refused.getByRole("alert").getByText("Job alerts match your profile's skills: you have no artist with skills in this studio.").waitFor();
  expect(await refused.getByRole("checkbox", { name: ALERTS }).isChecked()).toBe(false);
  expect(await refused.getAttribute("data-enabled")).toBe("false");
  await noSeriousFindings(m.page, "job alerts refused");
  // The browser logs the refused call (422) as a failed resource load: expected, once.
  expect(m.problems.filter((p) => p.includes("status of 422"))).toHaveLength(1);
  m.problems.splice(0, m.problems.length, ...m.problems.filter((p) => !p.includes("status of 422")));

  const f = await tab(FREELANCER_B);
  await openJobs(f.page, "Job board");
  const alerts = f.page.locator("[data-testid=job-alerts]");
  await expect.poll(() => alerts.getAttribute("data-enabled")).toBe("false");
  await alerts.getByRole("checkbox", { name: ALERTS }).check();
  await expect.poll(() => alerts.getAttribute("data-enabled")).toBe("true");
  expect(await alerts.locator("[data-testid=job-alerts-note]").innerText()).toContain("compositing 4, nuke 3");
  await noSeriousFindings(f.page, "job alerts on");
  await shot(f.page, "jobs-00-alerts");
  const bellAtStart = await bellCount(f.page);

  // ---- the demo studio's manager posts a public, open listing -------------------------
  await openJobs(m.page, "Studio jobs");
  await m.page.getByRole("button", { name: "Post a job" }).click();
  const form = m.page.getByRole("dialog", { name: "Post a job" });
  await form.getByLabel("Title").fill(TITLE);
  await form.getByLabel("Description").fill("Compositing for the E2E sequence, shots 010–040.");
  await form.getByLabel("Skill 1", { exact: true }).fill("compositing");
  await form.getByRole("combobox", { name: "Minimum level for skill 1" }).selectOption("3");
  await form.getByLabel("First day").fill(start);
  await form.getByLabel("Last day").fill(lastDay);
  await form.getByLabel("Location").fill("Paris");
  await form.getByLabel("Remote work is fine").check();
  await form.getByLabel("Day rate from").fill("400");
  await form.getByLabel("Day rate to").fill("550");
  await form.getByLabel("Currency").fill("EUR");
  await form.getByLabel(/The public job board/).check();
  await noSeriousFindings(m.page, "post a job");
  await shot(m.page, "jobs-01-post");
  await form.getByRole("button", { name: "Post and open" }).click();
  await form.waitFor({ state: "detached" });
  const row = m.page.locator("[data-testid=job-row]", { hasText: TITLE });
  await row.waitFor();
  expect(await row.getAttribute("data-status")).toBe("open");
  // The status chips filter the list.
  await m.page.getByRole("group", { name: "Show listings" }).getByRole("button", { name: "Draft" }).click();
  await row.waitFor({ state: "detached" });
  await m.page.getByRole("group", { name: "Show listings" }).getByRole("button", { name: "Open" }).click();
  await row.waitFor();
  await noSeriousFindings(m.page, "studio jobs");
  const jobId = (await row.getAttribute("data-id"))!;

  // The listing's page: no applicants yet; the studio's artists ranked as candidates.
  await row.getByRole("link", { name: TITLE }).click();
  const listing = m.page.locator("[data-testid=listing]");
  await listing.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
  expect(await m.page.locator("[data-testid=listing-status]").innerText()).toBe("Open");
  await m.page.locator("[data-testid=applicants]").getByText("No applications yet.").waitFor();
  await m.page.locator("[data-testid=candidates] [data-testid=candidate]").first().waitFor();
  await noSeriousFindings(m.page, "listing");

  // ---- studio B's freelancer is told: the board reads it in, the bell has "New job: …" ----
  await f.page.locator(`[data-testid=job-board] [data-testid=job-card][data-id="${jobId}"]`).waitFor({ timeout: 10_000 });
  await expect.poll(() => bellCount(f.page), { timeout: 10_000 }).toBeGreaterThan(bellAtStart);
  // Opened from another tab, the notification leads to the job board.
  await f.page.getByRole("navigation", { name: "Jobs sections" }).getByRole("link", { name: "Saved jobs" }).click();
  await f.page.locator("[data-testid=saved-jobs]").waitFor();
  await f.page.locator("[data-testid=bell]").click();
  const alertInbox = f.page.locator("[data-testid=inbox]");
  const matched = alertInbox.locator('[data-testid=inbox-item][data-kind="jobMatched"]', { hasText: `New job: ${TITLE}` });
  await matched.waitFor();
  expect(await matched.innerText()).toContain("Demo Studio");
  await noSeriousFindings(f.page, "inbox with a job alert");
  await shot(f.page, "jobs-00-job-alert");
  await matched.locator("button").click();
  await alertInbox.waitFor({ state: "detached" });
  await f.page.locator(`[data-testid=job-board] [data-testid=job-card][data-id="${jobId}"]`).waitFor();

  // ---- studio B's freelancer finds it on the board, saves it and applies -----------------
  await openJobs(f.page, "Job board");
  const search = f.page.getByRole("search", { name: "Filter the job board" });
  await search.getByLabel("Skill").fill("compositing");
  await search.getByLabel("Minimum day rate").fill("450");
  await search.getByLabel("Currency").fill("EUR");
  const card = f.page.locator(`[data-testid=job-card][data-id="${jobId}"]`);
  await card.waitFor();
  expect(await card.innerText()).toContain("Demo Studio");
  // Their fit, with its reasons.
  const fit = card.locator("[data-testid=fit]");
  await fit.waitFor();
  expect(Number(await fit.getAttribute("data-score"))).toBeGreaterThan(0);
  expect(await fit.locator(".fit__reasons li").count()).toBeGreaterThan(0);
  // A minimum rate above the listing's leaves it out.
  await search.getByLabel("Minimum day rate").fill("5000");
  await card.waitFor({ state: "detached" });
  await search.getByLabel("Minimum day rate").fill("450");
  await card.waitFor();
  await noSeriousFindings(f.page, "job board");
  await shot(f.page, "jobs-02-board");

  const save = card.getByRole("button", { name: `Save ${TITLE}` });
  expect(await save.getAttribute("aria-pressed")).toBe("false");
  await save.click();
  await expect.poll(() => save.getAttribute("aria-pressed")).toBe("true");
  await card.getByRole("button", { name: `Apply for ${TITLE}` }).click();
  const apply = f.page.getByRole("dialog", { name: `Apply for ${TITLE}` });
  await apply.getByLabel("Note to the studio").fill("Four years of Nuke compositing; free that week.");
  await apply.getByLabel(/Your day rate/).fill("500");
  await noSeriousFindings(f.page, "apply");
  await apply.getByRole("button", { name: "Send application" }).click();
  await apply.waitFor({ state: "detached" });
  await card.getByText("Applied").waitFor();

  // Saved jobs keeps it.
  await f.page.getByRole("navigation", { name: "Jobs sections" }).getByRole("link", { name: "Saved jobs" }).click();
  await f.page.locator(`[data-testid=saved-jobs] [data-testid=job-card][data-id="${jobId}"]`).waitFor();
  await noSeriousFindings(f.page, "saved jobs");

  // My applications: applied, with Withdraw.
  await f.page.getByRole("navigation", { name: "Jobs sections" }).getByRole("link", { name: "My applications" }).click();
  const mine = f.page.locator("[data-testid=my-application]", { hasText: TITLE });
  await mine.waitFor();
  expect(await mine.getAttribute("data-status")).toBe("applied");
  await mine.getByRole("button", { name: `Withdraw: ${TITLE}` }).waitFor();
  expect(await mine.getByRole("button", { name: `Accept: ${TITLE}` }).count()).toBe(0);
  await noSeriousFindings(f.page, "my applications");
  const bellBefore = await bellCount(f.page);

  // ---- the manager sees it arrive live, ranked with its fit; shortlists, then offers ------
  const applicant = m.page.locator("[data-testid=applicants] [data-testid=applicant]", { hasText: FREELANCER_NAME });
  await applicant.waitFor({ timeout: 10_000 });
  expect(await applicant.getAttribute("data-status")).toBe("applied");
  expect(await applicant.locator("[data-testid=fit] .fit__reasons li").count()).toBeGreaterThan(0);
  expect(await applicant.innerText()).toContain("Four years of Nuke compositing");
  await noSeriousFindings(m.page, "listing with an applicant");
  await shot(m.page, "jobs-03-applicants");

  await applicant.getByRole("button", { name: `Shortlist ${FREELANCER_NAME}` }).click();
  await expect.poll(() => applicant.getAttribute("data-status")).toBe("shortlisted");
  // The freelancer hears of it: the bell, and My applications (live).
  await expect.poll(() => bellCount(f.page), { timeout: 10_000 }).toBeGreaterThan(bellBefore);
  await expect.poll(() => mine.getAttribute("data-status"), { timeout: 10_000 }).toBe("shortlisted");

  await applicant.getByRole("button", { name: `Offer ${FREELANCER_NAME}` }).click();
  await expect.poll(() => applicant.getAttribute("data-status")).toBe("offered");
  await expect.poll(() => mine.getAttribute("data-status"), { timeout: 10_000 }).toBe("offered");

  // ---- the demo studio's board, in another context, on the listing's week ----------------
  const board = await tab(OWNER);
  await goToDate(board.page, mondayUtc(WEEK));
  await board.page.evaluate(() => ((window as unknown as { e2eNoReload: boolean }).e2eNoReload = true));

  // ---- the freelancer accepts: pencilled in ------------------------------------------------
  await noSeriousFindings(f.page, "my applications, offered");
  await shot(f.page, "jobs-04-offered");
  await mine.getByRole("button", { name: `Accept: ${TITLE}` }).click();
  await expect.poll(() => mine.getAttribute("data-status"), { timeout: 10_000 }).toBe("accepted");
  await mine.locator("[data-testid=pencilled]").getByText("Pencilled in").waitFor();
  expect(await mine.getByRole("button").count()).toBe(0);
  await shot(f.page, "jobs-05-pencilled");

  const views = (await freelancerB.call<{ data: RestApplicationView[] }>("GET", "/job-applications")).data;
  const accepted = views.find((v) => v.jobTitle === TITLE)!.application;
  expect(accepted.status).toBe("accepted");
  expect(accepted.bookingId).not.toBeNull();
  made.bookingId = accepted.bookingId!;
  made.artistId = accepted.artistId!;

  // The booking shows live on the demo studio's board (the same page: no reload).
  const bar = board.page.locator(`.bar[data-id="${accepted.bookingId}"]`);
  await bar.waitFor({ timeout: 15_000 });
  expect(await bar.getAttribute("class")).toContain("pencil");
  expect(await board.page.evaluate(() => (window as unknown as { e2eNoReload?: boolean }).e2eNoReload)).toBe(true);
  await shot(board.page, "jobs-06-board-pencil");
  // The manager's applicants list follows the accept live too.
  await expect.poll(() => applicant.getAttribute("data-status"), { timeout: 10_000 }).toBe("accepted");

  // ---- the freelancer's inbox: each step -------------------------------------------------
  await waitFor("three application notifications", async () => (await applicationNotices(freelancerB)).length >= 3);
  await f.page.locator("[data-testid=bell]").click();
  const inbox = f.page.locator("[data-testid=inbox]");
  await inbox.waitFor();
  const items = inbox.locator('[data-testid=inbox-item][data-kind="applicationChanged"]');
  await expect.poll(() => items.count()).toBeGreaterThanOrEqual(3);
  const texts = (await items.allInnerTexts()).join("\n").toLowerCase();
  expect(texts).toContain(TITLE.toLowerCase());
  expect(texts).toMatch(/shortlist/);
  expect(texts).toMatch(/offer/);
  expect(texts).toMatch(/accept|pencil/);
  await noSeriousFindings(f.page, "inbox with job notifications");
  await shot(f.page, "jobs-07-inbox");
  // Opening one goes to My applications.
  await items.first().locator("button").click();
  await inbox.waitFor({ state: "detached" });
  await f.page.locator("[data-testid=my-applications]").waitFor();

  for (const t of tabs) expect(t.problems).toEqual([]);
});

test("an accept that clashes with the pencil already there is refused with the free windows; nothing changes", async () => {
  const m = tabs[0]!;
  const f = tabs[1]!;
  // A second public listing over the same days, posted over REST with the manager's session.
  const manager = withToken(await m.page.evaluate(() => (JSON.parse(sessionStorage.getItem("pt.session") ?? "{}") as { accessToken?: string }).accessToken ?? ""));
  const title = `E2E clash ${RUN}`;
  const job = (await manager.call<{ data: { id: string } }>("POST", "/jobs", {
    title,
    skills: [{ skill: "compositing", minLevel: 2 }],
    startDate: day(7 * WEEK + 1),
    endDate: day(7 * WEEK + 3),
    status: "open",
    visibility: "public",
  })).data;
  const app = (await freelancerB.call<{ data: { id: string } }>("POST", `/jobs/${job.id}/applications`, { note: "Again" })).data;
  await manager.call("POST", `/job-applications/${app.id}/transition`, { to: "offered" });

  const mine = f.page.locator("[data-testid=my-application]", { hasText: title });
  await f.page.getByRole("navigation", { name: "Jobs sections" }).getByRole("link", { name: "My applications" }).click();
  await expect.poll(() => mine.getAttribute("data-status"), { timeout: 10_000 }).toBe("offered");
  await mine.getByRole("button", { name: `Accept: ${title}` }).click();
  const refusal = mine.locator("[data-testid=refusal]");
  await refusal.waitFor();
  expect((await refusal.innerText()).length).toBeGreaterThan(0);
  await mine.locator("[data-testid=free-windows] li").first().waitFor();
  expect(await mine.getAttribute("data-status")).toBe("offered");
  await noSeriousFindings(f.page, "a refused accept");
  await shot(f.page, "jobs-08-refused-accept");
  const views = (await freelancerB.call<{ data: RestApplicationView[] }>("GET", "/job-applications")).data;
  const still = views.find((v) => v.application.id === app.id)!.application;
  expect(still.status).toBe("offered");
  expect(still.bookingId).toBeNull();
  // Declined instead: the offer is answered.
  await mine.getByRole("button", { name: `Decline: ${title}` }).click();
  await expect.poll(() => mine.getAttribute("data-status"), { timeout: 10_000 }).toBe("declined");
  // The browser logs the refused call (409) as a failed resource load: expected, once; nothing else.
  expect(f.problems.filter((p) => p.includes("status of 409"))).toHaveLength(1);
  f.problems.splice(0, f.problems.length, ...f.problems.filter((p) => !p.includes("status of 409")));
  for (const t of tabs) expect(t.problems).toEqual([]);
});

test("a draft: posted as a draft, opened, closed, reopened (an artist invited to apply), edited, marked filled; another deleted", async () => {
  const m = tabs[0]!;
  await openJobs(m.page, "Studio jobs");
  const draftTitle = `E2E draft ${RUN}`;
  await m.page.getByRole("button", { name: "Post a job" }).click();
  const form = m.page.getByRole("dialog", { name: "Post a job" });
  await form.getByLabel("Title").fill(draftTitle);
  await form.getByLabel("Skill 1", { exact: true }).fill("rigging");
  await form.getByLabel("First day").fill(day(7 * (WEEK + 2)));
  await form.getByLabel("Last day").fill(day(7 * (WEEK + 2) + 2));
  await form.getByRole("button", { name: "Save as draft" }).click();
  await form.waitFor({ state: "detached" });
  const row = m.page.locator("[data-testid=job-row]", { hasText: draftTitle });
  await row.waitFor();
  expect(await row.getAttribute("data-status")).toBe("draft");

  await row.getByRole("link", { name: draftTitle }).click();
  const listing = m.page.locator("[data-testid=listing]");
  const actions = listing.getByRole("group", { name: "Listing actions" });
  await listing.getByRole("heading", { name: draftTitle, level: 1 }).waitFor();
  expect(await listing.getAttribute("data-status")).toBe("draft");
  await actions.getByRole("button", { name: "Open" }).click();
  await expect.poll(() => listing.getAttribute("data-status")).toBe("open");
  await actions.getByRole("button", { name: "Close" }).click();
  await expect.poll(() => listing.getAttribute("data-status")).toBe("closed");
  await actions.getByRole("button", { name: "Reopen" }).click();
  await expect.poll(() => listing.getAttribute("data-status")).toBe("open");
  // Invite the demo freelancer's artist (linked to an account) to apply: they are notified.
  const ada = m.page.locator("[data-testid=candidates] [data-testid=candidate]", { hasText: "Ada Moreau" });
  await ada.getByRole("button", { name: "Invite to apply (Ada Moreau)" }).click();
  await ada.getByText("Invited").waitFor();
  const demoFreelancer = await api(FREELANCER);
  await waitFor("Ada's invitation", async () => {
    const list = await demoFreelancer.call<{ data: { items: RestNotification[] } }>("GET", "/notifications?limit=20");
    return list.data.items.some((n) => n.kind === "jobInvited" && `${n.title} ${n.body}`.includes(draftTitle));
  });
  // Edit: the title changes, the page says so.
  await actions.getByRole("button", { name: "Edit" }).click();
  const edit = m.page.getByRole("dialog", { name: `Edit ${draftTitle}` });
  await edit.getByLabel("Title").fill(`${draftTitle} (edited)`);
  await edit.getByRole("button", { name: "Save" }).click();
  await listing.getByRole("heading", { name: `${draftTitle} (edited)`, level: 1 }).waitFor();
  await actions.getByRole("button", { name: "Mark filled" }).click();
  await expect.poll(() => listing.getAttribute("data-status")).toBe("filled");
  expect(await actions.getByRole("button").count()).toBe(0);

  // Another draft (over REST) is deleted from its page, after a confirmation.
  const manager = withToken(await m.page.evaluate(() => (JSON.parse(sessionStorage.getItem("pt.session") ?? "{}") as { accessToken?: string }).accessToken ?? ""));
  const other = (await manager.call<{ data: { id: string } }>("POST", "/jobs", { title: `E2E doomed ${RUN}`, skills: [], startDate: day(7 * (WEEK + 3)), endDate: day(7 * (WEEK + 3) + 1) })).data;
  await m.page.goto(`${baseUrl()}/#/jobs/listing/${other.id}`);
  await listing.getByRole("heading", { name: `E2E doomed ${RUN}`, level: 1 }).waitFor();
  await actions.getByRole("button", { name: "Delete" }).click();
  await m.page.getByRole("alertdialog", { name: `Delete the draft E2E doomed ${RUN}?` }).getByRole("button", { name: "Delete" }).click();
  await m.page.locator("[data-testid=studio-jobs]").waitFor();
  await expect(manager.call("GET", `/jobs/${other.id}`)).rejects.toThrow(/404/);
  for (const t of tabs) expect(t.problems).toEqual([]);
});
